"""Search and lookalikes on a small demo workspace, checked against the generator's ground truth.

One module-scoped workspace (1,500 creators, about 125 per niche) is built and scored once: the
text model is the slow part on two cores.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import typer
from typer.testing import CliRunner

from microscout.adapters.text.embedder import Embedder, default_model_dir
from microscout.adapters.text.index import IndexStore, load_niche_vectors
from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.views import ViewStore, write_views
from microscout.adapters.warehouse import Warehouse
from microscout.bootstrap import Adapters
from microscout.cli import discover as discover_cli
from microscout.config import Settings
from microscout.core.niche.ranking import NICHE_SPAN
from microscout.demo.build import build_demo
from microscout.demo.niches import NICHES
from microscout.errors import NotFoundError, ParameterError
from microscout.services.discovery.candidates import candidate_source
from microscout.services.discovery.index import update_index
from microscout.services.discovery.niche_stage import niche_stage
from microscout.services.discovery.search import Filters, SearchResult
from microscout.services.discovery.search import search as search_creators
from microscout.services.discovery.search import similar as similar_creators
from microscout.services.planning.candidates import CandidateFilter, keyword_candidates
from microscout.services.scoring.run import metric_params, score

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / "model.onnx").exists(),
    reason="text model not exported: run make models",
)

# One brief per demo niche, in a marketer's words (not copied from the generator's templates).
BRIEFS = {
    "skincare": "gentle face serum and sunscreen for people with sensitive, acne-prone skin",
    "fitness": "protein bars for people who lift weights and train at the gym",
    "cooking": "cast iron pans for home cooks who love making dinner recipes",
    "travel": "lightweight backpacks for travellers exploring new cities and countries",
    "parenting": "organic baby clothes for new parents with toddlers",
    "pets": "healthy treats for dogs and cats and their owners",
    "fashion": "sustainable clothing brand, outfits and everyday style",
    "interior": "handmade furniture and home decor for cosy living rooms",
    "finance": "budgeting app for young people saving money and investing",
    "gaming": "gaming headset for streamers and console players",
    "vegan": "plant-based protein powder for vegans",
}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Adapters:
    """The adapters of the module's home: one text model and one index store for every test."""
    home = tmp_path_factory.mktemp("search") / "home"
    settings = Settings(
        home=home,
        duckdb_memory_limit="1GB",
        duckdb_threads=2,
        niche_lexicon_terms=800,
        embedding_max_tokens=96,
    )
    return Adapters(settings)


@pytest.fixture(scope="module")
def workspace(real: Adapters) -> Iterator[tuple[Warehouse, Settings]]:
    settings = real.settings
    warehouse = Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2)
    build_demo(warehouse, 1_500, seed=7)
    stage = niche_stage(settings, real.embedder, real.index_store, real.niche_model)
    score(warehouse, metric_params(settings), [stage])
    yield warehouse, settings
    warehouse.close()


def search(
    warehouse: Warehouse, real: Adapters, brief: str, filters: Filters, limit: int = 20
) -> SearchResult:
    return search_creators(
        warehouse,
        real.settings,
        brief,
        filters,
        limit,
        index=real.index_store,
        embedder=real.embedder,
    )


def similar(
    warehouse: Warehouse, real: Adapters, handle: str, filters: Filters, platform: str | None = None
) -> SearchResult:
    return similar_creators(
        warehouse,
        real.settings,
        handle,
        filters,
        platform=platform,
        index=real.index_store,
        embedder=real.embedder,
    )


def _truth(warehouse: Warehouse) -> dict[tuple[str, str], str]:
    rows = warehouse.fetch_arrow("SELECT platform, creator_id, niche FROM demo_ground_truth")
    return {(r["platform"], r["creator_id"]): r["niche"] for r in rows.to_pylist()}


def test_a_brief_for_each_demo_niche_returns_that_niches_creators_first(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    truth = _truth(warehouse)
    by_key = {n.key: n.iab_id for n in NICHES}
    precisions = {}
    for key, brief in BRIEFS.items():
        result = search(warehouse, real, brief, Filters(tier="any"))
        hits = [truth[(h.platform, h.creator_id)] for h in result.hits]
        assert len(hits) == 20
        precisions[key] = sum(n == by_key[key] for n in hits) / 20
    assert min(precisions.values()) >= 0.9, precisions


def test_scoring_keeps_a_unit_vector_for_every_niche_a_creator_can_be_labelled_with(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    saved = load_niche_vectors(real.index_store.folder, real.embedder.model_id)
    assert saved is not None
    wanted = packaged_taxonomy().up_to_depth(real.settings.niche_max_depth)
    assert saved.ids == tuple(c.id for c in wanted)
    assert np.allclose(np.linalg.norm(saved.vectors, axis=1), 1.0, atol=1e-5)
    assert load_niche_vectors(real.index_store.folder, "another model") is None


def test_hits_of_the_niche_closest_to_the_brief_are_raised_by_it_and_say_so(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    truth = _truth(warehouse)
    pets = next(n.iab_id for n in NICHES if n.key == "pets")
    result = search(warehouse, real, "healthy treats for dogs and cats", Filters(tier="any"))
    niche_parts = [next(c for c in h.ranked.components if c.name == "niche") for h in result.hits]
    closest = [p for p in niche_parts if p.value == 1.0]
    assert len(closest) >= 15, [p.evidence for p in niche_parts]
    assert all("the closest to the brief" in p.evidence for p in closest)
    pet_hits = [h for h, p in zip(result.hits, niche_parts, strict=True) if p.value == 1.0]
    assert all(truth[(h.platform, h.creator_id)] == pets for h in pet_hits)
    assert any("raised by niche" in r for r in result.hits[0].reasons)
    # weight 0 leaves the niche out of the blend (the ranking before it existed)
    unweighted = Adapters(real.settings.model_copy(update={"search_weight_niche": 0.0}))
    plain = search_creators(
        warehouse,
        unweighted.settings,
        "healthy treats for dogs and cats",
        Filters(tier="any"),
        index=real.index_store,
        embedder=real.embedder,
    )
    assert all(c.name != "niche" for h in plain.hits for c in h.ranked.components)


def test_an_index_without_niche_vectors_ranks_without_them_and_says_so(
    workspace: tuple[Warehouse, Settings], real: Adapters, tmp_path: Path
) -> None:
    warehouse, settings = workspace
    older = tmp_path / "index"
    shutil.copytree(real.index_store.folder, older)
    (older / "niches.parquet").unlink()
    result = search_creators(
        warehouse,
        settings,
        "healthy treats for dogs and cats",
        Filters(tier="any"),
        index=IndexStore(older),
        embedder=real.embedder,
    )
    assert any("no niche vectors" in n and "microscout score" in n for n in result.notes)
    assert result.hits
    assert all(c.name != "niche" for h in result.hits for c in h.ranked.components)


def test_zero_shot_niches_match_the_generators_niche_for_most_creators(
    workspace: tuple[Warehouse, Settings],
) -> None:
    warehouse, _ = workspace
    named, right = (
        warehouse.fetch_arrow(
            "SELECT count(s.niche_primary) AS named, count(*) FILTER (s.niche_primary = g.niche) "
            "AS right FROM creator_scores s JOIN demo_ground_truth g USING (platform, creator_id)"
        )
        .to_pylist()[0]
        .values()
    )
    assert named == 1_500  # every demo creator writes about its niche
    assert right >= 0.7 * 1_500


def test_every_result_carries_matched_terms_posts_and_metric_reasons(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    result = search(warehouse, real, BRIEFS["pets"], Filters())
    assert result.hits
    for hit in result.hits:
        assert hit.matched_terms, hit
        assert hit.matched_posts
        assert any("similarity" in r for r in hit.reasons)
        metric_reasons = ("raised by engagement", "lowered by engagement", "raised by reach")
        assert any(r.startswith((*metric_reasons, "lowered by reach")) for r in hit.reasons)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_the_micro_tier_is_the_default_filter(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    result = search(warehouse, real, BRIEFS["gaming"], Filters())
    assert all(10_000 <= (h.followers or 0) < 50_000 for h in result.hits)


# The filters as search applies them, and the same filter written here in SQL: the oracle.
FILTER_CASES: tuple[tuple[Filters, str], ...] = (
    (Filters(), "s.tier = 'micro'"),
    (Filters(tier="any"), "TRUE"),
    (Filters(platform="tiktok"), "s.tier = 'micro' AND s.platform = 'tiktok'"),
    (Filters(country="gb", tier="any"), "upper(c.country) = 'GB'"),
    (
        Filters(language="EN", min_followers=20_000),
        "s.tier = 'micro' AND lower(c.language) = 'en' AND s.followers >= 20000",
    ),
    (
        Filters(max_followers=30_000, min_engagement=0.03),
        "s.tier = 'micro' AND s.followers <= 30000 AND s.er_median >= 0.03",
    ),
    (Filters(max_fee=400.0), "s.tier = 'micro' AND s.fee_per_post <= 400"),
    (Filters(reach_gate=True), "s.tier = 'micro' AND s.passes_reach_gate"),
    (Filters(min_audience_quality=80), "s.tier = 'micro' AND s.audience_quality >= 80"),
    (
        Filters(min_audience_quality=80, include_unvetted=True),
        "s.tier = 'micro' AND (s.audience_quality IS NULL OR s.audience_quality >= 80)",
    ),
)


def _keys(table: pa.Table) -> list[tuple[str, str]]:
    return list(zip(table["platform"].to_pylist(), table["creator_id"].to_pylist(), strict=True))


def test_filters_read_once_per_run_pass_exactly_the_creators_sql_says_with_unknowns_failing(
    workspace: tuple[Warehouse, Settings], real: Adapters, tmp_path: Path
) -> None:
    warehouse, _ = workspace
    index = real.index_store.current()
    assert index is not None
    write_views(tmp_path / "views.sqlite", (), {})
    views = ViewStore.open(tmp_path / "views.sqlite")
    assert views is not None
    rows = {key: row for row, key in enumerate(_keys(index.keys))}
    warehouse.duck.execute("BEGIN TRANSACTION")
    try:
        # Fees and audience quality (this world is scored without those stages), then
        # unknowns: some creators not vetted, some without a reach verdict or a fee.
        warehouse.duck.execute(
            "UPDATE creator_scores SET fee_per_post = followers / 100.0, "
            "audience_quality = hash(creator_id || 'q') % 101"
        )
        warehouse.duck.execute(
            "UPDATE creator_scores SET audience_quality = NULL WHERE hash(creator_id) % 5 = 0"
        )
        warehouse.duck.execute(
            "UPDATE creator_scores SET passes_reach_gate = NULL, fee_per_post = NULL "
            "WHERE hash(creator_id) % 7 = 0"
        )
        for filters, where in FILTER_CASES:
            oracle = warehouse.fetch_arrow(
                "SELECT s.platform, s.creator_id FROM creator_scores s "
                f"JOIN creators c USING (platform, creator_id) WHERE {where}"
            )
            wanted = np.zeros(len(rows), bool)
            for key in _keys(oracle):
                if key in rows:
                    wanted[rows[key]] = True
            assert wanted.any(), where
            # read for this request alone (no views), then once for these views
            assert np.array_equal(filters.index_mask(warehouse, index, None), wanted), where
            assert np.array_equal(filters.index_mask(warehouse, index, views), wanted), where
        micro = Filters().index_mask(warehouse, index, views)
        # What the views keep is their run's: a later change is seen through the next run's
        # views (a new store), not through these.
        warehouse.duck.execute("UPDATE creator_scores SET tier = 'nano'")
        assert np.array_equal(Filters().index_mask(warehouse, index, views), micro)
        next_run = ViewStore.open(tmp_path / "views.sqlite")
        assert next_run is not None
        assert not Filters().index_mask(warehouse, index, next_run).any()
        assert micro.any()
    finally:
        warehouse.duck.execute("ROLLBACK")


def test_lookalikes_share_the_seed_creators_niche(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    truth = _truth(warehouse)
    seed = warehouse.fetch_arrow(
        "SELECT c.handle, c.platform, c.creator_id FROM creators c JOIN demo_ground_truth g "
        "USING (platform, creator_id) WHERE g.niche = '422' ORDER BY c.handle LIMIT 1"
    ).to_pylist()[0]
    result = similar(warehouse, real, seed["handle"], Filters(tier="any"), seed["platform"])
    assert seed["creator_id"] not in {h.creator_id for h in result.hits}
    same = sum(truth[(h.platform, h.creator_id)] == "422" for h in result.hits)
    assert same >= 18
    assert any("audience overlap" in r for h in result.hits for r in h.reasons)


def test_plan_candidates_from_semantic_search_come_from_the_briefs_niche(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, settings = workspace
    truth = _truth(warehouse)
    by_key = {n.key: n.iab_id for n in NICHES}
    source = candidate_source(settings, real.index_store, lambda: real.embedder)
    for key in ("pets", "gaming", "finance"):
        flt = CandidateFilter(tiers=("micro",), require_reach_gate=False, limit=30)
        table = source(warehouse, BRIEFS[key], flt)
        assert 0 < table.num_rows <= 30
        relevance = table["relevance"].to_pylist()
        assert relevance == sorted(relevance, reverse=True)
        keys = zip(table["platform"].to_pylist(), table["creator_id"].to_pylist(), strict=True)
        niches = [truth[k] for k in keys]
        assert sum(n == by_key[key] for n in niches) / len(niches) >= 0.8, (key, niches)
        tiers = warehouse.fetch_arrow(
            "SELECT DISTINCT s.tier FROM creator_scores s WHERE s.creator_id IN "
            f"({', '.join('?' for _ in range(table.num_rows))})",
            table["creator_id"].to_pylist(),
        )["tier"].to_pylist()
        assert tiers == ["micro"]


def test_plan_candidates_of_the_niche_closest_to_the_brief_gain_the_search_niche_weight(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, settings = workspace
    source = candidate_source(settings, real.index_store, lambda: real.embedder)
    flt = CandidateFilter(tiers=("micro",), require_reach_gate=False, limit=60)
    table = source(warehouse, BRIEFS["cooking"], flt)
    w_r, w_n = settings.search_weight_relevance, settings.search_weight_niche
    closest = 0
    for relevance, reason in zip(
        table["relevance"].to_pylist(), table["relevance_reasons"].to_pylist(), strict=True
    ):
        cosine = float(reason.split(";")[0].removeprefix("similarity to the brief "))
        assert "; niche " in reason, reason
        if "the closest to the brief" in reason:
            closest += 1
            assert relevance == pytest.approx((w_r * cosine + w_n) / (w_r + w_n), abs=0.005)
        else:  # "niche X: 0.03 less close to the brief than Y", both figures rounded
            gap = float(reason.split(": ")[1].split(" ")[0])
            niche = max(0.0, 1 - gap / NICHE_SPAN)
            assert relevance == pytest.approx((w_r * cosine + w_n * niche) / (w_r + w_n), abs=0.02)
    assert closest >= 30


def test_the_keyword_matcher_is_used_when_asked_for(real: Adapters) -> None:
    keyword = real.settings.model_copy(update={"plan_candidates": "keyword"})

    def no_model() -> Embedder:
        raise AssertionError("the keyword matcher needs no text model")

    assert candidate_source(keyword, real.index_store, no_model) is keyword_candidates


def test_empty_nonsense_unknown_and_impossible_requests_raise_clear_errors(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    with pytest.raises(ParameterError, match="empty"):
        search(warehouse, real, "   ", Filters())
    with pytest.raises(ParameterError, match="no content words"):
        search(warehouse, real, "the and for of ... !?", Filters())
    with pytest.raises(NotFoundError, match="no creator with handle"):
        similar(warehouse, real, "@nobody_at_all", Filters())
    with pytest.raises(NotFoundError, match="filters"):
        search(warehouse, real, "dogs", Filters(country="ZZ"))


def _documents_using(warehouse: Warehouse, fragment: str) -> int:
    return int(
        warehouse.scalar(
            "SELECT count(*) FROM creator_documents WHERE contains(lower(document), ?)",
            [fragment],
        )
    )


def test_a_brief_in_words_no_creator_uses_is_answered_by_meaning(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    brief = "gentle cream for redness-prone, easily irritated faces"
    assert _documents_using(warehouse, "irritated") == 0
    assert _documents_using(warehouse, "redness") == 0
    truth = _truth(warehouse)
    skincare = next(n.iab_id for n in NICHES if n.key == "skincare")
    result = search(warehouse, real, brief, Filters(tier="any"), limit=10)
    niches = [truth[(h.platform, h.creator_id)] for h in result.hits]
    assert len(niches) == 10
    assert sum(n == skincare for n in niches) >= 8, niches


def test_running_shoes_is_answered_by_meaning_and_says_no_word_was_found(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    assert _documents_using(warehouse, "running") == 0
    assert _documents_using(warehouse, "shoe") == 0
    result = search(warehouse, real, "running shoes", Filters(tier="any"), limit=10)
    assert len(result.hits) == 10
    assert all(not h.matched_terms for h in result.hits)
    assert any("(running, shoes)" in n and "meaning alone" in n for n in result.notes)


def test_a_brief_of_unknown_words_is_answered_not_refused(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    result = search(warehouse, real, "qzxv blorptang", Filters(tier="any"), limit=5)
    assert all(not h.matched_terms for h in result.hits)
    assert any("meaning alone" in n or "close enough" in n for n in result.notes)


def test_the_briefs_words_raise_a_creator_and_are_named_in_its_reasons(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    result = search(warehouse, real, BRIEFS["pets"], Filters(), limit=5)
    for hit in result.hits:
        assert hit.matched_terms
        assert any(
            r.startswith("raised by ") and "brief words in its content" in r for r in hit.reasons
        ), hit.reasons


def test_a_stale_index_is_reported_by_search_and_refreshed_only_by_an_update(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    # Search is read-only: it used to re-embed a stale index itself; now it says the index is
    # stale and leaves it, and scoring (update_index) refreshes it.
    warehouse, settings = workspace
    warehouse.duck.execute(
        "UPDATE creators SET bio = 'retro console collector', fetched_at = now() "
        "WHERE creator_id = (SELECT min(creator_id) FROM creator_scores WHERE tier = 'micro')"
    )
    manifest = (real.index_store.folder / "manifest.json").read_text(encoding="utf-8")
    result = search(warehouse, real, BRIEFS["gaming"], Filters())
    assert result.hits
    assert any("index is stale" in n and "microscout score" in n for n in result.notes)
    again = search(warehouse, real, BRIEFS["gaming"], Filters())
    assert any("index is stale" in n for n in again.notes)
    assert (real.index_store.folder / "manifest.json").read_text(encoding="utf-8") == manifest
    status = update_index(warehouse, real.index_store, real.embedder, tiers=settings.index_tiers)
    assert status.counts is not None
    assert status.counts.added + status.counts.changed == 1
    assert status.counts.removed == 0
    fresh = search(warehouse, real, BRIEFS["gaming"], Filters())
    assert fresh.notes == ()


def test_only_the_searchable_band_is_embedded_and_search_says_what_it_cannot_see(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, _ = workspace
    index = real.index_store.current()
    assert index is not None
    keys = index.keys
    indexed = set(zip(keys["platform"].to_pylist(), keys["creator_id"].to_pylist(), strict=True))
    tiers = dict(
        ((r["platform"], r["creator_id"]), r["tier"])
        for r in warehouse.fetch_arrow(
            "SELECT platform, creator_id, tier FROM creator_scores"
        ).to_pylist()
    )
    micro = {key for key, tier in tiers.items() if tier == "micro"}
    assert indexed
    assert indexed <= micro
    assert len(indexed) >= 0.95 * len(micro)  # every micro creator with a document
    everyone = search(warehouse, real, BRIEFS["gaming"], Filters(tier="any"))
    assert everyone.hits
    assert all(tiers[(h.platform, h.creator_id)] == "micro" for h in everyone.hits)
    assert any("index_tiers" in n and "every tier" in n for n in everyone.notes)
    with pytest.raises(NotFoundError, match="only micro creators are indexed"):
        search(warehouse, real, BRIEFS["gaming"], Filters(tier="mid"))
    outside = warehouse.scalar(
        "SELECT c.handle FROM creators c JOIN creator_scores s USING (platform, creator_id) "
        "WHERE s.tier = 'mid' ORDER BY c.handle LIMIT 1"
    )
    with pytest.raises(NotFoundError, match="index_tiers"):
        similar(warehouse, real, str(outside), Filters())


def test_widening_the_band_makes_the_index_stale_until_scoring_embeds_the_new_tiers(
    workspace: tuple[Warehouse, Settings], real: Adapters
) -> None:
    warehouse, settings = workspace
    # the same home and text model, with a wider band: a store of its own on the same folder
    wider = Adapters(settings.model_copy(update={"index_tiers": "micro,mid"}))
    with pytest.raises(
        NotFoundError, match=r"index is stale \(what it was built from.*index_tiers"
    ):
        search(warehouse, wider, BRIEFS["gaming"], Filters(tier="mid"))
    status = update_index(warehouse, wider.index_store, real.embedder, tiers="micro,mid")
    assert status.counts is not None
    assert status.counts.added > 0
    assert status.counts.changed == 0  # the micro vectors were kept, not embedded again
    after = search(warehouse, wider, BRIEFS["gaming"], Filters(tier="mid"))
    assert after.hits
    assert after.notes == ()
    # back to the default band, for the tests after this one
    update_index(warehouse, real.index_store, real.embedder, tiers=settings.index_tiers)


def test_the_cli_prints_reasons_json_and_one_line_errors(
    workspace: tuple[Warehouse, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, settings = workspace
    warehouse.close()  # the CLI opens the file itself
    monkeypatch.setenv("MICROSCOUT_HOME", str(settings.home))
    monkeypatch.setenv("MICROSCOUT_NICHE_LEXICON_TERMS", "800")
    monkeypatch.setenv("MICROSCOUT_EMBEDDING_MAX_TOKENS", "96")
    app = typer.Typer()
    app.command()(discover_cli.search)
    app.command()(discover_cli.similar)
    runner = CliRunner()
    done = runner.invoke(app, ["search", BRIEFS["travel"], "--json", "--limit", "3"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert len(payload["results"]) == 3
    assert payload["results"][0]["reasons"]
    bad = runner.invoke(app, ["similar", "nobody_here"])
    assert bad.exit_code == 4
    assert "Traceback" not in bad.output
    assert "no creator with handle" in bad.output
    reopened = Warehouse(Path(settings.warehouse_file), memory_limit="1GB", threads=2)
    reopened.close()
