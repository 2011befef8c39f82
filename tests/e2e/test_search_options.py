"""`microscout search` and `microscout similar` take every option of their request models, each
changing the answer as it says (the API's and the page's doors: tests/web/test_search_options.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from typer.testing import CliRunner

from microscout.adapters.warehouse import Warehouse
from microscout.cli import app
from microscout.config import Settings
from microscout.services.discovery.request import cli_flag
from tests.search_options import BRIEF, CASES, WIDE, Facts, Key, check_case, lookalike_options

runner = CliRunner()
COLUMNS = (
    "s.platform, c.handle, s.followers, s.tier, c.country, c.language, s.er_median, "
    "s.passes_reach_gate, s.audience_quality, s.fee_per_post"
)


@pytest.fixture(scope="module")
def env(scored_demo: Settings) -> Iterator[Settings]:
    """The commands read the session's scored demo, with the settings it was scored with."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MICROSCOUT_HOME", str(scored_demo.home))
        mp.setenv("MICROSCOUT_DUCKDB_MEMORY_LIMIT", "1GB")
        mp.setenv("MICROSCOUT_DUCKDB_THREADS", "2")
        mp.setenv("MICROSCOUT_EMBEDDING_MAX_TOKENS", str(scored_demo.embedding_max_tokens))
        mp.setenv("MICROSCOUT_INDEX_TIERS", scored_demo.index_tiers)
        yield scored_demo


@pytest.fixture(scope="module")
def facts(env: Settings) -> Facts:
    """Each demo creator's figures, read once before the commands open the warehouse."""
    with Warehouse(env.warehouse_file, memory_limit="1GB", threads=2, read_only=True) as wh:
        rows = wh.fetch_arrow(
            f"SELECT {COLUMNS} FROM creator_scores s JOIN creators c USING (platform, creator_id)"
        ).to_pylist()
    table = {(r["platform"], r["handle"]): r for r in rows}
    return table.__getitem__


@pytest.fixture(scope="module")
def seed(env: Settings) -> Key:
    """A micro creator of the demo, whose lookalikes the similar command finds."""
    with Warehouse(env.warehouse_file, memory_limit="1GB", threads=2, read_only=True) as wh:
        row = wh.fetch_arrow(
            "SELECT platform, handle FROM creator_scores WHERE tier = 'micro' "
            "ORDER BY handle LIMIT 1"
        ).to_pylist()[0]
    return row["platform"], row["handle"]


def as_arguments(options: Mapping[str, Any]) -> list[str]:
    """The options as one types them: a flag for a switch, the option and its value otherwise."""
    args: list[str] = []
    for name, value in options.items():
        args += [cli_flag(name)] if value is True else [cli_flag(name), str(value)]
    return args


def found_by(args: list[str]) -> list[Key]:
    """The creators a command prints as JSON."""
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return [(r["platform"], r["handle"]) for r in json.loads(result.stdout)["results"]]


def search(seed: Key, options: Mapping[str, Any]) -> list[Key]:
    return found_by(["search", BRIEF, *as_arguments(options)])


def similar(seed: Key, options: Mapping[str, Any]) -> list[Key]:
    args = ["similar", seed[1], "--platform", seed[0]]
    return found_by([*args, *as_arguments(lookalike_options(options))])


COMMANDS = {"search": search, "similar": similar}


@pytest.fixture(scope="module")
def wide(seed: Key) -> dict[str, list[Key]]:
    """Each command's answer with every tier and a long list: what the options narrow down."""
    return {name: command(seed, WIDE) for name, command in COMMANDS.items()}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_each_filter_drops_the_creators_it_should(
    seed: Key, facts: Facts, wide: dict[str, list[Key]], command: str, case: str
) -> None:
    found = COMMANDS[command](seed, {**WIDE, **CASES[case].options})
    check_case(CASES[case], wide[command], found, facts)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_micro_tier_is_the_default_and_limit_the_length(
    seed: Key, facts: Facts, wide: dict[str, list[Key]], command: str
) -> None:
    assert {facts(k)["tier"] for k in wide[command]} > {"micro"}
    found = COMMANDS[command](seed, {"limit": 100})
    assert found
    assert {facts(k)["tier"] for k in found} == {"micro"}
    assert len(COMMANDS[command](seed, {"tier": "any", "limit": 7})) == 7


@pytest.mark.parametrize(
    ("options", "flag"),
    [
        ({"limit": 0}, "--limit"),
        ({"tier": "giant"}, "--tier"),
        ({"platform": "myspace"}, "--platform"),
        ({"country": "USA"}, "--country"),
        ({"min_engagement": 2}, "--min-engagement"),
        ({"max_fee": -1}, "--max-fee"),
    ],
)
def test_an_out_of_range_option_exits_2_naming_it(
    env: Settings, seed: Key, options: dict[str, Any], flag: str
) -> None:
    for args in (
        ["search", BRIEF, *as_arguments(options)],
        ["similar", seed[1], *as_arguments(lookalike_options(options))],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        named = flag if args[0] == "search" else cli_flag(next(iter(lookalike_options(options))))
        assert f"{named}: " in result.output
        assert "Traceback" not in result.output
