"""Choosing a format for a path and planning how each of its files is read.

Nothing is imported here: a plan names the files, the tables each feeds and how columns map, so
every file-level problem (unknown format, missing column, bad mapping, missing ``--creator``) is
found before the first row is written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from microscout.adapters.files import exports, kim
from microscout.adapters.files.generic import plan_generic
from microscout.adapters.files.headers import unmatched
from microscout.adapters.files.model import FilePlan, ImportOptions, ImportPlan, Skipped
from microscout.adapters.files.readers import Source, open_source
from microscout.errors import FileFormatError, ParameterError

FORMATS = ("generic", "kim", "meta", "youtube", "tiktok")
_ALIASES = {"csv": "generic", "jsonl": "generic", "parquet": "generic", "auto": None}
DATA_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"})


def check_format(name: str | None) -> str | None:
    """The canonical format name, ``None`` for auto-detection; unknown names are refused."""
    if name is None:
        return None
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key not in FORMATS:
        raise ParameterError(
            "--format", f"unknown format '{name}'; use one of {', '.join(FORMATS)}"
        )
    return key


def modified_at(path: Path) -> datetime:
    """The file's modification time (UTC, naive): its snapshot time when rows carry none."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


def plan_import(path: Path, format: str | None, options: ImportOptions) -> ImportPlan:
    """A plan per file under ``path`` (a file, the Kim folder or a folder of data files).

    In a folder of data files, a file that matches no table (``headers.unmatched``: no table's
    key among its columns, or creators named with nothing said about them) is left out and named
    in the plan, not imported as whatever it half resembles. A file named on its own is always
    read: asking for it is saying what it is.
    """
    chosen = check_format(format)
    if not path.exists():
        raise FileFormatError(path, "no such file or folder")
    if not path.is_dir():
        sources = [open_source(path)]
    else:
        names = {p.name for p in path.iterdir()}
        if chosen == "kim" or (chosen is None and names & {kim.INFLUENCERS, kim.POSTS_FILE}):
            sources = [open_source(f) for f in kim.kim_files(path)]
            chosen = "kim"
        else:
            return _plan_folder(path, chosen, options)
    with_influencers = any(kim.is_influencers(s.header) for s in sources)
    return ImportPlan(tuple(_plan(s, chosen, options, with_influencers) for s in sources))


def _plan_folder(path: Path, chosen: str | None, options: ImportOptions) -> ImportPlan:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
    if not files:
        raise FileFormatError(path, "holds no CSV, JSONL or Parquet file")
    sources: list[Source] = []
    skipped: list[Skipped] = []
    for source in (open_source(f) for f in files):
        reason = _matches_no_table(source, chosen, options)
        if reason is None:
            sources.append(source)
        else:
            skipped.append(Skipped(str(source.path), reason))
    if not sources:
        shown = "; ".join(s.describe() for s in skipped)
        raise FileFormatError(path, f"holds no file that matches a table ({shown})")
    with_influencers = any(kim.is_influencers(s.header) for s in sources)
    plans = tuple(_plan(s, chosen, options, with_influencers) for s in sources)
    return ImportPlan(plans, tuple(skipped))


def _matches_no_table(source: Source, chosen: str | None, options: ImportOptions) -> str | None:
    """Why a folder's file would be read as generic data without being any table's, if it would."""
    if options.mapping is not None or chosen not in (None, "generic"):
        return None  # the caller said what the files are
    if chosen is None and detect_format(source) != "generic":
        return None
    return unmatched(source.header)


def detect_format(source: Source) -> str:
    """The format a file's headers announce; ``generic`` when none does."""
    if kim.is_influencers(source.header) or kim.is_posts(source.header):
        return "kim"
    return exports.detect_export(source.header) or "generic"


def _plan(
    source: Source, chosen: str | None, options: ImportOptions, with_influencers: bool
) -> FilePlan:
    name = chosen or detect_format(source)
    fetched_at = modified_at(source.path)
    if name == "kim":
        if kim.is_influencers(source.header):
            return kim.plan_influencers(source, fetched_at)
        if kim.is_posts(source.header):
            return kim.plan_posts(source, fetched_at, with_profiles=not with_influencers)
        raise FileFormatError(
            source.path,
            "is not a Kim dataset file: expected the influencers.txt header "
            f"({', '.join(kim.INFLUENCER_HEADERS)}) or posts_sample.csv's",
            line=1,
        )
    if name == "meta":
        return exports.plan_meta(source, options, fetched_at)
    if name == "youtube":
        return exports.plan_youtube(source, options, fetched_at)
    if name == "tiktok":
        return exports.plan_tiktok(source, options, fetched_at)
    return plan_generic(source, options, fetched_at)
