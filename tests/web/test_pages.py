"""The HTML pages through the ASGI client: forms, errors as pages, PNG charts, shortlist forms."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from microscout.config import Settings
from microscout.web.cache import PageCache, ServeCachedPages
from tests.local_web import form

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_search_page_starts_at_the_micro_band(client: TestClient) -> None:
    page = client.get("/search")
    assert page.status_code == 200
    assert 'name="min_followers" inputmode="numeric" size="8" value="10000"' in page.text
    assert 'name="max_followers" inputmode="numeric" size="8" value="50000"' in page.text


def test_a_bad_form_value_is_a_400_page_naming_the_field(client: TestClient) -> None:
    page = client.get(
        "/search", params={"brief": "dog treats", "min_followers": "lots", "max_followers": ""}
    )
    assert page.status_code == 400
    assert "min_followers: &#39;lots&#39; is not a number" in page.text
    assert "Traceback" not in page.text


def test_an_unknown_creator_is_a_404_page(client: TestClient) -> None:
    page = client.get("/creators/instagram/nobody_by_this_name")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no creator with handle" in page.text


def test_profile_charts_come_as_png_for_reports(client: TestClient, micro: dict[str, Any]) -> None:
    for name in ("engagement", "reach", "growth", "niches"):
        png = client.get(f"/creators/{micro['platform']}/{micro['handle']}/charts/{name}.png")
        assert png.status_code == 200, name
        assert png.content.startswith(PNG), name
    missing = client.get(f"/creators/{micro['platform']}/{micro['handle']}/charts/pie.png")
    assert missing.status_code == 404


def test_plotly_is_served_locally(client: TestClient) -> None:
    script = client.get("/vendor/plotly.min.js")
    assert script.status_code == 200
    assert len(script.content) > 1_000_000
    head = client.get("/search").text.split("<main>")[0]
    assert "https://" not in head
    assert "/vendor/plotly.min.js" not in head


def test_adding_from_a_page_creates_the_named_list_once(
    client: TestClient, micro: dict[str, Any]
) -> None:
    key = f"{micro['platform']}:{micro['handle']}"
    first = client.post(
        "/shortlists/add",
        data=form(client, {"c": key, "shortlist_name": "Pages list"}),
        follow_redirects=False,
    )
    assert first.status_code == 303
    again = client.post(
        "/shortlists/add",
        data=form(client, {"c": key, "shortlist_name": "pages LIST"}),
        follow_redirects=False,
    )
    assert again.headers["location"] == first.headers["location"]
    page = client.get(first.headers["location"])
    assert page.text.count(f'data-handle="{micro["handle"]}"') == 1
    nothing = client.post("/shortlists/add", data=form(client, {"shortlist_name": "Pages list"}))
    assert nothing.status_code == 400


def test_the_plan_page_shows_totals_and_the_macro_comparison(client: TestClient) -> None:
    query = {"brief": "healthy treats for dogs", "budget": "3000"}
    page = client.get("/plan", params=query)
    assert page.status_code == 200
    assert 'data-total="unique_reach"' in page.text
    assert "one macro creator" in page.text or "No macro creator fits" in page.text
    png = client.get(
        "/plan/frontier.png", params={"brief": "healthy treats for dogs", "budget": "3000"}
    )
    assert png.content.startswith(PNG)
    bad = client.get("/plan", params={"brief": "healthy treats for dogs", "budget": "-1"})
    assert bad.status_code == 400
    assert "budget" in bad.text


def test_a_repeated_page_comes_from_the_cache_until_the_warehouse_changes(
    client: TestClient, scored_demo: Settings, micro: dict[str, Any]
) -> None:
    url = f"/creators/{micro['platform']}/{micro['handle']}"
    first = client.get(url)
    second = client.get(url)
    assert second.headers.get("x-page-cache") == "hit"
    assert second.text == first.text
    os.utime(scored_demo.warehouse_file)  # a new version of the data
    third = client.get(url)
    assert third.headers.get("x-page-cache") is None
    assert third.text == first.text


def request(path: str, query: bytes = b"") -> Request:
    """A bare GET request for the page cache's own tests."""
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query,
            "headers": [],
            "server": ("127.0.0.1", 80),
            "scheme": "http",
        }
    )


def test_the_page_cache_keeps_only_the_most_recent_pages(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "warehouse.duckdb", size=2)
    for path in ("/a", "/b", "/c"):
        cache.put(request(path), HTMLResponse(path))
    assert cache.get(request("/a")) is None
    assert cache.get(request("/c")) is not None
    assert cache.get(request("/b")) is not None
    assert cache.put(request("/d"), HTMLResponse("x", status_code=404)) is not None
    assert cache.get(request("/d")) is None


def test_a_stored_page_is_answered_before_the_app_and_only_for_get(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "warehouse.duckdb", size=4)
    reached: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["method"])
        await HTMLResponse("rendered")(scope, receive, send)

    served = TestClient(ServeCachedPages(app, cache))
    assert served.get("/p?q=1").text == "rendered"
    assert reached == ["GET"]
    cache.put(request("/p", b"q=1"), HTMLResponse("stored"))
    hit = served.get("/p?q=1")
    assert hit.text == "stored"
    assert hit.headers["x-page-cache"] == "hit"
    assert reached == ["GET"]  # the app was not called for the hit
    assert served.get("/p?q=2").text == "rendered"  # another query is another page
    assert served.post("/p?q=1").text == "rendered"
    assert reached == ["GET", "GET", "POST"]


def test_notes_and_removal_from_the_shortlist_page(
    client: TestClient, micro: dict[str, Any]
) -> None:
    key = f"{micro['platform']}:{micro['handle']}"
    made = client.post(
        "/shortlists/add", data=form(client, {"c": key, "shortlist_name": "Notes page"})
    )
    url = str(made.url)
    noted = client.post(f"{url}/note", data=form(client, {"c": key, "note": "loves our serum"}))
    assert noted.status_code == 200
    assert 'value="loves our serum"' in noted.text
    too_long = client.post(f"{url}/note", data=form(client, {"c": key, "note": "x" * 2001}))
    assert too_long.status_code == 400
    assert "note" in too_long.text
    no_creator = client.post(f"{url}/note", data=form(client, {"note": "who?"}))
    assert no_creator.status_code == 422
    removed = client.post(f"{url}/remove", data=form(client, {"c": key}))
    assert f'data-handle="{micro["handle"]}"' not in removed.text
    assert "Empty: add creators" in removed.text


def test_pages_show_small_money_with_cents_and_large_money_whole() -> None:
    from microscout.web.templating import value

    assert value("cpe", 0.37) == "$0.37"
    assert value("fee_per_post", 1234.4) == "$1,234"
    assert value("cpm", 0.0) == "$0.00"
