"""Comment evidence: generic and duplicated comments, and pods from reciprocal commenters."""

from __future__ import annotations

import pytest

from microscout.core.authenticity.comments import comment_evidence, normalise, pod_evidence


def test_normalising_keeps_lower_case_letters_only() -> None:
    assert normalise("Love this! 😍") == "lovethis"
    assert normalise("🔥🔥🔥") == ""


def test_stock_praise_emoji_only_and_short_copies_are_generic_but_questions_are_not() -> None:
    texts = [
        "Love this! 😍",  # stock phrase
        "🔥🔥",  # emoji only
        "Obrigada linda",  # short, written 3 times: a copy
        "Obrigada linda",
        "obrigada LINDA!",
        "What paint colour is this?",  # a longer question asked three times is not spam
        "What paint colour is this?",
        "What paint colour is this?",
        "Where did you buy that lamp?",
        None,  # no text: not counted
    ]
    ev = comment_evidence(texts)
    assert ev.comments_n == 9
    assert ev.emoji_only_n == 1
    assert ev.duplicate_n == 3
    assert ev.generic_n == 5
    assert ev.top_duplicate == "Obrigada linda"
    assert ev.top_duplicate_n == 3


def test_creators_who_comment_on_each_other_form_a_pod_and_a_one_way_fan_does_not() -> None:
    ring = ["ana", "bea", "cai", "dan"]
    owners, authors = [], []
    for owner in ring:
        for author in ring:
            if author != owner:
                owners += [owner, owner]
                authors += [author, author]
        owners += [owner] * 4
        authors += ["fan1", "fan2", "fan3", "fan4"]
    # eve comments on ana's posts but nobody in the ring comments on eve's
    owners += ["ana", "eve"]
    authors += ["eve", "fan1"]
    found = pod_evidence(owners, authors, [*ring, "eve"])
    ana = found["ana"]
    assert set(ana.partners) == {"bea", "cai", "dan"}
    assert ana.partner_comments == 6
    assert ana.comments_n == 11
    assert ana.share == pytest.approx(6 / 11)
    assert ana.pod_size == 4
    assert found["eve"].partners == ()
    assert found["eve"].pod_id == -1
    assert found["bea"].pod_id == ana.pod_id


def test_given_totals_are_used_as_the_denominator() -> None:
    found = pod_evidence(["a", "b"], ["b", "a"], ["a", "b"], {"a": 10, "b": 4})
    assert found["a"].share == pytest.approx(0.1)
    assert found["b"].share == pytest.approx(0.25)
