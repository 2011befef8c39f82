"""Posts: when, what and how much engagement, calibrated per platform.

Engagement is drawn per creator (a base rate) and per post (noise, media type, sponsorship), then
split into likes, comments, shares and saves. What a platform does not report publicly stays NULL:
instagram shares, saves and reach only for creators who shared insights, youtube shares and saves
never. Calibration targets and their sources: ``docs/demo-data.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from microscout.demo.creators import IG, TT, YT, BoolArray, Creators, FloatArray
from microscout.demo.niches import NICHES
from microscout.demo.text import Bank, IntArray, Templates, concat, keep, nonempty, numbers
from microscout.demo.vocab import GENERIC_HASHTAGS, LANGUAGES, LIFESTYLE_PHRASES

YEAR_US = 365 * 86_400 * 1_000_000
DAY_US = 86_400 * 1_000_000
# Media types per platform with their shares and an engagement multiplier.
MEDIA = (
    (("image", 0.35, 0.9), ("carousel", 0.25, 1.1), ("reel", 0.40, 1.15)),
    (("video", 1.0, 1.0),),
    (("video", 0.6, 1.0), ("short", 0.4, 0.85)),
)
SPONSORED_DISCOUNT = 0.8  # sponsored posts engage a little less than organic ones


@dataclass(frozen=True)
class Posts:
    """Per-post arrays the later stages need, plus the finished posts columns."""

    creator: IntArray  # index into Creators, sorted by creator then time
    number: IntArray  # 0-based position of the post in its creator's timeline
    per_creator: IntArray  # posts per creator (index-aligned with Creators)
    post_id: pa.Array
    posted_at: IntArray  # microseconds since the epoch, UTC
    likes: FloatArray  # NaN when hidden
    comments: IntArray
    columns: dict[str, pa.Array]


def _lognormal(rng: np.random.Generator, sigma: float, size: int) -> FloatArray:
    """Mean-one log-normal noise, so it does not shift the calibrated level."""
    return np.asarray(rng.lognormal(-(sigma**2) / 2, sigma, size), dtype=np.float64)


def _int_column(values: FloatArray, present: BoolArray | None = None) -> pa.Array:
    mask = ~present if present is not None else None
    clean = np.nan_to_num(np.round(values), nan=0.0).astype(np.int64)
    return pa.array(clean, pa.int64(), mask=mask)


def draw_posts(rng: np.random.Generator, creators: Creators, end_us: int) -> Posts:
    n = creators.n
    per_creator = np.clip(rng.poisson(60, n), 40, 80).astype(np.int64)
    c = np.repeat(np.arange(n), per_creator)
    total = c.shape[0]
    first = np.concatenate([[0], np.cumsum(per_creator)[:-1]])
    number = np.arange(total) - first[c]
    problems = creators.problems
    # Posts spread over the year before `end`; inactive creators stop `silent_days` early.
    span = YEAR_US - problems.silent_days[c] * DAY_US
    offset = rng.random(total) * span
    order = np.lexsort((offset, c))
    posted_at = (end_us - YEAR_US + offset[order]).astype(np.int64)
    platform = creators.platform[c]

    media, multiplier = _media(rng, platform)
    sponsor_rate = rng.uniform(0.03, 0.12, n)
    sponsored = rng.random(total) < sponsor_rate[c]
    columns, likes, comments = _engagement(rng, creators, c, media, multiplier, sponsored)

    post_id = concat(creators.creator_id.take(pa.array(c)), "_p", numbers(number + 1, 3))
    columns |= _text(rng, creators, c, media, sponsored, post_id)
    columns["posted_at"] = pa.array(posted_at, pa.timestamp("us"))
    columns["post_id"] = post_id
    columns["creator_id"] = creators.creator_id.take(pa.array(c))
    columns["platform"] = creators.platform_names().take(pa.array(c))
    columns["is_sponsored"] = pa.array(sponsored)
    return Posts(c, number, per_creator, post_id, posted_at, likes, comments, columns)


def _media(rng: np.random.Generator, platform: IntArray) -> tuple[pa.Array, FloatArray]:
    total = platform.shape[0]
    names = np.empty(total, dtype=object)
    mult = np.ones(total)
    u = rng.random(total)
    for p, options in enumerate(MEDIA):
        on = platform == p
        edges = np.cumsum([o[1] for o in options])
        pick = np.minimum(np.searchsorted(edges, u[on]), len(options) - 1)
        names[on] = np.array([o[0] for o in options], dtype=object)[pick]
        mult[on] = np.array([o[2] for o in options])[pick]
    return pa.array(names, pa.string()), mult


def _engagement(
    rng: np.random.Generator,
    creators: Creators,
    c: IntArray,
    media: pa.Array,
    multiplier: FloatArray,
    sponsored: BoolArray,
) -> tuple[dict[str, pa.Array], FloatArray, IntArray]:
    n, total = creators.n, c.shape[0]
    p = creators.problems
    followers = creators.followers.astype(np.float64)
    # Bought followers and fake accounts never engage: engagement follows the real audience.
    engaged = followers / (1 + p.jump) * (1 - p.fake_target) / (1 - 0.06)
    low = p.low_reach
    reach_rate = np.where(low, rng.uniform(0.02, 0.06, n), rng.uniform(0.15, 0.40, n))
    # Instagram ER by followers falls with size: ~2.6% at 10k, ~1.7% at 50k, ~0.8% at 1M.
    er = 0.026 * (engaged / 10_000) ** -0.25 * rng.lognormal(0, 0.35, n)
    er = np.where(low, er * reach_rate / 0.25, er)  # few reached, few engage
    tt_view_rate = np.where(low, reach_rate, np.exp(rng.uniform(np.log(0.15), np.log(0.8), n)))
    yt_view_rate = np.where(low, reach_rate, np.exp(rng.uniform(np.log(0.12), np.log(0.45), n)))
    erv = np.where(creators.platform == YT, 0.04, 0.093) * rng.lognormal(0, 0.3, n)
    comment_ratio = np.where(p.pod_id >= 0, rng.uniform(0.12, 0.30, n), rng.uniform(0.02, 0.05, n))
    save_ratio = rng.uniform(0.04, 0.14, n)
    share_ratio = rng.uniform(0.02, 0.10, n)

    platform = creators.platform[c]
    is_ig, is_tt, is_yt = platform == IG, platform == TT, platform == YT
    boost = multiplier * np.where(sponsored, SPONSORED_DISCOUNT, 1.0)
    is_reel = pc.equal(media, "reel").to_numpy(zero_copy_only=False)
    is_short = pc.equal(media, "short").to_numpy(zero_copy_only=False)

    views = np.full(total, np.nan)
    views_tt = engaged[c] * tt_view_rate[c] * _lognormal(rng, 0.9, total)
    views_yt = (
        engaged[c] * yt_view_rate[c] * np.where(is_short, 1.5, 1.0) * _lognormal(rng, 0.7, total)
    )
    reel_rate = reach_rate[c] * np.where(low[c], 1.15, rng.uniform(1.2, 2.0, total))
    views_ig = followers[c] * reel_rate * _lognormal(rng, 0.4, total)
    views = np.where(
        is_tt, views_tt, np.where(is_yt, views_yt, np.where(is_reel, views_ig, np.nan))
    )
    reach = followers[c] * reach_rate[c] * _lognormal(rng, 0.25, total)
    if_reach = is_ig & creators.insights[c]

    noise = _lognormal(rng, 0.35, total)
    eng_ig = engaged[c] * er[c] * boost * noise
    eng_video = views * erv[c] * boost * noise
    eng = np.where(is_ig, eng_ig, eng_video)
    extras = 1 + comment_ratio[c] + np.where(is_yt, 0.0, save_ratio[c] + share_ratio[c])
    likes = eng / extras
    comments = np.round(likes * comment_ratio[c] * _lognormal(rng, 0.3, total)).astype(np.int64)
    # Likes hidden by the owner on a few instagram posts; the comments stay visible.
    hidden = is_ig & (rng.random(total) < 0.015)
    likes = np.where(hidden, np.nan, likes)
    saves = likes * save_ratio[c] * _lognormal(rng, 0.3, total)
    shares = likes * share_ratio[c] * _lognormal(rng, 0.3, total)
    sharing_known = is_tt | if_reach
    columns = {
        "media_type": media,
        "likes": _int_column(likes, ~hidden),
        "comments": pa.array(comments, pa.int64()),
        "shares": _int_column(shares, sharing_known & ~hidden),
        "saves": _int_column(saves, sharing_known & ~hidden),
        "views": _int_column(views, ~np.isnan(views)),
        "reach": _int_column(reach, if_reach),
    }
    return columns, likes, comments


def _text(
    rng: np.random.Generator,
    creators: Creators,
    c: IntArray,
    media: pa.Array,
    sponsored: BoolArray,
    post_id: pa.Array,
) -> dict[str, pa.Array]:
    total = c.shape[0]
    # A fifth of a two-niche creator's posts are about the second niche.
    second = (creators.niche2[c] >= 0) & (rng.random(total) < 0.2)
    niche = np.where(second, creators.niche2[c], creators.niche[c])
    language = creators.language[c]
    topics = Bank([nc.topics for nc in NICHES])
    caption = Templates([nc.captions for nc in NICHES]).fill(
        rng, niche, topics.pick(rng, niche), topics.pick(rng, niche)
    )
    local = Bank([lang.caption_phrases for lang in LANGUAGES]).pick(rng, language)
    lifestyle = Bank([LIFESTYLE_PHRASES]).pick(rng, np.zeros(total, np.int64))
    brand = Bank([nc.brands for nc in NICHES]).pick(rng, creators.niche[c])
    non_english = language != 0
    caption = concat(
        keep(non_english & (rng.random(total) < 0.6), local),
        caption,
        keep(rng.random(total) < 0.15, lifestyle),
        keep(sponsored, concat("#ad @", brand)),
        sep=" ",
    )
    niche_tags = Bank([nc.hashtags for nc in NICHES])
    tags = niche_tags.distinct(rng, niche, 7, rng.integers(2, 8, total))
    generic = Bank([GENERIC_HASHTAGS]).distinct(
        rng, np.zeros(total, np.int64), 2, rng.choice(3, total, p=[0.55, 0.3, 0.15])
    )
    hashtags = concat(*tags, *generic, keep(sponsored, "ad"), sep="|")

    handles_by_niche = [[] for _ in NICHES]  # type: list[list[str]]
    for handle, nc in zip(creators.handle.to_pylist(), creators.niche.tolist(), strict=True):
        handles_by_niche[nc].append(handle)
    # A niche without creators is never picked; the placeholder only keeps the bank well-formed.
    fellow = Bank([group or [""] for group in handles_by_niche]).pick(rng, creators.niche[c])
    shout = keep(rng.random(total) < 0.08, fellow)
    handle = creators.handle.take(pa.array(c))
    permalink = _permalinks(creators.platform[c], media, handle, post_id)
    return {
        "caption": caption,
        "hashtags": hashtags,
        "mentions": nonempty(concat(keep(sponsored, brand), shout, sep="|")),
        "sponsors": keep(sponsored, brand),
        "permalink": permalink,
    }


def _permalinks(
    platform: IntArray, media: pa.Array, handle: pa.Array, post_id: pa.Array
) -> pa.Array:
    reel = pc.equal(media, "reel")
    short = pc.equal(media, "short")
    ig_base = pc.if_else(reel, "https://www.instagram.com/reel/", "https://www.instagram.com/p/")
    yt_base = pc.if_else(
        short, "https://www.youtube.com/shorts/", "https://www.youtube.com/watch?v="
    )
    ig = concat(ig_base, post_id, "/")
    tt = concat("https://www.tiktok.com/@", handle, "/video/", post_id)
    yt = concat(yt_base, post_id)
    out = pc.if_else(pa.array(platform == IG), ig, pc.if_else(pa.array(platform == TT), tt, yt))
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


__all__ = ["Posts", "draw_posts"]
