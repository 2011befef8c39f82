"""Campaigns on real SQLite and PostgreSQL workspaces beside the scored demo's warehouse: the
pipeline, tracking clicks, orders, and a report checked against figures computed here by hand
from the warehouse's own rows."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pydantic import SecretStr
from sqlalchemy import text

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.core.campaigns.tracking import slug as _slug
from microscout.errors import FileFormatError, NotFoundError, ParameterError, StoreError
from microscout.services.campaigns import manage
from microscout.services.campaigns.briefs import set_brief, view_brief
from microscout.services.campaigns.calibration import calibration
from microscout.services.campaigns.orders import import_orders
from microscout.services.campaigns.outreach import write_outreach
from microscout.services.campaigns.report import campaign_report
from microscout.services.campaigns.sessions import import_sessions
from microscout.services.campaigns.shop import create_shop_codes
from microscout.services.campaigns.tracking import follow_link, tracking
from tests import workspace_stores
from tests.fake_shopify import TOKEN, VERSION, fake_shop

postgres_server = workspace_stores.postgres_server
workspace_url = workspace_stores.workspace_url

KEY = b"a signing key for the tests"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)


@pytest.fixture(scope="module")
def sponsored(scored_demo: Settings) -> dict[str, Any]:
    """A demo creator and a brand that sponsors some of their posts, found in the warehouse."""
    with duckdb.connect(str(scored_demo.warehouse_file), read_only=True) as con:
        row = con.execute(
            "SELECT c.platform, c.creator_id, c.handle, lower(split_part(p.sponsors, '|', 1)) "
            "FROM posts p JOIN creators c USING (platform, creator_id) "
            "WHERE p.sponsors IS NOT NULL AND p.sponsors <> '' "
            "ORDER BY c.handle LIMIT 1"
        ).fetchone()
    assert row is not None
    return {"platform": row[0], "creator_id": row[1], "handle": row[2], "brand": row[3]}


def _expected(settings: Settings, who: dict[str, Any]) -> dict[str, int]:
    """The creator's posts naming the brand, added up here in SQL: reach, else views."""
    brand = who["brand"]
    with duckdb.connect(str(settings.warehouse_file), read_only=True) as con:
        row = con.execute(
            "SELECT count(*), sum(coalesce(reach, views)), "
            "sum(coalesce(likes,0)+coalesce(comments,0)+coalesce(shares,0)+coalesce(saves,0)) "
            "FROM posts WHERE platform = ? AND creator_id = ? "
            "AND (list_contains(string_split(lower(coalesce(sponsors,'')), '|'), ?) "
            "  OR list_contains(string_split(lower(coalesce(mentions,'')), '|'), ?) "
            "  OR contains(lower(coalesce(caption,'')), '@' || ?))",
            [who["platform"], who["creator_id"], brand, brand, brand],
        ).fetchone()
    assert row is not None
    return {"posts": int(row[0]), "reach": int(row[1] or 0), "engagements": int(row[2] or 0)}


def _campaign(ws: Workspace, who: dict[str, Any], **extra: Any) -> int:
    made = manage.create_campaign(
        ws,
        "Autumn with " + who["brand"],
        5000,
        FIRST,
        LAST,
        brand=who["brand"].title(),
        brand_handle=who["brand"],
        landing_url="https://shop.example/autumn?ref=ig",
        **extra,
    )
    return made.id


def test_the_report_adds_up_what_the_warehouse_holds(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any], tmp_path: Path
) -> None:
    expected = _expected(scored_demo, sponsored)
    assert expected["posts"] >= 1
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(
            ws, wh, campaign, handles=[f"{sponsored['platform']}:{sponsored['handle']}"]
        )
        before = campaign_report(ws, wh, campaign)
        assert before.totals.posts == 0  # not agreed yet: nothing counts
        manage.agree(ws, campaign, sponsored["handle"], fee=1200.0, posts=2)
        (code,) = [t.promo_code for t in tracking(ws, campaign, "http://127.0.0.1:8000")]
        orders = tmp_path / "orders.csv"
        _write_orders(
            orders, [("#1", code, "80.00"), ("#2", code.lower(), "40.50"), ("#3", "", "99")]
        )
        assert import_orders(ws, campaign, orders).imported == 2
        report = campaign_report(ws, wh, campaign)
    (creator,) = report.creators
    assert (creator.posts, creator.reach, creator.engagements) == (
        expected["posts"],
        expected["reach"],
        expected["engagements"],
    )
    totals = report.totals
    assert totals.spend == 1200.0
    assert (totals.orders, totals.revenue) == (2, 120.5)
    assert totals.cpm == pytest.approx(1200.0 / expected["reach"] * 1000)
    assert totals.cpe == pytest.approx(1200.0 / expected["engagements"])
    assert totals.roas == pytest.approx(120.5 / 1200.0)
    assert totals.cpa == pytest.approx(600.0)
    assert totals.cpc is None  # nobody clicked: no cost per click
    assert all(p["counted_because"] == f"mentions @{sponsored['brand']}" for p in report.posts)


def _write_orders(path: Path, rows: list[tuple[str, str, str]], landing: str = "") -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["Name", "Created at", "Currency", "Total", "Discount Code", "Landing Site"])
        for name, code, total in rows:
            out.writerow([name, "2026-03-02 10:00:00 +0100", "USD", total, code, landing])


def test_orders_are_matched_by_code_or_utm_and_bad_rows_are_kept_aside(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any], tmp_path: Path
) -> None:
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(ws, wh, campaign, handles=[sponsored["handle"]])
        (link,) = tracking(ws, campaign, "http://127.0.0.1:8000")
        assert link.target is not None
        orders = tmp_path / "orders.csv"
        with orders.open("w", newline="", encoding="utf-8") as file:
            out = csv.writer(file)
            out.writerow(
                ["Name", "Created at", "Currency", "Total", "Discount Code", "Landing Site"]
            )
            out.writerow(["#10", "2026-03-02 10:00:00 +0100", "USD", "25.00", "", link.target])
            out.writerow(["#10", "", "", "", "", ""])  # its second line item
            out.writerow(["#11", "yesterday", "USD", "10", link.promo_code, ""])
            out.writerow(["#12", "2026-03-02", "USD", "-5", link.promo_code, ""])
            out.writerow(["#13", "2026-03-02", "USD", "30", "SOMEONEELSE", ""])
        first = import_orders(ws, campaign, orders)
        again = import_orders(ws, campaign, orders)
        with ws.engine.connect() as connection:
            rejected = connection.execute(
                text("SELECT line, reason FROM rejected_rows ORDER BY id")
            ).all()
    assert (first.imported, first.rejected, first.not_this_campaign) == (1, 2, 1)
    assert (again.imported, again.already) == (0, 1)
    assert [(line, reason.split(" ")[0]) for line, reason in rejected[:2]] == [
        (4, "'Created"),
        (5, "'Total'"),
    ]


def test_a_file_that_is_not_an_orders_export_changes_nothing(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any], tmp_path: Path
) -> None:
    wrong = tmp_path / "contacts.csv"
    wrong.write_text("email,name\nx@example.com,X\n", encoding="utf-8")
    with Workspace(workspace_url) as ws:
        campaign = _campaign(ws, sponsored)
        with pytest.raises(FileFormatError, match="no column 'Name', 'Created at', 'Total'"):
            import_orders(ws, campaign, wrong)
        with pytest.raises(FileFormatError, match="no such file"):
            import_orders(ws, campaign, tmp_path / "missing.csv")


def test_a_click_counts_once_per_visitor_and_day_never_for_bots_and_keeps_no_address(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any]
) -> None:
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(ws, wh, campaign, handles=[sponsored["handle"]])
        (link,) = tracking(ws, campaign, "http://127.0.0.1:8000")
        code = link.short_link.rsplit("/", 1)[1]
        day, next_day = date(2026, 3, 2), date(2026, 3, 3)
        targets = [
            follow_link(ws, code, KEY, "203.0.113.9", BROWSER, day),
            follow_link(ws, code, KEY, "203.0.113.9", BROWSER, day),  # the same visitor again
            follow_link(ws, code, KEY, "198.51.100.4", BROWSER, day),
            follow_link(ws, code, KEY, "203.0.113.9", BROWSER, next_day),
            follow_link(ws, code, KEY, "192.0.2.1", "Twitterbot/1.0", day),
            follow_link(ws, code, KEY, "192.0.2.2", "facebookexternalhit/1.1", day),
            follow_link(ws, code, KEY, "192.0.2.3", "", day),
        ]
        with pytest.raises(NotFoundError):
            follow_link(ws, "nosuchcode", KEY, "203.0.113.9", BROWSER, day)
        with ws.engine.connect() as connection:
            stored = connection.execute(text("SELECT * FROM link_clicks")).all()
        report = campaign_report(ws, wh, campaign)
    assert set(targets) == {link.target}
    assert len(stored) == 3  # two visitors on the 2nd, one on the 3rd
    assert "203.0.113.9" not in repr(stored)
    assert report.creators[0].clicks == 3


def test_the_pipeline_keeps_every_move_and_refuses_what_breaks_the_figures(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any]
) -> None:
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        handle = sponsored["handle"]
        manage.add_creators(ws, wh, campaign, handles=[handle])
        again = manage.add_creators(ws, wh, campaign, handles=[handle.upper()])
        assert (again.added, again.already) == ([], [handle])
        manage.move(ws, campaign, handle, "contacted", "first message")
        with pytest.raises(ParameterError, match="agreed fee first"):
            manage.move(ws, campaign, handle, "content live")
        with pytest.raises(ParameterError, match="not a status"):
            manage.move(ws, campaign, handle, "ghosted")
        manage.agree(ws, campaign, handle, fee=300.0)
        manage.move(ws, campaign, handle, "Content live")
        manage.move(ws, campaign, handle, "paid")
        with pytest.raises(ParameterError, match="cannot be declined"):
            manage.move(ws, campaign, handle, "declined")
        moves = manage.history(ws, campaign, handle)
    assert [(m["from"], m["to"]) for m in moves] == [
        (None, "shortlisted"),
        ("shortlisted", "contacted"),
        ("contacted", "agreed"),
        ("agreed", "content_live"),
        ("content_live", "paid"),
    ]
    assert moves[1]["note"] == "first message"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        ({"budget": 0}, "--budget"),
        ({"budget": float("nan")}, "--budget"),
        ({"ends_on": date(2024, 12, 31)}, "--end"),
        ({"currency": "dollars"}, "--currency"),
        ({"objective": "vibes"}, "--objective"),
        ({"name": " "}, "NAME"),
        ({"landing_url": "javascript:alert(1)"}, "--landing-url"),
    ],
)
def test_a_bad_campaign_is_refused_by_option_and_nothing_is_stored(
    workspace_url: str, args: dict[str, Any], option: str
) -> None:
    given: dict[str, Any] = {
        "name": "Spring",
        "budget": 1000,
        "starts_on": FIRST,
        "ends_on": LAST,
        **args,
    }
    with Workspace(workspace_url) as ws:
        with pytest.raises(ParameterError) as refused:
            manage.create_campaign(
                ws,
                given.pop("name"),
                given.pop("budget"),
                given.pop("starts_on"),
                given.pop("ends_on"),
                **given,
            )
        assert refused.value.name == option
        assert manage.list_campaigns(ws) == []


def test_a_brief_is_stored_replaced_checked_and_rendered_for_the_campaigns_platforms(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any]
) -> None:
    brief = {
        "goal": "Show how the product fits an ordinary week.",
        "audience": "Busy parents who cook.",
        "must_mentions": ["it is refillable"],
    }
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(ws, wh, campaign, handles=[sponsored["handle"]])
        with pytest.raises(NotFoundError, match="no brief yet"):
            view_brief(ws, campaign)
        first = set_brief(ws, campaign, brief)
        second = set_brief(ws, campaign, {**brief, "approval": "creative"})
        with pytest.raises(ParameterError, match="'audience' is required"):
            set_brief(ws, campaign, {"goal": "x"})
        kept = view_brief(ws, campaign)
    assert first.check.free
    assert not second.check.free
    assert kept.brief.approval == "creative"  # the second replaced the first; the bad one nothing
    assert f"{sponsored['platform'].title()}: " in kept.markdown


class Inbox:
    """aiosmtpd's handler: every message the local SMTP server accepts."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Any:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_addresses(settings: Settings, n: int) -> list[str]:
    with duckdb.connect(str(settings.warehouse_file), read_only=True) as con:
        rows = con.execute(
            "SELECT platform || ':' || handle FROM creators WHERE contact_email LIKE '%@%' "
            "ORDER BY handle LIMIT ?",
            [n],
        ).fetchall()
    return [r[0] for r in rows]


def test_outreach_is_written_always_and_sent_only_through_a_configured_server(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any], tmp_path: Path,
    smtp_server: Any,
) -> None:  # fmt: skip
    controller, inbox = smtp_server
    handles = _with_addresses(scored_demo, 3)
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(ws, wh, campaign, handles=handles)
        manage.agree(ws, campaign, handles[2], fee=250)  # agreed: no first message
        with pytest.raises(ParameterError, match="no SMTP server"):
            write_outreach(ws, wh, scored_demo, campaign, tmp_path / "none", "Ana", send=True)
        assert inbox.received == []
        written = write_outreach(ws, wh, scored_demo, campaign, tmp_path / "drafts", "Ana")
        configured = scored_demo.model_copy(
            update={
                "smtp_host": controller.hostname,
                "smtp_port": controller.port,
                "smtp_starttls": False,
                "mail_from": "Ana <ana@brand.example>",
            }
        )
        sent = write_outreach(ws, wh, configured, campaign, tmp_path / "sent", "Ana", send=True)
        statuses = {m.handle: m.status for m in manage.members(ws, campaign)}
    assert (written.drafts, written.sent) == (2, 0)
    assert sorted(p.name for p in (tmp_path / "drafts").iterdir() if p.suffix == ".eml") == sorted(
        f"{h.replace(':', '-')}.eml" for h in handles[:2]
    )
    with (tmp_path / "drafts" / "mail-merge.csv").open(encoding="utf-8") as file:
        merged = list(csv.DictReader(file))
    assert [r["mailto"].startswith("mailto:") for r in merged] == [True, True]
    assert sent.sent == 2
    assert len(inbox.received) == 2
    assert all(b"From: Ana <ana@brand.example>" in m for m in inbox.received)
    contacted = [h.split(":", 1)[1] for h in handles[:2]]
    assert [statuses[h] for h in contacted] == ["contacted", "contacted"]
    assert statuses[handles[2].split(":", 1)[1]] == "agreed"


def _shop_settings(settings: Settings, url: str, token: str = TOKEN) -> Settings:
    return settings.model_copy(
        update={
            "shopify_shop_url": url,
            "shopify_token": SecretStr(token),
            "shopify_api_version": VERSION,
        }
    )


def test_promo_codes_are_created_in_the_shop_once_through_throttling_and_errors(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any]
) -> None:
    handles = _with_addresses(scored_demo, 2)
    with (
        fake_shop() as shop,
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(ws, wh, campaign, handles=handles)
        assert create_shop_codes(ws, scored_demo, campaign, 15) is None  # no shop: nothing sent
        assert shop.requests == []
        shop.throttle_next, shop.fail_next = 1, 1
        first = create_shop_codes(ws, _shop_settings(scored_demo, shop.url), campaign, 15)
        again = create_shop_codes(ws, _shop_settings(scored_demo, shop.url), campaign, 15)
        with pytest.raises(ParameterError, match="--percent"):
            create_shop_codes(ws, _shop_settings(scored_demo, shop.url), campaign, 0)
        with pytest.raises(StoreError, match="refused the access token"):
            create_shop_codes(ws, _shop_settings(scored_demo, shop.url, "wrong"), campaign, 15)
        codes = {m.promo_code for m in manage.members(ws, campaign)}
    assert first is not None
    assert again is not None
    assert [r.outcome for r in first] == ["created", "created"]
    assert [r.outcome for r in again] == ["exists", "exists"]
    assert set(shop.codes) == codes
    made = next(iter(shop.codes.values()))
    assert made["customerGets"]["value"]["percentage"] == pytest.approx(0.15)
    assert made["context"] == {"all": "ALL"}
    assert made["endsAt"].startswith(str(LAST + timedelta(days=30)))
    # a rejected token stops at once: one request, no retry
    assert sum(r["token"] == "wrong" for r in shop.requests) == 1  # noqa: S105


def test_sessions_from_an_analytics_export_are_counted_per_creator_once(
    workspace_url: str, scored_demo: Settings, sponsored: dict[str, Any], tmp_path: Path
) -> None:
    export = tmp_path / "traffic.csv"
    with (
        Workspace(workspace_url) as ws,
        Warehouse(scored_demo.warehouse_file, read_only=True) as wh,
    ):
        campaign = _campaign(ws, sponsored)
        manage.add_creators(ws, wh, campaign, handles=[sponsored["handle"]])
        slugged = _slug(manage.get_campaign(ws, campaign).name)
        export.write_text(
            "# ----------------------------------------\n"
            "# Traffic acquisition: Session campaign\n"
            "# 20260301-20260331\n"
            "\n"
            "Date,Session source,Session medium,Session campaign,"
            "Session manual ad content,Sessions\n"
            f"20260302,instagram,influencer,{slugged},{sponsored['handle']},120\n"
            f'2026-03-03,instagram,influencer,{slugged},{sponsored["handle"].upper()},"1,030"\n'
            f"20260304,instagram,influencer,another-campaign,{sponsored['handle']},999\n"
            f"20260305,instagram,influencer,{slugged},someone-else,50\n"
            f"someday,instagram,influencer,{slugged},{sponsored['handle']},7\n",
            encoding="utf-8",
        )
        first = import_sessions(ws, campaign, export)
        again = import_sessions(ws, campaign, export)
        report = campaign_report(ws, wh, campaign)
    assert (first.rows, first.sessions, first.not_this_campaign, first.rejected) == (2, 1150, 2, 1)
    assert again.sessions == 1150
    assert report.creators[0].sessions == 1150  # the second import replaced the first
    assert report.totals.sessions == 1150


def test_the_demo_campaign_is_built_from_the_demo_world_once(
    workspace_url: str, scored_demo: Settings, tmp_path: Path
) -> None:
    from microscout.bootstrap import Adapters, open_warehouse
    from microscout.demo.campaign import build_demo_campaign
    from microscout.services.discovery.candidates import candidate_source

    real = Adapters(scored_demo)
    source = candidate_source(scored_demo, real.index_store, lambda: real.embedder)
    with Workspace(workspace_url) as ws, open_warehouse(scored_demo, read_only=True) as wh:
        made = build_demo_campaign(ws, wh, scored_demo, source, KEY, tmp_path, seed=3)
        again = build_demo_campaign(ws, wh, scored_demo, source, KEY, tmp_path, seed=3)
        assert made is not None
        summary = manage.get_campaign(ws, made.id)
        report = campaign_report(ws, wh, made.id)
        calibrated = calibration(ws, wh)
    assert again is None
    assert calibrated.observations  # the demo's posted creators, with their predictions
    assert calibrated.errors.n == len(calibrated.observations)
    assert summary.is_demo
    assert summary.name.startswith("Demo: ")
    assert {c.status for c in report.creators} <= {"content_live", "paid"}
    assert report.totals.posts > 0  # the brand's real sponsored posts in the demo warehouse
    assert report.totals.clicks > 0
    assert report.totals.orders > 0
    assert report.totals.sessions > 0
    assert all(p["counted_because"].startswith("mentions @") for p in report.posts)
    assert any(c.predicted_reach is not None for c in report.creators)
