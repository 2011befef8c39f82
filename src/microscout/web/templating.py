"""Jinja2 templates and the filters that format numbers for people."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from microscout.core.charts import money
from microscout.core.schema import PERCENT_COLUMNS
from microscout.services.discovery.niches import load_taxonomy

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

USD = frozenset({"fee_per_post", "fee_low", "fee_high", "cost", "fee", "cpm", "cpe"})


def value(name: str, v: Any) -> str:
    """A metric value as a person reads it; '—' for unknown."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, datetime):
        return f"{v:%Y-%m-%d %H:%M}"
    if isinstance(v, date):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, float):
        if name in PERCENT_COLUMNS:
            return f"{v:.2%}"
        if name in USD or name.startswith("fee"):
            return money(v)
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"${v:,}" if name in USD else f"{v:,}"
    return str(v)


def as_json(v: Any) -> Markup:
    """JSON safe to place inside a <script type="application/json"> element."""
    text = json.dumps(v, default=str).replace("<", "\\u003c").replace(">", "\\u003e")
    # every character that could end the script element or start markup is escaped above
    return Markup(text.replace("&", "\\u0026"))  # noqa: S704


def niche(iab_id: str | None) -> str:
    """An IAB Content Taxonomy id with its name, e.g. "Fitness and Exercise (225)"."""
    if not iab_id:
        return "—"
    name = load_taxonomy().name(str(iab_id))
    return f"{name} ({iab_id})" if name else str(iab_id)


templates.env.filters["value"] = value
templates.env.globals["niche"] = niche
templates.env.filters["as_json"] = as_json
templates.env.globals["value"] = value
