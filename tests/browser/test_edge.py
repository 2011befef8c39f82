"""The app's outer wall in a real browser: a page served from another loopback port cannot
change anything, and the API docs work with every outside request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect

from tests.browser.conftest import another_origin


def shortlists(base_url: str) -> dict[str, int]:
    items = httpx.get(f"{base_url}/api/v1/shortlists").json()
    return {s["name"]: s["id"] for s in items}


@pytest.fixture
def other_site(tmp_path: Path, base_url: str) -> Iterator[str]:
    """Another origin on loopback (another port) serving an attacker's page that, once loaded,
    posts a form to the app, deletes a shortlist by form and sends a cross-origin fetch."""
    victim = httpx.post(f"{base_url}/api/v1/shortlists", json={"name": "client work"})
    assert victim.status_code == 201
    victim_id = victim.json()["id"]
    (tmp_path / "attack.html").write_text(
        f"""<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="create" method="post" action="{base_url}/shortlists" target="sink">
  <input name="name" value="planted by another site"></form>
<form id="delete" method="post" action="{base_url}/shortlists/{victim_id}/delete" target="sink">
</form>
<script>
  fetch("{base_url}/api/v1/shortlists", {{method: "POST", mode: "no-cors",
        headers: {{"Content-Type": "text/plain"}}, body: '{{"name": "planted by fetch"}}'}})
    .finally(() => {{
      document.getElementById("create").submit();
      setTimeout(() => {{ document.getElementById("delete").submit(); }}, 300);
      setTimeout(() => {{ document.title = "done"; }}, 900);
    }});
</script></body></html>""",
        encoding="utf-8",
    )
    with another_origin(tmp_path) as origin:
        yield f"{origin}/attack.html"


def test_a_page_on_another_port_cannot_create_or_delete(
    page: Page, base_url: str, other_site: str
) -> None:
    refused: list[int] = []
    page.on(
        "response",
        lambda r: refused.append(r.status) if r.url.startswith(base_url) else None,
    )
    page.goto(other_site)
    expect(page).to_have_title("done", timeout=15_000)
    names = shortlists(base_url)
    assert "client work" in names  # not deleted
    assert not {"planted by another site", "planted by fetch"} & set(names)
    # the app answered each attempt, with a refusal, rather than failing to be reached
    assert refused
    assert set(refused) == {403}


def outside_blocked(page: Page, base_url: str) -> list[str]:
    """Abort every request that leaves the app; the list of what was tried."""
    tried: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            tried.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return tried


def policy_violations(page: Page) -> list[str]:
    seen: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", note)
    return seen


def test_the_api_docs_work_offline_under_the_policy(page: Page, base_url: str) -> None:
    tried = outside_blocked(page, base_url)
    violations = policy_violations(page)
    page.goto(f"{base_url}/api/v1/docs")
    expect(page.get_by_text("/api/v1/creators", exact=True).first).to_be_visible()
    page.get_by_text("/api/v1/creators", exact=True).first.click()
    expect(page.get_by_role("button", name="Try it out").first).to_be_visible()
    assert tried == []
    assert violations == []


def test_the_pages_and_charts_work_under_the_policy(page: Page, base_url: str) -> None:
    tried = outside_blocked(page, base_url)
    violations = policy_violations(page)
    creator: dict[str, Any] = httpx.get(
        f"{base_url}/api/v1/creators", params={"tier": "micro", "limit": 1}
    ).json()["items"][0]
    page.goto(f"{base_url}/creators/{creator['platform']}/{creator['handle']}")
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-chart]')).map(el => Boolean(el.data))"
    )
    assert drawn
    assert all(drawn)
    page.goto(f"{base_url}/plan")
    expect(page.locator("fieldset.choices").first).to_have_css("display", "flex")
    assert tried == []
    assert violations == []
