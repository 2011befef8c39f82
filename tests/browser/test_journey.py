"""The marketer's journey in a real browser: search -> profile -> compare -> plan -> shortlist.

Every page is screenshotted; a page fails the test if it shows an error, and a chart fails it
if it is drawn without points.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS

BRIEF = "protein bars for people who lift weights and train at the gym"


def check_page(page: Page, name: str) -> dict[str, Any]:
    """Screenshot the page, then fail on an error message or an empty drawn chart."""
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    alerts = page.locator(".alert").all_inner_texts()
    assert not alerts, f"{name} shows an error: {alerts}"
    charts: list[dict[str, Any]] = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => ({
              id: el.id,
              drawn: Boolean(el.data),
              points: (el.data || []).reduce((n, t) =>
                  n + ((t.y || t.z || []).filter(v => v !== null).length), 0)}))"""
    )
    for chart in charts:
        assert chart["drawn"], f"{name}: chart {chart['id']} was not drawn"
        assert chart["points"] > 0, f"{name}: chart {chart['id']} is empty"
    empty = page.locator("[data-empty-chart]").all_inner_texts()
    assert all(len(text) > len("No chart: ") for text in empty), "an empty chart without reason"
    return {"charts": charts, "empty": empty}


def test_search_profile_compare_plan_and_shortlist(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/search")
    expect(page.locator("input[name=min_followers]")).to_have_value("10000")
    expect(page.locator("input[name=max_followers]")).to_have_value("50000")
    page.fill("textarea[name=brief]", BRIEF)
    page.get_by_role("button", name="Search").click()
    hits = page.locator("li.hit")
    expect(hits.first).to_be_visible()
    assert hits.count() >= 3
    expect(hits.first.locator(".reasons li").first).to_be_visible()
    check_page(page, "1-search")

    first, second, third = (hits.nth(i).get_attribute("data-handle") for i in range(3))
    hits.first.locator("a.handle").click()
    expect(page.locator("h1")).to_contain_text(f"@{first}")
    er_cell = page.locator("td[data-metric=er_median]")
    assert "window" in (er_cell.get_attribute("title") or "")
    assert re.search(r"n = \d+", er_cell.get_attribute("title") or "")
    profile = check_page(page, "2-profile")
    assert len(profile["charts"]) >= 2, profile

    page.go_back()
    for i in range(3):
        hits.nth(i).locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Compare selected").click()
    for handle in (first, second, third):
        expect(page.locator("table.compare")).to_contain_text(f"@{handle}")
    check_page(page, "3-compare")

    page.goto(f"{base_url}/plan")
    page.fill("textarea[name=brief]", BRIEF)
    page.fill("input[name=budget]", "4000")
    page.get_by_role("button", name="Plan").click()
    expect(page.locator("table.plan tbody tr").first).to_be_visible()
    planned = page.locator("table.plan tbody tr").count()
    plan = check_page(page, "4-plan")
    assert len(plan["charts"]) == 1

    page.fill("input[name=shortlist_name]", "Gym protein launch")
    page.get_by_role("button", name="Save as shortlist").click()
    expect(page.locator("h1")).to_contain_text("Gym protein launch")
    assert page.locator("table.shortlist tbody tr").count() == planned
    check_page(page, "5-shortlist")
