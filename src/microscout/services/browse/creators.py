"""Browse scored creators: filter, sort, summarise, and one creator's profile card."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from microscout.adapters.views import CreatorView, ViewStore
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.browse import (
    card_posts,
    creator_by_handle,
    creators_with_handle,
    handles_starting_with,
    last_import_started,
    last_score_run_started,
    latest_posts,
    score_row,
)
from microscout.core.handles import normalise_handle
from microscout.core.metrics.tiers import TIERS
from microscout.core.schema import CREATOR_SCORES, PLATFORMS
from microscout.errors import NotFoundError, ParameterError

if TYPE_CHECKING:
    import ibis.expr.types as ir

# The scores a user may filter and sort on; each with the column that holds its sample size.
NUMERIC_SCORES = tuple(
    c.name
    for c in CREATOR_SCORES.columns
    if c.dtype in ("int64", "float64") and c.name not in ("spike_gain",)
)
SAMPLE_SIZE = MappingProxyType(
    {
        "er_median": "er_n",
        "er_mean": "er_n",
        "er_ci_low": "er_n",
        "er_ci_high": "er_n",
        "engagement_cv": "er_n",
        "erv_median": "erv_n",
        "reach_rate": "reach_n",
        "passes_reach_gate": "reach_n",
        "reply_rate": "reply_n",
        "comment_like_ratio": "n_posts_window",
        "share_rate": "n_posts_window",
        "posts_per_week": "n_posts_window",
        "growth_30d": "snapshots_n",
        "growth_90d": "snapshots_n",
        "spike_flag": "snapshots_n",
        "spike_ratio": "snapshots_n",
        "sponsored_er_median": "sponsored_n",
        "organic_er_median": "organic_n",
    }
)
# How a summary's counts by a column name the creators whose value is unknown.
UNKNOWN_GROUP = "unknown"
# A tier filter that keeps every tier, as the search request spells it.
ANY_TIER = "any"
LIST_COLUMNS = (
    "platform",
    "handle",
    "followers",
    "tier",
    "country",
    "er_median",
    "er_n",
    "reach_rate",
    "posts_per_week",
    "days_since_last_post",
    "spike_flag",
)


@dataclass(frozen=True)
class CreatorFilter:
    """Which creators to list; every bound is inclusive and a NULL metric never passes one."""

    platforms: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    minimum: dict[str, float] = field(default_factory=dict)
    maximum: dict[str, float] = field(default_factory=dict)

    def validate(self) -> None:
        for platform in self.platforms:
            if platform not in PLATFORMS:
                raise ParameterError(
                    "--platform", f"'{platform}' is not one of {_names(PLATFORMS)}"
                )
        for tier in self.tiers:
            if tier not in (*TIERS, ANY_TIER):
                raise ParameterError(
                    "--tier", f"'{tier}' is not one of {_names((*TIERS, ANY_TIER))}"
                )
        for option, bounds in (("--min", self.minimum), ("--max", self.maximum)):
            for metric in bounds:
                if metric not in NUMERIC_SCORES:
                    raise ParameterError(
                        option, f"unknown metric '{metric}'; choose from {_names(NUMERIC_SCORES)}"
                    )


def _names(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def scored_creators(warehouse: Warehouse) -> ir.Table:
    """creator_scores with the creators' descriptive columns beside them."""
    scores = warehouse.table("creator_scores")
    creators = warehouse.table("creators").select(
        "platform",
        "creator_id",
        "display_name",
        "country",
        "language",
        "bio",
        "niches",
        "source_category",
        "following",
        "posts_count",
        "is_verified",
    )
    return scores.left_join(creators, ["platform", "creator_id"]).select(
        scores, *(creators[c] for c in creators.columns if c not in ("platform", "creator_id"))
    )


def filtered(warehouse: Warehouse, flt: CreatorFilter) -> ir.Table:
    flt.validate()
    t = scored_creators(warehouse)
    if flt.platforms:
        t = t.filter(t.platform.isin(flt.platforms))
    if flt.tiers and ANY_TIER not in flt.tiers:
        t = t.filter(t.tier.isin(flt.tiers))
    if flt.countries:
        t = t.filter(t.country.upper().isin([c.upper() for c in flt.countries]))
    if flt.min_followers is not None:
        t = t.filter(t.followers >= flt.min_followers)
    if flt.max_followers is not None:
        t = t.filter(t.followers <= flt.max_followers)
    for metric, low in flt.minimum.items():
        t = t.filter(t[metric] >= low)
    for metric, high in flt.maximum.items():
        t = t.filter(t[metric] <= high)
    return t


def list_creators(
    warehouse: Warehouse,
    flt: CreatorFilter,
    *,
    sort: str = "followers",
    descending: bool = True,
    limit: int | None = 50,
    columns: tuple[str, ...] = LIST_COLUMNS,
    offset: int = 0,
) -> pa.Table:
    """Creators passing the filter, sorted (NULLs last), from ``offset`` and limited."""
    return _page(filtered(warehouse, flt), sort, descending, limit, columns, offset)


def creators_page(
    warehouse: Warehouse,
    flt: CreatorFilter,
    *,
    sort: str,
    descending: bool,
    limit: int | None,
    columns: tuple[str, ...],
    offset: int,
) -> tuple[pa.Table, int]:
    """:func:`list_creators` and how many creators pass the filter in all, both read from one
    filtered expression: building it is most of a listing's time (Ibis, not DuckDB)."""
    t = filtered(warehouse, flt)
    return _page(t, sort, descending, limit, columns, offset), int(t.count().execute())


def _page(
    t: ir.Table,
    sort: str,
    descending: bool,
    limit: int | None,
    columns: tuple[str, ...],
    offset: int,
) -> pa.Table:
    if sort not in t.columns:
        raise ParameterError(
            "--sort", f"unknown column '{sort}'; choose from {_names(NUMERIC_SCORES)}"
        )
    if limit is not None and limit < 1:
        raise ParameterError("--limit", "must be at least 1")
    if offset < 0:
        raise ParameterError("offset", "must be 0 or more")
    import ibis  # here: a profile or a vet reads no expression, and Ibis takes 0.3 s to load

    key = ibis.desc(sort) if descending else ibis.asc(sort)
    t = t.order_by([t[sort].isnull(), key, "handle", "platform"]).select(*columns)
    if limit is not None or offset:
        t = t.limit(limit, offset=offset)
    return t.to_pyarrow()


@dataclass(frozen=True)
class Explained:
    """One stored metric with what a reader needs to trust it."""

    name: str
    value: Any
    meaning: str
    sample_size: int | None
    sample_column: str | None
    window: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "meaning": self.meaning,
            "sample_size": self.sample_size,
            "sample_column": self.sample_column,
            "window": self.window,
        }


# Columns that describe the row rather than measure the creator.
_NOT_METRICS = frozenset({"platform", "creator_id", "handle", "null_reasons", "run_id"})
_WINDOWED = frozenset(SAMPLE_SIZE) - {"growth_30d", "growth_90d", "spike_flag", "spike_ratio"}


def explained_scores(scores: dict[str, Any]) -> list[Explained]:
    """Every metric of a creator_scores row with its meaning (schema doc), sample size, window.

    The window is the engagement window of docs/metrics.md for post-based metrics, and the
    follower snapshots for growth metrics; sample-size columns are listed with their metric.
    """
    start, end = scores.get("window_start"), scores.get("anchor_at")
    post_window = (
        f"posts from {start:%Y-%m-%d} to {end:%Y-%m-%d} (latest {scores.get('n_posts_window')})"
        if start is not None and end is not None
        else None
    )
    skip = _NOT_METRICS | set(SAMPLE_SIZE.values())
    out = []
    for col in CREATOR_SCORES.columns:
        if col.name in skip:
            continue
        sample = SAMPLE_SIZE.get(col.name)
        n = scores.get(sample) if sample else None
        window = post_window if col.name in _WINDOWED else None
        if col.name in ("growth_30d", "growth_90d", "spike_flag", "spike_ratio"):
            window = "follower snapshots"
        out.append(Explained(col.name, scores.get(col.name), col.doc, n, sample, window))
    return out


def _quantiles(column: ir.NumericColumn) -> dict[str, ir.Scalar]:
    return {
        "n": column.count(),
        "p25": column.quantile(0.25),
        "median": column.median(),
        "p75": column.quantile(0.75),
    }


def creator_stats(warehouse: Warehouse, flt: CreatorFilter) -> dict[str, Any]:
    """Distribution summary of the filtered creators (the object has a ``count`` field);
    NotFoundError on an empty or unscored store rather than a summary of zeros."""
    require_scored(warehouse)
    t = filtered(warehouse, flt)
    summary: dict[str, Any] = {"count": int(t.count().execute())}
    with_posts = t.filter(t.n_posts_window.notnull())
    summary["with_posts"] = int(with_posts.count().execute())
    metrics: dict[str, dict[str, float | int | None]] = {}
    for metric in (
        "followers",
        "er_median",
        "erv_median",
        "reach_rate",
        "posts_per_week",
        "comment_like_ratio",
        "days_since_last_post",
        "audience_quality",
        "fake_follower_share",
        "fee_per_post",
        "cpe",
    ):
        row = t.aggregate(**_quantiles(t[metric])).to_pyarrow().to_pylist()[0]
        metrics[metric] = {k: (None if v is None else float(v)) for k, v in row.items()}
        metrics[metric]["n"] = int(row["n"] or 0)
    summary["metrics"] = metrics
    summary["passes_reach_gate"] = int(t.filter(t.passes_reach_gate).count().execute())
    summary["spike_flagged"] = int(t.filter(t.spike_flag).count().execute())
    for column in ("platform", "tier", "authenticity_verdict"):
        counts = t.group_by(column).agg(n=t.count()).order_by(column).to_pyarrow().to_pylist()
        summary[f"by_{column}"] = {
            UNKNOWN_GROUP if r[column] is None else str(r[column]): int(r["n"]) for r in counts
        }
    return summary


@dataclass(frozen=True)
class Profile:
    """A creator's stored profile, scores and latest posts, for the profile card."""

    creator: dict[str, Any]
    scores: dict[str, Any] | None
    recent_posts: list[dict[str, Any]]
    other_platforms: list[str]
    # The creator's current view when the profile was read from one (charts read it too).
    view: CreatorView | None = None


def split_key(raw: str) -> tuple[str | None, str]:
    """``platform:handle`` -> (platform, handle); a bare handle has no platform."""
    platform, sep, handle = raw.strip().partition(":")
    if sep and platform.lower() in PLATFORMS:
        return platform.lower(), handle.strip()
    return None, raw.strip()


def find_creator(warehouse: Warehouse, handle: str, platform: str | None = None) -> dict[str, Any]:
    """The creator with this handle (case-insensitive, '@' optional); NotFoundError if none."""
    wanted = normalise_handle(handle)
    if not wanted:
        raise ParameterError("HANDLE", "is empty")
    found = creator_by_handle(warehouse, wanted, platform)
    if found is not None:
        return found
    close = difflib.get_close_matches(wanted, handles_starting_with(warehouse, wanted[:3]), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    where = f" on {platform}" if platform else ""
    raise NotFoundError(f"no creator with handle '{wanted}'{where}{hint}")


def creator_profile(
    warehouse: Warehouse,
    handle: str,
    platform: str | None = None,
    views: ViewStore | None = None,
) -> Profile:
    """A creator's row, scores and latest posts, and the other platforms using the same handle.

    ``views``: current creator views (``services/browse/views.py``), read first when given.
    """
    if views is not None:
        view = views.by_handle(normalise_handle(handle), platform)
        if view is not None:
            return Profile(view.creator, view.scores, card_posts(view.recent), view.others, view)
    # One read finds the creator and the other platforms using the same handle.
    same_handle = creators_with_handle(warehouse, normalise_handle(handle))
    chosen = [r for r in same_handle if platform is None or r["platform"] == platform]
    creator = dict(chosen[0]) if chosen else find_creator(warehouse, handle, platform)
    key = (str(creator["platform"]), str(creator["creator_id"]))
    scores = score_row(warehouse, *key)
    posts = latest_posts(warehouse, *key)
    others = [str(r["platform"]) for r in same_handle if r["platform"] != creator["platform"]]
    return Profile(creator, scores, posts, others)


NO_CREATORS = "no creators yet: import some with `microscout import`, or try `microscout demo`"


def require_scored(warehouse: Warehouse) -> None:
    """Refuse (NotFoundError) a store with no creators or never scored: a list or a summary of
    it would be zeros that look like measurements."""
    creators = warehouse.count("creators")
    if creators == 0:
        raise NotFoundError(NO_CREATORS)
    if last_score_run_started(warehouse) is None:
        raise NotFoundError(
            f"{creators:,} creator{'' if creators == 1 else 's'} imported but not scored yet: "
            "run `microscout score`"
        )


def scores_status(warehouse: Warehouse) -> str | None:
    """A warning when scores are missing or older than the latest import; None when fresh."""
    if warehouse.count("creators") == 0:
        return None
    last_run = last_score_run_started(warehouse)
    if last_run is None:
        return "creators are not scored yet: run `microscout score`"
    last_import = last_import_started(warehouse)
    if last_import is not None and last_import > last_run:
        return "scores are older than the latest import: run `microscout score`"
    return None
