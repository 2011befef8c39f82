"""The campaign rules that need no store: codes, UTM links, bots, which posts count."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlsplit

import pytest

from microscout.core.campaigns import CODE_ALPHABET, is_bot, link_code, promo_code, utm_link
from microscout.core.campaigns.posts import Markers, add_up, why_counted
from microscout.core.campaigns.tracking import slug

LOOKALIKES = set("0O1IL5S8B")


def test_codes_avoid_lookalike_characters_and_rarely_repeat() -> None:
    draw = random.Random(7)  # noqa: S311 (a seeded draw for a repeatable test)
    promos = [promo_code("Léa_Sol0", draw) for _ in range(2000)]
    links = [link_code(draw) for _ in range(2000)]
    assert not LOOKALIKES & set("".join(promos).upper() + "".join(links).upper())
    assert all(set(p) <= set(CODE_ALPHABET) for p in promos)
    assert all(p.startswith("EA") for p in promos)  # é read as E; L, O, S and 0 dropped
    assert len(set(links)) == len(links)
    assert len(set(promos)) > 1900  # 27^4 suffixes


def test_utm_links_name_platform_medium_campaign_and_creator() -> None:
    url = utm_link(
        "https://shop.example/p?ref=bio&utm_source=old", "tiktok", "Spring Glow 2026!", "ana.pup"
    )
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "ref": ["bio"],
        "utm_source": ["tiktok"],
        "utm_medium": ["influencer"],
        "utm_campaign": ["spring-glow-2026"],
        "utm_content": ["ana.pup"],
    }
    assert slug("Été à Paris") == "ete-a-paris"


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605.1.15 Mobile/15E148", False),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("facebookexternalhit/1.1", True),
        ("WhatsApp/2.23.20.0", True),
        ("curl/8.4.0", True),
        ("python-requests/2.31", True),
        ("", True),
    ],
)
def test_bots_and_scripts_are_told_from_people(agent: str, bot: bool) -> None:
    assert is_bot(agent) is bot


def test_a_post_counts_for_its_hashtag_brand_or_code_and_says_which() -> None:
    marks = Markers("springglow", "glowco", "ANAK7QX", "k7qxmnpa")
    assert why_counted({"hashtags": "skincare|SpringGlow"}, marks) == "hashtag #springglow"
    assert why_counted({"caption": "with @GlowCo today"}, marks) == "mentions @glowco"
    assert why_counted({"sponsors": "glowco"}, marks) == "mentions @glowco"
    assert why_counted({"caption": "code anak7qx for 10%"}, marks) == "promo code ANAK7QX"
    assert why_counted({"caption": "link: x.example/r/k7qxmnpa"}, marks) == "tracking link"
    # a paid partnership counts unless it names another brand
    assert why_counted({"is_sponsored": True, "sponsors": "otherbrand"}, marks) is None
    assert why_counted({"is_sponsored": True, "sponsors": ""}, marks) == (
        "marked as a paid partnership (no sponsor named)"
    )


def test_reach_adds_reach_then_views_and_says_on_what_basis() -> None:
    posts: list[dict[str, int | None]] = [
        {"reach": 1000, "views": 5000, "likes": 10, "comments": 2},
        {"reach": None, "views": 700, "likes": 5, "shares": 1},
        {"reach": None, "views": None, "likes": None},
    ]
    totals = add_up(posts)
    assert (totals.posts, totals.reach, totals.views, totals.engagements) == (3, 1700, 5700, 18)
    assert totals.reach_basis == (
        "reach of 1 post(s); views of 1 post(s) without reach; 1 post(s) with neither left out"
    )
    assert add_up([]).reach is None


def test_emv_is_only_computed_from_values_the_user_set() -> None:
    from microscout.core.campaigns.figures import emv_of

    posts: list[dict[str, int | None]] = [
        {"views": 1000, "likes": 50, "comments": 4},
        {"views": 200, "likes": None},
    ]
    assert emv_of(posts, clicks=10, values={}) is None
    values = {"views": 0.01, "likes": 0.1, "comments": 1.0, "clicks": 0.5}
    assert emv_of(posts, clicks=10, values=values) == 12 + 5 + 4 + 5  # 1,200 views x 0.01 …
