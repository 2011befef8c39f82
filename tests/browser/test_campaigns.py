"""The campaign pages in Chromium: moving creators along the board, the brief editor and its
check, and the report with predicted against actual."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import httpx
import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from microscout.bootstrap import open_warehouse, open_workspace
from microscout.config import Settings
from microscout.services.campaigns import manage
from tests.browser.conftest import serving


@pytest.fixture(scope="module")
def home(scored_demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("campaign-pages")
    return scored_demo.model_copy(
        update={
            "workspace_url": f"sqlite:///{(folder / 'ws.sqlite').as_posix()}",
            "secret_key": SecretStr("campaign pages"),
        }
    )


@pytest.fixture(scope="module")
def campaign(home: Settings) -> dict[str, Any]:
    """A campaign of three demo creators a brand sponsored, one of them agreed and live."""
    with duckdb.connect(str(home.warehouse_file), read_only=True) as con:
        rows = con.execute(
            "SELECT lower(split_part(sponsors, '|', 1)) AS brand, list(DISTINCT c.handle) "
            "FROM posts p JOIN creators c USING (platform, creator_id) "
            "WHERE sponsors <> '' GROUP BY 1 ORDER BY count(DISTINCT c.handle) DESC LIMIT 1"
        ).fetchone()
    assert rows is not None
    brand, handles = rows[0], sorted(rows[1])[:3]
    with open_workspace(home) as ws, open_warehouse(home, read_only=True) as wh:
        made = manage.create_campaign(
            ws, "Pages", 3000, date(2025, 1, 1), date(2026, 12, 31), brand_handle=brand
        )
        manage.add_creators(ws, wh, made.id, handles=handles)
        manage.agree(ws, made.id, handles[0], 500)
        manage.move(ws, made.id, handles[0], "content_live")
    return {"id": made.id, "handles": handles}


@pytest.fixture(scope="module")
def site(home: Settings) -> Iterator[str]:
    with serving(home) as url:
        yield url


def _card(page: Page, status: str, handle: str) -> Any:
    return page.locator(f"section[data-status='{status}'] article[data-handle='{handle}']")


def test_a_creator_moves_along_the_board_in_one_action_each(
    page: Page, site: str, campaign: dict[str, Any]
) -> None:
    handle = campaign["handles"][1]
    page.goto(f"{site}/campaigns/{campaign['id']}")
    expect(_card(page, "shortlisted", handle)).to_be_visible()
    card = _card(page, "shortlisted", handle)
    card.get_by_label(f"move @{handle} to").select_option("contacted")
    card.get_by_role("button", name=f"move @{handle}").click()
    expect(_card(page, "contacted", handle)).to_be_visible()
    # agreeing is one form too; a move past "agreed" without a fee is refused with the reason
    card = _card(page, "contacted", handle)
    card.get_by_label(f"move @{handle} to").select_option("paid")
    card.get_by_role("button", name=f"move @{handle}").click()
    expect(page.get_by_role("alert")).to_contain_text("record the agreed fee first")
    card = _card(page, "contacted", handle)
    card.get_by_label(f"agreed fee for @{handle}").fill("350")
    card.get_by_role("button", name=f"agree with @{handle}").click()
    expect(_card(page, "agreed", handle)).to_be_visible()


def test_the_brief_editor_checks_and_previews_the_brief(
    page: Page, site: str, campaign: dict[str, Any]
) -> None:
    page.goto(f"{site}/campaigns/{campaign['id']}/brief")
    page.get_by_label("What we hope for (goal)").fill("Cook something real with our oats.")
    page.get_by_label("Who it is for (audience)").fill("People who cook on weeknights.")
    page.get_by_label("Please get across (one per line, at most 3)").fill(
        'Say "these oats changed my mornings and my whole family loves them" word for word'
    )
    page.get_by_role("button", name="Save and check").click()
    concerns = page.get_by_role("status")
    expect(concerns).to_contain_text("scripts the creator")
    expect(page.locator("li[data-field='must_mentions']").first).to_be_visible()
    page.get_by_label("Please get across (one per line, at most 3)").fill("they are whole-grain")
    page.get_by_role("button", name="Save and check").click()
    expect(page.get_by_role("status")).to_contain_text("leaves the creative to the creator")
    brief = page.locator("article.brief-page")
    expect(brief.get_by_role("heading", name="Yours to decide")).to_be_visible()
    expect(brief.get_by_role("heading", name="Disclosure (required)")).to_be_visible()
    expect(brief.locator("li", has_text="voice")).to_be_visible()
    expect(page.locator("pre.brief-preview")).to_contain_text("## Yours to decide")


def test_the_report_shows_totals_and_predicted_against_actual(
    page: Page, site: str, home: Settings, campaign: dict[str, Any]
) -> None:
    with open_workspace(home) as ws:
        committed = sum(
            m.agreed_fee or 0
            for m in manage.members(ws, campaign["id"])
            if m.status in ("agreed", "content_live", "paid")
        )
    page.goto(f"{site}/campaigns/{campaign['id']}/report")
    expect(page.locator("tr[data-totals] td").first).to_have_text(f"${committed:,.0f}")
    # the funnel and the reach over time are drawn; the comparison says why it is empty
    expect(page.locator("[data-chart][data-drawn]")).to_have_count(2)
    expect(page.locator("[data-empty-chart=chart-predicted]")).to_contain_text("saved plan")
    live = page.locator(f"tr[data-handle='{campaign['handles'][0]}']")
    expect(live).to_contain_text("content live")
    expect(page.get_by_role("link", name="Export CSV")).to_be_visible()
    exported = httpx.get(f"{site}/campaigns/{campaign['id']}/report.csv")
    assert exported.status_code == 200
    assert exported.text.splitlines()[0].startswith("handle,platform,status,spend")
