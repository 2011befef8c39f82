"""The plan command: a brief and a budget in, a portfolio of creators out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from microscout.cli.common import err, handles_errors, out, warehouse_from_settings
from microscout.config import load_settings


def _money(value: Any) -> str:
    return "—" if value is None else f"${value:,.2f}"


def _n(value: Any) -> str:
    return "—" if value is None else f"{value:,.0f}"


@handles_errors
def plan(
    brief: Annotated[str, typer.Option(help="What the campaign is about, in plain words.")],
    budget: Annotated[float, typer.Option(help="Total budget in USD.")],
    objective: Annotated[
        str, typer.Option(help="reach (unique people) or frequency (people reached ≥ k times).")
    ] = "reach",
    k: Annotated[
        int | None, typer.Option("--k", help="Effective frequency k (default: setting).")
    ] = None,
    min_creators: Annotated[int, typer.Option(help="At least this many creators.")] = 1,
    max_creators: Annotated[int | None, typer.Option(help="At most this many creators.")] = None,
    max_per_niche: Annotated[int | None, typer.Option(help="At most this many per niche.")] = None,
    max_per_country: Annotated[
        int | None, typer.Option(help="At most this many per country.")
    ] = None,
    max_per_platform: Annotated[
        int | None, typer.Option(help="At most this many per platform.")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Handle that must be in the plan (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Handle never to include (repeatable).")
    ] = None,
    platform: Annotated[list[str] | None, typer.Option(help="Only these platforms.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only these countries.")] = None,
    quotes: Annotated[
        Path | None, typer.Option(help="CSV of real quotes: handle, fee_per_post[, platform].")
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for plan.json/csv and frontier.png/html.")
    ] = Path("plan"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Choose several creators and their posts under a budget, for reach or frequency."""
    from microscout.services.planning.data import read_quotes
    from microscout.services.planning.output import write_plan
    from microscout.services.planning.plan import PlanRequest
    from microscout.services.planning.plan import plan as make_plan

    request = PlanRequest(
        brief=brief, budget=budget, objective=objective, k=k, min_creators=min_creators,
        max_creators=max_creators, max_per_niche=max_per_niche, max_per_country=max_per_country,
        max_per_platform=max_per_platform, include=tuple(include or ()),
        exclude=tuple(exclude or ()), quotes=read_quotes(quotes) if quotes else {},
        platforms=tuple(platform or ()), countries=tuple(country or ()),
    )  # fmt: skip
    settings = load_settings()
    with warehouse_from_settings(read_only=True) as warehouse:
        result = make_plan(warehouse, settings, request)
    paths = write_plan(result, out_dir)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, default=str) + "\n")
        return
    _render(result.to_dict())
    err.print("wrote " + ", ".join(str(p) for p in paths.values()))


# Short names for where a creator's overlap figures come from, so the table fits 80 columns.
OVERLAP_BASIS = {
    "audience sample": "sample",
    "commenters": "comments",
    "model estimate": "estimate",
}


def _overlap(figures: dict[str, Any]) -> str:
    """Both overlap measures of a set of creators, as printed for the plan and the ranked top."""
    jaccard = figures["mean_pairwise_jaccard"]
    return (
        f"audience duplication {figures['audience_duplication']}, mean pairwise Jaccard "
        f"{'—' if jaccard is None else jaccard}"
    )


def _render(plan: dict[str, Any]) -> None:
    table = Table(
        title=f"Plan for “{plan['request']['brief']}” ({plan['request']['candidates']:,} "
        "candidates)", header_style="bold", box=None, pad_edge=False,
    )  # fmt: skip
    # Fees in whole dollars and short headers, so the table fits 80 columns (plan.csv has cents).
    columns = ("handle", "where", "followers", "posts", "fee", "reach", "engaged", "overlap")
    for column in columns:
        table.add_column(column, justify="left" if column in ("handle", "where", "overlap")
                         else "right", no_wrap=True)  # fmt: skip
    for c in plan["creators"]:
        table.add_row(
            "@" + c["handle"], f"{c['platform'][:2]} {c['country'] or '—'}",
            _n(c["followers"]), str(c["posts"]), "$" + _n(c["fee"]), _n(c["expected_reach"]),
            _n(c["expected_engagements"]),
            OVERLAP_BASIS.get(c["overlap_basis"], c["overlap_basis"]),
        )  # fmt: skip
    out.print(table)
    t = plan["totals"]
    k = plan["request"]["k"]
    out.print(
        f"[bold]total[/] {t['creators']} creators, {t['posts']} posts, cost {_money(t['cost'])}; "
        f"unique reach {_n(t['unique_reach'])}, reached ≥ {k} times {_n(t['reach_at_k'])}; "
        f"engagements {_n(t['expected_engagements'])}; CPM {_money(t['cpm'])}, "
        f"CPE {_money(t['cpe'])}; {_overlap(t)}"
    )
    freq = ", ".join(f"{m}×: {_n(v)}" for m, v in t["frequency"].items())
    out.print(f"frequency (people by times reached): {freq}")
    top, macro = plan["comparisons"]["ranked_top"], plan["comparisons"]["macro"]
    out.print(
        f"[bold]vs the top {len(top['creators'])} of the ranked list[/]: "
        f"cost {_money(top['cost'])}, unique reach {_n(top['unique_reach'])}; {_overlap(top)}"
    )
    if macro:
        matched = "" if macro["matches_brief"] else " (no macro creator matches the brief)"
        out.print(
            f"[bold]vs the best single macro creator[/] @{macro['handle']}{matched}: "
            f"{macro['posts']} post(s), cost {_money(macro['cost'])}, "
            f"unique reach {_n(macro['unique_reach'])}"
        )
    else:
        out.print("no macro creator's fee fits the budget: no single-macro comparison")
    solver = plan["solver"]
    line = f"solver: {solver['used']}"
    if "greedy_gap" in solver and solver["exact_status"] == "Optimal":
        line += f"; greedy gap to the HiGHS optimum {solver['greedy_gap']:.2%}"
    elif "greedy_gap" in solver:
        line += (
            f"; HiGHS stopped after {solver['exact_seconds']} s ({solver['exact_status']}): "
            f"greedy is at most {solver['greedy_gap']:.2%} below the optimum"
        )
    out.print(line)
    for note in plan["notes"]:
        out.print(f"[dim]note: {note}[/]")
