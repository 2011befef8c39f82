"""What each stored column is called in words, and how it is computed, for people reading a page.

The schema (``core/schema.py``) says what a column *means*; a page also needs a short name a
reader recognises ("Engagement rate (median)", not ``er_median``) and, on hover, the column's
stored name and its formula, so a number can be traced to docs/metrics.md and to an export.
Every column of ``creator_scores`` has an entry here (a test keeps it so); a column added
without one still reads as words (:func:`label_of` falls back to its name with spaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Label:
    """A column in words, and its formula as docs/metrics.md writes it."""

    text: str
    formula: str


_ER_I = "(likes + comments + shares + saves) / followers per window post"

LABELS = MappingProxyType(
    {
        "platform": Label("Platform", "as imported"),
        "creator_id": Label("Creator id", "the platform's id of the account"),
        "handle": Label("Handle", "as imported"),
        "display_name": Label("Name", "as imported"),
        "country": Label("Country", "as imported (ISO 3166 code)"),
        "language": Label("Language", "as imported (ISO 639 code)"),
        "followers": Label("Followers", "the creator's current follower count"),
        "tier": Label(
            "Tier", "nano, micro, mid, macro or mega by followers (the tier_*_max settings)"
        ),
        "anchor_at": Label("Window ends", "as-of date, else the creator's latest post"),
        "window_start": Label("Window starts", "window end − window_days"),
        "n_posts_window": Label(
            "Posts in the window", "latest window_max_posts posts within window_days of its end"
        ),
        "er_median": Label("Engagement rate (median)", f"median of {_ER_I}"),
        "er_mean": Label("Engagement rate (mean)", f"mean of {_ER_I}"),
        "er_ci_low": Label(
            "Engagement rate, 95% interval low", "order-statistic interval of the median"
        ),
        "er_ci_high": Label(
            "Engagement rate, 95% interval high", "order-statistic interval of the median"
        ),
        "er_n": Label("Posts behind the engagement rate", "window posts with visible likes"),
        "erv_median": Label(
            "Engagement rate by views (median)",
            "median of (likes + comments + shares + saves) / views per window post",
        ),
        "erv_n": Label("Posts behind the rate by views", "window posts with views > 0"),
        "reach_rate": Label(
            "Reach rate (median)", "median of (reach, else views) / followers per window post"
        ),
        "reach_n": Label("Posts behind the reach rate", "window posts with reach or views"),
        "passes_reach_gate": Label("Passes the reach gate", "reach rate ≥ the reach_gate setting"),
        "comment_like_ratio": Label("Comments per like", "Σ comments / Σ likes over window posts"),
        "share_rate": Label("Share rate", "Σ shares / Σ views over window posts"),
        "reply_rate": Label(
            "Creator reply rate", "creator replies / audience comments in the comment sample"
        ),
        "reply_n": Label("Comments behind the reply rate", "audience comments in the sample"),
        "posts_per_week": Label(
            "Posts per week", "posts in the window_days to the window end / (window_days / 7)"
        ),
        "days_since_last_post": Label(
            "Days since the last post", "reference date − the creator's latest post"
        ),
        "engagement_cv": Label(
            "Engagement variability (CV)",
            "standard deviation / mean of the window posts' engagement",
        ),
        "growth_30d": Label(
            "Follower growth, 30 days", "(F_last − F_30 days earlier) / F_30 days earlier"
        ),
        "growth_90d": Label(
            "Follower growth, 90 days", "(F_last − F_90 days earlier) / F_90 days earlier"
        ),
        "snapshots_n": Label("Follower snapshots", "snapshots up to the window end"),
        "spike_flag": Label(
            "Follower spike",
            "largest gain / usual gain ≥ spike_ratio and gain ≥ spike_min_share of followers",
        ),
        "spike_gain": Label(
            "Largest weekly follower gain", "max of (F_t − F_t−1) × 7 / days between snapshots"
        ),
        "spike_date": Label("Date of the largest gain", "the snapshot that ends it"),
        "spike_ratio": Label(
            "Largest gain / usual gain", "largest weekly gain / median weekly gain"
        ),
        "sponsored_er_median": Label(
            "Engagement rate of sponsored posts", f"median of {_ER_I}, sponsored posts only"
        ),
        "sponsored_n": Label("Sponsored posts", "sponsored window posts"),
        "organic_er_median": Label(
            "Engagement rate of organic posts", f"median of {_ER_I}, organic posts only"
        ),
        "organic_n": Label("Organic posts", "window posts without a sponsor tag"),
        "sponsored_vs_organic": Label(
            "Sponsored / organic engagement", "sponsored rate / organic rate"
        ),
        "null_reasons": Label("Why values are missing", "one 'metric: why' per unknown value"),
        "run_id": Label("Scoring run", "the run that wrote the row"),
        "audience_quality": Label(
            "Audience quality (0–100)", "100 plus the points of each reason (docs/authenticity.md)"
        ),
        "audience_quality_reasons": Label(
            "Audience quality reasons", "each signal that raised or lowered it, with evidence"
        ),
        "fake_follower_share": Label(
            "Fake followers (estimate)", "sampled followers whose profile looks fake / sampled"
        ),
        "fake_follower_ci_low": Label(
            "Fake followers, 95% interval low", "interval of the estimated share"
        ),
        "fake_follower_ci_high": Label(
            "Fake followers, 95% interval high", "interval of the estimated share"
        ),
        "audience_sample_n": Label("Sampled followers", "followers in the audience sample"),
        "authenticity_verdict": Label(
            "Authenticity verdict", "ok, caution or high risk from the audience quality"
        ),
        "authenticity_unavailable": Label(
            "Signals not checked", "the authenticity signals that had no data, and why"
        ),
        "niche_primary": Label("Main niche", "the IAB niche with the largest share of posts"),
        "niche_name": Label("Main niche (name)", "the IAB Content Taxonomy 3.1 name of it"),
        "niche_focus": Label("Niche focus", "1 − normalised entropy of the per-post niche shares"),
        "niche_posts_n": Label("Posts behind the niche", "recent posts with a niche match"),
        "fee_per_post": Label(
            "Estimated fee per post", "tier rate at these followers × engagement factor, or a quote"
        ),
        "fee_basis": Label("Fee basis", "the rate model's inputs, or the quote"),
        "cpe": Label("Cost per engagement", "fee per post / expected engagements per post"),
        "cpm": Label("Cost per 1,000 reached", "fee per post / expected reach per post × 1,000"),
        "reason_codes": Label(
            "Audience quality reason codes", "the codes of the audience quality reasons"
        ),
    }
)


def label_of(column: str) -> Label:
    """The column's label; a column without one reads as its name in words."""
    found = LABELS.get(column)
    if found is not None:
        return found
    return Label(column.replace("_", " ").capitalize(), "")


def hover_of(column: str) -> str:
    """What a page shows on hover: the stored column name, then its formula."""
    formula = label_of(column).formula
    return f"{column}: {formula}" if formula else column


__all__ = ["LABELS", "Label", "hover_of", "label_of"]
