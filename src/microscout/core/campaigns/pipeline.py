"""The status pipeline a campaign's creator moves along.

shortlisted → contacted → negotiating → agreed → content live → paid, or declined at any point
before being paid. Moving back is allowed (people correct mistakes, talks reopen) and every move
is kept in the history; the rules below only refuse what would make the figures wrong.
"""

from __future__ import annotations

PIPELINE = ("shortlisted", "contacted", "negotiating", "agreed", "content_live", "paid")
DECLINED = "declined"
STATUSES = (*PIPELINE, DECLINED)
# From "agreed" on, the report counts the agreed fee as spend: it must be known.
NEEDS_FEE = frozenset({"agreed", "content_live", "paid"})


def normal_status(text: str) -> str | None:
    """The status a person typed ("Content live", "content-live"), or None when unknown."""
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    return key if key in STATUSES else None


def move_problem(current: str, wanted: str, agreed_fee: float | None) -> str | None:
    """Why a creator cannot move from ``current`` to ``wanted``, or None when they can."""
    if wanted == current:
        return f"already {wanted.replace('_', ' ')}"
    if current == "paid" and wanted == DECLINED:
        return (
            "a creator who has been paid cannot be declined: the payment stays in the report "
            "(move them back to 'content live' if 'paid' was a mistake)"
        )
    if wanted in NEEDS_FEE and agreed_fee is None:
        return (
            f"record the agreed fee first (`campaign agree … --fee N`): from "
            f"'{wanted.replace('_', ' ')}' on it counts as spend"
        )
    return None


__all__ = ["DECLINED", "NEEDS_FEE", "PIPELINE", "STATUSES", "move_problem", "normal_status"]
