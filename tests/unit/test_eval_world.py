"""bench/eval_world.py's world is the same for a seed, plants every problem in every language, keeps
its briefs free of its niches' words, and its figures agree with hand-worked cases."""

from __future__ import annotations

import csv
import json
import statistics
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _eval_generate import END, PROBLEMS, TABLES, Params, World, generate, write_world
from _eval_measure import (
    accuracy,
    fake_reason_attached,
    flagged_kinds,
    known_label,
    majority_accuracy,
    precision_at_k,
    precision_recall,
)
from _eval_niches import NICHES
from _eval_vocab import GENERIC_HASHTAGS, LANGUAGE_CODES, LANGUAGES, content_words, shared_words

from microscout.demo.niches import NICHES as DEMO_NICHES

SMALL = Params(creators=80, seed=11, audience_n=30)


@pytest.fixture(scope="module")
def world() -> World:
    return generate(SMALL)


def _by_creator(world: World) -> dict[str, dict[str, object]]:
    return {str(t["creator_id"]): t for t in world.truth}


def test_the_same_seed_draws_the_same_world(world: World) -> None:
    assert generate(SMALL) == world


def test_another_seed_draws_another_world(world: World) -> None:
    other = generate(Params(creators=SMALL.creators, seed=SMALL.seed + 1, audience_n=30))
    assert other.tables["posts"] != world.tables["posts"]


def test_every_problem_kind_is_planted_beside_clean_creators(world: World) -> None:
    planted = Counter(str(t["problem"]) for t in world.truth)
    assert set(planted) == {"", *PROBLEMS}


def test_every_language_is_written_by_creators_and_in_captions(world: World) -> None:
    assert {c["language"] for c in world.tables["creators"]} == set(LANGUAGE_CODES)
    captions = " ".join(str(p["caption"]) for p in world.tables["posts"])
    for lang in LANGUAGES:
        frame_words = [f.split("{")[0].strip(" :¿") for f in lang.frames if "{" in f]
        assert any(w and w in captions for w in frame_words), lang.code


def test_inactive_creators_posted_nothing_for_150_days(world: World) -> None:
    truth = _by_creator(world)
    last: dict[str, datetime] = {}
    for post in world.tables["posts"]:
        when = datetime.strptime(str(post["posted_at"]), "%Y-%m-%d %H:%M:%S")
        key = str(post["creator_id"])
        last[key] = max(last.get(key, when), when)
    for key, when in last.items():
        silent = END - when >= timedelta(days=150)
        assert silent == (truth[key]["problem"] == "inactive"), key


def test_low_reach_creators_reach_well_under_a_tenth_of_their_followers(world: World) -> None:
    followers = {str(c["creator_id"]): int(str(c["followers"])) for c in world.tables["creators"]}
    rates: dict[str, list[float]] = {}
    for post in world.tables["posts"]:
        key = str(post["creator_id"])
        seen = post["reach"] if post["reach"] is not None else post["views"]
        if seen is not None:
            rates.setdefault(key, []).append(int(str(seen)) / followers[key])
    for key, truth in _by_creator(world).items():
        median = statistics.median(rates[key]) if key in rates else None
        if truth["problem"] == "low_reach":
            assert median is not None
            assert median < 0.1
        elif median is not None:
            assert median >= 0.1, key


def test_bought_audiences_hold_many_more_fake_accounts_than_clean_ones(world: World) -> None:
    bought = [float(str(t["true_fake_share"])) for t in world.truth if t["problem"] == "bought"]
    clean = [float(str(t["true_fake_share"])) for t in world.truth if t["problem"] == ""]
    assert min(bought) > 3 * max(clean)


def test_pod_accounts_are_not_creators_and_comment_across_niches(world: World) -> None:
    handles = {c["handle"] for c in world.tables["creators"]}
    posts = {p["post_id"]: str(p["creator_id"]) for p in world.tables["posts"]}
    truth = _by_creator(world)
    niches_by_author: dict[str, set[object]] = {}
    for comment in world.tables["comments"]:
        creator = truth[posts[comment["post_id"]]]
        if creator["problem"] == "pod" and not comment["is_reply_by_creator"]:
            niches_by_author.setdefault(str(comment["author"]), set()).add(creator["niche_id"])
    busiest = max(niches_by_author.values(), key=len)
    assert len(busiest) >= 2
    assert not handles & set(niches_by_author)


def test_the_files_are_canonical_csv_with_the_truth_kept_apart(
    world: World, tmp_path: Path
) -> None:
    files, truth = write_world(world, tmp_path)
    assert list(files) == list(TABLES)
    assert truth.parent == tmp_path
    assert all(path.parent == tmp_path / "data" for path in files.values())
    with files["comments"].open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert "platform" not in header
    assert "creator_id" not in header


def test_no_niche_is_a_demo_niche() -> None:
    assert not {n.iab_id for n in NICHES} & {n.iab_id for n in DEMO_NICHES}


def test_each_niche_has_two_briefs_in_words_its_posts_never_use() -> None:
    common = [t for lang in LANGUAGES for t in (*lang.frames, *lang.life)] + list(GENERIC_HASHTAGS)
    for niche in NICHES:
        vocabulary = content_words(niche.texts() + common)
        assert len(niche.briefs) == 2
        for brief in niche.briefs:
            assert not shared_words(brief, vocabulary), (niche.key, brief)


def test_shared_words_catch_stems_and_long_prefixes_but_not_short_ones() -> None:
    vocabulary = content_words(["gardening: growing tomatoes in the back"])
    assert shared_words("tomato garden", vocabulary) == {"tomato", "garden"}
    assert not shared_words("backyard", vocabulary)


def test_precision_and_recall_of_a_hand_worked_case() -> None:
    found = precision_recall(planted={"a", "b", "c"}, flagged={"b", "c", "d", "e"})
    assert found["precision"] == 0.5
    assert found["recall"] == pytest.approx(2 / 3)
    assert (found["planted"], found["flagged"], found["found"]) == (3, 4, 2)


def test_precision_is_undefined_when_nothing_is_flagged() -> None:
    found = precision_recall(planted={"a"}, flagged=set())
    assert found["precision"] is None
    assert found["recall"] == 0.0


def test_precision_at_10_counts_missing_results_as_misses() -> None:
    relevant = {"r1", "r2", "r3"}.__contains__
    assert precision_at_k(["r1", "x", "r2"], relevant) == pytest.approx(0.2)
    assert precision_at_k(["r1", "x", "r2"], relevant, k=2) == 0.5
    assert precision_at_k([], relevant) == 0.0


def test_reason_codes_map_to_the_planted_kinds() -> None:
    stored = json.dumps(
        [
            {"code": "fake_followers", "points": -3, "flag": False},
            {"code": "below_reach_gate", "points": -5, "flag": True},
            {"code": "generic_comments", "points": -10},
        ]
    )
    assert flagged_kinds(stored) == {"low_reach", "pod"}
    assert flagged_kinds(json.dumps([{"code": "fake_followers", "points": -40, "flag": True}])) == {
        "bought"
    }
    assert flagged_kinds(None) == set()


def test_a_fake_followers_reason_counts_as_attached_when_it_takes_points() -> None:
    assert fake_reason_attached(
        json.dumps([{"code": "fake_followers", "points": -2, "flag": False}])
    )
    assert not fake_reason_attached(
        json.dumps([{"code": "fake_followers", "points": 0, "flag": False}])
    )
    assert not fake_reason_attached("[]")


def test_niche_accuracy_counts_unsure_as_wrong_beside_the_majority_class() -> None:
    known = {"275", "217"}.__contains__
    labels = [known_label(x, known) for x in ("275", "unsure", None, "999")]
    assert labels == ["275", None, None, None]
    pairs = [("275", "275"), ("275", None), ("217", "275"), ("217", "217")]
    assert accuracy(pairs) == 0.5
    assert majority_accuracy(["275", "275", "217"]) == pytest.approx(2 / 3)
