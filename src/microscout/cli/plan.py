"""The plan command: a brief and a budget in, a portfolio of creators out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from microscout.cli.common import err, handles_errors, out, warehouse_from_settings
from microscout.config import load_settings

if TYPE_CHECKING:
    from microscout.services.planning.result import Plan


def _money(value: Any) -> str:
    return "—" if value is None else f"${value:,.2f}"


def _n(value: Any) -> str:
    return "—" if value is None else f"{value:,.0f}"


@handles_errors
def plan(
    brief: Annotated[str, typer.Option(help="What the campaign is about, in plain words.")],
    budget: Annotated[float, typer.Option(help="Total budget in USD.")],
    objective: Annotated[
        str,
        typer.Option(
            help="engaged (real people reached who engage), reach (unique people) or frequency "
            "(people reached ≥ k times)."
        ),
    ] = "engaged",
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
    max_posts: Annotated[
        int | None, typer.Option(help="At most this many posts per creator (default: setting).")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Handle that must be in the plan (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Handle never to include (repeatable).")
    ] = None,
    platform: Annotated[list[str] | None, typer.Option(help="Only these platforms.")] = None,
    country: Annotated[list[str] | None, typer.Option(help="Only these countries.")] = None,
    tier: Annotated[
        list[str] | None, typer.Option(help="Choose from these tiers (default: micro).")
    ] = None,
    quotes: Annotated[
        Path | None, typer.Option(help="CSV of real quotes: handle, fee_per_post[, platform].")
    ] = None,
    frontier: Annotated[
        bool, typer.Option(help="Also compute the budget → reach frontier.")
    ] = True,
    include_unvetted: Annotated[
        bool,
        typer.Option(
            "--include-unvetted",
            help="Also plan creators with no audience evidence (not vetted).",
        ),
    ] = False,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for plan.json/csv and frontier.png/html.")
    ] = Path("plan"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Choose several creators and their posts under a budget, for engaged people, reach or
    frequency; creators failing the plan's gates are listed with their reasons."""
    from microscout.bootstrap import Adapters
    from microscout.services.discovery.candidates import candidate_source
    from microscout.services.planning.data import read_quotes
    from microscout.services.planning.output import write_plan
    from microscout.services.planning.plan import plan as make_plan
    from microscout.services.planning.request import cli_flag, parse_request

    given = {
        "brief": brief,
        "budget": budget,
        "objective": objective,
        "k": k,
        "min_creators": min_creators,
        "max_creators": max_creators,
        "max_per_niche": max_per_niche,
        "max_per_country": max_per_country,
        "max_per_platform": max_per_platform,
        "max_posts": max_posts,
        "include": include,
        "exclude": exclude,
        "platforms": platform,
        "countries": country,
        "tiers": tier,
        "quotes": read_quotes(quotes) if quotes else None,
        "frontier": frontier,
        "include_unvetted": include_unvetted,
    }
    request = parse_request({n: v for n, v in given.items() if v is not None}, cli_flag)
    settings = load_settings()
    real = Adapters(settings)
    source = candidate_source(settings, real.index_store, lambda: real.embedder)
    with warehouse_from_settings(read_only=True) as warehouse:
        result = make_plan(warehouse, settings, request, source)
    paths = write_plan(result, out_dir)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, default=str) + "\n")
        return
    _render(result, out_dir)
    err.print("wrote " + ", ".join(str(p) for p in paths.values()))


# Short names for where a creator's overlap figures come from, so the table fits 80 columns.
OVERLAP_BASIS = {
    "audience sample": "sample",
    "commenters": "comments",
    "model estimate": "estimate",
}
# Excluded candidates printed; every one is in excluded.csv and --json.
EXCLUDED_SHOWN = 25


def _overlap(jaccard: float | None, duplication: float | None) -> str:
    """Both overlap measures of a set of creators, as printed for the plan and the ranked top."""
    return (
        f"audience duplication {duplication}, mean pairwise Jaccard "
        f"{'—' if jaccard is None else jaccard}"
    )


def _render(plan: Plan, out_dir: Path) -> None:
    _render_creators(plan)
    _render_totals(plan)
    _render_comparisons(plan)
    _render_excluded(plan, out_dir)
    solver = plan.solver
    line = f"solver: {solver.used}"
    if solver.greedy_gap is not None and solver.exact_status == "Optimal":
        line += f"; greedy gap to the HiGHS optimum {solver.greedy_gap:.2%}"
    elif solver.greedy_gap is not None:
        line += (
            f"; HiGHS stopped after {solver.exact_seconds} s ({solver.exact_status}): "
            f"greedy is at most {solver.greedy_gap:.2%} below the optimum"
        )
    out.print(line)
    for note in plan.notes:
        out.print(f"[dim]note: {note}[/]")


def _render_creators(plan: Plan) -> None:
    table = Table(
        title=f"Plan for “{plan.request.brief}” ({plan.request.candidates:,} candidates)",
        header_style="bold",
        box=None,
        pad_edge=False,
    )
    # Fees in whole dollars and short headers, so the table fits 80 columns (plan.csv has cents).
    columns = ("handle", "where", "followers", "posts", "fee", "reach", "engaged", "AQ", "overlap")
    for column in columns:
        left = column in ("handle", "where", "overlap")
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    for c in plan.creators:
        table.add_row(
            "@" + c.handle,
            f"{c.platform[:2]} {c.country or '—'}",
            _n(c.followers),
            str(c.posts),
            "$" + _n(c.fee),
            _n(c.expected_reach),
            _n(c.engaged_people),
            "not vetted" if c.audience_quality is None else _n(c.audience_quality),
            OVERLAP_BASIS.get(c.overlap_basis, c.overlap_basis),
        )
    out.print(table)
    out.print(
        "[dim]reach: people its posts reach alone; engaged: real people reached who engage; "
        "AQ: audience quality 0-100[/]"
    )


def _render_totals(plan: Plan) -> None:
    t = plan.totals
    k = plan.request.k
    split = f" (fees {_money(t.fees)} + coordination {_money(t.coordination)})"
    out.print(
        f"[bold]total[/] {t.creators} creators, {t.posts} posts, cost {_money(t.cost)}"
        f"{split if t.coordination else ''}; "
        f"objective {plan.request.objective}; engaged people {_n(t.engaged_people)}; "
        f"unique reach {_n(t.unique_reach)}, reached ≥ {k} times {_n(t.reach_at_k)}; "
        f"engagements {_n(t.expected_engagements)}; CPM {_money(t.cpm)}, "
        f"CPE {_money(t.cpe)}; audience quality {_n(t.audience_quality)} (weighted by reach); "
        f"{_overlap(t.mean_pairwise_jaccard, t.audience_duplication)}"
    )
    freq = ", ".join(f"{m}×: {_n(v)}" for m, v in t.frequency.items())
    out.print(f"frequency (people by times reached): {freq}")


def _render_comparisons(plan: Plan) -> None:
    top, macro = plan.comparisons.ranked_top, plan.comparisons.macro
    out.print(
        f"[bold]vs the top {len(top.creators)} of the ranked list[/]: "
        f"cost {_money(top.cost)}, unique reach {_n(top.unique_reach)}; "
        f"{_overlap(top.mean_pairwise_jaccard, top.audience_duplication)}"
    )
    versus = plan.comparisons.versus_macro
    if macro is None or versus is None:
        out.print("no single-macro comparison: no macro creator passing the gates fits the budget")
        return
    out.print(versus.summary)
    for measure in versus.measures:
        out.print(f"  {measure.words}")


def _render_excluded(plan: Plan, out_dir: Path) -> None:
    gates = plan.gates
    if gates is None:
        return
    unvetted = "included" if gates.include_unvetted else "left out (--include-unvetted)"
    out.print(
        f"[bold]gates[/]: not high risk, audience quality ≥ {gates.min_audience_quality:.0f}, "
        f"a post within {gates.max_days_since_post:.0f} days, reach ≥ {gates.reach_gate:.0%} "
        f"where known; unvetted creators {unvetted}"
    )
    if not plan.excluded:
        out.print(f"all {gates.candidates:,} matching creators pass the gates")
        return
    table = Table(
        title=f"Left out by the gates: {len(plan.excluded):,} of {gates.candidates:,}",
        header_style="bold",
        box=None,
        pad_edge=False,
    )
    table.add_column("handle", no_wrap=True)
    table.add_column("where", no_wrap=True)
    table.add_column("why")
    for c in plan.excluded[:EXCLUDED_SHOWN]:
        table.add_row("@" + c.handle, c.platform[:2], "; ".join(c.reasons))
    out.print(table)
    hidden = len(plan.excluded) - EXCLUDED_SHOWN
    if hidden > 0:
        out.print(
            f"… and {hidden:,} more: every one is in {out_dir / 'excluded.csv'} and in --json"
        )
