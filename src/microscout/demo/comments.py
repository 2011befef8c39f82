"""Comment samples: audience comments on each creator's latest posts, pod comments, replies.

Audience comments come from the creator's own audience sample. Pod members comment on each
other's posts with generic praise — the recurring-commenter pattern pod detection looks for.
Creators reply with a per-creator propensity, so reply rates differ between creators.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from microscout.demo.audience import Audience
from microscout.demo.creators import BoolArray, Creators
from microscout.demo.niches import NICHES
from microscout.demo.posts import Posts
from microscout.demo.text import Bank, IntArray, Templates, concat, numbers
from microscout.demo.vocab import GENERIC_COMMENTS, LANGUAGES, POD_COMMENTS

SAMPLED_POSTS = 8  # latest posts per creator whose comments are sampled
HOUR_US = 3_600 * 1_000_000


def _audience_comments(
    rng: np.random.Generator, creators: Creators, posts: Posts, audience: Audience, rows: IntArray
) -> tuple[IntArray, pa.Array, pa.Array]:
    """Authors and texts for audience comments on the post rows ``rows``."""
    c = posts.creator[rows]
    total = rows.shape[0]
    pick = audience.offsets[c] + np.floor(rng.random(total) * audience.counts[c]).astype(np.int64)
    author = audience.handle.take(pa.array(pick))
    niche = creators.niche[c]
    topics = Bank([nc.topics for nc in NICHES])
    niche_text = Templates([nc.comments for nc in NICHES]).fill(
        rng, niche, topics.pick(rng, niche), ""
    )
    generic = Bank([GENERIC_COMMENTS]).pick(rng, np.zeros(total, np.int64))
    local = Bank([lang.comments for lang in LANGUAGES]).pick(rng, creators.language[c])
    u = rng.random(total)
    in_language = (creators.language[c] != 0) & (u < 0.5)
    text = pc.if_else(
        pa.array(in_language), local, pc.if_else(pa.array(u < 0.75), niche_text, generic)
    )
    return rows, author, text


def _pod_comments(
    rng: np.random.Generator, creators: Creators, posts: Posts, sampled: IntArray
) -> tuple[IntArray, pa.Array, pa.Array]:
    """3–8 comments per sampled post of a pod member, written by other members of the pod."""
    pod_id = creators.problems.pod_id
    members = np.flatnonzero(pod_id >= 0)
    on_pod = sampled[pod_id[posts.creator[sampled]] >= 0]
    if members.shape[0] == 0 or on_pod.shape[0] == 0:
        return np.zeros(0, np.int64), pa.array([], pa.string()), pa.array([], pa.string())
    order = members[np.argsort(pod_id[members], kind="stable")]
    sizes = np.bincount(pod_id[order])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position = np.empty(creators.n, np.int64)
    position[order] = np.arange(order.shape[0]) - starts[pod_id[order]]

    rows = np.repeat(on_pod, rng.integers(3, 9, on_pod.shape[0]))
    owner = posts.creator[rows]
    pod = pod_id[owner]
    # Any other member: shift the owner's position by 1 .. size-1 within the pod.
    shift = 1 + np.floor(rng.random(rows.shape[0]) * (sizes[pod] - 1)).astype(np.int64)
    other = order[starts[pod] + (position[owner] + shift) % sizes[pod]]
    author = creators.handle.take(pa.array(other))
    text = Bank([POD_COMMENTS]).pick(rng, np.zeros(rows.shape[0], np.int64))
    return rows, author, text


def draw_comments(
    rng: np.random.Generator, creators: Creators, posts: Posts, audience: Audience, end_us: int
) -> tuple[IntArray, dict[str, pa.Array]]:
    """The comment sample; returns the post row of each comment and the columns."""
    last = posts.number >= posts.per_creator[posts.creator] - SAMPLED_POSTS
    sampled = np.flatnonzero(last)
    wanted = np.minimum(posts.comments[sampled], rng.integers(3, 11, sampled.shape[0]))
    audience_rows = np.repeat(sampled, wanted)
    a_rows, a_author, a_text = _audience_comments(rng, creators, posts, audience, audience_rows)
    p_rows, p_author, p_text = _pod_comments(rng, creators, posts, sampled)

    # Replies: each audience comment is answered with the creator's own propensity.
    propensity = rng.uniform(0.0, 0.6, creators.n)
    answered: BoolArray = rng.random(a_rows.shape[0]) < propensity[posts.creator[a_rows]]
    r_rows = a_rows[answered]
    r_author = creators.handle.take(pa.array(posts.creator[r_rows]))
    r_text = Bank([lang.replies for lang in LANGUAGES]).pick(
        rng, creators.language[posts.creator[r_rows]]
    )

    rows = np.concatenate([a_rows, p_rows, r_rows])
    delay = np.asarray(rng.exponential(10.0, rows.shape[0]) * HOUR_US, np.int64)
    base = posts.posted_at[rows] + delay
    # A reply comes after the comment it answers.
    reply_delay = np.asarray(rng.exponential(6.0, r_rows.shape[0]) * HOUR_US, np.int64)
    reply_at = base[: a_rows.shape[0]][answered] + reply_delay
    at = np.concatenate([base[: a_rows.shape[0] + p_rows.shape[0]], reply_at])
    at = np.minimum(at, end_us)
    is_reply = np.concatenate(
        [np.zeros(a_rows.shape[0] + p_rows.shape[0], bool), np.ones(r_rows.shape[0], bool)]
    )
    order = np.lexsort((at, rows))
    rows, at, is_reply = rows[order], at[order], is_reply[order]
    author = pa.concat_arrays([a_author, p_author, r_author]).take(pa.array(order))
    text = pa.concat_arrays([a_text, p_text, r_text]).take(pa.array(order))
    first = np.concatenate([[0], np.flatnonzero(rows[1:] != rows[:-1]) + 1])
    run = np.repeat(first, np.diff(np.concatenate([first, [rows.shape[0]]])))
    seq = np.arange(rows.shape[0]) - run
    post_id = posts.post_id.take(pa.array(rows))
    likes = np.where(
        is_reply, rng.poisson(0.5, rows.shape[0]), rng.geometric(0.35, rows.shape[0]) - 1
    )
    return rows, {
        "comment_id": concat(post_id, "_c", numbers(seq + 1, 3)),
        "post_id": post_id,
        "creator_id": posts.columns["creator_id"].take(pa.array(rows)),
        "author": author,
        "text": text,
        "posted_at": pa.array(at, pa.timestamp("us")),
        "likes": pa.array(likes.astype(np.int64), pa.int64()),
        "is_reply_by_creator": pa.array(is_reply),
    }


__all__ = ["SAMPLED_POSTS", "draw_comments"]
