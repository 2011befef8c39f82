"""Which text encoding a file is in, and where decoding it fails.

Accepted: UTF-8, UTF-8 with a byte-order mark, and UTF-16 with a byte-order mark (what Excel writes
for "Unicode text"). Anything else is refused with the line that could not be decoded rather than
guessed, because a wrong guess silently corrupts handles and captions.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from microscout.errors import FileFormatError

_PROBE = 64 * 1024


def detect_encoding(path: Path) -> str:
    """The Python codec to read ``path`` with; raises when the file is not text we accept."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_PROBE)
    except OSError as exc:
        raise FileFormatError(path, f"cannot be read: {exc.strerror or exc}") from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise FileFormatError(
            path,
            "contains NUL bytes: UTF-16 without a byte-order mark or a binary file; "
            "save it as UTF-8 (or UTF-16 with BOM)",
            line=line,
        )
    return "utf-8"


def decoding_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> FileFormatError:
    """A :class:`FileFormatError` naming the line where ``path`` stops being ``encoding``.

    The streaming decoder reports an offset inside its current chunk, so the whole file is decoded
    once more here to find the absolute position; this runs only on the error path.
    """
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as full:
        before = data[: full.start].decode(encoding, errors="replace")
        line = before.count("\n") + 1
        bad = data[full.start : full.start + 4].hex(" ")
        return FileFormatError(
            path,
            f"is not valid {_label(encoding)} (bytes {bad}); save it as UTF-8 or UTF-16 with BOM",
            line=line,
        )
    return FileFormatError(path, f"is not valid {_label(encoding)}: {exc.reason}")


def _label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16"}.get(encoding, encoding)
