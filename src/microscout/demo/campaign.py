"""The demo's finished campaign: so that every campaign page and command has something true to
show after ``make demo``. Labelled as demo data (``is_demo``, a name starting "Demo:").

It is built from the demo world, not invented beside it: the brand that sponsored posts of the
most micro creators, its creators (those with most such posts), the planner's predictions for
them, and their real sponsored posts in the warehouse as the campaign's posts. What a demo world
cannot have — visitors clicking, orders, analytics sessions — is drawn from a seeded generator
in proportion to each creator's reach, and goes through the same imports a real campaign uses
(the short-link counter, the orders CSV, the GA4 CSV).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.campaigns import sponsored_creators
from microscout.adapters.workspace import Workspace
from microscout.config import Settings
from microscout.core.campaigns.tracking import slug
from microscout.errors import MicroscoutError
from microscout.services.campaigns import manage
from microscout.services.campaigns.orders import import_orders
from microscout.services.campaigns.sessions import import_sessions
from microscout.services.campaigns.tracking import follow_link, tracking
from microscout.services.planning.candidates import CandidateSource
from microscout.services.planning.plan import plan
from microscout.services.planning.request import parse_request

CREATORS = 6
CLICK_SHARE = 0.002  # of a creator's reach, capped below
CLICKS_MAX = 60
ORDER_SHARE = 0.05  # of clicks
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile"


@dataclass(frozen=True)
class DemoCampaign:
    id: int
    name: str
    creators: int


def build_demo_campaign(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    source: CandidateSource,
    key: bytes,
    folder: Path,
    seed: int,
) -> DemoCampaign | None:
    """Create the demo campaign (module docstring); None when the demo world has no sponsored
    posts to build it from, or it exists already."""
    found = sponsored_creators(warehouse, "micro", CREATORS).to_pylist()
    if not found:
        return None
    brand = str(found[0]["brand"])
    name = f"Demo: {brand} partners"
    if any(c.name == name for c in manage.list_campaigns(workspace)):
        return None
    first = min(r["first_post"] for r in found).date()
    last = max(r["last_post"] for r in found).date()
    handles = [f"{r['platform']}:{r['handle']}" for r in found]
    made = manage.create_campaign(
        workspace,
        name,
        5000,
        first,
        last,
        brand=brand.title(),
        brand_handle=brand,
        hashtag=None,
        landing_url=f"https://{brand}.example/shop",
        is_demo=True,
    )
    _add_with_predictions(workspace, warehouse, settings, source, made.id, brand, found, handles)
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    _work_through_pipeline(workspace, made.id, rng)
    _results(workspace, made.id, key, folder, first, last, rng)
    return DemoCampaign(made.id, name, len(handles))


def _add_with_predictions(
    workspace: Workspace,
    warehouse: Warehouse,
    settings: Settings,
    source: CandidateSource,
    campaign: int,
    brand: str,
    found: list[dict[str, object]],
    handles: list[str],
) -> None:
    """The planner's plan for exactly these creators (their predictions kept); by handle,
    without predictions, if the planner cannot plan them."""
    posts = min(max(int(str(r["posts"])) for r in found), settings.plan_max_posts)
    request = parse_request(
        {
            "brief": f"{brand} products",
            "budget": 20_000,
            "include": [h.split(":", 1)[1] for h in handles],
            "max_creators": len(handles),
            "min_creators": len(handles),
            "max_posts": posts,
            "tiers": ["micro"],
            "frontier": False,
            "include_unvetted": True,
        }
    )
    try:
        planned = plan(warehouse, settings, request, source).to_dict()
    except MicroscoutError:
        manage.add_creators(workspace, warehouse, campaign, handles=handles)
        return
    manage.add_creators(workspace, warehouse, campaign, plan=planned)


def _work_through_pipeline(workspace: Workspace, campaign: int, rng: random.Random) -> None:
    for i, member in enumerate(manage.members(workspace, campaign)):
        key = f"{member.platform}:{member.handle}"
        manage.move(workspace, campaign, key, "contacted", "demo: first message")
        manage.move(workspace, campaign, key, "negotiating", "demo: asked about usage rights")
        fee = round((member.predicted_fee or 300.0) * rng.uniform(0.9, 1.15), -1)
        manage.agree(workspace, campaign, key, fee, member.planned_posts, "demo: agreed by e-mail")
        manage.move(workspace, campaign, key, "content_live", "demo: posts are live")
        if i % 2 == 0:
            manage.move(workspace, campaign, key, "paid", "demo: invoice paid")


def _results(
    workspace: Workspace,
    campaign: int,
    key: bytes,
    folder: Path,
    first: date,
    last: date,
    rng: random.Random,
) -> None:
    """Clicks through the short links, then an orders export and a GA4 export to import."""
    folder.mkdir(parents=True, exist_ok=True)
    span = max((last - first).days, 1)
    members = {m.handle: m for m in manage.members(workspace, campaign)}
    slug_name = manage.get_campaign(workspace, campaign).name
    orders, sessions = [], []
    for number, link in enumerate(tracking(workspace, campaign, "")):
        reach = members[link.handle].predicted_reach or 10_000
        clicks = min(int(reach * CLICK_SHARE * rng.uniform(0.4, 1.6)), CLICKS_MAX)
        code = link.short_link.rsplit("/", 1)[1]
        for visitor in range(clicks):
            day = first + timedelta(days=rng.randrange(span + 1))
            address = f"198.51.{number}.{visitor % 250}"  # TEST-NET style, never real
            follow_link(workspace, code, key, address, BROWSER, day)
        for n in range(int(clicks * ORDER_SHARE * rng.uniform(0.5, 2.0)) + 1):
            placed = first + timedelta(days=rng.randrange(span + 1))
            orders.append(
                f"#D{number}{n:03d},{placed} 12:00:00 +0000,USD,{rng.uniform(18, 90):.2f},"
                f"{link.promo_code}"
            )
        sessions.append(f"{first:%Y%m%d},{slug(slug_name)},{link.handle},{int(clicks * 1.3)}")
    (folder / "demo-orders.csv").write_text(
        "Name,Created at,Currency,Total,Discount Code\n" + "\n".join(orders) + "\n",
        encoding="utf-8",
    )
    (folder / "demo-sessions.csv").write_text(
        "# demo data: sessions per creator link\n"
        "Date,Session campaign,Session manual ad content,Sessions\n" + "\n".join(sessions) + "\n",
        encoding="utf-8",
    )
    import_orders(workspace, campaign, folder / "demo-orders.csv")
    import_sessions(workspace, campaign, folder / "demo-sessions.csv")


__all__ = ["DemoCampaign", "build_demo_campaign"]
