"""The Kim et al. (WWW '20) Instagram influencer dataset: influencers.txt and posts_sample.csv.

``influencers.txt`` → creators (creator_id = handle = Username, source_category = Category as
given, typos included). ``posts_sample.csv`` → posts, and its ``commenters_sampled`` → comments:
one row per distinct commenter per post, with no text (the dataset lists commenters only) and
``comment_id = <post_id>:<author>``. See ``../shared/data/kim_instagram_influencers/SOURCE.md``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.files.convert import handles
from microscout.adapters.files.headers import normalise
from microscout.adapters.files.model import FilePlan, TablePlan, select
from microscout.adapters.files.readers import LINE, Source
from microscout.core.schema import COMMENTS, CREATORS, POSTS
from microscout.errors import FileFormatError

INFLUENCERS = "influencers.txt"
POSTS_FILE = "posts_sample.csv"
INFLUENCER_HEADERS = ("Username", "Category", "#Followers", "#Followees", "#Posts")
POST_HEADERS = (
    "username",
    "owner_username",
    "post_id",
    "shortcode",
    "taken_at_timestamp",
    "typename",
    "video_view_count",
    "likes",
    "comments",
    "sponsor_users",
    "tagged_users",
    "hashtags",
    "caption",
    "commenters_sampled",
)
_PROFILE = {
    "category": "source_category",
    "followers": "followers",
    "followees": "following",
    "total_posts": "posts_count",
}
PLATFORM = "instagram"


def is_influencers(headers: list[str]) -> bool:
    return {normalise(h) for h in INFLUENCER_HEADERS} <= {normalise(h) for h in headers}


def is_posts(headers: list[str]) -> bool:
    return {"username", "shortcode", "takenattimestamp", "commenterssampled"} <= {
        normalise(h) for h in headers
    }


def kim_files(path: Path) -> list[Path]:
    """The dataset's files under ``path`` (the folder or either file), influencers first."""
    if path.is_dir():
        files = [path / name for name in (INFLUENCERS, POSTS_FILE) if (path / name).is_file()]
        if not files:
            raise FileFormatError(path, f"holds neither {INFLUENCERS} nor {POSTS_FILE}")
        return files
    return [path]


def _columns(source: Source, wanted: tuple[str, ...]) -> dict[str, str]:
    """Wanted header → the file's spelling of it; a missing one is a FileFormatError."""
    by_norm = {normalise(h): h for h in source.header}
    out: dict[str, str] = {}
    for name in wanted:
        header = by_norm.get(normalise(name))
        if header is None:
            raise FileFormatError(
                source.path,
                f"missing required column '{name}' of the Kim dataset",
                line=1,
                column=name,
            )
        out[name] = header
    return out


def plan_influencers(source: Source, fetched_at: datetime) -> FilePlan:
    cols = _columns(source, INFLUENCER_HEADERS)
    mapping = {
        "handle": cols["Username"],
        "source_category": cols["Category"],
        "followers": cols["#Followers"],
        "following": cols["#Followees"],
        "posts_count": cols["#Posts"],
    }

    def build(raw: pa.Table) -> pa.Table:
        return select(raw, mapping, {"platform": PLATFORM, "source": _source(source)})

    origins = {**mapping, "creator_id": cols["Username"]}
    plan = TablePlan(CREATORS, build, origins)
    return FilePlan(source, "kim", (plan,), tuple(cols.values()), fetched_at)


def plan_posts(source: Source, fetched_at: datetime, *, with_profiles: bool) -> FilePlan:
    """Posts and commenters; creators' profile columns too unless influencers.txt is imported."""
    cols = _columns(source, POST_HEADERS)
    profile = {k: v for k, v in {normalise(h): h for h in source.header}.items() if k in _PROFILE}
    constants = {"platform": PLATFORM, "source": _source(source)}
    plain = {
        "post_id": "post_id",
        "posted_at": "taken_at_timestamp",
        "media_type": "typename",
        "likes": "likes",
        "comments": "comments",
        "sponsors": "sponsor_users",
        "hashtags": "hashtags",
        "mentions": "tagged_users",
        "caption": "caption",
        "views": "video_view_count",
    }
    mapping = {canonical: cols[name] for canonical, name in plain.items()}

    def build_posts(raw: pa.Table) -> pa.Table:
        shortcode = raw.column(cols["shortcode"])
        computed = {
            "creator_id": handles(_array(raw.column(cols["username"]))),
            "is_sponsored": pc.is_valid(handles(_array(raw.column(cols["sponsor_users"])))),
            "permalink": pc.binary_join_element_wise(
                "https://www.instagram.com/p/", shortcode, "/", ""
            ),
        }
        return select(raw, mapping, constants, computed)

    def build_comments(raw: pa.Table) -> pa.Table:
        names = pc.split_pattern(handles(_array(raw.column(cols["commenters_sampled"]))), "|")
        parents = pc.list_parent_indices(names)
        author = pc.list_flatten(names)
        post_id = pc.take(_array(raw.column(cols["post_id"])), parents)
        owner = pc.take(handles(_array(raw.column(cols["username"]))), parents)
        renamed = pc.take(handles(_array(raw.column(cols["owner_username"]))), parents)
        by_creator = pc.or_kleene(pc.equal(author, owner), pc.equal(author, renamed))
        n = len(author)
        return pa.table(
            {
                "platform": pa.repeat(pa.scalar(PLATFORM), n),
                "comment_id": pc.binary_join_element_wise(post_id, author, ":"),
                "post_id": post_id,
                "creator_id": owner,
                "author": author,
                "is_reply_by_creator": pc.fill_null(by_creator, False),
                "source": pa.repeat(pa.scalar(_source(source)), n),
                LINE: pc.take(_array(raw.column(LINE)), parents),
            }
        )

    origins = {**mapping, "creator_id": cols["username"], "permalink": cols["shortcode"]}
    plans = [
        TablePlan(POSTS, build_posts, origins),
        TablePlan(COMMENTS, build_comments, {"author": cols["commenters_sampled"]}, derived=True),
    ]
    if with_profiles and profile:
        creator_cols = {_PROFILE[k]: h for k, h in profile.items()}

        def build_creators(raw: pa.Table) -> pa.Table:
            computed = {"handle": handles(_array(raw.column(cols["username"])))}
            return select(raw, creator_cols, constants, computed)

        creator_origins = {**creator_cols, "creator_id": cols["username"]}
        plans.append(TablePlan(CREATORS, build_creators, creator_origins, derived=True))
    used = tuple(sorted({*cols.values(), *profile.values()}))
    return FilePlan(
        source,
        "kim",
        tuple(plans),
        used,
        fetched_at,
        minimal_creators=not (with_profiles and profile),
        creator_ids_are_handles=True,
    )


def _array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _source(source: Source) -> str:
    return f"kim:{source.path.name}"
