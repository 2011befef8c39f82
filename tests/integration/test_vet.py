"""Vetting against a real DuckDB warehouse: the scoring stage, ``vet`` and the CLI commands."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.schema import (
    AUDIENCE_SAMPLES,
    COMMENTS,
    CREATOR_SCORES,
    CREATORS,
    FOLLOWER_SNAPSHOTS,
    POSTS,
)
from microscout.services.scoring.run import metric_params, score
from microscout.services.vetting.stage import authenticity_stage
from microscout.services.vetting.vet import (
    JUDGEMENT,
    authenticity_params,
    judgement_fingerprint,
    stored_report,
    vet,
)
from microscout.web import create_app
from tests.local_web import LOCAL
from tests.scoring_data import arrow_rows

END = datetime(2026, 6, 30)
POD = ("pod_a", "pod_b", "pod_c", "pod_d")
CLEAN = tuple(f"clean{i}" for i in range(6))
# Five creators whose comments are padded by four accounts that are not creators, pasting stock
# praise under all five: a comment ring.
RINGED = tuple(f"ringed{i}" for i in range(5))
RING = ("glow.daily.fan", "top_vibes_22", "mega.likes.hub", "wow.club.7")
STOCK = ("amazing!!", "love this 🔥", "🔥🔥🔥")


def _creator(handle: str, followers: int = 20_000) -> dict[str, Any]:
    return {
        "platform": "instagram",
        "creator_id": handle,
        "handle": handle,
        "followers": followers,
        "following": 500,
    }


def _posts(handle: str, likes: int, comments: int, days_ago: float = 0) -> list[dict[str, Any]]:
    return [
        {
            "platform": "instagram",
            "post_id": f"{handle}-p{i}",
            "creator_id": handle,
            "posted_at": END - timedelta(days=days_ago + 3 * i),
            "likes": likes,
            "comments": comments,
            "reach": 5_000,
        }
        for i in range(12)
    ]


def _comments(handle: str, authors: list[str], text: str = "Where is that from?") -> list[Any]:
    return [
        {
            "platform": "instagram",
            "comment_id": f"{handle}-c{i}",
            "post_id": f"{handle}-p{i % 12}",
            "creator_id": handle,
            "author": author,
            "text": text,
            "is_reply_by_creator": False,
        }
        for i, author in enumerate(authors)
    ]


def _letters(i: int) -> str:
    return chr(97 + i % 26) + chr(97 + i // 26)


def _audience(handle: str, fakes: int, total: int = 40) -> list[dict[str, Any]]:
    rows = []
    for i in range(total):
        fake = i < fakes
        rows.append(
            {
                "platform": "instagram",
                "creator_id": handle,
                "follower_id": f"{handle}-f{i}",
                "follower_handle": f"user{i}8841{i}"
                if fake
                else f"fan.{chr(97 + i % 26)}{chr(97 + i // 26)}",
                "followers": 3 if fake else 300,
                "following": 4_000 if fake else 400,
                "posts": 0 if fake else 60,
                "has_picture": not fake,
                "is_private": False,
                "bio_length": 0 if fake else 50,
            }
        )
    return rows


def _snapshots(handle: str, jump_on: int | None = None) -> list[dict[str, Any]]:
    rows, level = [], 15_000
    for week in range(12):
        level += 40 + (6_000 if week == jump_on else 0)
        rows.append(
            {
                "platform": "instagram",
                "creator_id": handle,
                "snapshot_date": date(2026, 3, 1) + timedelta(days=7 * week),
                "followers": level,
                "following": 500,
            }
        )
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Six clean creators, a four-creator pod, five padded by a comment ring, one with bought
    followers and fakes, one bare.

    Built and scored once for the module (scoring is the slow part); each test opens the file.
    """
    settings = Settings(
        home=tmp_path_factory.mktemp("vet") / "home",
        duckdb_memory_limit="1GB",
        duckdb_threads=2,
        auth_min_norm_creators=5,
    )
    creators, posts, comments, snaps, audience = [], [], [], [], []
    for h in CLEAN:
        creators.append(_creator(h))
        posts += _posts(h, likes=400, comments=14)
        comments += _comments(h, [f"fan{i}" for i in range(24)])
        snaps += _snapshots(h)
        audience += _audience(h, fakes=1)
    for h in POD:
        creators.append(_creator(h))
        posts += _posts(h, likes=400, comments=80)
        others = [o for o in POD if o != h]
        comments += _comments(h, [*(others * 4), *(f"fan{i}" for i in range(12))], "Great post!")
        snaps += _snapshots(h)
        audience += _audience(h, fakes=2)
    for h in RINGED:
        creators.append(_creator(h))
        posts += _posts(h, likes=400, comments=14)
        fans = _comments(h, [f"fan{i}" for i in range(24)])
        ring = [
            {**row, "comment_id": f"{row['comment_id']}-ring", "text": STOCK[i % len(STOCK)]}
            for i, row in enumerate(_comments(h, list(RING) * 3))
        ]
        comments += fans + ring
        snaps += _snapshots(h)
        audience += _audience(h, fakes=1)
    creators.append(_creator("bought"))
    posts += _posts("bought", likes=60, comments=2, days_ago=150)
    comments += _comments("bought", [f"fan{i}" for i in range(24)])
    snaps += _snapshots("bought", jump_on=7)
    audience += _audience("bought", fakes=24)
    creators.append(_creator("bare"))
    posts += _posts("bare", likes=400, comments=14)
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as warehouse:
        with warehouse.transaction():
            warehouse.append(CREATORS, arrow_rows(CREATORS, creators))
            warehouse.append(POSTS, arrow_rows(POSTS, posts))
            warehouse.append(COMMENTS, arrow_rows(COMMENTS, comments))
            warehouse.append(FOLLOWER_SNAPSHOTS, arrow_rows(FOLLOWER_SNAPSHOTS, snaps))
            warehouse.append(AUDIENCE_SAMPLES, arrow_rows(AUDIENCE_SAMPLES, audience))
        judged = {JUDGEMENT: judgement_fingerprint(authenticity_params(settings), "rules")}
        stages = (authenticity_stage(settings, None),)
        score(warehouse, metric_params(settings), stages, recorded=judged)
    return settings


@pytest.fixture
def vetted(built: Settings) -> Iterator[tuple[Warehouse, Settings]]:
    with Warehouse(built.warehouse_file, memory_limit="1GB", threads=2) as warehouse:
        yield warehouse, built


def _stored(warehouse: Warehouse, handle: str) -> dict[str, Any]:
    rows = warehouse.fetch_arrow(
        "SELECT * FROM creator_scores WHERE creator_id = ?", (handle,)
    ).to_pylist()
    return dict(rows[0])


def _codes(row: dict[str, Any]) -> set[str]:
    return {r["code"] for r in json.loads(row["audience_quality_reasons"]) if r["flag"]}


def test_the_stage_fills_every_authenticity_column_of_creator_scores(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, _ = vetted
    row = _stored(warehouse, "clean0")
    assert row["audience_quality"] == 100
    assert row["authenticity_verdict"] == "ok"
    assert row["audience_sample_n"] == 40
    # a clean sample's adjusted share may sit at 0, the interval's floor
    assert row["fake_follower_ci_low"] <= row["fake_follower_share"] < row["fake_follower_ci_high"]
    assert row["authenticity_unavailable"] is None
    assert _codes(row) == set()
    filled = {
        c.name for c in CREATOR_SCORES.columns if c.name.startswith(("audience", "fake", "auth"))
    }
    assert all(row[name] is not None for name in filled - {"authenticity_unavailable"})


def test_accounts_pasting_stock_praise_under_many_creators_are_named_as_a_pod(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, _ = vetted
    row = _stored(warehouse, "ringed2")
    reasons = json.loads(row["audience_quality_reasons"])
    pod = next(r for r in reasons if r["code"] == "engagement_pod")
    accounts = pod["evidence"]["ring_accounts"]
    # the four ring accounts, each with 3 comments here, on all five ringed creators; never
    # the fans, who comment on every creator too but ask about the post
    assert {a["handle"] for a in accounts} == {h.lower() for h in RING}
    assert all(a["comments_here"] == 3 and a["creators"] == len(RINGED) for a in accounts)
    assert pod["evidence"]["ring_share"] == pytest.approx(12 / 36, abs=1e-4)
    assert "12 of 36 sampled comments (33%)" in pod["message"]
    assert "partners" not in pod["evidence"]  # nobody comments back: no reciprocal pod
    assert "engagement_pod" not in _codes(_stored(warehouse, "clean0"))


def test_the_profile_page_names_the_ring_accounts_in_words(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, settings = vetted
    warehouse.close()
    with TestClient(create_app(settings), raise_server_exceptions=False, base_url=LOCAL) as client:
        page = client.get("/creators/instagram/ringed2")
    assert page.status_code == 200
    assert "@glow.daily.fan (3 here, 15 comments on 5 creators)" in page.text
    assert "{&#39;handle&#39;" not in page.text  # no Python dict shown to a reader


def test_bought_followers_fakes_and_silence_are_found_with_their_evidence(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, _ = vetted
    row = _stored(warehouse, "bought")
    assert {"follower_spike", "fake_followers", "inactive"} <= _codes(row)
    assert row["fake_follower_share"] > 0.5
    assert row["authenticity_verdict"] == "high risk"
    spike = next(
        r for r in json.loads(row["audience_quality_reasons"]) if r["code"] == "follower_spike"
    )
    assert spike["evidence"]["date"] == "2026-04-19"
    assert "+6," in spike["message"]


def test_a_pod_is_found_from_creators_commenting_on_each_other(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, _ = vetted
    row = _stored(warehouse, "pod_a")
    assert "engagement_pod" in _codes(row)
    assert "comment_like_ratio" in _codes(row)
    assert "engagement_pod" not in _codes(_stored(warehouse, "clean1"))


def test_a_creator_without_audience_sample_snapshots_or_comments_says_what_was_unavailable(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, settings = vetted
    row = _stored(warehouse, "bare")
    assert row["audience_sample_n"] == 0
    assert row["fake_follower_share"] is None
    unavailable = row["authenticity_unavailable"]
    for signal in (
        "fake_followers: no audience sample",
        "follower_spike: no follower snapshots",
        "engagement_pod: no comment sample",
        "generic_comments",
    ):
        assert signal in unavailable
    verdict = vet(warehouse, settings, "@BARE", model=None).model_dump(mode="json")
    assert "fake_followers: no audience sample" in verdict["unavailable"]
    assert verdict["fake_followers"] is None


def test_vet_agrees_with_the_stored_stage_result(vetted: tuple[Warehouse, Settings]) -> None:
    warehouse, settings = vetted
    verdict = vet(warehouse, settings, "bought", model=None)
    row = _stored(warehouse, "bought")
    assert verdict.audience_quality == row["audience_quality"]
    assert verdict.verdict == row["authenticity_verdict"]
    assert json.loads(row["audience_quality_reasons"]) == verdict.model_dump(mode="json")["reasons"]


def test_a_current_run_answers_vet_with_the_judgement_it_stored_and_no_other(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, settings = vetted
    fingerprint = judgement_fingerprint(authenticity_params(settings), "rules")
    for handle in (*CLEAN, *POD, *RINGED, "bought", "bare"):
        key = ("instagram", handle)
        stored = stored_report(warehouse, key, fingerprint)
        assert stored is not None, handle
        live = vet(warehouse, settings, handle, model=None)
        assert stored.model_dump(mode="json") == live.model_dump(mode="json"), handle
        answered = vet(warehouse, settings, handle, model=None, model_identity="rules")
        assert answered == live
    # Other thresholds or another follower model: the stored judgement is not theirs.
    stricter = settings.model_copy(update={"auth_verdict_ok": 99.0})
    other = judgement_fingerprint(authenticity_params(stricter), "rules")
    assert stored_report(warehouse, ("instagram", "clean0"), other) is None
    assert stored_report(warehouse, ("instagram", "clean0"), fingerprint[::-1]) is None
    ok_below = [
        h
        for h in (*CLEAN, *POD, *RINGED)
        if (r := vet(warehouse, settings, h, model=None)).verdict == "ok"
        and (r.audience_quality or 100) < 99
    ]
    assert ok_below, "the world needs a creator judged ok below 99 points"
    judged_again = vet(warehouse, stricter, ok_below[0], model=None, model_identity="rules")
    assert judged_again.verdict == "caution"
    # An import after the run: the evidence may have changed, so it is judged again.
    with warehouse.transaction():
        warehouse.duck.execute(
            "INSERT INTO imports (import_id, started_at) VALUES ('later', ?)",
            [datetime(2100, 1, 1)],
        )
    try:
        assert stored_report(warehouse, ("instagram", "clean0"), fingerprint) is None
    finally:
        with warehouse.transaction():
            warehouse.duck.execute("DELETE FROM imports WHERE import_id = 'later'")


def test_the_vet_report_keeps_the_json_shape_scripts_read(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, settings = vetted
    report = vet(warehouse, settings, "bought", model=None).model_dump(mode="json")
    assert set(report) == {
        "platform",
        "creator_id",
        "handle",
        "followers",
        "audience_quality",
        "verdict",
        "reasons",
        "unavailable",
        "signals_checked",
        "fake_followers",
    }
    assert {tuple(r) for r in report["reasons"]} == {
        ("code", "points", "flag", "message", "evidence")
    }
    assert set(report["fake_followers"]) == {
        "share",
        "ci_low",
        "ci_high",
        "sample_n",
        "flagged_followers",
        "method",
    }


# -- the CLI --------------------------------------------------------------------------------------
def _app() -> typer.Typer:
    from microscout.cli import vet as cli_vet

    app = typer.Typer()
    app.command()(cli_vet.vet)
    app.add_typer(cli_vet.authenticity)
    return app


def _env(settings: Settings) -> dict[str, str]:
    return {
        "MICROSCOUT_HOME": str(settings.home),
        "MICROSCOUT_AUTH_MIN_NORM_CREATORS": "5",
        "MICROSCOUT_DUCKDB_MEMORY_LIMIT": "1GB",
    }


def test_the_vet_command_prints_verdict_score_and_reasons_and_json(
    vetted: tuple[Warehouse, Settings],
) -> None:
    warehouse, settings = vetted
    warehouse.close()
    runner = CliRunner()
    shown = runner.invoke(_app(), ["vet", "bought"], env=_env(settings))
    assert shown.exit_code == 0, shown.output
    assert "HIGH RISK" in shown.output
    assert "follower_spike" in shown.output
    as_json = runner.invoke(_app(), ["vet", "pod_b", "--json"], env=_env(settings))
    assert as_json.exit_code == 0, (as_json.output, as_json.exception)
    payload = json.loads(as_json.stdout)
    assert "engagement_pod" in {r["code"] for r in payload["reasons"]}
    missing = runner.invoke(_app(), ["vet", "nobody"], env=_env(settings))
    assert missing.exit_code == 4
    assert "no creator with handle 'nobody'" in missing.output
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as again:
        report = vet(again, settings, "pod_b", model=None)
    assert payload == report.model_dump(mode="json")


def test_training_on_a_labelled_csv_saves_a_model_that_vet_then_uses(
    vetted: tuple[Warehouse, Settings], tmp_path: Path
) -> None:
    warehouse, shared = vetted
    warehouse.close()
    # A home of its own, so the model trained here is not used by the other tests.
    settings = shared.model_copy(update={"home": tmp_path / "home"})
    settings.home.mkdir()
    shutil.copy(shared.warehouse_file, settings.warehouse_file)
    lines = ["name,is_fake,fol,fng,n,pic,bio"]
    for i in range(60):
        lines.append(f"fan.{i},0,{200 + 7 * i},{300 + 5 * i},{20 + i},1,{10 + i}")
    for i in range(20):
        lines.append(f"user{i}77123,1,{i % 9},{1_600 + 90 * i},{i % 2},0,0")
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("\n".join(lines) + "\n")
    args = ["authenticity", "train", str(labelled), "--format", "csv"]
    for pair in (
        "username=name",
        "label=is_fake",
        "followers=fol",
        "following=fng",
        "posts=n",
        "has_picture=pic",
        "bio_length=bio",
    ):
        args += ["--mapping", pair]
    runner = CliRunner()
    trained = runner.invoke(_app(), args, env=_env(settings))
    assert trained.exit_code == 0, trained.output
    assert (settings.home / "models" / "follower_model.skops").exists()
    payload = json.loads(
        runner.invoke(_app(), ["vet", "bought", "--json"], env=_env(settings)).stdout
    )
    assert payload["fake_followers"]["method"] == "trained model"
    assert payload["fake_followers"]["share"] > 0.4
    bad = runner.invoke(_app(), [*args[:5], "--mapping", "likes=x"], env=_env(settings))
    assert bad.exit_code == 2


def test_the_repeated_comment_shown_is_its_first_spelling_by_comment_id(
    warehouse: Warehouse,
) -> None:
    """Every engine reads a creator's comments by comment id, so the spelling of a repeated
    comment that the evidence quotes does not depend on the order rows were stored in."""
    from microscout.adapters.warehouse.vetting import audience_comment_texts
    from microscout.services.vetting.evidence import comment_evidence_of

    spellings = {"c3": "NICE!!", "c1": "nice", "c2": "Nice", "c0": "so cool"}
    rows = [
        {**row, "comment_id": cid, "text": text}
        for row, (cid, text) in zip(
            _comments("solo", ["a", "b", "c", "d"]), spellings.items(), strict=True
        )
    ]
    with warehouse.transaction():
        warehouse.append(
            CREATORS,
            arrow_rows(
                CREATORS,
                [
                    {
                        "platform": "instagram",
                        "creator_id": "solo",
                        "handle": "solo",
                        "followers": 20_000,
                    }
                ],
            ),
        )
        warehouse.append(COMMENTS, arrow_rows(COMMENTS, rows))  # stored c3, c1, c2, c0
    read = audience_comment_texts(warehouse)
    assert read["comment_id"].to_pylist() == ["c0", "c1", "c2", "c3"]
    found = comment_evidence_of(read)[("instagram", "solo")]
    assert (found.top_duplicate, found.top_duplicate_n) == ("nice", 3)
