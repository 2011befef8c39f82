"""Comparing creators on a small scored demo: figures from the scores, overlap from the samples.

Demo creators all carry an audience sample (50 sampled followers, fewer than a sketch holds, so
the MinHash estimate is exact); two hand-made creators without any audience data fall back to
the model estimate.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.schema import CREATORS
from microscout.demo.build import build_demo
from microscout.errors import NotFoundError, ParameterError
from microscout.services.browse.compare import KEY_FIGURES, compare
from microscout.services.scoring.run import metric_params, score
from tests.scoring_data import arrow_rows


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home: Path = tmp_path_factory.mktemp("compare") / "home"
    settings = Settings(home=home, duckdb_memory_limit="1GB", duckdb_threads=2)
    model_pair = [
        {
            "platform": "instagram",
            "creator_id": f"m{i}",
            "handle": f"model.{i}",
            "followers": 20_000,
            "country": "US",
            "niches": "553",
        }
        for i in (1, 2)
    ]
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        build_demo(wh, 300, seed=3)
        score(wh, metric_params(settings), [])
        # added after scoring: these two are also "not scored yet"
        wh.append(CREATORS, arrow_rows(CREATORS, model_pair))
    return settings


@pytest.fixture
def demo(demo_settings: Settings) -> Iterator[tuple[Warehouse, Settings]]:
    wh = Warehouse(demo_settings.warehouse_file, memory_limit="1GB", threads=2)
    yield wh, demo_settings
    wh.close()


def _handles(wh: Warehouse, n: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = wh.fetch_arrow(
        "SELECT platform, creator_id, handle FROM creator_scores ORDER BY creator_id LIMIT ?",
        (n,),
    ).to_pylist()
    return rows


def _handles_of(wh: Warehouse, creator_id: str) -> dict[str, str]:
    rows: list[dict[str, str]] = wh.fetch_arrow(
        "SELECT platform, creator_id, handle FROM creators WHERE creator_id = ?", (creator_id,)
    ).to_pylist()
    return rows[0]


def _sample(wh: Warehouse, platform: str, creator_id: str) -> set[str]:
    rows = wh.fetch_arrow(
        "SELECT follower_id FROM audience_samples WHERE platform = ? AND creator_id = ?",
        (platform, creator_id),
    ).to_pylist()
    return {r["follower_id"] for r in rows}


def test_each_creators_figures_are_their_stored_scores_with_sample_sizes(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    picked = _handles(wh, 3)
    result = compare(wh, settings, [f"@{p['handle']}" for p in picked])
    assert [c.creator_id for c in result.creators] == [p["creator_id"] for p in picked]
    for compared in result.creators:
        stored = wh.fetch_arrow(
            "SELECT * FROM creator_scores WHERE platform = ? AND creator_id = ?",
            (compared.platform, compared.creator_id),
        ).to_pylist()[0]
        figures = {f.name: f for f in compared.figures}
        assert list(figures) == [name for name, _ in KEY_FIGURES]
        assert figures["followers"].value == stored["followers"]
        assert figures["er_median"].value == stored["er_median"]
        assert figures["er_median"].sample_size == stored["er_n"]
        assert figures["reach_rate"].sample_size == stored["reach_n"]
        assert figures["growth_30d"].window == "follower snapshots"
        assert "10%" in figures["passes_reach_gate"].meaning
        # no later stage ran: the figure says so instead of showing a blank
        assert figures["fee_per_post"].value is None
        assert (
            figures["fee_per_post"].missing == "not computed: the pricing scoring stage has not run"
        )


def test_overlap_between_sampled_creators_is_the_jaccard_of_their_samples(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    # the demo pair sharing the most sampled followers, and two others
    pair = wh.fetch_arrow(
        """SELECT a.creator_id AS x, b.creator_id AS y FROM audience_samples a
           JOIN audience_samples b ON a.platform = b.platform AND a.follower_id = b.follower_id
            AND a.creator_id < b.creator_id
           GROUP BY ALL ORDER BY count(*) DESC, x, y LIMIT 1"""
    ).to_pylist()[0]
    others = [p for p in _handles(wh, 4) if p["creator_id"] not in pair.values()][:2]
    picked = [_handles_of(wh, pair["x"]), _handles_of(wh, pair["y"]), *others]
    result = compare(wh, settings, [f"{p['platform']}:{p['handle']}" for p in picked])
    samples = [_sample(wh, p["platform"], p["creator_id"]) for p in picked]
    assert result.audience_n == tuple(len(s) for s in samples)
    for i in range(4):
        assert result.overlap[i][i] == 1.0
        assert result.basis[i][i] == "self"
        for j in range(4):
            if i == j:
                continue
            a, b = samples[i], samples[j]
            assert result.basis[i][j] == "sample"
            assert result.overlap[i][j] == pytest.approx(len(a & b) / len(a | b))
            assert result.overlap[i][j] == result.overlap[j][i]
    assert (result.overlap[0][1] or 0.0) > 0.1


def test_creators_without_audience_data_get_the_labelled_model_estimate(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    sampled = _handles(wh, 1)[0]
    result = compare(wh, settings, ["model.1", "model.2", sampled["handle"]])
    # same platform, niche and country: 16²/102 + 32²/112 = 11.65 of 64 points shared
    assert result.basis[0][1] == "model"
    assert result.overlap[0][1] == pytest.approx(11.6527 / (128 - 11.6527), abs=1e-4)
    assert result.basis[0][2] == "model"  # a sample and a model are not comparable id sets
    assert result.audience_n[:2] == (0, 0)
    assert any("model" in note for note in result.notes)
    assert any("not scored yet: @model.1, @model.2" in note for note in result.notes)
    figures = {f.name: f for f in result.creators[0].figures}
    assert figures["er_median"].missing == "not scored yet: run `microscout score`"
    chart = result.overlap_chart()
    assert chart.kind == "heatmap"
    assert chart.z[0][0] is None
    assert chart.z_text[0][1].endswith("(model)")


def test_creators_on_different_platforms_get_no_overlap_figure_and_say_why(
    demo: tuple[Warehouse, Settings],
) -> None:
    wh, settings = demo
    one_each: list[dict[str, str]] = wh.fetch_arrow(
        "SELECT platform, min(handle) AS handle FROM creator_scores "
        "WHERE platform IN ('instagram', 'tiktok') GROUP BY platform ORDER BY platform"
    ).to_pylist()
    result = compare(wh, settings, [f"{p['platform']}:{p['handle']}" for p in one_each])
    assert result.audience_n[0] > 0
    assert result.audience_n[1] > 0  # both sampled, yet no id can be matched across platforms
    assert result.overlap[0][1] is None
    assert result.basis[0][1] == result.basis[1][0] == "no shared platform"
    assert any("different platforms" in note for note in result.notes)
    chart = result.overlap_chart()
    assert chart.is_empty
    assert "same platform" in (chart.empty_reason or "")


def test_the_comparison_is_plain_json(demo: tuple[Warehouse, Settings]) -> None:
    wh, settings = demo
    picked = _handles(wh, 2)
    payload = json.loads(json.dumps(compare(wh, settings, [p["handle"] for p in picked]).as_dict()))
    assert payload["labels"] == [f"@{p['handle']}" for p in picked]
    assert len(payload["overlap"]) == 2
    assert len(payload["creators"][0]["figures"]) == len(KEY_FIGURES)


@pytest.mark.parametrize("count", [0, 1, 7])
def test_fewer_than_two_or_more_than_six_creators_are_refused(
    demo: tuple[Warehouse, Settings], count: int
) -> None:
    wh, settings = demo
    handles = [p["handle"] for p in _handles(wh, count)] if count else []
    with pytest.raises(ParameterError, match="2 to 6 creators"):
        compare(wh, settings, handles)


def test_the_same_creator_twice_is_refused(demo: tuple[Warehouse, Settings]) -> None:
    wh, settings = demo
    one = _handles(wh, 1)[0]
    with pytest.raises(ParameterError, match="listed twice"):
        compare(wh, settings, [one["handle"], "@" + one["handle"].upper()])


def test_an_unknown_or_empty_handle_is_reported(demo: tuple[Warehouse, Settings]) -> None:
    wh, settings = demo
    one = _handles(wh, 1)[0]
    with pytest.raises(NotFoundError, match=r"no creator with handle 'nobody\.here'"):
        compare(wh, settings, [one["handle"], "nobody.here"])
    with pytest.raises(ParameterError):
        compare(wh, settings, [one["handle"], "  "])
