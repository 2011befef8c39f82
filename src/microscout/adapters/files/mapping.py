"""The optional mapping file: how a file's own headers map to canonical columns.

A TOML file with up to three parts (documented with an example in ``docs/importing.md``)::

    table = "posts"                 # which canonical table; detected from the columns if absent

    [columns]                       # source header = canonical column
    "Video ID" = "post_id"
    "Channel" = "handle"            # a handle standing for creator_id

    [constants]                     # a value for every row
    platform = "tiktok"

Headers the mapping does not name are still matched by the usual synonyms.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microscout.adapters.files.headers import CREATOR_VALUE_COLUMNS, HANDLE, SPECS
from microscout.errors import MappingError

_KEYS = frozenset({"table", "columns", "constants"})


@dataclass(frozen=True)
class ColumnMapping:
    path: Path
    table: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # source header -> canonical column
    constants: dict[str, str] = field(default_factory=dict)  # canonical column -> value


def load_mapping(path: Path) -> ColumnMapping:
    """Read and check a mapping file; every problem is a :class:`MappingError` naming it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise MappingError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise MappingError(
            f"{path}: unknown key(s) {', '.join(unknown)}; use table, columns, constants"
        )
    table = data.get("table")
    if table is not None and table not in SPECS:
        raise MappingError(f"{path}: table '{table}' is not one of {', '.join(SPECS)}")
    columns = _strings(path, "columns", data.get("columns", {}))
    constants = _strings(path, "constants", data.get("constants", {}))
    return ColumnMapping(path, table, columns, constants)


def _strings(path: Path, section: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise MappingError(f"{path}: [{section}] must be a table of name = value pairs")
    out: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, bool):
            out[key] = "true" if item else "false"
        elif isinstance(item, str | int | float):
            out[key] = str(item)
        else:
            raise MappingError(f"{path}: [{section}] {key} must be a string or a number")
    return out


def allowed_targets(table: str) -> set[str]:
    """Canonical columns a mapping may name for ``table``."""
    names = set(SPECS[table].names) | {HANDLE}
    if table == "posts":
        names |= set(CREATOR_VALUE_COLUMNS)  # a posts file may carry its creators' profile counts
    return names


def check_mapping(mapping: ColumnMapping, table: str, headers: list[str]) -> None:
    """Every mapped header exists in the file and every target is a column of ``table``."""
    allowed = allowed_targets(table)
    for source, target in mapping.columns.items():
        if source not in headers:
            raise MappingError(
                f"{mapping.path}: column '{source}' is not in the file "
                f"(its headers: {', '.join(headers[:20])})"
            )
        if target not in allowed:
            raise MappingError(
                f"{mapping.path}: '{source}' maps to '{target}', which is not a column of "
                f"{table} ({', '.join(sorted(allowed))})"
            )
    for target in mapping.constants:
        if target not in allowed:
            raise MappingError(f"{mapping.path}: constant '{target}' is not a column of {table}")
