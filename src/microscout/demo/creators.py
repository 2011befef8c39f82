"""Who the demo creators are: platform, size, niche, country, handle, profile — and what is wrong.

Everything here is per creator; posts, comments and audiences are drawn from these arrays. The
planted problems are decided here so that every later stage can make their symptoms visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from microscout.demo.niches import NICHES
from microscout.demo.text import (
    Bank,
    IntArray,
    Templates,
    concat,
    keep,
    lower,
    numbers,
    unique,
)
from microscout.demo.vocab import COUNTRIES, LANGUAGE_INDEX, LANGUAGES

PLATFORMS = ("instagram", "tiktok", "youtube")
PLATFORM_SHARE = (0.5, 0.3, 0.2)
PLATFORM_PREFIX = ("ig", "tt", "yt")
IG, TT, YT = 0, 1, 2

# Each planted problem hits about this share of creators (overlaps allowed).
PROBLEM_RATE = 0.04
PROBLEMS = ("bought_followers", "fake_audience", "engagement_pod", "inactive", "low_reach")

FloatArray = np.ndarray[tuple[int], np.dtype[np.float64]]
BoolArray = np.ndarray[tuple[int], np.dtype[np.bool_]]


@dataclass(frozen=True)
class Problems:
    """What was planted, per creator (index-aligned with :class:`Creators`)."""

    bought: BoolArray
    jump: FloatArray  # relative size of the bought jump (0 when none)
    jump_week: IntArray  # weeks before ``end`` the jump lands (0 when none)
    fake_audience: BoolArray
    pod_id: IntArray  # -1 when not in a pod
    inactive: BoolArray
    silent_days: FloatArray  # days without a post before ``end`` (0 when active)
    low_reach: BoolArray
    fake_target: FloatArray  # share of the audience sample drawn from fake accounts

    def labels(self) -> pa.Array:
        """'|'-joined problem names in the documented order, '' when clean."""
        flags = (self.bought, self.fake_audience, self.pod_id >= 0, self.inactive, self.low_reach)
        parts = [keep(flag, name) for flag, name in zip(flags, PROBLEMS, strict=True)]
        return pc.fill_null(concat(*parts, sep="|"), "")


@dataclass(frozen=True)
class Creators:
    """Per-creator arrays, index-aligned. ``n`` creators, sorted by platform then number."""

    platform: IntArray
    creator_id: pa.Array
    handle: pa.Array
    first_name: pa.Array  # lower-case; the handle and the display name share it
    last_name: pa.Array
    niche: IntArray
    niche2: IntArray  # second niche or -1
    country: IntArray
    language: IntArray
    followers: IntArray
    following: IntArray
    insights: BoolArray  # instagram creators who shared insights (reach is known)
    problems: Problems

    @property
    def n(self) -> int:
        return int(self.platform.shape[0])

    def platform_names(self) -> pa.Array:
        return pa.array(np.array(PLATFORMS, dtype=object)[self.platform], pa.string())


def draw_followers(rng: np.random.Generator, n: int) -> IntArray:
    """Heavy-tailed follower counts from ~1k to 5M, about 40% in the 10k–50k micro band.

    A log-normal body (median ~16k) mixed with a Pareto tail (alpha 0.9 from 40k) gives the long
    right tail of real creator populations without piling creators onto the 5M cap.
    """
    body = 10 ** rng.normal(4.2, 0.5, n)
    tail = 40_000 * (1 - rng.random(n)) ** (-1 / 0.9)
    followers = np.where(rng.random(n) < 0.25, tail, body)
    over = followers > 5_000_000
    followers[over] = 10 ** rng.uniform(6.0, np.log10(5_000_000), int(over.sum()))
    return np.asarray(np.clip(followers, 1_000, 5_000_000).round(), dtype=np.int64)


def draw_creators(rng: np.random.Generator, n: int) -> Creators:
    platform = np.sort(rng.choice(3, size=n, p=PLATFORM_SHARE)).astype(np.int64)
    number = np.arange(n) - np.searchsorted(platform, platform)  # 0.. within each platform
    prefix = pa.array(np.array(PLATFORM_PREFIX, dtype=object)[platform], pa.string())
    creator_id = concat(prefix, numbers(number + 1, 6), sep="_")

    niche = rng.integers(0, len(NICHES), n)
    has_second = rng.random(n) < 0.2
    second = (niche + rng.integers(1, len(NICHES), n)) % len(NICHES)
    niche2 = np.where(has_second, second, -1).astype(np.int64)

    shares = np.array([c[2] for c in COUNTRIES])
    country = rng.choice(len(COUNTRIES), size=n, p=shares / shares.sum()).astype(np.int64)
    lang_of_country = np.array([LANGUAGE_INDEX[c[1]] for c in COUNTRIES])
    language = lang_of_country[country].astype(np.int64)

    followers = draw_followers(rng, n)
    following = np.asarray(np.clip(rng.lognormal(np.log(700), 0.8, n), 20, 7_500), np.int64)
    insights = (platform == IG) & (rng.random(n) < 0.6)
    first_name = Bank([lang.first_names for lang in LANGUAGES]).pick(rng, language)
    last_name = Bank([lang.last_names for lang in LANGUAGES]).pick(rng, language)
    handle = _handles(rng, niche, first_name, last_name)
    problems = _plant(rng, platform, niche, insights)
    return Creators(
        platform,
        creator_id,
        handle,
        first_name,
        last_name,
        niche,
        niche2,
        country,
        language,
        followers,
        following,
        insights,
        problems,
    )


def _handles(
    rng: np.random.Generator, niche: IntArray, firsts: pa.Array, lasts: pa.Array
) -> pa.Array:
    """Unique lower-case handles: niche word + name (+ digits), e.g. ``skin.lena92``."""
    n = niche.shape[0]
    word = Bank([nc.handle_words for nc in NICHES]).pick(rng, niche)
    sep = Bank([("", ".", "_")]).pick(rng, np.zeros(n, np.int64))
    style = rng.integers(0, 3, n)
    first_part = pc.if_else(pa.array(style == 1), firsts, word)
    second_part = pc.if_else(pa.array(style == 1), word, firsts)
    second_part = pc.if_else(pa.array(style == 2), lasts, second_part)
    first_part = pc.if_else(pa.array(style == 2), firsts, first_part)
    digits = keep(rng.random(n) < 0.35, numbers(rng.integers(1, 100, n)))
    return unique(lower(concat(first_part, sep, second_part, digits)))


def _plant(
    rng: np.random.Generator, platform: IntArray, niche: IntArray, insights: BoolArray
) -> Problems:
    n = platform.shape[0]
    bought = rng.random(n) < PROBLEM_RATE
    jump = np.where(bought, rng.uniform(0.15, 0.40, n), 0.0)
    # Land the jump where both sides have weeks of history, so a detector can see it.
    jump_week = np.where(bought, rng.integers(6, 46, n), 0).astype(np.int64)
    fake_audience = rng.random(n) < PROBLEM_RATE
    inactive = rng.random(n) < PROBLEM_RATE
    silent_days = np.where(inactive, rng.uniform(125.0, 240.0, n), 0.0)
    # Low reach must be observable: reach is known for instagram creators with insights,
    # views for every tiktok and youtube creator.
    eligible = insights | (platform != IG)
    share = min(1.0, PROBLEM_RATE * n / max(1, int(eligible.sum())))
    low_reach = eligible & (rng.random(n) < share)
    pod_id = _pods(rng, platform, niche)
    # Even clean audiences hold a few fake accounts; bought audiences hold a lot.
    fake_target = np.where(fake_audience, rng.uniform(0.35, 0.60, n), rng.uniform(0.02, 0.10, n))
    return Problems(
        bought,
        jump,
        jump_week,
        fake_audience,
        pod_id,
        inactive,
        silent_days,
        low_reach,
        fake_target,
    )


def _pods(rng: np.random.Generator, platform: IntArray, niche: IntArray) -> IntArray:
    """Engagement pods: groups of 8–15 creators of one platform and niche.

    A loop over pods (tens of them), not over creators: each pod picks a cell weighted by size
    and draws its members among the cell's creators not yet in a pod.
    """
    n = platform.shape[0]
    pod_id = np.full(n, -1, dtype=np.int64)
    cell = platform * len(NICHES) + niche
    target = round(PROBLEM_RATE * n)
    members = 0
    for pod in range(10_000):
        if members >= target:
            break
        size = int(rng.integers(8, 16))
        free_cells = np.bincount(cell[pod_id < 0], minlength=3 * len(NICHES))
        weights = np.where(free_cells >= size, free_cells, 0).astype(np.float64)
        if weights.sum() == 0:
            break
        chosen = rng.choice(weights.shape[0], p=weights / weights.sum())
        candidates = np.flatnonzero((cell == chosen) & (pod_id < 0))
        pod_id[rng.choice(candidates, size=size, replace=False)] = pod
        members += size
    return pod_id


def profile_columns(
    rng: np.random.Generator, creators: Creators, posts_count: IntArray
) -> dict[str, pa.Array]:
    """The creators-table columns of text and flags (the caller adds ids and counts)."""
    n = creators.n
    firsts = pc.utf8_capitalize(creators.first_name)
    lasts = pc.utf8_capitalize(creators.last_name)
    niche_label = pa.array(np.array([nc.iab_name for nc in NICHES], dtype=object)[creators.niche])
    styled = rng.random(n) < 0.25
    display_name = pc.if_else(
        pa.array(styled), concat(firsts, niche_label, sep=" | "), concat(firsts, lasts, sep=" ")
    )
    topics = Bank([nc.topics for nc in NICHES])
    bios = Templates([nc.bios for nc in NICHES]).fill(
        rng, creators.niche, topics.pick(rng, creators.niche), topics.pick(rng, creators.niche)
    )
    local = Bank([lang.bio_phrases for lang in LANGUAGES]).pick(rng, creators.language)
    email = _emails(rng, creators.handle)
    bio = concat(
        bios, keep(rng.random(n) < 0.5, local), keep(rng.random(n) < 0.2, email), sep=" · "
    )
    has_site = rng.random(n) < 0.3
    site = pc.if_else(
        pa.array(rng.random(n) < 0.5),
        concat("https://linktr.ee/", creators.handle),
        concat("https://", pc.replace_substring(creators.handle, ".", ""), ".com"),
    )
    big = creators.followers >= 500_000
    verified = rng.random(n) < np.where(
        big, 0.35, np.where(creators.followers >= 50_000, 0.04, 0.005)
    )
    niches = pa.array(np.array([nc.iab_id for nc in NICHES], dtype=object)[creators.niche])
    niche2 = pa.array(
        np.array([nc.iab_id for nc in NICHES], dtype=object)[np.maximum(creators.niche2, 0)]
    )
    return {
        "display_name": display_name,
        "bio": bio,
        "is_verified": pa.array(verified),
        "is_business": pa.array(rng.random(n) < 0.65),
        "contact_email": keep(rng.random(n) < 0.45, email),
        "website": keep(has_site, site),
        "niches": concat(niches, keep(creators.niche2 >= 0, niche2), sep="|"),
        "posts_count": pa.array(posts_count, pa.int64()),
    }


def _emails(rng: np.random.Generator, handle: pa.Array) -> pa.Array:
    local = pc.replace_substring(handle, ".", "")
    domain = Bank([("gmail.com", "outlook.com", "mgmt.agency", "hey.com")]).pick(
        rng, np.zeros(len(handle), np.int64)
    )
    collab = rng.random(len(handle)) < 0.4
    return concat(keep(collab, "collab."), local, "@", domain)


__all__ = ["PLATFORMS", "PROBLEMS", "Creators", "Problems", "draw_creators", "profile_columns"]
