"""The baseline: the creator metrics as a competent analyst would write them in pandas.

It reads the same Parquet files the benchmark imports and follows docs/metrics.md — window, rates,
per-creator aggregates, the order-statistic interval of the median and follower growth — using
ordinary pandas: sort, ``groupby`` with named aggregations, ``transform``, ``cumcount``, and
``groupby().apply`` where a per-group function is the natural way to say it (the interval). It is
written independently of ``core/metrics`` (only the parameters are shared), so agreement between
the two is evidence that both are right.
"""

from __future__ import annotations

import time
from math import comb
from pathlib import Path

import numpy as np
import pandas as pd

from microscout.core.metrics.params import MetricParams

KEY = ["platform", "creator_id"]
_POST_COLUMNS = [
    *KEY,
    "post_id",
    "posted_at",
    "likes",
    "comments",
    "shares",
    "saves",
    "views",
    "reach",
    "is_sponsored",
]


def ci_ranks(max_n: int, confidence: float) -> dict[int, int]:
    """Per sample size n, the 1-based rank j with [x(j), x(n+1-j)] covering the median.

    The coverage of that interval is 1 - 2·P(B ≤ j-1) with B ~ Binomial(n, ½); j is the largest
    rank whose coverage still reaches ``confidence``. Sizes with no such j are left out.
    """
    ranks: dict[int, int] = {}
    for n in range(1, max_n + 1):
        below = 0  # P(B ≤ j-1), accumulated as j grows
        for j in range(1, n // 2 + 1):
            below += comb(n, j - 1) / 2**n
            if 1 - 2 * below < confidence:
                break
            ranks[n] = j
    return ranks


class Laps:
    """Seconds per step, so the report can say where pandas spends its time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - self._last
        self._last = now


def pandas_scores(folder: Path, params: MetricParams, laps: Laps | None = None) -> pd.DataFrame:
    """One row per creator with the metrics the benchmark checks, indexed by platform, creator."""
    if params.as_of is not None:
        raise ValueError("the baseline implements the default anchor (each creator's latest post)")
    laps = laps or Laps()
    creators = pd.read_parquet(folder / "creators.parquet", columns=[*KEY, "followers"])
    posts = pd.read_parquet(folder / "posts.parquet", columns=_POST_COLUMNS)
    comments = pd.read_parquet(
        folder / "comments.parquet", columns=["platform", "post_id", "is_reply_by_creator"]
    )
    snapshots = pd.read_parquet(
        folder / "follower_snapshots.parquet", columns=[*KEY, "snapshot_date", "followers"]
    )
    laps.lap("read parquet")

    span = pd.Timedelta(days=params.window_days)
    posts = posts.dropna(subset=["posted_at"])
    posts["anchor"] = posts.groupby(KEY)["posted_at"].transform("max")
    inside = posts[posts["posted_at"] > posts["anchor"] - span]
    del posts
    cadence = (inside.groupby(KEY).size() / (params.window_days / 7)).rename("posts_per_week")

    # Latest first, then the first N of each creator; an instant that does not fit whole (its
    # posts run past the N-th) is left out whole.
    inside = inside.sort_values([*KEY, "posted_at"], ascending=[True, True, False])
    rank = inside.groupby(KEY).cumcount().to_numpy()
    times = inside["posted_at"].to_numpy()
    instant = np.cumsum((rank == 0) | np.r_[True, times[1:] != times[:-1]])
    last = rank == params.window_max_posts - 1
    runs_on = np.r_[(rank[1:] == params.window_max_posts) & (times[1:] == times[:-1]), False]
    split = np.isin(instant, instant[last & runs_on])
    window = inside[(rank < params.window_max_posts) & ~split]
    del inside
    window = window.merge(creators, on=KEY, how="inner")
    laps.lap("window (sort, cut, join followers)")

    window = _rates(window)
    scores = _engagement(window, params, laps)
    scores = scores.join(cadence, how="outer")
    scores = scores.join(_replies(window, comments), how="left")
    laps.lap("reply rate")
    scores = scores.join(_growth(snapshots, params), how="outer")
    laps.lap("growth")
    out = creators.set_index(KEY)[["followers"]].join(scores, how="left")
    laps.lap("final join")
    return out


def _rates(window: pd.DataFrame) -> pd.DataFrame:
    # Hidden likes (NaN) leave the post out of every rate instead of counting it as a flop.
    eng = (
        window["likes"]
        + window["comments"].fillna(0)
        + window["shares"].fillna(0)
        + window["saves"].fillna(0)
    )
    followers = window["followers"].where(window["followers"] > 0)
    views = window["views"].where(window["views"] > 0)
    both = window["likes"].notna() & window["comments"].notna()
    shared = window["shares"].notna() & (window["views"] > 0)
    sponsored = window["is_sponsored"].fillna(False).astype(bool)
    er = eng / followers
    return window.assign(
        eng=eng,
        er=er,
        erv=eng / views,
        rr=window["reach"].fillna(window["views"]) / followers,
        cl_comments=window["comments"].where(both),
        cl_likes=window["likes"].where(both),
        sh_shares=window["shares"].where(shared),
        sh_views=window["views"].where(shared),
        er_sponsored=er.where(sponsored),
        er_organic=er.where(~sponsored),
    )


def _engagement(window: pd.DataFrame, params: MetricParams, laps: Laps) -> pd.DataFrame:
    grouped = window.groupby(KEY)
    agg = grouped.agg(
        n_posts_window=("post_id", "size"),
        er_median=("er", "median"),
        er_mean=("er", "mean"),
        er_n=("er", "count"),
        eng_mean=("eng", "mean"),
        eng_std=("eng", "std"),
        eng_n=("eng", "count"),
        erv_median=("erv", "median"),
        reach_rate=("rr", "median"),
        cl_comments=("cl_comments", "sum"),
        cl_likes=("cl_likes", "sum"),
        sh_shares=("sh_shares", "sum"),
        sh_views=("sh_views", "sum"),
        sponsored_er_median=("er_sponsored", "median"),
        organic_er_median=("er_organic", "median"),
    )
    agg["comment_like_ratio"] = (agg["cl_comments"] / agg["cl_likes"]).where(agg["cl_likes"] > 0)
    agg["share_rate"] = (agg["sh_shares"] / agg["sh_views"]).where(agg["sh_views"] > 0)
    # docs/metrics.md: the CV of the engagement counts, so it is known without followers.
    agg["engagement_cv"] = (agg["eng_std"] / agg["eng_mean"]).where(
        (agg["eng_n"] >= 2) & (agg["eng_mean"] > 0)
    )

    laps.lap("rates and aggregates")
    ranks = ci_ranks(params.window_max_posts, params.ci_confidence)

    def median_ci(er: pd.Series) -> tuple[float, float]:
        # numpy inside the per-group function: Series.dropna per group would triple the cost.
        values = np.sort(er.to_numpy())  # NaN (no rate) sorts last
        n = int(np.count_nonzero(~np.isnan(values)))
        j = ranks.get(n)
        if j is None:
            return (np.nan, np.nan)
        return (float(values[j - 1]), float(values[n - j]))

    bounds = grouped["er"].apply(median_ci)
    ci = pd.DataFrame(bounds.tolist(), index=bounds.index, columns=["er_ci_low", "er_ci_high"])
    laps.lap("median CI (groupby.apply)")
    return agg.drop(columns=["cl_comments", "cl_likes", "sh_shares", "sh_views"]).join(ci)


def _replies(window: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    sample = comments.merge(window[[*KEY, "post_id"]], on=["platform", "post_id"])
    reply = sample["is_reply_by_creator"].fillna(False).astype(bool)
    counts = sample.assign(reply=reply, audience=~reply).groupby(KEY)[["reply", "audience"]].sum()
    rate = (counts["reply"] / counts["audience"]).clip(upper=1.0)
    return pd.DataFrame(
        {"reply_rate": rate.where(counts["audience"] > 0), "reply_n": counts["audience"]}
    )


def _growth(snapshots: pd.DataFrame, params: MetricParams) -> pd.DataFrame:
    snaps = snapshots.dropna(subset=["followers", "snapshot_date"]).copy()
    snaps["snapshot_date"] = pd.to_datetime(snaps["snapshot_date"])
    snaps = snaps.sort_values([*KEY, "snapshot_date"])
    grouped = snaps.groupby(KEY)
    snaps["prev_followers"] = grouped["followers"].shift()
    gap_days = grouped["snapshot_date"].diff().dt.days
    snaps["weekly_gain"] = (snaps["followers"] - snaps["prev_followers"]) * 7 / gap_days
    snaps["age"] = (grouped["snapshot_date"].transform("max") - snaps["snapshot_date"]).dt.days

    out = grouped.agg(
        snapshots_n=("followers", "size"),
        f_last=("followers", "last"),
        gain_median=("weekly_gain", "median"),
        gain_max=("weekly_gain", "max"),
    )
    # Sorted by date, the last snapshot at least d days old is the one closest to d days.
    out["f_30"] = snaps[snaps["age"] >= 30].groupby(KEY)["followers"].last()
    out["f_90"] = snaps[snaps["age"] >= 90].groupby(KEY)["followers"].last()
    gains = snaps.dropna(subset=["weekly_gain"])
    peak = gains.loc[gains.groupby(KEY)["weekly_gain"].idxmax()].set_index(KEY)
    out["spike_prev"] = peak["prev_followers"]

    out["growth_30d"] = ((out["f_last"] - out["f_30"]) / out["f_30"]).where(out["f_30"] > 0)
    out["growth_90d"] = ((out["f_last"] - out["f_90"]) / out["f_90"]).where(out["f_90"] > 0)
    norm = np.fmax(out["gain_median"], out["f_last"] * 0.001)
    enough = out["snapshots_n"] >= 3
    out["spike_ratio"] = (out["gain_max"] / norm).where(enough & (norm > 0))
    # Three-valued logic: an undefined ratio (a norm of 0) leaves the flag unknown, not False.
    unusual = _known(out["spike_ratio"] >= params.spike_ratio, out["spike_ratio"])
    minimum = out["spike_prev"] * params.spike_min_share
    large = _known(out["gain_max"] >= minimum, out["gain_max"] + minimum)
    out["spike_flag"] = (unusual & large).where(enough)
    return out[["snapshots_n", "growth_30d", "growth_90d", "spike_ratio", "spike_flag"]]


def _known(test: pd.Series, operands: pd.Series) -> pd.Series:
    """A comparison as a nullable boolean that is NA wherever an operand was NaN."""
    return test.astype("boolean").mask(operands.isna())
