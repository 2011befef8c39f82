"""YouTube's daily quota, counted here before every call (the API does not report what is left).

Units are kept per quota day (midnight to midnight, Pacific time, when Google resets them) in the
workspace, so every process and every sync of one workspace counts against the same budget. A
call that would pass ``youtube_daily_quota`` is not made: the sync stops, saying how many units
are left and when they come back. Units other tools spend on the same key are unseen; when
YouTube says ``quotaExceeded`` first, the day is recorded as used up.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from microscout.adapters.platforms.http import QuotaExhaustedError
from microscout.adapters.platforms.youtube import quota_day
from microscout.adapters.workspace import Workspace
from microscout.adapters.workspace.sync_rows import QuotaUse


@dataclass(frozen=True)
class QuotaState:
    day: str
    used: int
    limit: int
    resets_at: datetime

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    def describe(self, now: datetime | None = None) -> str:
        wait = self.resets_at - (now or datetime.now(UTC))
        hours, rest = divmod(max(int(wait.total_seconds()), 0), 3600)
        when = self.resets_at.strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"{self.used:,} of {self.limit:,} units used today, {self.left:,} left; the quota "
            f"resets at {when} (in {hours} h {rest // 60} min)"
        )


def quota_state(workspace: Workspace, limit: int, now: datetime | None = None) -> QuotaState:
    day, resets = quota_day(now or datetime.now(UTC))
    with workspace.session() as session:
        row = session.get(QuotaUse, ("youtube", day))
        return QuotaState(day, row.units if row else 0, limit, resets)


def spend(
    workspace: Workspace,
    limit: int,
    units: int,
    now: datetime | None = None,
    *,
    count: bool = True,
) -> None:
    """Count ``units`` against today's quota, or raise QuotaExhaustedError without counting.
    ``count=False`` only checks that they fit (before a channel's calls, so no channel is
    left half fetched with its units spent). The count is one conditional UPDATE, so two
    syncs at once cannot both spend the last units."""
    moment = now or datetime.now(UTC)
    day, resets = quota_day(moment)
    key = (QuotaUse.platform == "youtube") & (QuotaUse.day == day)
    fits = key & (QuotaUse.units + units <= limit)
    for first in (True, False):
        with workspace.session() as session:
            if count:
                done = session.execute(
                    update(QuotaUse).where(fits).values(units=QuotaUse.units + units)
                )
                ok = bool(getattr(done, "rowcount", 0))
            else:
                ok = session.scalar(select(QuotaUse.units).where(fits)) is not None
            used = None if ok else session.scalar(select(QuotaUse.units).where(key))
        if ok:
            return
        if used is None and first:  # the day's first call: make its row (another sync may)
            with contextlib.suppress(IntegrityError), workspace.session() as session:
                session.add(QuotaUse(platform="youtube", day=day, units=0))
            continue
        state = QuotaState(day, int(used or 0), limit, resets)
        raise QuotaExhaustedError(
            f"the next call needs {units} unit(s) and the YouTube quota would run out: "
            + state.describe(moment),
            resets,
        )


def used_up(workspace: Workspace, limit: int, now: datetime | None = None) -> None:
    """YouTube said the quota is gone: record the day as fully used."""
    day, _ = quota_day(now or datetime.now(UTC))
    with workspace.session() as session:
        row = session.get(QuotaUse, ("youtube", day))
        if row is None:
            session.add(QuotaUse(platform="youtube", day=day, units=limit))
        else:
            row.units = max(row.units, limit)


__all__ = ["QuotaState", "quota_state", "spend", "used_up"]
