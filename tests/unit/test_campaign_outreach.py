"""The first message to a creator: about what they make, honest about the fee, free to say no."""

from __future__ import annotations

from urllib.parse import unquote

from microscout.core.campaigns.brief import brief_from
from microscout.core.campaigns.outreach import draft, topics

BRIEF = brief_from(
    {
        "goal": "Show how our oat flour works in your own recipes.",
        "audience": "Home bakers",
        "deliverables": [{"format": "reel", "count": 1}],
    }
)


def _draft(**change: object) -> str:
    given: dict[str, object] = {
        "handle": "bake.with.lu",
        "platform": "tiktok",
        "display_name": "Lucía Gómez",
        "contact": "lu@example.com",
        "made_of": ["sourdough", "glutenfree"],
        "campaign": "Oat spring",
        "brand": "Oaty",
        "sender": "Ana Ruiz",
        "brief": BRIEF,
        "fee": 420.0,
        "fee_basis": "the fee we agreed",
        "currency": "EUR",
        **change,
    }
    return draft(**given).body  # type: ignore[arg-type]


def test_topics_are_the_creators_own_tags_not_everyones() -> None:
    posts = ["fyp|sourdough|ad", "sourdough|glutenfree|viral", "glutenfree|sourdough|reels", None]
    assert topics(posts) == ["sourdough", "glutenfree"]


def test_the_message_is_about_them_says_what_is_theirs_and_what_is_offered() -> None:
    body = _draft()
    assert body.startswith("Hi Lucía,")
    assert "your TikTok posts on #sourdough and #glutenfree" in body
    assert "voice, format, angle, script, music, setting are yours to decide" in body
    assert "What we'd ask for: 1 × reel." in body
    assert "We'd offer 420 EUR for it (the fee we agreed)" in body
    assert "just say so" in body
    for pitch in ("amazing", "exclusive", "limited time", "act now", "!!"):
        assert pitch not in body.lower()


def test_without_a_name_fee_or_brief_the_message_still_reads_right() -> None:
    body = _draft(display_name=None, fee=None, brief=None, made_of=[])
    assert body.startswith("Hi @bake.with.lu,")
    assert "We'd offer" not in body
    assert "your TikTok posts, and" in body


def test_the_mailto_link_carries_the_whole_message() -> None:
    made = draft(
        handle="x", platform="instagram", display_name=None, contact="x@example.com",
        made_of=[], campaign="C & D", brand=None, sender="S", brief=None, fee=None,
        fee_basis="", currency="USD",
    )  # fmt: skip
    assert made.mailto is not None
    assert made.mailto.startswith("mailto:x%40example.com?subject=")
    assert unquote(made.mailto.split("&body=")[1]) == made.body
    assert draft(
        handle="x", platform="instagram", display_name=None, contact=None, made_of=[],
        campaign="C", brand=None, sender="S", brief=None, fee=None, fee_basis="", currency="USD",
    ).mailto is None  # fmt: skip
