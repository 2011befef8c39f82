"""The one error tree of microscout.

Every error a user can cause or meet derives from :class:`MicroscoutError`; entrypoints translate
them at the edge (the CLI prints the message and exits with ``exit_code``; the web layer answers
``http_status`` with a JSON error body under /api and an error page elsewhere, web/errors.py).
Anything else that escapes is a bug.

::

    MicroscoutError                 exit 1
    ├── InputError                  exit 2, HTTP 400 — the user's input cannot be used
    │   ├── FileFormatError         a file that cannot be read as a whole (names file, line, column)
    │   ├── MappingError            a column-mapping file that is wrong
    │   └── ParameterError          a command-line / API parameter out of range or unknown
    ├── NotFoundError               exit 4, HTTP 404 — e.g. an unknown creator handle
    ├── AuthenticationError         exit 7, HTTP 401 — no valid login, session or API token
    ├── ForbiddenError              exit 8, HTTP 403 — signed in, but the role or token scope
    │                               does not allow it
    ├── ConfigError                 exit 5 — settings that are missing or unsafe
    └── StoreError                  exit 6, HTTP 503 — a warehouse or workspace that cannot be
        │                           opened or used
        └── SchemaVersionError      a store written by a newer microscout
"""

from __future__ import annotations

from pathlib import Path


class MicroscoutError(Exception):
    """Base of every error microscout raises on purpose."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(MicroscoutError):
    """The user's input (a file, a parameter) cannot be used as given."""

    exit_code = 2
    http_status = 400


class FileFormatError(InputError):
    """A file that cannot be used as a whole; the message names the file and, when known, where."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        where = self.path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")


class MappingError(InputError):
    """A column-mapping file that names unknown fields or is not valid TOML."""


class ParameterError(InputError):
    """A parameter out of range, of the wrong type or unknown; the message names it."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"{name}: {problem}")


class NotFoundError(MicroscoutError):
    """Something asked for by name that does not exist (a creator handle, a run id)."""

    exit_code = 4
    http_status = 404


class AuthenticationError(MicroscoutError):
    """The request proves no identity: no login, an expired session, an unknown or revoked
    token, a wrong password."""

    exit_code = 7
    http_status = 401


class ForbiddenError(MicroscoutError):
    """The identity is known but may not do this (a viewer writing, a read token writing)."""

    exit_code = 8
    http_status = 403


class ConfigError(MicroscoutError):
    """Settings that are missing, contradictory or unsafe."""

    exit_code = 5
    http_status = 500


class StoreError(MicroscoutError):
    """A store (warehouse or workspace) that cannot be opened or written."""

    exit_code = 6
    http_status = 503


class SchemaVersionError(StoreError):
    """The warehouse's schema version is newer than this release understands."""


class BusyError(StoreError):
    """Another import or score is writing the warehouse: one writer at a time."""


class TooBusyError(MicroscoutError):
    """The server is already doing as much costly work (plans) as its settings allow; the
    client should try again after ``retry_after`` seconds."""

    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)
