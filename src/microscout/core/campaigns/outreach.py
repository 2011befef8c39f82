"""A first message to a creator that reads like a person writing to a person, not a pitch.

It names what the creator actually makes (the hashtags they use most in their latest posts,
leaving out the ones everyone uses), says what the campaign hopes for in one sentence from the
brief, says plainly what is theirs to decide and what is asked, states the fee offered and
where it comes from, and leaves a clear way to say no. No superlatives, no urgency, no script.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

from microscout.core.campaigns.brief import Brief

# Tags that say nothing about what a creator makes.
GENERIC_TAGS = frozenset(
    (
        "ad",
        "fyp",
        "foryou",
        "foryoupage",
        "viral",
        "reels",
        "reel",
        "love",
        "instagood",
        "explore",
        "trending",
        "lifestyle",
        "photooftheday",
        "tiktok",
        "youtube",
        "shorts",
        "instagram",
        "sponsored",
        "partner",
        "gifted",
    )
)


PLATFORM_NAMES = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube"}


@dataclass(frozen=True)
class Draft:
    handle: str
    platform: str
    to: str | None  # the creator's public contact address, when known
    subject: str
    body: str
    fee_offered: float | None
    fee_basis: str

    @property
    def mailto(self) -> str | None:
        """A ``mailto:`` link opening this draft in the user's mail program."""
        if not self.to:
            return None
        return f"mailto:{quote(self.to)}?subject={quote(self.subject)}&body={quote(self.body)}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "mailto": self.mailto}


def topics(hashtag_lists: Iterable[str | None], most: int = 2) -> list[str]:
    """The creator's most used specific hashtags ('|'-joined lists, one per post)."""
    counts: Counter[str] = Counter()
    for tags in hashtag_lists:
        seen = {t.strip().lower().lstrip("#") for t in str(tags or "").split("|") if t.strip()}
        counts.update(t for t in seen if t not in GENERIC_TAGS)
    return [tag for tag, _ in counts.most_common(most)]


def _greeting(display_name: str | None, handle: str) -> str:
    first = (display_name or "").split()[0] if (display_name or "").strip() else ""
    return f"Hi {first}," if first and first.isalpha() else f"Hi @{handle},"


def draft(
    *,
    handle: str,
    platform: str,
    display_name: str | None,
    contact: str | None,
    made_of: Sequence[str],
    campaign: str,
    brand: str | None,
    sender: str,
    brief: Brief | None,
    fee: float | None,
    fee_basis: str,
    currency: str,
) -> Draft:
    """The first message to one creator (module docstring)."""
    who = brand or "our brand"
    where = PLATFORM_NAMES.get(platform, platform.title())
    lines = [_greeting(display_name, handle), ""]
    if made_of:
        tags = " and ".join(f"#{t}" for t in made_of)
        lines.append(
            f"I'm {sender} from {who}. I've been following your {where} posts on "
            f"{tags}, and the way you talk to the people who follow you is why I'm writing."
        )
    else:
        lines.append(
            f"I'm {sender} from {who}. I've been following your {where} posts, and "
            "the way you talk to the people who follow you is why I'm writing."
        )
    lines.append("")
    if brief is not None:
        lines.append(f'We\'re working on "{campaign}": {brief.goal.rstrip(".")}.')
        if brief.creator_decides:
            theirs = ", ".join(brief.creator_decides)
            lines.append(f"It would be your post, your way: {theirs} are yours to decide.")
        if brief.deliverables:
            asked = "; ".join(d.line() for d in brief.deliverables)
            lines.append(f"What we'd ask for: {asked}.")
    else:
        lines.append(
            f'We\'re working on "{campaign}" and would love to make something with you, your way.'
        )
    lines.append("")
    if fee is not None:
        lines.append(
            f"We'd offer {fee:,.0f} {currency} for it ({fee_basis}). If your rate is different, "
            "tell us: it's a starting point, not a take-it-or-leave-it."
        )
        lines.append("")
    lines.append(
        "If it isn't a fit, or the timing is wrong, just say so; no follow-up chasing from us."
    )
    lines += ["", "Thanks for reading,", sender]
    subject = f"{who} × @{handle}: {campaign}"
    return Draft(handle, platform, contact, subject, "\n".join(lines) + "\n", fee, fee_basis)


__all__ = ["GENERIC_TAGS", "Draft", "draft", "topics"]
