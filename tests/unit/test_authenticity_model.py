"""The trainable model: labelled files in, a calibrated model out, saved safely and reloaded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from microscout.adapters.models.follower_model import (
    CARD_FILE,
    MODEL_FILE,
    load_model,
    parse_mapping,
    read_labelled,
    save_model,
)
from microscout.adapters.models.follower_store import FollowerModelStore
from microscout.core.authenticity.followers import Profiles
from microscout.core.authenticity.model import FollowerModel, best_threshold, mcc, train
from microscout.errors import FileFormatError, MappingError, StoreError


def _synthetic(seed: int, n_real: int = 160, n_fake: int = 40) -> tuple[Profiles, np.ndarray]:
    """Real accounts post and are followed; fakes follow thousands and post nothing."""
    rng = np.random.default_rng(seed)
    n = n_real + n_fake
    fake = np.arange(n) >= n_real
    profiles = Profiles.from_columns(
        {
            "followers": np.where(fake, rng.integers(0, 40, n), rng.integers(80, 3_000, n)),
            "following": np.where(fake, rng.integers(900, 6_000, n), rng.integers(50, 900, n)),
            "posts": np.where(fake, rng.integers(0, 3, n), rng.integers(5, 500, n)),
            "has_picture": np.where(fake, rng.random(n) < 0.3, rng.random(n) < 0.95),
            "is_private": rng.random(n) < 0.3,
            "username_length": rng.integers(5, 16, n),
            "username_digits": np.where(fake, rng.integers(0, 6, n), rng.integers(0, 2, n)),
            "bio_length": np.where(fake, 0, rng.integers(0, 120, n)),
        }
    )
    return profiles, fake.astype(np.int64)


@pytest.fixture(scope="module")
def model_and_data() -> tuple[FollowerModel, Profiles, np.ndarray]:
    profiles, labels = _synthetic(1)
    return train(profiles, labels, seed=0), profiles, labels


def test_mcc_matches_the_hand_computed_value() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    p = np.array([1, 1, 0, 1, 0, 0, 0, 0])
    # tp 2, fn 1, fp 1, tn 4: (8 - 1) / sqrt(3 * 3 * 5 * 5) = 7 / 15
    assert mcc(y, p) == pytest.approx(7 / 15)


def test_the_threshold_with_the_best_mcc_is_chosen() -> None:
    y = np.array([0, 0, 0, 1, 1])
    probs = np.array([0.1, 0.2, 0.6, 0.7, 0.9])
    assert 0.6 < best_threshold(probs, y) <= 0.7


def test_a_model_trained_on_separable_data_separates_fresh_data(
    model_and_data: tuple[FollowerModel, Profiles, np.ndarray],
) -> None:
    model = model_and_data[0]
    fresh, labels = _synthetic(2)
    probs = model.probability(fresh)
    predicted = probs >= model.threshold
    assert np.mean(predicted == labels.astype(bool)) > 0.95
    assert probs.min() >= 0.0
    assert probs.max() <= 1.0


def test_privacy_is_not_learned_so_it_never_changes_a_probability(
    model_and_data: tuple[FollowerModel, Profiles, np.ndarray],
) -> None:
    model = model_and_data[0]
    assert "is_private" not in model.features
    assert "has_picture" in model.features
    fresh, _ = _synthetic(4)
    public = Profiles(**{**fresh.__dict__, "is_private": np.zeros(fresh.n)})
    private = Profiles(**{**fresh.__dict__, "is_private": np.ones(fresh.n)})
    assert np.array_equal(model.probability(public), model.probability(private))


def test_the_model_still_works_when_bio_length_is_unknown(
    model_and_data: tuple[FollowerModel, Profiles, np.ndarray],
) -> None:
    model = model_and_data[0]
    fresh, labels = _synthetic(3)
    hidden = Profiles(**{**fresh.__dict__, "bio_length": np.full(fresh.n, np.nan)})
    predicted = model.probability(hidden) >= model.threshold
    assert np.mean(predicted == labels.astype(bool)) > 0.9


def test_too_few_fakes_to_cross_validate_is_refused() -> None:
    profiles, labels = _synthetic(4, n_real=50, n_fake=3)
    with pytest.raises(ValueError, match="at least 5 fake"):
        train(profiles, labels)


def test_a_saved_model_reloads_with_the_same_probabilities(
    tmp_path: Path, model_and_data: tuple[FollowerModel, Profiles, np.ndarray]
) -> None:
    model, profiles, _ = model_and_data
    save_model(model, tmp_path, "synthetic")
    loaded = load_model(tmp_path)
    assert loaded is not None
    assert loaded.threshold == model.threshold
    assert np.allclose(loaded.probability(profiles), model.probability(profiles))
    card = json.loads((tmp_path / "models" / CARD_FILE).read_text())
    assert card["trained_from"] == "synthetic"


def test_no_model_in_the_workspace_means_none(tmp_path: Path) -> None:
    assert load_model(tmp_path) is None


def test_a_model_file_that_does_not_match_its_card_is_refused(
    tmp_path: Path, model_and_data: tuple[FollowerModel, Profiles, np.ndarray]
) -> None:
    save_model(model_and_data[0], tmp_path, "synthetic")
    path = tmp_path / "models" / MODEL_FILE
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(StoreError, match="does not match"):
        load_model(tmp_path)


def test_the_store_keeps_the_model_loaded_until_its_files_change(
    tmp_path: Path, model_and_data: tuple[FollowerModel, Profiles, np.ndarray]
) -> None:
    model, profiles, labels = model_and_data
    store = FollowerModelStore(tmp_path)
    assert store.current() is None
    assert store.identity() == "rules"
    store.save(model, "synthetic")
    first = store.current()
    assert first is not None
    assert store.current() is first
    assert np.allclose(first.probability(profiles), model.probability(profiles))
    saved = store.identity()
    assert saved.startswith("model ")
    assert store.identity() == saved
    # another process retrains: the next read sees the new files
    save_model(train(profiles, labels, seed=1), tmp_path, "retrained")
    assert store.current() is not first
    assert store.identity() not in {saved, "rules"}
    (tmp_path / "models" / MODEL_FILE).unlink()
    assert store.current() is None
    assert store.identity() == "rules"


def test_instafake_json_is_read_with_its_built_in_columns(tmp_path: Path) -> None:
    rows = [
        {
            "userFollowerCount": 25,
            "userFollowingCount": 1937,
            "userBiographyLength": 0,
            "userMediaCount": 0,
            "userHasProfilPic": 1,
            "userIsPrivate": 1,
            "usernameDigitCount": 0,
            "usernameLength": 10,
            "isFake": 1,
        },
        {
            "userFollowerCount": 345,
            "userFollowingCount": 400,
            "userBiographyLength": 40,
            "userMediaCount": 80,
            "userHasProfilPic": 1,
            "userIsPrivate": 0,
            "usernameDigitCount": 2,
            "usernameLength": 9,
            "isFake": 0,
        },
    ]
    path = tmp_path / "fake.json"
    path.write_text(json.dumps(rows))
    data = read_labelled(path)
    assert data.labels.tolist() == [1, 0]
    assert data.profiles.following.tolist() == [1937, 400]
    assert data.profiles.bio_length.tolist() == [0, 40]


def test_any_csv_is_read_through_a_mapping_with_usernames_and_text_labels(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(
        "user,label,fol,fng,n_posts,pic\nanna_1987,fake,3,2000,0,FALSE\nbob,real,300,280,40,TRUE\n"
    )
    mapping = parse_mapping(
        [
            "username=user",
            "label=label",
            "followers=fol",
            "following=fng",
            "posts=n_posts",
            "has_picture=pic",
        ]
    )
    data = read_labelled(path, "csv", mapping)
    assert data.labels.tolist() == [1, 0]
    assert data.profiles.username_digits.tolist() == [4, 0]
    assert data.profiles.has_picture.tolist() == [0, 1]
    assert np.isnan(data.profiles.bio_length).all()


def test_a_mapping_to_an_unknown_field_or_without_a_label_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="unknown field 'likes'"):
        parse_mapping(["likes=x"])
    path = tmp_path / "l.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(MappingError, match="label=COLUMN"):
        read_labelled(path, "csv", {"followers": "a"})


def test_a_missing_column_or_a_non_number_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("label,fol\n1,3\n0,lots\n")
    with pytest.raises(FileFormatError, match="line 3, column 'fol'"):
        read_labelled(path, "csv", {"label": "label", "followers": "fol"})
    with pytest.raises(FileFormatError, match="missing column"):
        read_labelled(path, "csv", {"label": "label", "followers": "nope"})
