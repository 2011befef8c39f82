"""The creator view store: one SQLite row per creator with what its page and its search hit read.

Why SQLite beside the DuckDB warehouse: DuckDB answers a point query with a scan, a fixed 1-5 ms
each here, and a profile page needed seven of them; SQLite finds a keyed row through its B-tree
in tens of microseconds. The store is derived data, rebuilt whole at the end of every scoring run
(``write_views``: a new file renamed over the old, so a reader never sees half of one), and it
names the run it was built from: readers use it only while that run is still the warehouse's
latest (``services/browse/views.py``), and read the warehouse otherwise.

The parts are JSON as DuckDB writes it (``adapters/warehouse/views.py``); dates and times come
back as ``date`` and ``datetime`` by the canonical schema's column types, as a warehouse read
returns them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import orjson
import pyarrow as pa

from microscout.core.schema import (
    CREATOR_SCORES,
    CREATORS,
    FOLLOWER_SNAPSHOTS,
    POSTS,
    TableSpec,
)

T = TypeVar("T")

Key = tuple[str, str]
PARTS = (
    "creator",
    "others",
    "scores",
    "recent",
    "dated",
    "followers",
    "niches",
    "figures",
    "vocabulary",
)
# What a profile page reads (search reads ``figures``, ``vocabulary`` and ``recent`` by key).
PAGE_PARTS = PARTS[:-2]
# doc_hash: the search document's hash, so a new store can keep a vocabulary it has not changed.
# The small parts search reads for a hundred creators at a time come first in each row: SQLite
# reads a row's columns in order, and the large page parts spill onto overflow pages it would
# otherwise walk first (a search's figures and vocabularies: 2.4 -> 1.65 ms).
COLUMNS = ("platform", "creator_id", "handle_key", "figures", "vocabulary", "doc_hash", *PAGE_PARTS)
# SQLite's default limit is 32,766 bound values, one per id; a margin.
IDS_PER_QUERY = 30_000
# The meta entry naming the scoring run's fixed anchor (ISO text; empty when it had none).
AS_OF = "as_of"


def _parsers(*specs: TableSpec) -> Mapping[str, Any]:
    """Column name -> how its JSON text becomes the value a warehouse read gives."""
    kinds = {"timestamp": datetime.fromisoformat, "date": date.fromisoformat}
    return MappingProxyType(
        {c.name: kinds[c.dtype] for spec in specs for c in spec.columns if c.dtype in kinds}
    )


# The typed columns of each part, by the table its rows come from.
_TYPED = MappingProxyType(
    {
        "creator": _parsers(CREATORS),
        "scores": _parsers(CREATOR_SCORES),
        "recent": _parsers(POSTS),
        "dated": _parsers(POSTS),
        "followers": _parsers(FOLLOWER_SNAPSHOTS),
    }
)


def _typed(row: dict[str, Any], parsers: Mapping[str, Any]) -> dict[str, Any]:
    for name, parse in parsers.items():
        value = row.get(name)
        if isinstance(value, str):
            row[name] = parse(value)
    return row


def decode(part: str, text: str | None, *, typed: bool = True) -> Any:
    """One part's JSON as a warehouse read returns it: rows as dicts, dates as dates (unless
    ``typed`` is false). The vocabulary is its words, space-separated, in order."""
    if text is None:
        return None
    if part == "vocabulary":
        return text.split(" ") if text else []
    value = orjson.loads(text)
    parsers = _TYPED.get(part) if typed else None
    if not parsers:
        return value
    if isinstance(value, list):
        return [_typed(row, parsers) for row in value]
    return _typed(value, parsers)


@dataclass(frozen=True)
class CreatorView:
    """One creator as its profile page reads it (``adapters/warehouse/views.py`` says what each
    list holds and in which order)."""

    creator: dict[str, Any]
    others: list[str]
    scores: dict[str, Any]
    recent: list[dict[str, Any]]
    dated: list[dict[str, Any]]
    followers: list[dict[str, Any]]
    niches: list[dict[str, Any]]
    as_of: datetime | None  # the scoring run's fixed anchor (None: each creator's latest post)


_SCHEMA = f"""
CREATE TABLE views ({", ".join(f"{c} TEXT" for c in COLUMNS)});
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
"""
_INDEXES = """
CREATE UNIQUE INDEX views_key ON views (platform, creator_id);
CREATE INDEX views_handle ON views (handle_key, platform);
"""


def write_views(path: Path, batches: Iterable[pa.RecordBatch], meta: Mapping[str, str]) -> int:
    """Write a new store at ``path`` from rows of :data:`COLUMNS`, replacing the old one in one
    rename; the rows written. ``meta`` names what it was built from (the scoring run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f"{path.stem}.next{path.suffix}")
    building.unlink(missing_ok=True)
    written = 0
    con = sqlite3.connect(building)
    try:
        # A file nobody reads until it is renamed: no journal, no waiting for the disk.
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.executescript(_SCHEMA)
        insert = f"INSERT INTO views VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608 (a count of placeholders)
        for batch in batches:
            columns = [batch.column(name).to_pylist() for name in COLUMNS]
            con.executemany(insert, zip(*columns, strict=True))
            written += batch.num_rows
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        con.executescript(_INDEXES)
        con.commit()
    except BaseException:
        con.close()
        building.unlink(missing_ok=True)
        raise
    con.close()
    building.replace(path)
    return written


class ViewStore:
    """A read-only view store; each thread reads through its own SQLite connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []
        self._derived: dict[str, Any] = {}
        self.meta: dict[str, str] = dict(self._con().execute("SELECT name, value FROM meta"))
        as_of = self.meta.get(AS_OF)
        self.as_of = datetime.fromisoformat(as_of) if as_of else None

    @classmethod
    def open(cls, path: Path) -> ViewStore | None:
        """The store at ``path``, or None when there is none (or it cannot be read)."""
        if not path.is_file():
            return None
        try:
            return cls(path)
        except sqlite3.Error:
            return None

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """What a reader computes once from the scoring run these views belong to (``build``),
        kept with them under ``name``: a new run opens a new store, so nothing kept here
        outlives its run. Two threads asking at once may both build; the first answer is kept."""
        with self._lock:
            if name in self._derived:
                kept: T = self._derived[name]
                return kept
        value = build()
        with self._lock:
            kept = self._derived.setdefault(name, value)
        return kept

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            # immutable: the file is never changed in place (a new one is renamed over it), so
            # SQLite may skip its locks.
            uri = f"file:{self.path.resolve().as_posix()}?mode=ro&immutable=1"
            con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.con = con
            with self._lock:
                self._opened.append(con)
        return con

    def by_handle(self, handle_key: str, platform: str | None) -> CreatorView | None:
        """The creator with this lower-case handle (on ``platform``, else the first platform)."""
        row = (
            self._con()
            .execute(
                f"SELECT {', '.join(PAGE_PARTS)} FROM views WHERE handle_key = ? "  # noqa: S608 (column names are code constants; values are bound)
                "AND (? IS NULL OR platform = ?) ORDER BY platform LIMIT 1",
                (handle_key, platform, platform),
            )
            .fetchone()
        )
        if row is None:
            return None
        parts = {part: decode(part, text) for part, text in zip(PAGE_PARTS, row, strict=True)}
        return CreatorView(**parts, as_of=self.as_of)

    def parts(
        self, keys: Sequence[Key], names: Sequence[str], *, typed: bool = True
    ) -> dict[Key, dict[str, Any]]:
        """These parts (``figures``, ``recent`` ...) of each creator of ``keys`` with a view;
        ``typed=False`` leaves dates as the JSON's text (for a caller that does not read them)."""
        unknown = [n for n in names if n not in PARTS]
        if unknown:
            raise ValueError(f"no view part {unknown[0]!r}")
        by_platform: dict[str, list[str]] = {}
        for platform, creator_id in keys:
            by_platform.setdefault(platform, []).append(creator_id)
        out: dict[Key, dict[str, Any]] = {}
        # One query per platform and batch of ids: "platform = ? AND creator_id IN (...)" walks
        # the key index once per id (a row-value IN list would scan the table).
        for platform, ids in by_platform.items():
            for start in range(0, len(ids), IDS_PER_QUERY):
                chunk = ids[start : start + IDS_PER_QUERY]
                query = (
                    f"SELECT creator_id, {', '.join(names)} FROM views "  # noqa: S608 (the parts are checked above; values are bound)
                    f"WHERE platform = ? AND creator_id IN ({', '.join('?' * len(chunk))})"
                )
                for creator_id, *texts in self._con().execute(query, [platform, *chunk]):
                    out[(platform, creator_id)] = {
                        n: decode(n, text, typed=typed)
                        for n, text in zip(names, texts, strict=True)
                    }
        return out

    def vocabularies(self) -> dict[Key, tuple[str, str]]:
        """Each creator's search document hash and vocabulary (as stored), to carry over."""
        rows = self._con().execute(
            "SELECT platform, creator_id, doc_hash, vocabulary FROM views "
            "WHERE doc_hash IS NOT NULL AND vocabulary IS NOT NULL"
        )
        return {(p, c): (h, v) for p, c, h, v in rows}

    def close(self) -> None:
        """Close every thread's connection (the store is not read after this)."""
        with self._lock:
            for con in self._opened:
                con.close()
            self._opened.clear()


__all__ = ["AS_OF", "COLUMNS", "PARTS", "CreatorView", "ViewStore", "decode", "write_views"]
