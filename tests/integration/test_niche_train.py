"""Training the supervised niche model on labelled creators' posts in a real warehouse.

Four fitness creators, each with many posts, and two food creators with a single post each:
fitted on posts, the food class would be two examples against many; fitted on one document per
creator with balanced class weights, both niches count alike and a new food post is recognised.
The food creators share commenters, and so do the fitness ones: two unlabelled creators with the
same uninformative caption take the niche of the creators their commenters also comment on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from microscout.adapters.models.niche_model import (
    LinearNicheModel,
    load_niche_model,
    niche_model_file,
    save_niche_model,
)
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.cli import app
from microscout.config import Settings
from microscout.core.niche.neighbours import AccountCounts
from microscout.core.schema import COMMENTS, CREATORS, POSTS
from microscout.errors import FileFormatError
from microscout.services.discovery.niche_stage import niche_stage
from microscout.services.discovery.niches import KIM_TO_IAB, creator_documents, train
from microscout.services.scoring.run import metric_params, score
from tests.scoring_data import arrow_rows

FITNESS = (
    "gym workout squats today",
    "protein shake after leg day",
    "deadlift personal record",
    "morning run and stretching",
    "training plan for strength",
)
FOOD = "homemade sourdough bread recipe with butter"
NEUTRAL = "good morning everyone, happy weekend"


def _posts(handle: str, texts: list[str]) -> list[dict[str, object]]:
    return [
        {
            "platform": "instagram",
            "creator_id": f"id_{handle}",
            "post_id": f"{handle}_{i}",
            "posted_at": datetime(2026, 1, 1 + i),
            "caption": text,
            "hashtags": None,
            "likes": 10,
        }
        for i, text in enumerate(texts)
    ]


@pytest.fixture
def labelled_home(tmp_path: Path) -> tuple[Settings, Path]:
    settings = Settings(home=tmp_path / "home", duckdb_threads=2)
    handles = ["fit1", "fit2", "fit3", "fit4", "baker", "cook", "unlabelled", "fed", "trained"]
    creators = [
        {"platform": "instagram", "creator_id": f"id_{h}", "handle": h, "followers": 20_000}
        for h in handles
    ]
    posts = [p for h in handles[:4] for p in _posts(h, list(FITNESS) * 3)]
    posts += _posts("baker", [FOOD]) + _posts("cook", ["pasta with tomato and basil tonight"])
    posts += _posts("unlabelled", ["travel photos from lisbon"])
    posts += _posts("fed", [NEUTRAL]) + _posts("trained", [NEUTRAL])
    fans = {"baker": "foodie", "cook": "foodie", "fed": "foodie"} | {
        h: "gymfan" for h in ("fit1", "fit2", "fit3", "fit4", "trained")
    }
    comments = [
        {
            "platform": "instagram",
            "comment_id": f"{h}_0:{fans[h]}{i}",
            "post_id": f"{h}_0",
            "creator_id": f"id_{h}",
            "author": f"{fans[h]}{i}",
        }
        for h in fans
        for i in range(3)
    ]
    with (
        Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh,
        wh.transaction(),
    ):
        wh.append(CREATORS, arrow_rows(CREATORS, creators))
        wh.append(POSTS, arrow_rows(POSTS, posts))
        wh.append(COMMENTS, arrow_rows(COMMENTS, comments))
    labels = tmp_path / "labels.csv"
    odd = ["@Baker,food", "cook,food", "ghost,food", "x,not-a-niche-at-all"]
    rows = [f"{h},fitness" for h in handles[:4]] + odd
    labels.write_text("handle,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return settings, labels


def test_creator_documents_join_each_creators_texts_in_order_under_its_label() -> None:
    creators, docs, labels = creator_documents(
        ["a", "b", "a"], ["one", "two", "three"], ["x", "y", "x"]
    )
    assert creators == ["a", "b"]
    assert docs == ["one \n three", "two"]
    assert labels == ["x", "y"]


def test_training_counts_what_it_used_and_saves_a_model_that_recognises_the_rare_niche(
    labelled_home: tuple[Settings, Path],
) -> None:
    settings, labels = labelled_home
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        report = train(wh, settings, labels)
    assert report.creators == 6
    assert report.posts == 4 * 15 + 2
    assert report.unknown_handles == 1  # ghost has no posts
    assert report.accounts == 6  # foodie0-2 and gymfan0-2; the unlabelled creators' add none
    assert report.skipped_labels == ("not-a-niche-at-all",)
    assert set(report.classes) == {KIM_TO_IAB["fitness"], KIM_TO_IAB["food"]}
    model = load_niche_model(niche_model_file(settings.home))
    assert model is not None
    assert model.model_id == report.model_id
    proba = model.predict_proba(["sourdough bread recipe", "leg day squats"])
    assert set(model.account_counts.accounts) == {f"foodie{i}" for i in range(3)} | {
        f"gymfan{i}" for i in range(3)
    }
    food = model.classes.index(KIM_TO_IAB["food"])
    fitness = model.classes.index(KIM_TO_IAB["fitness"])
    assert proba[0, food] > 0.5 > proba[1, food]
    assert proba[1, fitness] > 0.5


def test_training_on_a_file_without_label_column_names_the_file(
    labelled_home: tuple[Settings, Path], tmp_path: Path
) -> None:
    settings, _ = labelled_home
    bad = tmp_path / "bad.csv"
    bad.write_text("handle,niche\nfit1,fitness\n", encoding="utf-8")
    with (
        Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh,
        pytest.raises(FileFormatError, match=r"bad\.csv"),
    ):
        train(wh, settings, bad)
    assert not niche_model_file(settings.home).exists()


def test_a_model_file_of_another_kind_asks_for_retraining(tmp_path: Path) -> None:
    path = tmp_path / "niche_linear.npz"
    older = LinearNicheModel(
        ("210", "225"),
        np.zeros((2, 4), np.float32),
        np.zeros(2, np.float32),
        "older-kind:abc",
        AccountCounts((), np.zeros((0, 2), np.int32)),
    )
    save_niche_model(older, path)
    with pytest.raises(FileFormatError, match="niche train"):
        load_niche_model(path)


def test_scoring_after_training_gives_each_creator_the_trained_niche(
    labelled_home: tuple[Settings, Path],
) -> None:
    settings, labels = labelled_home
    settings = settings.model_copy(update={"embedding_max_tokens": 64})
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        report = train(wh, settings, labels)
        real = Adapters(settings)  # built after training: the stage is handed the trained model
        stage = niche_stage(settings, real.embedder, real.index_store, real.niche_model)
        score(wh, metric_params(settings), [stage])
        primary = dict(
            wh.duck.execute("SELECT handle, niche_primary FROM creator_scores").fetchall()
        )
        methods = {m for (m,) in wh.duck.execute("SELECT method FROM creator_niches").fetchall()}
    assert primary["baker"] == KIM_TO_IAB["food"]
    assert {primary[h] for h in ("fit1", "fit2", "fit3", "fit4")} == {KIM_TO_IAB["fitness"]}
    # the same words, told apart only by who comments on them
    assert primary["fed"] == KIM_TO_IAB["food"]
    assert primary["trained"] == KIM_TO_IAB["fitness"]
    assert methods == {report.model_id}


def test_the_train_command_says_what_it_learned_from(
    labelled_home: tuple[Settings, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, labels = labelled_home
    monkeypatch.setenv("MICROSCOUT_HOME", str(settings.home))
    monkeypatch.setenv("MICROSCOUT_DUCKDB_MEMORY_LIMIT", "1GB")
    result = CliRunner().invoke(app, ["niche", "train", str(labels)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "on 62 posts of 6 creators" in result.stdout
    assert "votes from 6 accounts" in result.stdout
    assert "not-a-niche-at-all" in result.stderr
    assert niche_model_file(settings.home).exists()
