"""Audience samples: followers drawn from shared community pools, real and fake.

Followers are accounts of a fixed universe, so the same account has the same profile wherever it
appears and creators of one niche and country share followers — which is what audience-overlap
estimates need. The universe is made of pools:

- one community pool per (platform, niche, country) — most of a creator's real followers;
- one pool per (platform, niche) across countries — the niche's international fans;
- one bot pool per platform — fake accounts, shared widely as bought followers are.

Draws within a pool are skewed towards its first accounts, as a few keen fans follow many creators.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from microscout.demo.creators import PLATFORM_PREFIX, BoolArray, Creators, FloatArray
from microscout.demo.niches import NICHES
from microscout.demo.text import Bank, IntArray, concat, keep, lower, numbers, unique
from microscout.demo.vocab import COUNTRIES, FAKE_HANDLE_WORDS, LANGUAGE_INDEX, LANGUAGES

SKEW = 1.6  # index = size * u**SKEW: > 1 makes the first accounts of a pool the keenest fans
GLOBAL_SHARE = 0.25  # real followers drawn from the niche's international pool


@dataclass(frozen=True)
class Audience:
    """Audience-sample rows sorted by creator, with per-creator offsets into them."""

    creator: IntArray
    handle: pa.Array
    is_fake: BoolArray
    offsets: IntArray
    counts: IntArray
    fake_share: FloatArray
    columns: dict[str, pa.Array]


@dataclass(frozen=True)
class _Universe:
    offsets: IntArray  # first account of each pool
    sizes: IntArray
    n_cells: int  # pools [0, n_cells) are community cells, then niche pools, then bot pools
    n_niche: int


def _universe(creators: Creators, sample_size: int) -> _Universe:
    k, c = len(NICHES), len(COUNTRIES)
    cell = (creators.platform * k + creators.niche) * c + creators.country
    per_cell = np.bincount(cell, minlength=3 * k * c)
    per_niche = np.bincount(creators.platform * k + creators.niche, minlength=3 * k)
    per_platform = np.bincount(creators.platform, minlength=3)
    floor = 3 * sample_size
    cells = np.where(per_cell > 0, np.maximum(floor, 0.3 * per_cell * sample_size), 0)
    niches = np.where(per_niche > 0, np.maximum(floor, 0.15 * per_niche * sample_size), 0)
    bots = np.where(per_platform > 0, np.maximum(floor, 0.05 * per_platform * sample_size), 0)
    sizes = np.concatenate([cells, niches, bots]).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return _Universe(offsets, sizes, cells.shape[0], niches.shape[0])


def _accounts(
    rng: np.random.Generator, universe: _Universe, taken: pa.Array
) -> dict[str, pa.Array | np.ndarray]:
    """Profiles of every account in the universe: realistic for people, tell-tale for bots."""
    k, c = len(NICHES), len(COUNTRIES)
    pool = np.repeat(np.arange(universe.sizes.shape[0]), universe.sizes)
    total = pool.shape[0]
    is_cell = pool < universe.n_cells
    is_bot = pool >= universe.n_cells + universe.n_niche
    platform = np.where(
        is_cell,
        pool // (k * c),
        np.where(
            is_bot, pool - universe.n_cells - universe.n_niche, (pool - universe.n_cells) // k
        ),
    )
    niche = np.where(is_cell, (pool // c) % k, (pool - universe.n_cells) % k)
    lang_of_country = np.array([LANGUAGE_INDEX[x[1]] for x in COUNTRIES])
    language = np.where(
        is_cell, lang_of_country[pool % c], rng.integers(0, len(LANGUAGES), total)
    ).astype(np.int64)
    niche = np.where(is_bot, 0, niche).astype(np.int64)

    u = rng.random((6, total))
    real_following = np.clip(rng.lognormal(np.log(450), 0.7, total), 5, 7_500)
    heavy_follow = u[0] < 0.5  # half the bots follow thousands, half follow few but have none
    bot_followers = np.where(heavy_follow, rng.integers(0, 40, total), rng.integers(0, 6, total))
    bot_following = np.where(
        heavy_follow, rng.integers(1_500, 7_500, total), rng.integers(200, 1_500, total)
    )
    followers = np.where(
        is_bot, bot_followers, np.clip(rng.lognormal(np.log(250), 1.3, total), 0, 250_000)
    )
    following = np.where(is_bot, bot_following, real_following)
    posts = np.where(
        is_bot, rng.integers(0, 4, total), np.clip(rng.lognormal(np.log(80), 1.1, total), 4, 20_000)
    )
    has_picture = np.where(is_bot, u[1] < 0.2, u[1] < 0.96)
    is_private = np.where(is_bot, u[2] < 0.15, u[2] < 0.3)
    bio_length = np.where(
        is_bot,
        np.where(u[3] < 0.9, 0, rng.integers(1, 20, total)),
        np.where(u[3] < 0.35, 0, rng.integers(8, 150, total)),
    )

    first = Bank([lang.first_names for lang in LANGUAGES]).pick(rng, language)
    word = Bank([nc.handle_words for nc in NICHES]).pick(rng, niche)
    last = Bank([lang.last_names for lang in LANGUAGES]).pick(rng, language)
    tail = pa.array(
        np.where(
            u[4] < 0.5, last.to_numpy(zero_copy_only=False), word.to_numpy(zero_copy_only=False)
        )
    )
    sep = Bank([("", ".", "_")]).pick(rng, np.zeros(total, np.int64))
    real_handle = concat(first, sep, tail, keep(u[5] < 0.4, numbers(rng.integers(1, 100, total))))
    # Bots: a stock word, a name and a long run of digits, as bot farms mint them.
    bot_word = Bank([FAKE_HANDLE_WORDS]).pick(rng, np.zeros(total, np.int64))
    bot_handle = concat(bot_word, first, numbers(rng.integers(100_000, 100_000_000, total)))
    handle = lower(pc.if_else(pa.array(is_bot), bot_handle, real_handle))
    # Handles ``taken`` (the creators') come first so they keep theirs and a fan never shares one.
    handle = unique(pa.concat_arrays([taken, handle])).slice(len(taken))
    prefix = pa.array(np.array(PLATFORM_PREFIX, dtype=object)[platform], pa.string())
    return {
        "follower_id": concat(prefix, "_f", numbers(np.arange(total) + 1, 8)),
        "follower_handle": handle,
        "followers": np.asarray(followers, np.int64),
        "following": np.asarray(following, np.int64),
        "posts": np.asarray(posts, np.int64),
        "has_picture": has_picture,
        "is_private": is_private,
        "bio_length": np.asarray(bio_length, np.int64),
        "is_bot": is_bot,
    }


def draw_audience(rng: np.random.Generator, creators: Creators, sample_size: int) -> Audience:
    """``sample_size`` distinct followers per creator, ``fake_target`` of them from the bot pool.

    Each kind of follower (bot, community, international) is drawn twice over and the repeats
    dropped before the sample is cut to size, so a skewed draw hitting the same keen fan twice
    does not shrink the sample or shift its fake share.
    """
    n, k, c = creators.n, len(NICHES), len(COUNTRIES)
    universe = _universe(creators, sample_size)
    accounts = _accounts(rng, universe, creators.handle)

    fakes = np.round(sample_size * creators.problems.fake_target).astype(np.int64)
    internationals = np.round((sample_size - fakes) * GLOBAL_SHARE).astype(np.int64)
    need = np.stack([fakes, internationals, sample_size - fakes - internationals], axis=1)
    draws = 2 * sample_size
    row_creator = np.repeat(np.arange(n), draws)
    slot = np.tile(np.arange(draws), n)
    kind = np.where(
        slot < 2 * fakes[row_creator],
        0,
        np.where(slot < 2 * (fakes + internationals)[row_creator], 1, 2),
    )
    p = creators.platform[row_creator]
    cell = (p * k + creators.niche[row_creator]) * c + creators.country[row_creator]
    niche_pool = universe.n_cells + p * k + creators.niche[row_creator]
    bot_pool = universe.n_cells + universe.n_niche + p
    pool = np.where(kind == 0, bot_pool, np.where(kind == 1, niche_pool, cell))
    within = np.floor(universe.sizes[pool] * rng.random(row_creator.shape[0]) ** SKEW)
    account = universe.offsets[pool] + within.astype(np.int64)

    # First draw of each (creator, account) wins; then keep the first `need` of each kind.
    total_accounts = int(universe.sizes.sum())
    _, first = np.unique(row_creator * total_accounts + account, return_index=True)
    first = np.sort(first)  # back to draw order: creator, kind, slot
    group = row_creator[first] * 3 + kind[first]
    starts = np.concatenate([[0], np.flatnonzero(group[1:] != group[:-1]) + 1])
    rank = np.arange(first.shape[0]) - np.repeat(starts, np.diff(np.append(starts, first.shape[0])))
    chosen = first[rank < need.reshape(-1)[group]]
    order = np.lexsort((account[chosen], row_creator[chosen]))
    row_creator, account = row_creator[chosen][order], account[chosen][order]

    take = pa.array(account)
    is_fake = np.asarray(accounts["is_bot"])[account]
    counts = np.bincount(row_creator, minlength=n).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    fake_share = np.bincount(row_creator, weights=is_fake, minlength=n) / np.maximum(counts, 1)
    columns: dict[str, pa.Array] = {}
    for name in ("follower_id", "follower_handle"):
        columns[name] = accounts[name].take(take)
    for name in ("followers", "following", "posts", "bio_length"):
        columns[name] = pa.array(np.asarray(accounts[name])[account], pa.int64())
    for name in ("has_picture", "is_private"):
        columns[name] = pa.array(np.asarray(accounts[name])[account], pa.bool_())
    return Audience(
        row_creator, columns["follower_handle"], is_fake, offsets, counts, fake_share, columns
    )


__all__ = ["Audience", "draw_audience"]
