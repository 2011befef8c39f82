"""Pages read as words for people: metric names in words with the column and formula on hover,
IAB names rather than ids, no internal post ids, the search page's defaults equal to the API's,
and a compare heatmap that never shows a number for audiences that cannot overlap."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.services.browse.labels import hover_of, label_of
from microscout.web.templating import as_json, niche, value, without_post_id

BRIEF = "vegan skincare for sensitive skin"
# The demo's internal post ids look like ig_000001_p048.
POST_ID = re.compile(r"\b(?:ig|tt|yt)_\d{6}_p\d+\b")
HIT = re.compile(r'<a class="handle" href="/creators/([^/"]+)/([^"]+)">')
ROW_HEADER = re.compile(r'<th scope="row" title="([^"]*)" data-column="([^"]+)">([^<]*)</th>')


def test_the_profile_names_each_metric_in_words_with_column_and_formula_on_hover(
    client: TestClient, micro: dict[str, Any]
) -> None:
    page = client.get(f"/creators/{micro['platform']}/{micro['handle']}")
    assert page.status_code == 200
    rows = {column: (html.unescape(t), text) for t, column, text in ROW_HEADER.findall(page.text)}
    assert rows["er_median"] == (hover_of("er_median"), "Engagement rate (median)")
    assert rows["er_median"][0].startswith("er_median: median of (likes + comments")
    assert all("_" not in text for _, text in rows.values())
    assert all(title.startswith(f"{column}") for column, (title, _) in rows.items())
    assert '<th scope="row">er_median</th>' not in page.text


def test_the_profile_shows_the_niche_by_name_with_its_id_on_hover(
    client: TestClient, micro: dict[str, Any]
) -> None:
    detail = client.get(f"/api/v1/creators/{micro['platform']}/{micro['handle']}").json()
    niche_id = next(m["value"] for m in detail["metrics"] if m["name"] == "niche_primary")
    assert niche_id
    page = client.get(f"/creators/{micro['platform']}/{micro['handle']}").text
    cell = re.search(r'<td class="num" title="([^"]*)" data-metric="niche_primary">([^<]*)<', page)
    assert cell is not None
    assert html.unescape(cell.group(2)) == packaged_taxonomy().name(niche_id)
    assert f"IAB Content Taxonomy 3.1 id {niche_id}" in cell.group(1)


def test_the_profile_posts_link_to_the_post_instead_of_naming_its_id(
    client: TestClient, micro: dict[str, Any]
) -> None:
    page = client.get(f"/creators/{micro['platform']}/{micro['handle']}").text
    posts = page.split("<h2>Recent posts</h2>")[1].split("<h2>")[0]
    assert '<a href="https://' in posts
    assert not POST_ID.search(re.sub(r'href="[^"]*"', "", posts))


def test_search_results_name_niches_and_quote_posts_without_their_ids(
    client: TestClient,
) -> None:
    page = client.get("/search", params={"brief": BRIEF})
    assert page.status_code == 200
    results = page.text.split('<ol class="results">')[1]
    badges = re.findall(r'<span class="badge niche"><span title="([^"]*)">([^<]*)</span>', results)
    assert badges
    for hover, name in badges:
        assert "IAB Content Taxonomy 3.1 id" in html.unescape(hover)
        assert not re.search(r"\(\d+\)", name)
    assert "<q>" in results
    assert not POST_ID.search(re.sub(r'href="[^"]*"', "", results))
    assert f'title="{html.escape(hover_of("er_median"))}"' in results


def test_a_search_link_with_only_a_brief_lists_what_the_api_lists_by_default(
    client: TestClient,
) -> None:
    page = client.get("/search", params={"brief": BRIEF})
    listed = [(p, html.unescape(h)) for p, h in HIT.findall(page.text)]
    api = client.get("/api/v1/search", params={"brief": BRIEF}).json()
    assert listed == [(h["platform"], h["handle"]) for h in api["items"]]
    assert 'name="min_followers" inputmode="numeric" size="8" value="10000"' in page.text
    assert 'name="max_followers" inputmode="numeric" size="8" value="50000"' in page.text


def test_a_search_link_naming_a_tier_keeps_it_without_the_micro_range(
    client: TestClient,
) -> None:
    page = client.get("/search", params={"brief": BRIEF, "tier": "mid"})
    api = client.get("/api/v1/search", params={"brief": BRIEF, "tier": "mid"}).json()
    listed = [(p, html.unescape(h)) for p, h in HIT.findall(page.text)]
    assert listed
    assert listed == [(h["platform"], h["handle"]) for h in api["items"]]


def test_compare_names_figures_in_words_and_gives_no_number_across_platforms(
    client: TestClient,
) -> None:
    by_platform = {}
    for platform in ("instagram", "tiktok"):
        body = client.get("/api/v1/creators", params={"platform": platform, "limit": 2}).json()
        by_platform[platform] = [f"{i['platform']}:{i['handle']}" for i in body["items"]]
    chosen = [*by_platform["instagram"], by_platform["tiktok"][0]]
    page = client.get("/compare", params=[("c", c) for c in chosen])
    assert page.status_code == 200
    assert "Engagement rate (median)" in page.text
    assert f'title="{html.escape(hover_of("er_median"))}' in page.text
    spec = re.search(
        r'<script type="application/json" id="chart-overlap-spec">(.*?)</script>', page.text
    )
    assert spec is not None
    measured, blank = json.loads(spec.group(1))["data"]
    assert measured["z"][0][2] is None
    assert blank["text"][0][2] == "no shared<br>platform"
    api = client.get("/api/v1/creators/compare", params=[("creator", c) for c in chosen]).json()
    assert api["overlap"][0][2] is None
    assert api["basis"][0][2] == "no shared platform"
    assert isinstance(api["overlap"][0][1], float)


def test_template_helpers_read_as_people_expect() -> None:
    assert (
        str(niche("559"))
        == '<span title="IAB Content Taxonomy 3.1 id 559: '
        + html.escape(packaged_taxonomy().get("559").path)
        + '">Skin Care</span>'
    )
    assert str(niche("Skin Care (559)")) == str(niche("559"))
    assert str(niche(None)) == "—"
    assert without_post_id("ig_000001_p048: Vegan meal prep") == "Vegan meal prep"
    assert without_post_id("no id here") == "no id here"
    assert value("niche_primary", "559") == "Skin Care"
    assert value("audience_quality", 51.0) == "51 / 100"
    assert label_of("cpe").text == "Cost per engagement"


def test_chart_figures_are_json_a_script_element_cannot_be_closed_by() -> None:
    figure = {
        "title": "</script><script>alert(1)</script> & more",
        "y": [0.5, float("nan"), float("inf")],
        "x": [date(2026, 1, 2)],
    }
    text = str(as_json(figure))
    assert not {"<", ">", "&"} & set(text)
    # NaN and infinity are not JSON: a browser's JSON.parse would refuse the whole figure.
    assert json.loads(text) == {
        "title": figure["title"],
        "y": [0.5, None, None],
        "x": ["2026-01-02"],
    }
