"""A creator with no evidence is "not vetted" in every command that shows a verdict (vet, show,
creators, search), never 100; search ranks it after the vetted creators and the quality filter
leaves it out unless --include-unvetted (issue 16; the API and pages: tests/web)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from microscout.cli import app
from microscout.config import Settings
from tests.unvetted import BRIEF, MISSING, UNVETTED, build_home

runner = CliRunner()
PLATFORM, HANDLE = UNVETTED[0][0], UNVETTED[0][2]
HANDLES = {u[2] for u in UNVETTED}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The commands read a small demo with the unvetted creators, scored once."""
    settings = build_home(tmp_path_factory.mktemp("unvetted") / "home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MICROSCOUT_HOME", str(settings.home))
        mp.setenv("MICROSCOUT_DUCKDB_MEMORY_LIMIT", "1GB")
        mp.setenv("MICROSCOUT_DUCKDB_THREADS", "2")
        mp.setenv("MICROSCOUT_EMBEDDING_MAX_TOKENS", str(settings.embedding_max_tokens))
        mp.setenv("MICROSCOUT_INDEX_TIERS", settings.index_tiers)
        yield settings


def run(*args: str) -> str:
    """A command's standard output, on a terminal wide enough that no line wraps."""
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_vet_says_not_vetted_and_what_is_missing_never_a_score(env: Settings) -> None:
    text = run("vet", HANDLE, "--platform", PLATFORM)
    assert "NOT VETTED" in text
    assert MISSING in text
    assert "/100" not in text
    assert "No red flags" not in text
    report = json.loads(run("vet", HANDLE, "--platform", PLATFORM, "--json"))
    assert (report["verdict"], report["audience_quality"]) == ("not vetted", None)
    assert report["reasons"][0]["code"] == "not_vetted"


def test_show_lists_no_audience_quality_and_the_verdict_not_vetted(env: Settings) -> None:
    text = run("show", HANDLE, "--platform", PLATFORM)
    verdict = next(line for line in text.splitlines() if "authenticity_verdict" in line)
    assert "not vetted" in verdict
    quality = next(line for line in text.splitlines() if " audience_quality " in line)
    assert quality.split("│")[2].strip() == "—"
    detail = json.loads(run("show", HANDLE, "--platform", PLATFORM, "--json"))
    assert detail["scores"]["audience_quality"] is None
    assert detail["scores"]["authenticity_verdict"] == "not vetted"


def _rows(*args: str) -> dict[str, dict[str, Any]]:
    payload = json.loads(run("creators", "--limit", "1000", "--json", *args))
    rows = payload["rows"] if isinstance(payload, dict) else payload
    return {r["handle"]: r for r in rows}


def test_creators_lists_them_as_not_vetted_and_a_quality_bound_leaves_them_out(
    env: Settings,
) -> None:
    rows = _rows()
    for handle in HANDLES:
        assert rows[handle]["audience_quality"] is None
        assert rows[handle]["authenticity_verdict"] == "not vetted"
    assert not HANDLES & set(_rows("--min", "audience_quality=1"))


def _found(*options: str) -> list[dict[str, Any]]:
    payload = json.loads(run("search", BRIEF, "--tier", "any", "--json", *options))
    results: list[dict[str, Any]] = payload["results"]
    return results


def test_search_ranks_them_after_the_vetted_and_prints_not_vetted(env: Settings) -> None:
    hits = _found("--limit", "100")
    verdicts = [h["authenticity_verdict"] for h in hits]
    first = verdicts.index("not vetted")
    assert first > 0
    assert set(verdicts[first:]) == {"not vetted"}
    assert all(h["audience_quality"] is None for h in hits[first:])
    table = run("search", BRIEF, "--tier", "any", "--limit", "100")
    lines = [line for line in table.splitlines() if HANDLE in line and "not vetted" in line]
    assert lines


def test_search_min_audience_quality_leaves_them_out_unless_include_unvetted(
    env: Settings,
) -> None:
    strict = _found("--min-audience-quality", "90")
    assert strict
    assert not HANDLES & {h["handle"] for h in strict}
    asked = _found("--min-audience-quality", "90", "--include-unvetted")
    assert {h["handle"] for h in asked} >= HANDLES
