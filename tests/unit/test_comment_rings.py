"""Comment rings: accounts that paste stock comments under many creators, and who drew them."""

from __future__ import annotations

import pytest

from microscout.core.authenticity.comments import (
    PodEvidence,
    RingParams,
    is_stock,
    normalise,
    ring_accounts,
    ring_evidence,
)
from microscout.core.authenticity.signals import (
    AuthenticityParams,
    CreatorEvidence,
    Reason,
    engagement_pod,
)


@pytest.mark.parametrize(
    "text", ["love this 🔥", "🔥🔥🔥", "increíble!!", "trop bien 🔥", "Great post!", "obsessed 😍"]
)
def test_short_praise_in_any_language_is_stock(text: str) -> None:
    assert is_stock(text)


@pytest.mark.parametrize(
    "text",
    [
        "Which glaze did you use on the second bowl?",
        "¿Cuántos kilómetros corriste antes de la maratón?",
        "この器の釉薬はどこで買えますか教えてください",  # one "word", but a real question
    ],
)
def test_a_comment_about_the_post_is_not_stock(text: str) -> None:
    assert not is_stock(text)


def test_letters_of_every_script_survive_normalising() -> None:
    assert normalise("¡Increíble! 🔥") == "increíble"
    assert normalise("素晴らしい!!") == "素晴らしい"


def _rows(
    author: str, creators: range, texts: list[str | None]
) -> list[tuple[str, str, str | None]]:
    return [(f"c{c}", author, texts[i % len(texts)]) for i, c in enumerate(creators)]


def test_breadth_and_stock_make_a_ring_account_and_either_alone_does_not() -> None:
    rows = [
        *_rows("ringer", range(6), ["amazing!!", "🔥🔥"]),  # 6 creators, all stock
        *_rows("fan", range(6), ["How long did the dough rest?"]),  # broad, but specific
        *_rows("narrow", range(4), ["wow"] * 2),  # stock, but on 4 creators
        *_rows("quiet", range(6), [None]),  # broad, no text: never stock
        *_rows("mixed", range(8), ["wow", "wow", "wow", "What lens is this?"]),  # 75% stock
    ]
    creators, authors, texts = zip(*rows, strict=True)
    found = ring_accounts(creators, authors, texts, RingParams())
    assert set(found) == {"ringer"}
    ringer = found["ringer"]
    assert (ringer.comments, ringer.creators, ringer.stock, ringer.stock_share) == (6, 6, 6, 1.0)
    looser = ring_accounts(creators, authors, texts, RingParams(min_stock_share=0.7))
    assert set(looser) == {"ringer", "mixed"}


def test_each_creator_gets_its_ring_accounts_and_their_share_of_its_comments() -> None:
    rows = [*_rows("a", range(5), ["wow"]), *_rows("b", range(5), ["🔥"]), ("c0", "a", "wow")]
    rows += [("c0", f"fan{i}", "What lens?") for i in range(7)]
    creators, authors, texts = zip(*rows, strict=True)
    rings = ring_accounts(creators, authors, texts, RingParams())
    totals = {"c0": 10, "c1": 4}
    found = ring_evidence(creators, authors, rings, totals)
    c0 = found["c0"]
    assert [a.handle for a in c0.accounts] == ["a", "b"]  # most comments here first
    assert c0.comments_here == (2, 1)
    assert c0.share == pytest.approx(3 / 10)
    assert found["c1"].share == pytest.approx(2 / 4)
    assert "c5" not in found


def _evidence(ring_share_rows: int, accounts: int, comments_n: int = 40) -> CreatorEvidence:
    handles = [f"r{i}" for i in range(accounts)]
    rows = [(f"c{c}", h, "wow") for h in handles for c in range(5)]
    rows += [("me", handles[i % accounts], "wow") for i in range(ring_share_rows)]
    creators, authors, texts = zip(*rows, strict=True)
    rings = ring_accounts(creators, authors, texts, RingParams())
    ring = ring_evidence(creators, authors, rings, {"me": comments_n})["me"]
    pod = PodEvidence((), 0, comments_n, 0, -1)
    return CreatorEvidence("me", "instagram", pod=pod, ring=ring)


def test_the_pod_signal_fires_on_a_ring_and_names_its_accounts() -> None:
    found = engagement_pod(_evidence(ring_share_rows=12, accounts=4), AuthenticityParams())
    assert isinstance(found, Reason)
    assert found.points < 0
    assert found.flag
    assert "12 of 40 sampled comments (30%) come from 4 accounts" in found.message
    assert [a["handle"] for a in found.evidence["ring_accounts"]] == ["r0", "r1", "r2", "r3"]
    assert found.evidence["ring_share"] == pytest.approx(0.3)


@pytest.mark.parametrize(("rows", "accounts"), [(4, 4), (8, 4), (12, 2)])
def test_a_small_share_or_too_few_accounts_is_no_pod(rows: int, accounts: int) -> None:
    # 4 and 8 of 40 are 10% and 20% (< the 30% a ring needs; keen fans reach 15-24%);
    # 2 accounts are fewer than the 3 a pod needs
    assert engagement_pod(_evidence(rows, accounts), AuthenticityParams()) is None
