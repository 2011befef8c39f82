"""Jinja2 templates and the filters that format numbers for people."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from microscout.core.charts import MONEY_COLUMNS, money
from microscout.core.schema import PERCENT_COLUMNS
from microscout.services.browse.labels import hover_of, label_of
from microscout.services.discovery.niches import load_taxonomy

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

# A search hit names its niche as "Name (id)"; the id is taken back out to show the name alone.
NAMED_ID = re.compile(r"^(?P<name>.*) \((?P<id>[^()\s]+)\)$")


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
        return _float(name, v)
    if isinstance(v, int):
        return f"${v:,}" if name in MONEY_COLUMNS else f"{v:,}"
    if name == "niche_primary":
        return load_taxonomy().name(str(v)) or str(v)
    return str(v)


def _float(name: str, v: float) -> str:
    """A float by what it measures: a score out of 100, a share, dollars, or a plain number."""
    if name == "audience_quality":
        return f"{v:.0f} / 100"
    if name in PERCENT_COLUMNS:
        return f"{v:.2%}"
    if name in MONEY_COLUMNS or name.startswith("fee"):
        return money(v)
    return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"


def as_json(v: Any) -> Markup:
    """JSON safe to place inside a <script type="application/json"> element."""
    # orjson: a profile page's four chart figures about 9x faster than json, the same values;
    # NaN and infinity become null (valid JSON, which json.dumps's NaN is not).
    text = orjson.dumps(v, default=str).decode().replace("<", "\\u003c").replace(">", "\\u003e")
    # every character that could end the script element or start markup is escaped above
    return Markup(text.replace("&", "\\u0026"))  # noqa: S704


def niche(iab_id: str | None) -> Markup:
    """A niche by its IAB name, its id and path on hover: people read "Fitness and Exercise",
    ad tech matches "225". Takes an IAB id, or the "Name (id)" text a search hit carries."""
    if not iab_id:
        return Markup("—")
    named = NAMED_ID.match(str(iab_id))
    key = named.group("id") if named else str(iab_id)
    taxonomy = load_taxonomy()
    if key not in taxonomy:
        return Markup("<span>{}</span>").format(named.group("name") if named else key)
    node = taxonomy.get(key)
    hover = f"IAB Content Taxonomy 3.1 id {key}: {node.path}"
    return Markup('<span title="{}">{}</span>').format(hover, node.name)


def without_post_id(matched: str) -> str:
    """A matched post's text without the internal post id the search service puts before it
    ("post_id: text"), which means nothing to a person."""
    _, sep, text = matched.partition(": ")
    return text if sep else matched


def simple_markdown(text: str) -> Markup:
    """The Markdown microscout writes (headings, "- " lists, paragraphs) as clean HTML, every
    piece of text escaped: the brief a creator reads, drawn from the same text that is sent."""
    html: list[Markup] = []
    items: list[Markup] = []

    def close_list() -> None:
        if items:
            html.append(Markup("<ul>{}</ul>").format(Markup("").join(items)))
            items.clear()

    for line in text.splitlines():
        if line.startswith("- "):
            items.append(Markup("<li>{}</li>").format(line[2:]))
            continue
        close_list()
        if line.startswith("## "):
            html.append(Markup("<h3>{}</h3>").format(line[3:]))
        elif line.startswith("# "):
            html.append(Markup("<h2>{}</h2>").format(line[2:]))
        elif line.strip():
            html.append(Markup("<p>{}</p>").format(line))
    close_list()
    return Markup("\n").join(html)


def shown(v: Any, column: str) -> str:
    """:func:`value` as a filter, ``{{ x|shown('column') }}``: Jinja calls a filter directly,
    a global through its context (several attribute checks per call), and a profile page
    formats some two hundred values."""
    return value(column, v)


def label(column: str) -> str:
    return label_of(column).text


templates.env.filters.update(
    shown=shown,
    hover=hover_of,
    label=label,
    niche=niche,
    simple_markdown=simple_markdown,
    without_post_id=without_post_id,
    as_json=as_json,
)
