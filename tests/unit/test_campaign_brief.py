"""The brief check on briefs written for this test: a scripted, over-prescriptive one is
flagged with reasons, a free one passes, and the disclosure is always there."""

from __future__ import annotations

from typing import Any

import pytest

from microscout.core.campaigns.brief import brief_from, check, markdown

FREE: dict[str, Any] = {
    "goal": "Let people who bake at home find out that our oat flour works in their own recipes.",
    "audience": "Home bakers in their twenties and thirties who cook for friends.",
    "must_mentions": ["the flour is gluten-free", "the code gives 15% off until May"],
    "donts": ["no health claims", "no comparisons with named brands"],
    "deliverables": [{"format": "reel", "count": 1, "due": "by 20 April"}],
    "approval": "facts_and_disclosure",
}

SCRIPTED: dict[str, Any] = {
    "goal": "You must say exactly what is below, word for word, in the first five seconds.",
    "audience": "Everyone.",
    "must_mentions": [
        '"Oatly Bake is the best flour I have ever used in my whole life"',
        "price",
        "gluten-free",
        "organic",
        "the website",
    ],
    "donts": [
        "no swearing",
        "no other brands",
        "no pets",
        "no music",
        "no outdoors",
        "no kitchen mess",
        "no friends on camera",
    ],
    "approval": "creative",
    "creator_decides": [],
}


def test_a_free_brief_passes_the_check() -> None:
    assert check(brief_from(FREE)).concerns == []


def test_a_scripted_brief_is_flagged_with_a_reason_for_each_problem() -> None:
    found = check(brief_from(SCRIPTED))
    assert not found.free
    flagged = {c.field for c in found.concerns}
    assert {"goal", "must_mentions", "donts", "approval", "creator_decides"} <= flagged
    messages = " ".join(c.message for c in found.concerns)
    assert "5 must-mentions" in messages
    assert "'must say'" in messages or "'say exactly'" in messages
    assert "is a script" in messages  # the long quoted line
    assert "7 don'ts" in messages


@pytest.mark.parametrize(
    "wording", ["Please use this caption: x", "Read the following out", "verbatim"]
)
def test_each_kind_of_script_wording_is_caught(wording: str) -> None:
    concerns = check(brief_from({**FREE, "background": wording})).concerns
    assert [c.field for c in concerns] == ["background"]


def test_the_brief_to_send_says_what_is_the_creators_and_the_disclosure_per_platform() -> None:
    text = markdown(brief_from(FREE), "Oat spring", "Oaty", ["instagram", "tiktok", "instagram"])
    assert text.startswith("# Oat spring: a brief from Oaty")
    assert "## Yours to decide" in text
    assert "- voice" in text
    assert "Instagram: turn on the 'Paid partnership' label" in text
    assert "Tiktok: turn on the 'Content disclosure' setting" in text
    assert "never the creative" in text  # facts-and-disclosure review
    assert "- 1 × reel, due by 20 April" in text


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"goal": " "}, "'goal' is required"),
        ({"approval": "ceo"}, "'approval' must be one of"),
        ({"tone": "fun"}, "unknown field 'tone'"),
        ({"must_mentions": "just one string"}, "must be a list"),
        ({"deliverables": [{"count": 2}]}, "needs a 'format'"),
        ({"deliverables": [{"format": "reel", "count": 500}]}, "between 1 and 50"),
    ],
)
def test_a_malformed_brief_names_the_field(change: dict[str, Any], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        brief_from({**FREE, **change})


def test_the_brief_page_is_the_sent_text_as_escaped_html() -> None:
    from microscout.web.templating import simple_markdown

    html = str(simple_markdown("# T <b>\n\n## Part\n- one & two\n- <script>\nplain"))
    assert html == (
        "<h2>T &lt;b&gt;</h2>\n<h3>Part</h3>\n"
        "<ul><li>one &amp; two</li><li>&lt;script&gt;</li></ul>\n<p>plain</p>"
    )
