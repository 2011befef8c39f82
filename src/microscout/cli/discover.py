"""Discovery commands: search by brief, lookalikes, and training the niche model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from microscout.bootstrap import Adapters
from microscout.cli.common import emit, err, handles_errors, out, warehouse_from_settings
from microscout.config import load_settings
from microscout.services.discovery import niches
from microscout.services.discovery.search import Filters, SearchResult
from microscout.services.discovery.search import search as search_creators
from microscout.services.discovery.search import similar as similar_creators

_Platform = Annotated[str | None, typer.Option(help="instagram | tiktok | youtube.")]
_Country = Annotated[str | None, typer.Option(help="ISO country code, e.g. DE.")]
_Language = Annotated[str | None, typer.Option(help="ISO language code, e.g. de.")]
_Tier = Annotated[str, typer.Option(help="nano | micro | mid | macro | mega | any.")]
_MinF = Annotated[int | None, typer.Option(help="Least followers.")]
_MaxF = Annotated[int | None, typer.Option(help="Most followers.")]
_MinEr = Annotated[float | None, typer.Option(help="Least median engagement rate, e.g. 0.02.")]
_Gate = Annotated[bool, typer.Option(help="Only creators passing the reach gate.")]
_MinAq = Annotated[float | None, typer.Option(help="Least audience quality (0-100) when known.")]
_MaxFee = Annotated[float | None, typer.Option(help="Highest estimated fee per post.")]
_Limit = Annotated[int, typer.Option(help="Results to show.")]
_Json = Annotated[bool, typer.Option("--json", help="JSON with every reason.")]
_Csv = Annotated[bool, typer.Option("--csv", help="CSV with every reason.")]


def _filters(
    platform: str | None,
    country: str | None,
    language: str | None,
    tier: str,
    min_followers: int | None,
    max_followers: int | None,
    min_engagement: float | None,
    reach_gate: bool,
    min_audience_quality: float | None,
    max_fee: float | None,
) -> Filters:
    return Filters(
        platform,
        country,
        language,
        tier,
        min_followers,
        max_followers,
        min_engagement,
        reach_gate,
        min_audience_quality,
        max_fee,
    )


def _render(result: SearchResult, as_json: bool, as_csv: bool) -> None:
    for note in result.notes:
        err.print(f"[dim]{note}[/]", highlight=False)
    if as_json:
        sys.stdout.write(
            json.dumps(
                {
                    "query": result.query,
                    "candidates": result.candidates,
                    "results": [
                        h.as_row()
                        | {
                            "reasons": list(h.reasons),
                            "matched_posts": list(h.matched_posts),
                            "matched_terms": list(h.matched_terms),
                        }
                        for h in result.hits
                    ],
                },
                default=str,
                indent=2,
            )
            + "\n"
        )
        return
    if as_csv:
        emit(result.table(), False, True, None, "")
        return
    shown = result.table().select(
        ["rank", "handle", "platform", "followers", "score", "relevance", "niche", "er_median"]
    )
    emit(shown, False, False, None, f"{result.query} — {result.candidates:,} creators passed")
    for hit in result.hits:
        out.print(f"[bold]{hit.rank}. @{hit.handle}[/]", highlight=False)
        for reason in hit.reasons:
            out.print(f"   · {reason}", highlight=False, soft_wrap=True)
        for post in hit.matched_posts:
            out.print(f"   ▸ {post}", highlight=False, soft_wrap=True)


@handles_errors
def search(
    brief: Annotated[str, typer.Argument(help="What the brand sells and to whom, in words.")],
    platform: _Platform = None,
    country: _Country = None,
    language: _Language = None,
    tier: _Tier = "micro",
    min_followers: _MinF = None,
    max_followers: _MaxF = None,
    min_engagement: _MinEr = None,
    reach_gate: _Gate = False,
    min_audience_quality: _MinAq = None,
    max_fee: _MaxFee = None,
    limit: _Limit = 20,
    as_json: _Json = False,
    as_csv: _Csv = False,
) -> None:
    """Creators whose content concentrates on the brief's niche, ranked with reasons."""
    filters = _filters(
        platform,
        country,
        language,
        tier,
        min_followers,
        max_followers,
        min_engagement,
        reach_gate,
        min_audience_quality,
        max_fee,
    )
    settings = load_settings()
    real = Adapters(settings)
    with warehouse_from_settings(read_only=True) as warehouse:
        result = search_creators(
            warehouse,
            settings,
            brief,
            filters,
            limit,
            index=real.index_store,
            embedder=real.embedder,
        )
    _render(result, as_json, as_csv)


@handles_errors
def similar(
    handle: Annotated[str, typer.Argument(help="The creator to find lookalikes of.")],
    platform: _Platform = None,
    country: _Country = None,
    language: _Language = None,
    tier: _Tier = "micro",
    min_followers: _MinF = None,
    max_followers: _MaxF = None,
    min_engagement: _MinEr = None,
    reach_gate: _Gate = False,
    min_audience_quality: _MinAq = None,
    max_fee: _MaxFee = None,
    limit: _Limit = 20,
    as_json: _Json = False,
    as_csv: _Csv = False,
) -> None:
    """Creators close to HANDLE in content (and audience, when sampled), same filters."""
    filters = _filters(
        None,
        country,
        language,
        tier,
        min_followers,
        max_followers,
        min_engagement,
        reach_gate,
        min_audience_quality,
        max_fee,
    )
    settings = load_settings()
    real = Adapters(settings)
    with warehouse_from_settings(read_only=True) as warehouse:
        result = similar_creators(
            warehouse,
            settings,
            handle,
            filters,
            limit,
            platform,
            index=real.index_store,
            embedder=real.embedder,
        )
    _render(result, as_json, as_csv)


niche_app = typer.Typer(help="Niche models.", no_args_is_help=True)


@niche_app.command("train")
@handles_errors
def train(
    labelled: Annotated[Path, typer.Argument(help="CSV with handle,label[,platform] columns.")],
) -> None:
    """Fit the supervised niche model on labelled creators (labels: IAB ids/names or Kim's)."""
    settings = load_settings()
    with warehouse_from_settings() as warehouse:
        report = niches.train(warehouse, settings, labelled)
    out.print(
        f"trained {report.model_id} on {report.posts:,} posts of {report.creators:,} creators; "
        f"classes: {', '.join(report.classes)}; saved to {report.path}",
        highlight=False,
    )
    out.print(
        f"votes from {report.accounts:,} accounts (commenters, tagged accounts, sponsors) seen "
        "around the labelled creators",
        highlight=False,
    )
    if report.skipped_labels:
        err.print(f"labels not in the taxonomy, skipped: {', '.join(report.skipped_labels)}")
    if report.unknown_handles:
        err.print(f"{report.unknown_handles:,} labelled handles have no posts in the warehouse")
    out.print("run `microscout score` to apply it", highlight=False)


__all__ = ["niche_app", "search", "similar", "train"]
