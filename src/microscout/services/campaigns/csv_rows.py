"""Reading the exports campaigns import (a shop's orders, an analytics tool's sessions): rows
with their line numbers, and the rows an import keeps aside with their reason."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from microscout.adapters.workspace.campaign_rows import RejectedRow
from microscout.errors import FileFormatError

Rows = list[tuple[int, dict[str, str]]]


def read_rows(
    path: Path,
    required: Sequence[str],
    what: str,
    name: Callable[[str], str] = str,
) -> Rows:
    """The file's rows (header names passed through ``name``), each with its line number;
    lines before the header that start with '#' (an export's notes, as GA4 writes them) and
    blank lines are skipped. FileFormatError when the file cannot be read or lacks a
    ``required`` column."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            records = _records(file)
    except FileNotFoundError:
        raise FileFormatError(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(path, f"not a UTF-8 CSV file ({exc})") from None
    except csv.Error as exc:
        raise FileFormatError(path, f"not a CSV file ({exc})") from None
    if not records:
        raise FileFormatError(path, f"empty: {what} has a header row and data rows")
    first_line, first = records[0]
    header = [name(h.strip()) for h in first]
    missing = [c for c in required if c not in header]
    if missing:
        named = ", ".join(repr(m) for m in missing)
        raise FileFormatError(path, f"no column {named} ({what} has them)", line=first_line)
    return [
        (line, {h: (v or "") for h, v in zip(header, values, strict=False) if h})
        for line, values in records[1:]
    ]


def _records(file: Iterable[str]) -> list[tuple[int, list[str]]]:
    """CSV records with the file line each starts on (a quoted value may span lines)."""
    kept: list[int] = []

    def lines() -> Iterator[str]:
        started = False
        for number, line in enumerate(file, start=1):
            if not started and (not line.strip() or line.lstrip().startswith("#")):
                continue  # the notes above the header
            started = True
            kept.append(number)
            yield line

    reader = csv.reader(lines())
    out: list[tuple[int, list[str]]] = []
    while True:
        consumed = reader.line_num
        try:
            values = next(reader)
        except StopIteration:
            return out
        if any(v.strip() for v in values):
            out.append((kept[consumed], values))


def keep_aside(
    session: Session, campaign_id: int, path: Path, line: int, reason: str, raw: object
) -> None:
    """Record a refused row with its file, line and reason (``rejected_rows``)."""
    session.add(
        RejectedRow(
            campaign_id=campaign_id,
            source=str(path),
            line=line,
            reason=reason,
            raw=repr(raw)[:4000],
        )
    )


__all__ = ["Rows", "keep_aside", "read_rows"]
