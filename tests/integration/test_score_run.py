"""A scoring run finishes an Unfinished stage beside the next one, in order and atomically."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.metrics import MetricParams
from microscout.services.scoring.run import metric_params, score
from microscout.services.scoring.stage import NamedStage, Unfinished
from tests.scoring_data import load, seeded_dataset


def _keys(warehouse: Warehouse) -> pa.Table:
    return warehouse.fetch_arrow("SELECT platform, creator_id FROM creator_scores ORDER BY ALL")


def _qualities(warehouse: Warehouse) -> list[float | None]:
    rows = warehouse.fetch_arrow(
        "SELECT audience_quality FROM creator_scores ORDER BY platform, creator_id"
    )
    qualities: list[float | None] = rows.column("audience_quality").to_pylist()
    return qualities


def test_an_unfinished_stage_runs_beside_the_next_and_is_written_before_the_one_after(
    warehouse: Warehouse, settings: Settings
) -> None:
    load(warehouse, seeded_dataset())
    seen: dict[str, object] = {}
    finished = threading.Event()
    next_stage_may_end = threading.Event()

    def judged(wh: Warehouse, params: MetricParams) -> Unfinished:
        keys = _keys(wh)

        def finish() -> pa.Table:
            seen["finish thread"] = threading.current_thread()
            next_stage_may_end.set()
            quality = pa.array([float(i) for i in range(keys.num_rows)], pa.float64())
            finished.set()
            return keys.append_column("audience_quality", quality)

        return Unfinished(finish)

    def beside(wh: Warehouse, params: MetricParams) -> pa.Table:
        # The finish runs while this stage does: it is not written yet.
        assert next_stage_may_end.wait(30)
        seen["beside"] = _qualities(wh)
        return _keys(wh).slice(0, 0)

    def after(wh: Warehouse, params: MetricParams) -> pa.Table:
        seen["after"] = _qualities(wh)
        return _keys(wh).slice(0, 0)

    stages = [NamedStage(n, f) for n, f in (("a", judged), ("b", beside), ("c", after))]
    steps: list[tuple[str, int, int]] = []
    run = score(warehouse, metric_params(settings), stages, lambda s, d, t: steps.append((s, d, t)))

    assert finished.is_set()
    assert seen["finish thread"] is not threading.main_thread()
    assert set(seen["beside"]) == {None}  # type: ignore[call-overload]
    assert seen["after"] == [float(i) for i in range(run.creators)]
    assert _qualities(warehouse) == seen["after"]
    # "a" ends once its columns are written: after "b" has run, before "c" starts.
    events = [(s, "end" if d == t else "start") for s, d, t in steps]
    assert events.index(("b", "start")) < events.index(("a", "end")) < events.index(("c", "start"))
    assert [s for s, e in events if e == "end"] == ["metrics", "a", "b", "c"]


def test_a_finish_that_fails_fails_the_run_and_leaves_the_last_scores(
    warehouse: Warehouse, settings: Settings
) -> None:
    load(warehouse, seeded_dataset())
    params = metric_params(settings)
    first = score(warehouse, params)
    before = warehouse.fetch_arrow("SELECT * FROM creator_scores ORDER BY platform, creator_id")

    def broken(wh: Warehouse, params: MetricParams) -> Unfinished:
        def finish() -> pa.Table:
            raise ValueError("the judging failed")

        return Unfinished(finish)

    def later(wh: Warehouse, params: MetricParams) -> pa.Table:
        return _keys(wh).slice(0, 0)

    stages = [NamedStage("broken", broken), NamedStage("later", later)]
    with pytest.raises(ValueError, match="the judging failed"):
        score(warehouse, params, stages)

    after = warehouse.fetch_arrow("SELECT * FROM creator_scores ORDER BY platform, creator_id")
    assert after.equals(before)
    runs = warehouse.fetch_arrow("SELECT run_id FROM score_runs").column("run_id").to_pylist()
    assert runs == [first.run_id]
