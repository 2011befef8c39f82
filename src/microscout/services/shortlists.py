"""Shortlists: named lists of creators a brand is considering, kept in the workspace store.

A shortlist stores who is on it — keyed like the warehouse, ``(platform, creator_id)`` — and the
user's notes; never a copy of the figures. Showing or exporting one joins each entry to the
creator's *current* row in ``creator_scores``, so a re-score shows up at once; a creator that
has left the warehouse still shows, with its figures empty and a warning saying why.

Every change is one workspace transaction and checks all of its input before writing, so a bad
name, an unknown id or handle or a note that is too long leaves the store as it was. Results are
frozen dataclasses (``as_dict()``), never ORM rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.browse import creator_handles, scored_figures
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.models import NAME_MAX, Shortlist, ShortlistEntry, utc_now
from microscout.core.cells import csv_text
from microscout.core.handles import normalise_handle
from microscout.errors import NotFoundError, ParameterError, StoreError
from microscout.services.browse.creators import find_creator, split_key

TEXT_MAX = 2000
# The current figures shown beside each entry, all read from creator_scores.
FIGURES = (
    "followers",
    "tier",
    "er_median",
    "reach_rate",
    "audience_quality",
    "authenticity_verdict",
    "fee_per_post",
)
CSV_COLUMNS = ("platform", "creator_id", "handle", *FIGURES, "note", "added_at", "warning")
GONE = "no longer in the warehouse: figures unavailable; the handle is the one it had when added"
UNSCORED = "not scored yet: run `microscout score`"


@dataclass(frozen=True)
class ShortlistSummary:
    """A shortlist without its entries (``entries`` is how many it has)."""

    id: int
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    entries: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EntryRef:
    """Which creator an add, note or remove touched."""

    platform: str
    creator_id: str
    handle: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ShortlistItem:
    """One entry joined to the creator's current figures (None when unknown; ``warning`` says why).

    ``handle`` is the creator's current handle, or the one stored when it was added if the
    creator is no longer in the warehouse.
    """

    platform: str
    creator_id: str
    handle: str
    note: str
    added_at: datetime
    in_warehouse: bool
    followers: int | None = None
    tier: str | None = None
    er_median: float | None = None
    reach_rate: float | None = None
    audience_quality: float | None = None
    authenticity_verdict: str | None = None
    fee_per_post: float | None = None
    warning: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ShortlistDetail:
    """A shortlist with its entries, in the order they were added."""

    shortlist: ShortlistSummary
    items: tuple[ShortlistItem, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**self.shortlist.as_dict(), "items": [item.as_dict() for item in self.items]}


@dataclass(frozen=True)
class AddResult:
    """Creators newly added, and those already on the list (their note updated when given)."""

    added: tuple[EntryRef, ...]
    already: tuple[EntryRef, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": [e.as_dict() for e in self.added],
            "already": [e.as_dict() for e in self.already],
        }


# -- validation ---------------------------------------------------------------------------------
def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ParameterError("name", "is empty")
    if len(cleaned) > NAME_MAX:
        raise ParameterError("name", f"is {len(cleaned)} characters long; at most {NAME_MAX}")
    return cleaned


def _clean_text(option: str, value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > TEXT_MAX:
        raise ParameterError(option, f"is {len(cleaned)} characters long; at most {TEXT_MAX}")
    return cleaned


def _check_name_free(session: Session, name: str, except_id: int | None = None) -> None:
    # Compared case-insensitively with Unicode case folding; the database's unique index on
    # lower(name) is the backstop for two users creating the same name at the same moment.
    wanted = name.casefold()
    for other_id, other in session.execute(select(Shortlist.id, Shortlist.name)):
        if other_id != except_id and other.casefold() == wanted:
            raise ParameterError("name", f"shortlist #{other_id} is already called '{other}'")


def _get(session: Session, shortlist_id: int) -> Shortlist:
    shortlist = session.get(Shortlist, shortlist_id)
    if shortlist is None:
        raise NotFoundError(
            f"no shortlist with id {shortlist_id}; `microscout shortlist list` shows them"
        )
    return shortlist


def _summary(shortlist: Shortlist, entries: int) -> ShortlistSummary:
    return ShortlistSummary(
        shortlist.id,
        shortlist.name,
        shortlist.description,
        shortlist.created_at,
        shortlist.updated_at,
        entries,
    )


def _name_taken(name: str) -> ParameterError:
    return ParameterError("name", f"a shortlist called '{name}' already exists")


# -- shortlists -----------------------------------------------------------------------------------
def create_shortlist(workspace: Workspace, name: str, description: str = "") -> ShortlistSummary:
    """A new, empty shortlist; its name must be unique ignoring case."""
    cleaned = _clean_name(name)
    text = _clean_text("description", description)
    try:
        with workspace.session() as session:
            _check_name_free(session, cleaned)
            shortlist = Shortlist(name=cleaned, description=text)
            session.add(shortlist)
            session.flush()
            return _summary(shortlist, 0)
    except IntegrityError:
        raise _name_taken(cleaned) from None


def shortlist_named(workspace: Workspace, name: str) -> ShortlistSummary:
    """The shortlist with this name (ignoring case), created empty when there is none."""
    cleaned = _clean_name(name)
    for summary in list_shortlists(workspace):
        if summary.name.casefold() == cleaned.casefold():
            return summary
    return create_shortlist(workspace, cleaned)


def list_shortlists(workspace: Workspace) -> list[ShortlistSummary]:
    """Every shortlist with how many creators it holds, by id."""
    counts = (
        select(ShortlistEntry.shortlist_id, func.count().label("n"))
        .group_by(ShortlistEntry.shortlist_id)
        .subquery()
    )
    query = (
        select(Shortlist, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.shortlist_id == Shortlist.id)
        .order_by(Shortlist.id)
    )
    with workspace.session() as session:
        return [_summary(shortlist, int(n)) for shortlist, n in session.execute(query)]


def update_shortlist(
    workspace: Workspace,
    shortlist_id: int,
    *,
    name: str | None = None,
    description: str | None = None,
) -> ShortlistSummary:
    """Rename a shortlist and/or replace its description."""
    cleaned = None if name is None else _clean_name(name)
    text = None if description is None else _clean_text("description", description)
    try:
        with workspace.session() as session:
            shortlist = _get(session, shortlist_id)
            if cleaned is not None:
                _check_name_free(session, cleaned, except_id=shortlist_id)
                shortlist.name = cleaned
            if text is not None:
                shortlist.description = text
            shortlist.updated_at = utc_now()
            session.flush()
            return _summary(shortlist, len(shortlist.entries))
    except IntegrityError:
        raise _name_taken(cleaned or "") from None


def delete_shortlist(workspace: Workspace, shortlist_id: int) -> ShortlistSummary:
    """Delete a shortlist and its entries; returns what was deleted."""
    with workspace.session() as session:
        shortlist = _get(session, shortlist_id)
        summary = _summary(shortlist, _count_entries(session, shortlist_id))
        # the entries are not loaded: the database's ON DELETE CASCADE removes them
        session.delete(shortlist)
        return summary


def _count_entries(session: Session, shortlist_id: int) -> int:
    query = select(func.count()).where(ShortlistEntry.shortlist_id == shortlist_id)
    return int(session.scalar(query) or 0)


def get_shortlist(workspace: Workspace, warehouse: Warehouse, shortlist_id: int) -> ShortlistDetail:
    """A shortlist with each entry joined to the creator's current figures."""
    with workspace.session() as session:
        shortlist = _get(session, shortlist_id)
        summary = _summary(shortlist, len(shortlist.entries))
        entries = [
            (e.platform, e.creator_id, e.handle, e.note, e.added_at) for e in shortlist.entries
        ]
    keys = [(platform, creator_id) for platform, creator_id, *_ in entries]
    scored, known = _current_figures(warehouse, keys)
    items = []
    for platform, creator_id, handle, note, added_at in entries:
        key = (platform, creator_id)
        figures = dict(scored.get(key) or {})
        scored_handle = figures.pop("handle", None)
        current = known.get(key) or scored_handle or handle
        if figures:
            item = ShortlistItem(platform, creator_id, current, note, added_at, True, **figures)
        elif key in known:
            item = ShortlistItem(
                platform, creator_id, current, note, added_at, True, warning=UNSCORED
            )
        else:
            item = ShortlistItem(platform, creator_id, handle, note, added_at, False, warning=GONE)
        items.append(item)
    return ShortlistDetail(summary, tuple(items))


def _current_figures(
    warehouse: Warehouse, keys: Sequence[tuple[str, str]]
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[tuple[str, str], str | None]]:
    """The scored figures of these creators, and the handles of those merely imported."""
    if not keys:
        return {}, {}
    scores = scored_figures(warehouse, keys, FIGURES)
    # one row per key: creator_scores is keyed by (platform, creator_id)
    scored = {(row.pop("platform"), row.pop("creator_id")): row for row in scores}
    return scored, creator_handles(warehouse, keys)


# -- entries --------------------------------------------------------------------------------------
def add_creators(
    workspace: Workspace,
    warehouse: Warehouse,
    shortlist_id: int,
    handles: Iterable[str],
    *,
    note: str | None = None,
    platform: str | None = None,
) -> AddResult:
    """Add creators by handle (``platform:handle`` names the platform of one, ``platform`` of all
    the bare ones); one already on the list is not an error (its note is updated)."""
    wanted = list(handles)
    if not wanted:
        raise ParameterError("HANDLE", "give at least one handle")
    text = None if note is None else _clean_text("note", note)
    try:
        with workspace.session() as session:
            shortlist = _get(session, shortlist_id)
            # Resolve every handle before writing anything: one unknown handle adds none.
            creators: dict[tuple[str, str], str] = {}
            for raw in wanted:
                own_platform, handle = split_key(raw)
                creator = find_creator(warehouse, handle, own_platform or platform)
                creators[(creator["platform"], creator["creator_id"])] = str(creator["handle"])
            existing = {(e.platform, e.creator_id): e for e in shortlist.entries}
            added, already = [], []
            now = utc_now()
            for (plat, creator_id), handle in creators.items():
                ref = EntryRef(plat, creator_id, handle)
                entry = existing.get((plat, creator_id))
                if entry is None:
                    shortlist.entries.append(
                        ShortlistEntry(
                            platform=plat,
                            creator_id=creator_id,
                            handle=handle,
                            note=text or "",
                            added_at=now,
                        )
                    )
                    added.append(ref)
                    continue
                entry.handle = handle
                if text is not None:
                    entry.note = text
                already.append(ref)
            shortlist.updated_at = now
    except IntegrityError:
        raise StoreError(
            f"shortlist #{shortlist_id} was changed by someone else at the same time; try again"
        ) from None
    return AddResult(tuple(added), tuple(already))


def _find_entry(
    session: Session,
    shortlist: Shortlist,
    handle: str,
    platform: str | None,
    warehouse: Warehouse | None,
) -> ShortlistEntry:
    """The entry for this handle: the handle stored on the list, else the creator's current one."""
    wanted = normalise_handle(handle)
    if not wanted:
        raise ParameterError("HANDLE", "is empty")
    matches = [
        e
        for e in shortlist.entries
        if e.handle.lower() == wanted and (platform is None or e.platform == platform)
    ]
    if len(matches) > 1:
        on = ", ".join(sorted(e.platform for e in matches))
        raise ParameterError("--platform", f"'{wanted}' is on this shortlist for {on}; say which")
    if matches:
        return matches[0]
    if warehouse is not None:
        # the creator may have changed handle since being added
        try:
            creator = find_creator(warehouse, wanted, platform)
        except NotFoundError:
            creator = None
        if creator is not None:
            for entry in shortlist.entries:
                if (entry.platform, entry.creator_id) == (
                    creator["platform"],
                    creator["creator_id"],
                ):
                    return entry
    raise NotFoundError(f"'{wanted}' is not on shortlist #{shortlist.id} '{shortlist.name}'")


def set_note(
    workspace: Workspace,
    shortlist_id: int,
    handle: str,
    note: str,
    *,
    platform: str | None = None,
    warehouse: Warehouse | None = None,
) -> EntryRef:
    """Replace the note on one creator of a shortlist (an empty note clears it)."""
    text = _clean_text("note", note)
    with workspace.session() as session:
        shortlist = _get(session, shortlist_id)
        entry = _find_entry(session, shortlist, handle, platform, warehouse)
        entry.note = text
        shortlist.updated_at = utc_now()
        return EntryRef(entry.platform, entry.creator_id, entry.handle)


def remove_creator(
    workspace: Workspace,
    shortlist_id: int,
    handle: str,
    *,
    platform: str | None = None,
    warehouse: Warehouse | None = None,
) -> EntryRef:
    """Take one creator off a shortlist."""
    with workspace.session() as session:
        shortlist = _get(session, shortlist_id)
        entry = _find_entry(session, shortlist, handle, platform, warehouse)
        shortlist.entries.remove(entry)
        shortlist.updated_at = utc_now()
        return EntryRef(entry.platform, entry.creator_id, entry.handle)


def export_csv(workspace: Workspace, warehouse: Warehouse, shortlist_id: int) -> str:
    """The shortlist as CSV: a header row, then one row per entry with its current figures
    (text that a spreadsheet would run as a formula is written as text, ``core/cells.py``)."""
    detail = get_shortlist(workspace, warehouse, shortlist_id)
    rows = [{**i.as_dict(), "added_at": i.added_at.isoformat()} for i in detail.items]
    return csv_text(CSV_COLUMNS, rows)


__all__ = [
    "CSV_COLUMNS",
    "FIGURES",
    "TEXT_MAX",
    "AddResult",
    "EntryRef",
    "ShortlistDetail",
    "ShortlistItem",
    "ShortlistSummary",
    "add_creators",
    "create_shortlist",
    "delete_shortlist",
    "export_csv",
    "get_shortlist",
    "list_shortlists",
    "remove_creator",
    "set_note",
    "update_shortlist",
]
