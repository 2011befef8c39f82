"""The creative-freedom brief: what the brand needs said, what it must not, what the law
requires, and — stated plainly — what is the creator's to decide.

Micro-influencers are trusted because they sound like themselves; a brief that scripts them
spends that trust. ``check`` reads a brief the way a creator would and warns, with its reason,
where it takes the creative away: scripted lines, "must say" wording, too many must-mentions,
a long list of don'ts, creative approval, nothing left to the creator. The disclosure each
platform requires is always part of the brief and cannot be left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

MUST_MENTIONS_MAX = 3
DONTS_MAX = 6
WORDS_MAX = 500
QUOTED_WORDS_MAX = 6  # a quoted line longer than this reads as a script
APPROVALS = ("none", "facts_and_disclosure", "creative")
CREATOR_DECIDES = ("voice", "format", "angle", "script", "music", "setting")
# What each platform asks of a paid post (their published branded-content rules).
DISCLOSURE = {
    "instagram": "turn on the 'Paid partnership' label and say #ad at the start of the caption",
    "tiktok": "turn on the 'Content disclosure' setting (Paid partnership) and say #ad",
    "youtube": "tick 'Includes paid promotion' in the video's details and say so in the video",
    "other": "say plainly, at the start, that this is a paid partnership (#ad)",
}
SCRIPT_WORDING = re.compile(
    r"\b(must say|say exactly|word for word|verbatim|read (out )?the following|repeat after|"
    r"use this (exact )?caption|use the following caption|script:|scripted|exact wording|"
    r"do not deviate|must use the phrase|must include the line)\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")


@dataclass(frozen=True)
class Deliverable:
    format: str  # reel, post, story, video, short …
    count: int
    due: str = ""  # a date or a window, as agreed

    def line(self) -> str:
        due = f", due {self.due}" if self.due else ""
        return f"{self.count} × {self.format}{due}"


@dataclass(frozen=True)
class Brief:
    goal: str
    audience: str
    must_mentions: tuple[str, ...] = ()
    donts: tuple[str, ...] = ()
    deliverables: tuple[Deliverable, ...] = ()
    usage_rights: str = (
        "the brand may share the post on its own accounts for 30 days, crediting you; "
        "paid ads with it need a new agreement"
    )
    fee_terms: str = "half on agreement, half within 14 days of the post going live"
    creator_decides: tuple[str, ...] = CREATOR_DECIDES
    approval: str = "none"
    background: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Concern:
    field: str
    message: str


@dataclass(frozen=True)
class Check:
    concerns: list[Concern] = field(default_factory=list)

    @property
    def free(self) -> bool:
        return not self.concerns


def brief_from(data: Mapping[str, Any]) -> Brief:
    """A brief from plain data (TOML, JSON, a form); ValueError naming the field at fault."""
    known = set(Brief.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}; the fields are {', '.join(sorted(known))}")
    for name in ("goal", "audience"):
        if not str(data.get(name) or "").strip():
            raise ValueError(f"{name!r} is required: say it in a sentence or two")
    approval = str(data.get("approval") or "none")
    if approval not in APPROVALS:
        raise ValueError(f"'approval' must be one of {', '.join(APPROVALS)}")
    return Brief(
        goal=str(data["goal"]).strip(),
        audience=str(data["audience"]).strip(),
        must_mentions=_texts(data, "must_mentions"),
        donts=_texts(data, "donts"),
        deliverables=tuple(_deliverable(d) for d in data.get("deliverables") or ()),
        usage_rights=str(data.get("usage_rights") or Brief.usage_rights).strip(),
        fee_terms=str(data.get("fee_terms") or Brief.fee_terms).strip(),
        creator_decides=_texts(data, "creator_decides")
        if "creator_decides" in data
        else CREATOR_DECIDES,
        approval=approval,
        background=str(data.get("background") or "").strip(),
    )


def _texts(data: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name) or ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{name!r} must be a list of short texts")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _deliverable(raw: Any) -> Deliverable:
    if not isinstance(raw, Mapping) or "format" not in raw:
        raise ValueError("each of 'deliverables' needs a 'format' (and a 'count', 'due')")
    count = int(raw.get("count", 1))
    if not 1 <= count <= 50:
        raise ValueError("a deliverable's 'count' is between 1 and 50")
    return Deliverable(str(raw["format"]).strip(), count, str(raw.get("due") or "").strip())


def _words(brief: Brief) -> int:
    texts = [brief.goal, brief.audience, brief.background, *brief.must_mentions, *brief.donts]
    return sum(len(t.split()) for t in texts)


def _scripted(brief: Brief) -> list[Concern]:
    """Script wording ("must say", "verbatim") and long quoted lines, wherever they are."""
    found = []
    for name, texts in (
        ("goal", [brief.goal]),
        ("must_mentions", list(brief.must_mentions)),
        ("background", [brief.background]),
        ("donts", list(brief.donts)),
    ):
        for text in texts:
            wording = SCRIPT_WORDING.search(text)
            if wording:
                found.append(
                    Concern(
                        name,
                        f"'{wording.group(0)}' scripts the creator: say what the post should "
                        "get across and let them say it their way",
                    )
                )
            found += [
                Concern(
                    name,
                    f'the quoted line "{quote[:60]}" ({len(quote.split())} words) is a '
                    "script: give the fact it carries instead",
                )
                for quote in QUOTED.findall(text)
                if len(quote.split()) > QUOTED_WORDS_MAX
            ]
    return found


def check(brief: Brief) -> Check:
    """Where the brief takes the creative away from the creator, each with why."""
    found: list[Concern] = []
    if len(brief.must_mentions) > MUST_MENTIONS_MAX:
        found.append(
            Concern(
                "must_mentions",
                f"{len(brief.must_mentions)} must-mentions: keep at most {MUST_MENTIONS_MAX}. "
                "A post that lists every selling point reads as an ad; put the rest in "
                "'background' for the creator to use if they like",
            )
        )
    found += _scripted(brief)
    if len(brief.donts) > DONTS_MAX:
        found.append(
            Concern(
                "donts",
                f"{len(brief.donts)} don'ts: keep the ones that protect the brand or the law "
                f"(at most {DONTS_MAX}); a long list tells the creator they are not trusted",
            )
        )
    if brief.approval == "creative":
        found.append(
            Concern(
                "approval",
                "creative approval lets the brand rewrite the post; check facts and the "
                "disclosure only ('facts_and_disclosure'), or nothing ('none')",
            )
        )
    if not brief.creator_decides:
        found.append(
            Concern(
                "creator_decides",
                "nothing is left to the creator: say that voice, format, angle and script are "
                "theirs",
            )
        )
    words = _words(brief)
    if words > WORDS_MAX:
        found.append(
            Concern(
                "brief",
                f"{words} words: a brief a creator reads in two minutes is under {WORDS_MAX}",
            )
        )
    return Check(found)


def markdown(brief: Brief, campaign: str, brand: str | None, platforms: Sequence[str]) -> str:
    """The brief as Markdown to send (the same text the brief page shows)."""
    who = brand or "the brand"
    lines = [f"# {campaign}: a brief from {who}", "", "## What we hope for", brief.goal, ""]
    lines += ["## Who it is for", brief.audience, ""]
    lines += ["## Yours to decide", "You know your audience; these are yours:"]
    lines += [f"- {item}" for item in brief.creator_decides] or ["- (nothing listed)"]
    lines += [""]
    if brief.must_mentions:
        lines += ["## Please get across", *[f"- {m}" for m in brief.must_mentions], ""]
    if brief.donts:
        lines += ["## Please don't", *[f"- {d}" for d in brief.donts], ""]
    lines += ["## Disclosure (required)"]
    for platform in sorted(set(platforms)) or ["other"]:
        lines.append(f"- {platform.title()}: {DISCLOSURE.get(platform, DISCLOSURE['other'])}")
    lines += [""]
    if brief.deliverables:
        lines += ["## Deliverables", *[f"- {d.line()}" for d in brief.deliverables], ""]
    review = {
        "none": "We do not review the post before it goes live.",
        "facts_and_disclosure": "Before it goes live we check facts (prices, claims) and the "
        "disclosure only, never the creative.",
        "creative": "The brand reviews the post before it goes live.",
    }[brief.approval]
    lines += ["## Review", review, ""]
    lines += ["## Usage rights", brief.usage_rights, "", "## Fee and payment", brief.fee_terms, ""]
    if brief.background:
        lines += ["## Background, if useful", brief.background, ""]
    return "\n".join(lines).rstrip() + "\n"


__all__ = [
    "APPROVALS",
    "CREATOR_DECIDES",
    "DISCLOSURE",
    "Brief",
    "Check",
    "Concern",
    "Deliverable",
    "brief_from",
    "check",
    "markdown",
]
