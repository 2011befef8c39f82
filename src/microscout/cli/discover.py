"""Discovery commands: search by brief, lookalikes, and training the niche model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from microscout.bootstrap import Adapters
from microscout.cli.common import emit, err, handles_errors, out, warehouse_from_settings
from microscout.config import load_settings
from microscout.services.discovery import niches
from microscout.services.discovery.request import (
    LookalikeRequest,
    SearchRequest,
    cli_flag,
    parse_request,
    request_fields,
)
from microscout.services.discovery.search import SearchResult
from microscout.services.discovery.search import search as search_creators
from microscout.services.discovery.search import similar as similar_creators


def _help(model: type[BaseModel], name: str) -> str:
    """An option's help: its request field's description, and its choices if it has some."""
    spec = next(f for f in request_fields(model) if f.name == name)
    if not spec.choices:
        return spec.description
    return f"{spec.description.rstrip('.')}: {' | '.join(spec.choices)}."


# The bounds and choices of every option are the request models'; so is their help.
_Platform = Annotated[str | None, typer.Option(help=_help(SearchRequest, "platform"))]
_Country = Annotated[str | None, typer.Option(help=_help(SearchRequest, "country"))]
_Language = Annotated[str | None, typer.Option(help=_help(SearchRequest, "language"))]
_Tier = Annotated[str, typer.Option(help=_help(SearchRequest, "tier"))]
_MinF = Annotated[int | None, typer.Option(help=_help(SearchRequest, "min_followers"))]
_MaxF = Annotated[int | None, typer.Option(help=_help(SearchRequest, "max_followers"))]
_MinEr = Annotated[float | None, typer.Option(help=_help(SearchRequest, "min_engagement"))]
_Gate = Annotated[bool, typer.Option(help=_help(SearchRequest, "reach_gate"))]
_MinAq = Annotated[float | None, typer.Option(help=_help(SearchRequest, "min_audience_quality"))]
_MaxFee = Annotated[float | None, typer.Option(help=_help(SearchRequest, "max_fee"))]
_Unvetted = Annotated[
    bool,
    typer.Option("--include-unvetted", help=_help(SearchRequest, "include_unvetted")),
]
_Limit = Annotated[int, typer.Option(help=_help(SearchRequest, "limit"))]
_Seed = Annotated[str | None, typer.Option(help=_help(LookalikeRequest, "platform"))]
_Only = Annotated[str | None, typer.Option(help=_help(LookalikeRequest, "only_platform"))]
_Json = Annotated[bool, typer.Option("--json", help="JSON with every reason.")]
_Csv = Annotated[bool, typer.Option("--csv", help="CSV with every reason.")]


# The columns of the table a search prints, and their headings: a creator whose audience could
# not be vetted shows no quality and the verdict "not vetted".
_SHOWN = MappingProxyType(
    {
        "rank": "rank",
        "handle": "handle",
        "platform": "platform",
        "followers": "followers",
        "score": "score",
        "relevance": "relevance",
        "niche": "niche",
        "er_median": "er_median",
        "audience_quality": "quality",
        "authenticity_verdict": "verdict",
    }
)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The request fields set on the command line: a command's arguments as ``locals()`` holds
    them on entry, less the output options and those left unset (typer gives None for them)."""
    output = {"as_json", "as_csv"}
    return {k: v for k, v in values.items() if v is not None and k not in output}


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
    if not result.hits:
        out.print(f"{result.query} — no creator among {result.candidates:,} that passed")
        return
    shown = result.table().select(list(_SHOWN)).rename_columns(list(_SHOWN.values()))
    emit(shown, False, False, None, f"{result.query} — {result.candidates:,} creators passed")
    for hit in result.hits:
        out.print(f"[bold]{hit.rank}. @{hit.handle}[/]", highlight=False)
        for reason in hit.reasons:
            out.print(f"   · {reason}", highlight=False, soft_wrap=True)
        for post in hit.matched_posts:
            out.print(f"   ▸ {post}", highlight=False, soft_wrap=True)


@handles_errors
def search(
    brief: Annotated[str, typer.Argument(help=_help(SearchRequest, "brief"))],
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
    include_unvetted: _Unvetted = False,
    limit: _Limit = 20,
    as_json: _Json = False,
    as_csv: _Csv = False,
) -> None:
    """Creators whose content concentrates on the brief's niche, ranked with reasons."""
    request = parse_request(SearchRequest, _given(locals()), cli_flag)
    settings = load_settings()
    real = Adapters(settings)
    with warehouse_from_settings(read_only=True) as warehouse:
        result = search_creators(
            warehouse,
            settings,
            request.brief,
            request.filters(),
            request.limit,
            index=real.index_store,
            embedder=real.embedder,
        )
    _render(result, as_json, as_csv)


@handles_errors
def similar(
    handle: Annotated[str, typer.Argument(help=_help(LookalikeRequest, "handle"))],
    platform: _Seed = None,
    only_platform: _Only = None,
    country: _Country = None,
    language: _Language = None,
    tier: _Tier = "micro",
    min_followers: _MinF = None,
    max_followers: _MaxF = None,
    min_engagement: _MinEr = None,
    reach_gate: _Gate = False,
    min_audience_quality: _MinAq = None,
    max_fee: _MaxFee = None,
    include_unvetted: _Unvetted = False,
    limit: _Limit = 20,
    as_json: _Json = False,
    as_csv: _Csv = False,
) -> None:
    """Creators close to HANDLE in content (and audience, when sampled), same filters."""
    request = parse_request(LookalikeRequest, _given(locals()), cli_flag)
    settings = load_settings()
    real = Adapters(settings)
    with warehouse_from_settings(read_only=True) as warehouse:
        result = similar_creators(
            warehouse,
            settings,
            request.handle,
            request.filters(),
            request.limit,
            request.platform,
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
