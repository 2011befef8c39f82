"""Ibis expressions compiled to SQL once, and kept for the next run of the same code.

Importing Ibis, building the metric expressions and compiling them took about a second of every
``score`` on the Kim dataset, a tenth of a re-score, and gave the same SQL each time. That SQL
depends only on the expression's code, its parameters and the versions of Ibis, sqlglot and
DuckDB, so it is kept under a hash of all of them in a folder of the home, and read back while
none has changed. The code part hashes every source file of microscout: any change to it
compiles again, so a kept statement is never one older code would not have made.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

# The microscout package: adapters/warehouse/compiled.py is three levels into it.
_PACKAGE = Path(__file__).resolve().parents[2]
# The libraries whose versions change the SQL an expression compiles to.
_COMPILERS = ("ibis-framework", "sqlglot", "duckdb")


def source_digest(package: Path) -> str:
    """A hash of the Python source files under ``package`` (their paths and contents) and of
    the compilers' versions."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    for name in _COMPILERS:
        digest.update(f"{name} {metadata.version(name)}".encode())
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """:func:`source_digest` of microscout itself, once per process."""
    return source_digest(_PACKAGE)


class CompiledSql:
    """Compiled statements kept in ``folder`` (None: compile every time, keep nothing)."""

    def __init__(self, folder: Path | None, code: str | None = None) -> None:
        self.folder = folder
        self._code = code  # the code's hash; code_digest() unless given

    @property
    def code(self) -> str:
        return self._code if self._code is not None else code_digest()

    def sql(self, name: str, parameters: str, compile_sql: Callable[[], str]) -> str:
        """The SQL ``compile_sql`` makes for ``name`` under ``parameters`` (their text, exactly
        as the expression reads them): kept from an earlier run of the same code, or made now
        and kept."""
        if self.folder is None:
            return compile_sql()
        key = hashlib.sha256(f"{name}\n{parameters}\n{self.code}".encode()).hexdigest()
        path = self.folder / f"{name}-{key[:24]}.sql"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass  # not kept yet, or not readable: compile it
        text = compile_sql()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        except OSError:
            return text  # a home we cannot write to only costs the next run a compile
        try:
            # Written whole, then renamed: a concurrent reader sees no half-written statement.
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            Path(temporary).replace(path)
            # One statement kept per name: those of older code or parameters go.
            for older in self.folder.glob(f"{name}-*.sql"):
                if older != path:
                    older.unlink(missing_ok=True)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
        return text


__all__ = ["CompiledSql", "code_digest", "source_digest"]
