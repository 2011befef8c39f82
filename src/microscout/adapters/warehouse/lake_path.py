"""Where a lake lives: a local folder, or a URL of a file system both Spark (Hadoop) and pyarrow
read: ``file:///data/lake``, ``hdfs://namenode:8020/lake``, ``s3a://bucket/lake``,
``gs://bucket/lake``.

:class:`LakePath` joins like a ``pathlib.Path`` (``lake / "posts"``) and prints as the location
Spark reads (its scheme kept: ``s3a://`` for Hadoop's S3 connector); the files this machine
reads and writes there (the manifest, a run's description and results) go through pyarrow's
file system for the scheme. Hadoop spells S3 ``s3a``/``s3n``, pyarrow ``s3``: the URL is handed
to pyarrow under its own name.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs

from microscout.errors import ParameterError

# Hadoop's names for a scheme that pyarrow knows under another.
_ARROW_SCHEME = {"s3a": "s3", "s3n": "s3"}


class LakePath:
    """A file or folder of a lake (see the module doc)."""

    def __init__(self, fs: pafs.FileSystem, path: str, prefix: str) -> None:
        self.fs = fs
        self.path = path  # within ``fs``
        self._prefix = prefix  # "" for a local path; else what makes ``path`` a URL again

    @classmethod
    def of(cls, location: str | Path, parameter: str = "--lake") -> LakePath:
        """The lake at ``location``; ParameterError (naming ``parameter``) when no file system
        of this machine can open it."""
        text = str(location)
        if "://" not in text:
            return cls(pafs.LocalFileSystem(), str(Path(text).expanduser().absolute()), "")
        scheme, rest = text.split("://", 1)
        arrow = f"{_ARROW_SCHEME.get(scheme.lower(), scheme)}://{rest}"
        try:
            fs, path = pafs.FileSystem.from_uri(arrow)
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise ParameterError(parameter, f"cannot open {text}: {exc}") from None
        authority = rest.split("/", 1)[0]
        # Bucket stores keep the bucket in the path ("bucket/lake"); others the host apart.
        prefix = f"{scheme}://" if path.startswith(authority) else f"{scheme}://{authority}"
        if scheme.lower() == "file":
            prefix = "file://"
        return cls(fs, path.rstrip("/") or "/", prefix)

    # -- path-like ---------------------------------------------------------------------------
    def __truediv__(self, name: str) -> LakePath:
        return LakePath(self.fs, posixpath.join(self.path, name), self._prefix)

    def __str__(self) -> str:
        return self._prefix + self.path

    def __repr__(self) -> str:
        return f"LakePath({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LakePath) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    def with_name(self, name: str) -> LakePath:
        return LakePath(self.fs, posixpath.join(posixpath.dirname(self.path), name), self._prefix)

    @property
    def local(self) -> Path | None:
        """The folder on this machine's own disk, None for other file systems."""
        return Path(self.path) if isinstance(self.fs, pafs.LocalFileSystem) else None

    # -- what is there -------------------------------------------------------------------------
    def _kind(self) -> pafs.FileType:
        kind: pafs.FileType = self.fs.get_file_info(self.path).type
        return kind

    def exists(self) -> bool:
        return bool(self._kind() != pafs.FileType.NotFound)

    def is_file(self) -> bool:
        return bool(self._kind() == pafs.FileType.File)

    def is_dir(self) -> bool:
        return bool(self._kind() == pafs.FileType.Directory)

    def is_empty_dir(self) -> bool:
        return not self.fs.get_file_info(pafs.FileSelector(self.path, allow_not_found=True))

    def has_parquet(self) -> bool:
        """Whether the folder holds any Parquet file, at any depth."""
        found = self.fs.get_file_info(
            pafs.FileSelector(self.path, allow_not_found=True, recursive=True)
        )
        return any(f.type == pafs.FileType.File and f.path.endswith(".parquet") for f in found)

    # -- reading and writing -------------------------------------------------------------------
    def read_text(self) -> str:
        with self.fs.open_input_stream(self.path) as stream:
            return bytes(stream.read()).decode("utf-8")

    def write_text(self, text: str) -> None:
        with self.fs.open_output_stream(self.path) as stream:
            stream.write(text.encode("utf-8"))

    def mkdir(self) -> None:
        self.fs.create_dir(self.path, recursive=True)

    def remove(self) -> None:
        """Delete the folder and what it holds; nothing when it is not there."""
        if self.is_dir():
            self.fs.delete_dir(self.path)
        elif self.is_file():
            self.fs.delete_file(self.path)

    def rename(self, target: LakePath) -> None:
        """Move to ``target``: a rename where the file system has one (local, HDFS); object
        stores, which have none, copy then delete."""
        try:
            self.fs.move(self.path, target.path)
        except (OSError, NotImplementedError, pa.ArrowException):
            if self.is_file():
                raise
            pafs.copy_files(self.path, target.path, self.fs, target.fs)
            self.fs.delete_dir(self.path)

    def upload(self, folder: Path) -> None:
        """Copy a local folder's files here."""
        pafs.copy_files(str(folder), self.path, pafs.LocalFileSystem(), self.fs)


__all__ = ["LakePath"]
