"""Niche math and the packaged taxonomy, against hand-computed values."""

from __future__ import annotations

import pytest

from microscout.adapters.text.taxonomy import packaged_keywords, packaged_taxonomy
from microscout.core.niche import niche_focus, parse_taxonomy
from microscout.core.niche.ranking import (
    NEUTRAL,
    NICHE_SPAN,
    blend,
    engagement_component,
    niche_component,
    quality_component,
    reach_component,
    terms_component,
)
from microscout.core.niche.taxonomy import parse_keywords
from microscout.services.discovery.niches import KIM_TO_IAB, resolve_label


def test_focus_is_one_when_every_post_is_about_one_niche() -> None:
    assert niche_focus({"559": 1.0}, 30, 300) == pytest.approx(1.0)


def test_focus_of_an_80_20_mix_over_30_posts_matches_the_hand_computation() -> None:
    # H = -(0.8 ln 0.8 + 0.2 ln 0.2) = 0.50040; ln 30 = 3.40120; 1 - 0.50040/3.40120 = 0.85288
    assert niche_focus({"559": 0.8, "216": 0.2}, 30, 300) == pytest.approx(0.85288, abs=1e-5)


def test_focus_is_zero_when_posts_spread_as_evenly_as_they_can() -> None:
    assert niche_focus({"a": 0.5, "b": 0.5}, 2, 300) == pytest.approx(0.0)


def test_focus_is_undefined_with_fewer_than_two_posts() -> None:
    assert niche_focus({"559": 1.0}, 1, 300) is None


def test_the_packaged_taxonomy_has_the_iab_tree() -> None:
    taxonomy = packaged_taxonomy()
    assert len(taxonomy) == 704
    skin = taxonomy.get("559")
    assert skin.path == "Style & Fashion > Beauty > Skin Care"
    assert taxonomy.ancestor_at("559", 1) == "552"
    assert all(iab in taxonomy for iab in KIM_TO_IAB.values())


def test_parsing_rejects_text_without_the_header() -> None:
    with pytest.raises(ValueError, match="Unique ID"):
        parse_taxonomy("id\tname\n1\tx\n")


def test_labels_resolve_from_kim_categories_iab_names_and_ids() -> None:
    taxonomy = packaged_taxonomy()
    assert resolve_label("pet", taxonomy) == "422"
    assert resolve_label("skin care", taxonomy) == "559"
    assert resolve_label("680", taxonomy) == "680"
    assert resolve_label("no such niche", taxonomy) is None


def test_the_blend_is_a_weighted_mean_and_effects_are_signed_from_neutral() -> None:
    ranked = blend({"relevance": (0.8, "r"), "reach": (0.25, "q")}, {"relevance": 3, "reach": 1})
    assert ranked.score == pytest.approx((3 * 0.8 + 1 * 0.25) / 4)
    effects = {c.name: c.effect for c in ranked.components}
    assert effects == pytest.approx({"relevance": 3 * 0.3 / 4, "reach": -1 * 0.25 / 4})


def test_engagement_at_the_tier_median_and_reach_at_the_gate_are_neutral() -> None:
    assert engagement_component(0.03, 0.03)[0] == pytest.approx(0.5)
    assert reach_component(0.10, 0.10)[0] == pytest.approx(0.5)
    assert reach_component(0.50, 0.10)[0] == pytest.approx(1.0)
    assert engagement_component(None, 0.03) == (0.5, "engagement unknown (neutral)")


def test_a_creator_not_vetted_is_neutral_in_the_ranking_never_raised_by_quality() -> None:
    assert quality_component(None) == (NEUTRAL, "audience not vetted (neutral)")
    # a stale row with a score beside the verdict "not vetted" is not raised by it either
    assert quality_component(100.0, "not vetted")[0] == NEUTRAL
    assert quality_component(100.0, "ok") == (1.0, "audience quality 100/100")


def test_brief_words_in_the_content_only_raise_and_none_found_is_neutral() -> None:
    assert terms_component(0, 3)[0] == NEUTRAL
    assert terms_component(3, 3) == (1.0, "3 of 3 brief words in its content")
    assert terms_component(1, 2)[0] == 0.75
    assert terms_component(0, 0)[0] == NEUTRAL


def test_the_closest_niche_raises_fully_and_a_niche_a_span_less_close_lowers_fully() -> None:
    closest = ("Gardening", 0.43)
    assert niche_component("Gardening", 0.43, closest)[0] == 1.0
    half = niche_component("Landscaping", 0.43 - NICHE_SPAN / 2, closest)
    assert half[0] == pytest.approx(NEUTRAL)
    assert half[1] == "niche Landscaping: 0.05 less close to the brief than Gardening"
    assert niche_component("Fish and Aquariums", 0.43 - 3 * NICHE_SPAN, closest)[0] == 0.0


def test_a_creator_without_a_niche_or_a_brief_without_candidate_niches_is_neutral() -> None:
    assert niche_component(None, None, ("Gardening", 0.43)) == (NEUTRAL, "niche unknown (neutral)")
    assert niche_component("Gardening", 0.43, None)[0] == NEUTRAL


def test_every_category_up_to_tier_3_has_six_to_ten_keywords_of_its_own() -> None:
    taxonomy = packaged_taxonomy()
    keywords = packaged_keywords()
    assert set(keywords) == {c.id for c in taxonomy.up_to_depth(3)}
    counts = {len([w for w in words.split(",") if w.strip()]) for words in keywords.values()}
    assert min(counts) >= 6
    assert max(counts) <= 10


def test_a_keywords_line_without_a_tab_is_refused_with_its_line_number() -> None:
    with pytest.raises(ValueError, match="line 3"):
        parse_keywords("# note\nid\tkeywords\n559 skincare, serum\n")
