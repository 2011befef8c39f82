"""Writing a plan to files: plan.json, plan.csv, excluded.csv (the candidates the gates left out,
with their reasons), and the budget -> reach frontier as PNG and HTML.

The HTML page embeds the PNG (base64), the plan table, the macro comparison in words and the
excluded candidates; it loads nothing from the network.
"""

from __future__ import annotations

import base64
import csv
import html
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from microscout.adapters.render.charts import to_png
from microscout.core.cells import safe_cell
from microscout.errors import InputError
from microscout.services.charts.profile import frontier_chart
from microscout.services.planning.result import Plan

CSV_COLUMNS = (
    "platform",
    "handle",
    "country",
    "niche",
    "followers",
    "posts",
    "fee_per_post",
    "fee",
    "reach_per_post",
    "expected_reach",
    "expected_engagements",
    "relevance",
    "overlap_basis",
    "fee_basis",
    "notes",
    "engaged_people",
    "coordination",
    "audience_quality",
    "authenticity_verdict",
    "days_since_last_post",
)
EXCLUDED_COLUMNS = ("platform", "handle", "followers", "relevance", "reasons", "codes")


def frontier_png(plan: Plan) -> bytes:
    """The frontier chart as PNG: the same spec the web page draws (services.charts)."""
    return to_png(frontier_chart(plan), width=960, height=576)


def frontier_html(plan: Plan, png: bytes) -> str:
    """A self-contained page: the chart, the totals and the plan table."""
    image = base64.b64encode(png).decode("ascii")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in CSV_COLUMNS[:12])
    rows = [asdict(c) for c in plan.creators]
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r[c]))}</td>" for c in CSV_COLUMNS[:12]) + "</tr>"
        for r in rows
    )
    totals = "".join(
        f"<li>{html.escape(k)}: {html.escape(_cell(v))}</li>"
        for k, v in asdict(plan.totals).items()
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in plan.notes)
    versus = plan.comparisons.versus_macro
    macro = (
        f"<p>{html.escape(versus.summary)}</p><ul>"
        + "".join(f"<li>{html.escape(m.words)}</li>" for m in versus.measures)
        + "</ul>"
        if versus
        else "<p>No macro creator passing the plan's gates fits the budget.</p>"
    )
    left_out = "".join(
        f"<tr><td>@{html.escape(c.handle)}</td><td>{html.escape(c.platform)}</td>"
        f"<td>{html.escape('; '.join(c.reasons))}</td></tr>"
        for c in plan.excluded
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>microscout plan</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}
table{{border-collapse:collapse;font-size:.85rem}}td,th{{border:1px solid #ccc;padding:.2rem .4rem}}
</style></head><body>
<h1>Portfolio plan</h1><p>{html.escape(plan.request.brief)} — budget
${plan.request.budget:,.0f}, objective {html.escape(plan.request.objective)}</p>
<img alt="Budget to reach frontier" src="data:image/png;base64,{image}">
<h2>Totals</h2><ul>{totals}</ul>
<h2>Creators</h2><table><tr>{head}</tr>{body}</table>
<h2>Against one macro creator</h2>{macro}
<h2>Left out by the gates ({len(plan.excluded)})</h2>
<table><tr><th>handle</th><th>platform</th><th>why</th></tr>{left_out}</table>
<h2>Notes</h2><ul>{notes}</ul></body></html>
"""


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _excluded_rows(plan: Plan) -> list[dict[str, Any]]:
    return [
        {**asdict(c), "reasons": "; ".join(c.reasons), "codes": "|".join(c.codes)}
        for c in plan.excluded
    ]


def _safe(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row whose text cells open as text in a spreadsheet (``core/cells.py``)."""
    return {k: safe_cell(v) for k, v in row.items()}


def write_plan(plan: Plan, out: Path) -> dict[str, Path]:
    """Write plan.json, plan.csv, excluded.csv, frontier.png and frontier.html into ``out``."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        names = ("plan.json", "plan.csv", "excluded.csv", "frontier.png", "frontier.html")
        paths = {name: out / name for name in names}
        paths["plan.json"].write_text(
            json.dumps(plan.to_dict(), indent=2, default=str), encoding="utf-8"
        )
        with paths["plan.csv"].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(_safe(asdict(c)) for c in plan.creators)
        with paths["excluded.csv"].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, EXCLUDED_COLUMNS)
            writer.writeheader()
            writer.writerows(_safe(r) for r in _excluded_rows(plan))
        png = frontier_png(plan)
        paths["frontier.png"].write_bytes(png)
        paths["frontier.html"].write_text(frontier_html(plan, png), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--out: cannot write to {out}: {exc.strerror}") from None
    return paths


__all__ = ["CSV_COLUMNS", "EXCLUDED_COLUMNS", "frontier_html", "frontier_png", "write_plan"]
