"""The evaluation world: creators the demo never produced, with planted problems and their truth.

``generate(params)`` draws a :class:`World` from one seed (same seed, same world; no clock is read)
and ``write_world`` writes it as CSV files in the shapes people have them: creators and posts with
a platform column; comments naming only their post; follower snapshots and audience samples
naming their creator by handle. The ground truth goes beside them, never among them.

How it differs from the demo generator on purpose (docs/evaluation.md): other niches and words
(``_eval_niches``), four languages with code-switching, a Beta-shaped follower curve, six months
of history, irregular snapshot dates, 60-follower audience samples drawn from per-niche-and-language
communities, and problems planted one per creator with their symptoms kept apart:

- ``bought``: 30-80% of followers bought in one jump between two snapshots 3-12 weeks before the
  end; the audience sample holds that share of fake-looking accounts (plus a few);
- ``pod``: 50-80% of the sampled comments on the latest posts come from a pool of non-creator
  accounts pasting stock praise under creators of every niche and language;
- ``inactive``: no post for the last 150-320 days;
- ``low_reach``: views or reach 1.5-6% of followers (only where reach or views are known), and
  engagement lower in proportion;
- ``clean``: none of the above; 2-8% dead accounts in the audience, reach at least 16% of
  followers, and 2% of them grow by a real viral jump (8-15% over two snapshot steps).
"""

from __future__ import annotations

import csv
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from _eval_niches import NICHES, EvalNiche, Words
from _eval_vocab import GENERIC_HASHTAGS, LANGUAGES, POD_PRAISE, Language

END = datetime(2026, 4, 15, 18, 0)
WINDOW_DAYS = 200
SNAPSHOT_DAYS = 120
PROBLEMS = ("bought", "pod", "inactive", "low_reach")
PLATFORMS = (("instagram", 0.55), ("tiktok", 0.35), ("youtube", 0.10))
POD_POOLS = 5
POD_POOL_SIZE = 30
BOT_POOL_PER_CREATOR = 3  # bot farms sell the same accounts to many buyers
COMMENTED_POSTS = 8

COLUMNS = {
    "creators": (
        "platform",
        "creator_id",
        "handle",
        "display_name",
        "bio",
        "followers",
        "following",
        "posts_count",
        "country",
        "language",
        "is_verified",
        "is_business",
        "website",
    ),
    "posts": (
        "platform",
        "post_id",
        "creator_id",
        "posted_at",
        "media_type",
        "caption",
        "hashtags",
        "likes",
        "comments",
        "shares",
        "saves",
        "views",
        "reach",
        "is_sponsored",
    ),
    "comments": (
        "comment_id",
        "post_id",
        "author",
        "text",
        "posted_at",
        "likes",
        "is_reply_by_creator",
    ),
    "follower_snapshots": ("handle", "snapshot_date", "followers", "following"),
    "audience_samples": (
        "handle",
        "follower_id",
        "follower_handle",
        "followers",
        "following",
        "posts",
        "has_picture",
        "is_private",
        "bio_length",
    ),
    "truth": (
        "platform",
        "creator_id",
        "handle",
        "niche_id",
        "niche_name",
        "tier1_id",
        "second_niche_id",
        "language",
        "country",
        "problem",
        "true_fake_share",
        "pod_pool",
        "viral",
        "true_reach_rate",
    ),
}
TABLES = ("creators", "posts", "comments", "follower_snapshots", "audience_samples")

Row = dict[str, Any]


@dataclass(frozen=True)
class Params:
    """What to draw: how many creators, from which seed, and how often each problem is planted."""

    creators: int = 1500
    seed: int = 2027
    audience_n: int = 60
    problem_share: float = 0.075  # of creators, per problem kind
    viral_share: float = 0.02  # of clean creators


@dataclass
class World:
    """The canonical tables as rows, and the truth about each creator."""

    tables: dict[str, list[Row]]
    truth: list[Row]


@dataclass
class _Creator:
    index: int
    platform: str
    creator_id: str
    handle: str
    display_name: str
    following: int
    niche: EvalNiche
    second: EvalNiche | None
    language: Language
    country: str
    followers: int  # now, bought ones included
    real_followers: int  # before any purchase
    problem: str
    fake_share: float
    reach_rate: float
    insights: bool
    viral: bool
    pod_pool: int | None
    audience: list[int] = field(default_factory=list)  # account ids
    posts: list[Row] = field(default_factory=list)


@dataclass
class _Accounts:
    """Every account that follows or comments but is not a creator, with its public profile."""

    handles: list[str]
    profiles: list[Row]
    communities: dict[tuple[str, str], list[int]]  # (niche key, language) -> account ids
    bots: list[int]
    pods: list[list[int]]


def _pick(rng: np.random.Generator, items: Sequence[Any]) -> Any:
    return items[int(rng.integers(len(items)))]


def _weighted(rng: np.random.Generator, pairs: Sequence[tuple[Any, float]]) -> Any:
    point = rng.random() * sum(w for _, w in pairs)
    for item, weight in pairs:
        point -= weight
        if point < 0:
            return item
    return pairs[-1][0]


def _sample(rng: np.random.Generator, items: Sequence[str], k: int) -> list[str]:
    """``k`` distinct items in random order."""
    return [items[int(i)] for i in rng.permutation(len(items))[:k]]


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


class _Names:
    """Unique lower-case handles, so no account ever shares a handle with another."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, rng: np.random.Generator, base: str) -> str:
        handle = base
        while handle in self.taken:
            handle = f"{base}{int(rng.integers(10, 1000))}"
        self.taken.add(handle)
        return handle


def _person_handle(rng: np.random.Generator, lang: Language, word: str | None) -> str:
    return _person(rng, lang, word)[0]


def _person(rng: np.random.Generator, lang: Language, word: str | None) -> tuple[str, str]:
    """A handle built from a name (and a niche word), and the display name it came from."""
    first, last = _pick(rng, lang.first_names), _pick(rng, lang.last_names)
    sep = _pick(rng, ("", ".", "_"))
    style = int(rng.integers(4))
    parts = [(word or last, first), (first, word or last), (first, last), (first, last)][style]
    digits = str(int(rng.integers(1, 100))) if rng.random() < 0.35 else ""
    return f"{parts[0]}{sep}{parts[1]}{digits}".lower(), f"{first.capitalize()} {last.capitalize()}"


def _platform_ids(rng: np.random.Generator, platform: str, taken: set[str]) -> str:
    """Ids shaped as each platform's: numeric on Instagram and TikTok, ``UC…`` on YouTube."""
    alphabet = string.ascii_letters + string.digits + "-_"
    while True:
        if platform == "instagram":
            new = str(int(rng.integers(10**9, 10**11)))
        elif platform == "tiktok":
            new = "68" + "".join(str(int(d)) for d in rng.integers(0, 10, 17))
        else:
            new = "UC" + "".join(_pick(rng, alphabet) for _ in range(22))
        if new not in taken:
            taken.add(new)
            return new


def _followers(rng: np.random.Generator) -> int:
    """A Beta-shaped log10 curve from 3,200 to 1.3M (median ~30k): not the demo's log-normal."""
    return round(10 ** (3.5 + 2.6 * rng.beta(2.0, 3.0)))


def _problems(rng: np.random.Generator, n: int, observable: np.ndarray, p: Params) -> list[str]:
    """One problem (or '') per creator; low reach only where reach or views are known."""
    problem = [""] * n
    per_kind = round(p.problem_share * n)
    free = np.ones(n, dtype=bool)
    for kind in ("low_reach", "bought", "pod", "inactive"):
        eligible = np.flatnonzero(free & (observable if kind == "low_reach" else True))
        chosen = rng.choice(eligible, size=min(per_kind, eligible.shape[0]), replace=False)
        for i in chosen:
            problem[int(i)] = kind
        free[chosen] = False
    return problem


def _reach_rate(rng: np.random.Generator, platform: str, problem: str) -> float:
    if problem == "low_reach":
        return float(rng.uniform(0.015, 0.06))
    median = {"instagram": 0.32, "tiktok": 0.6, "youtube": 0.25}[platform]
    return _clip(median * float(np.exp(rng.normal(0.0, 0.35))), 0.16, 2.5)


def _draw_creators(rng: np.random.Generator, p: Params, names: _Names) -> list[_Creator]:
    n = p.creators
    platforms = [_weighted(rng, PLATFORMS) for _ in range(n)]
    insights = [pl == "instagram" and rng.random() < 0.45 for pl in platforms]
    observable = np.array(
        [pl != "instagram" or ins for pl, ins in zip(platforms, insights, strict=True)]
    )
    problems = _problems(rng, n, observable, p)
    ids: set[str] = set()
    creators = []
    for i in range(n):
        niche = _pick(rng, NICHES)
        second = _pick(rng, [x for x in NICHES if x is not niche]) if rng.random() < 0.15 else None
        lang = _weighted(rng, [(x, x.share) for x in LANGUAGES])
        problem = problems[i]
        real = _followers(rng)
        jump = float(rng.uniform(0.3, 0.8)) if problem == "bought" else 0.0
        fake = (
            min(0.7, jump / (1 + jump) + float(rng.uniform(0.05, 0.2)))
            if problem == "bought"
            else float(rng.uniform(0.02, 0.08))
        )
        rate = _reach_rate(rng, platforms[i], problem)
        if problem == "bought":  # reach is of real people: the rate falls, kept above the gate
            rate = max(0.13, rate / (1 + jump))
        base, name = _person(rng, lang, _pick(rng, niche.handle_words))
        creators.append(
            _Creator(
                index=i,
                platform=platforms[i],
                creator_id=_platform_ids(rng, platforms[i], ids),
                handle=names.claim(rng, base),
                display_name=name,
                following=int(_clip(rng.lognormal(np.log(450), 0.8), 20, 7_500)),
                niche=niche,
                second=second,
                language=lang,
                country=_weighted(rng, lang.countries),
                followers=round(real * (1 + jump)),
                real_followers=real,
                problem=problem,
                fake_share=fake,
                reach_rate=rate,
                insights=insights[i],
                viral=problem == "" and rng.random() < p.viral_share,
                pod_pool=int(rng.integers(POD_POOLS)) if problem == "pod" else None,
            )
        )
    return creators


def _real_profile(rng: np.random.Generator) -> Row:
    return {
        "followers": int(_clip(rng.lognormal(np.log(280), 1.2), 0, 200_000)),
        "following": int(_clip(rng.lognormal(np.log(380), 0.8), 5, 7_500)),
        "posts": int(_clip(rng.lognormal(np.log(70), 1.2), 0, 20_000)),
        "has_picture": bool(rng.random() < 0.95),
        "is_private": bool(rng.random() < 0.35),
        "bio_length": 0 if rng.random() < 0.3 else int(rng.integers(5, 150)),
    }


def _bot_profile(rng: np.random.Generator) -> Row:
    return {
        "followers": int(rng.integers(0, 26)),
        "following": int(rng.integers(700, 6_500)),
        "posts": 0 if rng.random() < 0.8 else int(rng.integers(1, 3)),
        "has_picture": bool(rng.random() < 0.12),
        "is_private": bool(rng.random() < 0.10),
        "bio_length": 0 if rng.random() < 0.92 else int(rng.integers(1, 12)),
    }


def _bot_handle(rng: np.random.Generator, lang: Language) -> str:
    digits = "".join(str(int(d)) for d in rng.integers(0, 10, int(rng.integers(6, 9))))
    if rng.random() < 0.5:
        letters = "".join(
            _pick(rng, string.ascii_lowercase) for _ in range(int(rng.integers(3, 7)))
        )
        return letters + digits
    return f"{_pick(rng, lang.first_names)}_{digits}"


def _draw_accounts(
    rng: np.random.Generator, creators: list[_Creator], p: Params, names: _Names
) -> _Accounts:
    accounts = _Accounts([], [], {}, [], [])

    def add(handle: str, profile: Row) -> int:
        accounts.handles.append(names.claim(rng, handle))
        accounts.profiles.append(profile)
        return len(accounts.handles) - 1

    cells: dict[tuple[str, str], int] = {}
    for c in creators:
        key = (c.niche.key, c.language.code)
        cells[key] = cells.get(key, 0) + 1
    for (niche_key, code), count in sorted(cells.items()):
        lang = next(x for x in LANGUAGES if x.code == code)
        words = next(x for x in NICHES if x.key == niche_key).handle_words
        size = max(2 * p.audience_n, round(0.5 * count * p.audience_n))
        accounts.communities[(niche_key, code)] = [
            add(
                _person_handle(rng, lang, _pick(rng, words) if rng.random() < 0.3 else None),
                _real_profile(rng),
            )
            for _ in range(size)
        ]
    accounts.bots = [
        add(_bot_handle(rng, _pick(rng, LANGUAGES)), _bot_profile(rng))
        for _ in range(max(p.audience_n, BOT_POOL_PER_CREATOR * p.creators))
    ]
    accounts.pods = [
        [
            add(_person_handle(rng, _pick(rng, LANGUAGES), None), _real_profile(rng))
            for _ in range(POD_POOL_SIZE)
        ]
        for _ in range(POD_POOLS)
    ]
    return accounts


def _skewed(rng: np.random.Generator, pool: list[int], k: int) -> list[int]:
    """``k`` distinct accounts of ``pool``, its first ones likelier (keen fans follow many)."""
    chosen: dict[int, None] = {}
    while len(chosen) < min(k, len(pool)):
        chosen[pool[int(len(pool) * rng.random() ** 1.6)]] = None
    return list(chosen)


def _audience_rows(rng: np.random.Generator, c: _Creator, acc: _Accounts, p: Params) -> list[Row]:
    fakes = round(p.audience_n * c.fake_share)
    bots = [int(b) for b in rng.choice(acc.bots, size=fakes, replace=False)]
    real = _skewed(rng, acc.communities[(c.niche.key, c.language.code)], p.audience_n - fakes)
    c.audience = real
    return [
        {
            "handle": c.handle,
            "follower_id": f"acct{a:07d}",
            "follower_handle": acc.handles[a],
            **acc.profiles[a],
        }
        for a in bots + real
    ]


def _fill(template: str, topics: tuple[str, ...], rng: np.random.Generator) -> str:
    i = int(rng.integers(len(topics)))
    j = (i + 1 + int(rng.integers(len(topics) - 1))) % len(topics)
    return template.replace("{a}", topics[i]).replace("{b}", topics[j])


def _caption(rng: np.random.Generator, c: _Creator) -> tuple[str, list[str]]:
    """One post's caption and hashtags: mostly the niche, sometimes life, sometimes English."""
    if rng.random() < 0.12:
        return _pick(rng, c.language.life), _sample(rng, GENERIC_HASHTAGS, int(rng.integers(3)))
    niche = c.second if c.second is not None and rng.random() < 0.2 else c.niche
    lang = c.language
    if lang.code != "en" and rng.random() < 0.15:  # code-switching into English
        lang = LANGUAGES[0]
    words: Words = niche.words[lang.code]
    template = _pick(rng, words.captions) if rng.random() < 0.5 else _pick(rng, lang.frames)
    tags = _sample(rng, niche.hashtags, int(rng.integers(2, 6)))
    tags += _sample(rng, GENERIC_HASHTAGS, int(rng.integers(3)))
    return _fill(template, words.topics, rng), tags


def _post_times(rng: np.random.Generator, c: _Creator) -> list[datetime]:
    cadence = {"instagram": 1.0, "tiktok": 1.8, "youtube": 0.5}[c.platform]
    per_week = cadence * float(np.exp(rng.normal(0.0, 0.5)))
    n = int(_clip(rng.poisson(per_week * WINDOW_DAYS / 7), 6, 60))
    silent = float(rng.uniform(150, 320)) if c.problem == "inactive" else float(rng.uniform(0, 12))
    last = END - timedelta(days=silent)
    others = [last - timedelta(days=float(d)) for d in rng.uniform(0.5, WINDOW_DAYS, n - 1)]
    return sorted([last, *others])


def _media(rng: np.random.Generator, platform: str) -> str:
    if platform == "instagram":
        return str(_weighted(rng, (("image", 0.45), ("carousel", 0.25), ("reel", 0.30))))
    if platform == "youtube":
        return "short" if rng.random() < 0.3 else "video"
    return "video"


def _post_row(
    rng: np.random.Generator, c: _Creator, when: datetime, er: float, ids: set[str]
) -> Row:
    media = _media(rng, c.platform)
    er_post = er * float(np.exp(rng.normal(0.0, 0.4)))
    likes = round(c.real_followers * er_post * 0.9)
    comments = round(likes * float(rng.uniform(0.012, 0.05)) * (3.0 if c.problem == "pod" else 1.0))
    rate = c.reach_rate * float(np.exp(rng.normal(0.0, 0.25)))
    video = c.platform != "instagram" or media == "reel"
    caption, tags = _caption(rng, c)
    return {
        "platform": c.platform,
        "post_id": _platform_ids(rng, c.platform, ids),
        "creator_id": c.creator_id,
        "posted_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "media_type": media,
        "caption": caption,
        "hashtags": "|".join(tags),
        "likes": None if rng.random() < 0.03 else likes,
        "comments": comments,
        "shares": round(likes * float(rng.uniform(0.02, 0.1))) if video else None,
        "saves": round(likes * float(rng.uniform(0.02, 0.08)))
        if c.platform == "instagram"
        else None,
        "views": round(c.followers * rate * 1.3) if video else None,
        "reach": round(c.followers * rate) if c.insights else None,
        "is_sponsored": bool(rng.random() < 0.08),
    }


def _creator_er(rng: np.random.Generator, c: _Creator) -> float:
    factor = {"instagram": 1.0, "tiktok": 1.5, "youtube": 0.6}[c.platform]
    base = 0.045 * (c.real_followers / 20_000) ** -0.2 * factor
    if c.problem == "low_reach":  # people who never see a post cannot like it
        base *= c.reach_rate / 0.32
    return float(base * np.exp(rng.normal(0.0, 0.45)))


def _comment_rows(
    rng: np.random.Generator, c: _Creator, acc: _Accounts, counter: list[int]
) -> list[Row]:
    """The comment sample of the creator's latest posts: fans, pods and the creator's replies."""
    rows: list[Row] = []
    community = acc.communities[(c.niche.key, c.language.code)]
    words = c.niche.words[c.language.code]
    for post in c.posts[-COMMENTED_POSTS:]:
        k = int(rng.integers(5, 11))
        pod_share = float(rng.uniform(0.5, 0.8)) if c.pod_pool is not None else 0.0
        posted = datetime.strptime(post["posted_at"], "%Y-%m-%d %H:%M:%S")
        for _ in range(k):
            if c.pod_pool is not None and rng.random() < pod_share:
                author, text = _pick(rng, acc.pods[c.pod_pool]), _pick(rng, POD_PRAISE)
            else:
                fans = c.audience if c.audience and rng.random() < 0.7 else community
                author = _pick(rng, fans)
                roll = rng.random()
                text = (
                    _fill(_pick(rng, words.comments), words.topics, rng)
                    if roll < 0.55
                    else _pick(rng, c.language.praise)
                )
            when = posted + timedelta(hours=float(rng.exponential(6.0)))
            rows.append(_comment(counter, post, acc.handles[author], text, when, rng, False))
            if rng.random() < 0.2:
                reply = _pick(rng, c.language.replies)
                rows.append(
                    _comment(counter, post, c.handle, reply, when + timedelta(hours=2), rng, True)
                )
    return rows


def _comment(
    counter: list[int],
    post: Row,
    author: str,
    text: str,
    when: datetime,
    rng: np.random.Generator,
    reply: bool,
) -> Row:
    counter[0] += 1
    return {
        "comment_id": f"{17_900_000_000_000_000 + counter[0]}",
        "post_id": post["post_id"],
        "author": author,
        "text": text,
        "posted_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "likes": int(rng.poisson(0.8)),
        "is_reply_by_creator": reply,
    }


def _snapshot_days(rng: np.random.Generator) -> list[int]:
    """Days after the first snapshot, 5-9 days apart, the last one on the end date."""
    days = [0]
    while days[-1] + 5 < SNAPSHOT_DAYS:
        days.append(days[-1] + int(rng.integers(5, 10)))
    days[-1] = SNAPSHOT_DAYS
    return days


def _snapshot_rows(rng: np.random.Generator, c: _Creator) -> list[Row]:
    """Follower counts at irregular dates; the bought jump or a viral climb where planted."""
    days = np.array(_snapshot_days(rng))
    n = days.shape[0]
    weekly = float(rng.normal(0.004, 0.004)) if c.problem != "inactive" else -0.002
    steps = np.diff(days, prepend=0) * weekly / 7 + rng.normal(0.0, 0.003, n)
    steps[0] = 0.0
    if c.problem == "bought":  # the whole purchase lands between two snapshots
        weeks_before = int(rng.integers(3, 13))
        at = int(np.searchsorted(days, SNAPSHOT_DAYS - 7 * weeks_before))
        steps[min(max(at, 1), n - 1)] += np.log(c.followers / c.real_followers)
    if c.viral:  # real growth, spread over two steps
        at = max(1, n - int(rng.integers(3, 10)))
        gain = np.log1p(float(rng.uniform(0.08, 0.15))) / 2
        steps[at] += gain
        steps[min(at + 1, n - 1)] += gain
    cumulative = np.cumsum(steps)
    curve = np.exp(cumulative - cumulative[-1]) * c.followers
    return [
        {
            "handle": c.handle,
            "snapshot_date": (END - timedelta(days=int(SNAPSHOT_DAYS - d))).date().isoformat(),
            "followers": round(float(v)),
            "following": c.following + int(rng.integers(-3, 4)),
        }
        for d, v in zip(days, curve, strict=True)
    ]


def _creator_row(rng: np.random.Generator, c: _Creator) -> Row:
    words = c.niche.words[c.language.code]
    return {
        "platform": c.platform,
        "creator_id": c.creator_id,
        "handle": c.handle,
        "display_name": c.display_name,
        "bio": _fill(_pick(rng, words.bios), words.topics, rng),
        "followers": c.followers,
        "following": c.following,
        "posts_count": len(c.posts) + int(rng.poisson(len(c.posts) * rng.uniform(0.5, 5.0))),
        "country": c.country,
        "language": c.language.code,
        "is_verified": bool(rng.random() < (0.3 if c.followers >= 200_000 else 0.01)),
        "is_business": bool(rng.random() < 0.6),
        "website": f"https://linktr.ee/{c.handle}" if rng.random() < 0.3 else None,
    }


def _truth_row(c: _Creator) -> Row:
    return {
        "platform": c.platform,
        "creator_id": c.creator_id,
        "handle": c.handle,
        "niche_id": c.niche.iab_id,
        "niche_name": c.niche.iab_name,
        "tier1_id": c.niche.tier1_id,
        "second_niche_id": c.second.iab_id if c.second else None,
        "language": c.language.code,
        "country": c.country,
        "problem": c.problem,
        "true_fake_share": round(c.fake_share, 4),
        "pod_pool": c.pod_pool,
        "viral": c.viral,
        "true_reach_rate": round(c.reach_rate, 4),
    }


def generate(params: Params | None = None) -> World:
    """Draw the world; every stage has its own random stream, so sizes never shift each other."""
    p = params or Params()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(p.seed).spawn(6)]
    names = _Names()
    creators = _draw_creators(streams[0], p, names)
    accounts = _draw_accounts(streams[1], creators, p, names)
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    post_ids: set[str] = set()
    counter = [0]
    for c in creators:
        tables["audience_samples"] += _audience_rows(streams[2], c, accounts, p)
        er = _creator_er(streams[3], c)
        c.posts = [_post_row(streams[3], c, t, er, post_ids) for t in _post_times(streams[3], c)]
        tables["posts"] += c.posts
        tables["comments"] += _comment_rows(streams[4], c, accounts, counter)
        if c.problem or c.viral or streams[5].random() >= 0.04:  # a few clean ones never tracked
            tables["follower_snapshots"] += _snapshot_rows(streams[5], c)
        tables["creators"].append(_creator_row(streams[5], c))
    return World(tables, [_truth_row(c) for c in creators])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(path: Path, columns: Sequence[str], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([_cell(row.get(col)) for col in columns] for row in rows)


def write_world(world: World, folder: Path) -> tuple[dict[str, Path], Path]:
    """The five data files in ``folder/data`` (import order) and ``folder/truth.csv`` beside it."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in TABLES:
        files[name] = data / f"{name}.csv"
        write_csv(files[name], COLUMNS[name], world.tables[name])
    truth = folder / "truth.csv"
    write_csv(truth, COLUMNS["truth"], world.truth)
    return files, truth


__all__ = ["END", "PROBLEMS", "TABLES", "Params", "World", "generate", "write_world"]
