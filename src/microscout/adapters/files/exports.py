"""Exports from the platforms' own dashboards: Meta Business Suite, YouTube Studio, TikTok Studio.

Headers are found by their normalised names, so column order and case do not matter. Each export
feeds posts and the creator row it implies (followers stay unknown: none of them has a follower
count — YouTube's ``Subscribers`` column is subscribers *gained* by each video, not a total).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from microscout.adapters.files.convert import handles
from microscout.adapters.files.headers import normalise
from microscout.adapters.files.model import FilePlan, ImportOptions, TablePlan, select
from microscout.adapters.files.readers import Source
from microscout.core.schema import CREATORS, POSTS
from microscout.errors import FileFormatError, ParameterError

META = {
    "post_id": "Post ID",
    "creator_id": "Account ID",
    "handle": "Account username",
    "display_name": "Account name",
    "caption": "Description",
    "posted_at": "Publish time",
    "permalink": "Permalink",
    "media_type": "Post type",
    "views": "Views",
    "reach": "Reach",
    "likes": "Likes",
    "shares": "Shares",
    "comments": "Comments",
    "saves": "Saves",
}
YOUTUBE = {
    "post_id": "Content",
    "caption": "Video title",
    "posted_at": "Video publish time",
    "views": "Views",
    "likes": "Likes",
    "comments": "Comments added",
    "shares": "Shares",
}
TIKTOK = {
    "caption": "Video title",
    "permalink": "Video link",
    "posted_at": "Post time",
    "likes": "Total likes",
    "comments": "Total comments",
    "shares": "Total shares",
    "views": "Total views",
}
_SIGNATURES = {
    "meta": ("Post ID", "Account username", "Publish time"),
    "youtube": ("Content", "Video title", "Video publish time"),
    "tiktok": ("Video link", "Post time"),
}
_TIKTOK_LINK = r"tiktok\.com/@(?P<handle>[^/?#]+)/video/(?P<id>\d+)"
_CHANNEL_ID = re.compile(r"^UC[0-9A-Za-z_-]{22}$")


def detect_export(headers: list[str]) -> str | None:
    """The export format whose signature headers are all present, if any."""
    names = {normalise(h) for h in headers}
    for name, signature in _SIGNATURES.items():
        if {normalise(h) for h in signature} <= names:
            return name
    return None


def _present(
    source: Source, wanted: Mapping[str, str], required: tuple[str, ...]
) -> dict[str, str]:
    by_norm = {normalise(h): h for h in source.header}
    found = {c: by_norm[normalise(h)] for c, h in wanted.items() if normalise(h) in by_norm}
    for column in required:
        if column not in found:
            raise FileFormatError(
                source.path,
                f"missing required column '{wanted[column]}'",
                line=1,
                column=wanted[column],
            )
    return found


def _hashtags(captions: pa.Array) -> pa.Array:
    """Hashtags found in the caption: exports have no column of their own for them."""
    values = [
        "|".join(dict.fromkeys(t.lower() for t in re.findall(r"#(\w+)", c))) or None if c else None
        for c in captions.to_pylist()
    ]
    return pa.array(values, pa.string())


def _column(raw: pa.Table, header: str) -> pa.Array:
    column = raw.column(header)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _creators_plan(columns: dict[str, str], constants: dict[str, str]) -> TablePlan:
    def build(raw: pa.Table) -> pa.Table:
        return select(raw, columns, constants)

    return TablePlan(CREATORS, build, dict(columns), derived=True)


def plan_meta(source: Source, options: ImportOptions, fetched_at: datetime) -> FilePlan:
    found = _present(source, META, ("post_id", "posted_at"))
    if "creator_id" not in found and "handle" not in found:
        raise FileFormatError(
            source.path,
            "missing required column 'Account ID' or 'Account username'",
            line=1,
            column="Account ID",
        )
    constants = {"platform": options.platform or "instagram", "source": f"meta:{source.path.name}"}
    post_cols = {c: h for c, h in found.items() if c in POSTS.names or c == "handle"}
    post_cols.pop("display_name", None)

    def build(raw: pa.Table) -> pa.Table:
        computed = {}
        if "caption" in found:
            computed["hashtags"] = _hashtags(_column(raw, found["caption"]))
        return select(raw, post_cols, constants, computed)

    creator_cols = {c: h for c, h in found.items() if c in ("creator_id", "handle", "display_name")}
    origins = dict(found)
    origins.setdefault("creator_id", found.get("handle", "Account ID"))
    plans = (TablePlan(POSTS, build, origins), _creators_plan(creator_cols, constants))
    return FilePlan(source, "meta", plans, tuple(found.values()), fetched_at)


def plan_youtube(source: Source, options: ImportOptions, fetched_at: datetime) -> FilePlan:
    if not options.creator:
        raise ParameterError(
            "--creator",
            "a YouTube Studio export does not name its channel; give the channel handle or id",
        )
    found = _present(source, YOUTUBE, ("post_id",))
    creator = options.creator.strip()
    is_id = bool(_CHANNEL_ID.match(creator))
    creator_id = creator if is_id else creator.lstrip("@").lower()
    constants = {
        "platform": options.platform or "youtube",
        "creator_id": creator_id,
        "media_type": "video",
        "source": f"youtube:{source.path.name}",
    }

    def build(raw: pa.Table) -> pa.Table:
        # The export's first row sums the channel ("Total"); it is not a video.
        content = pc.utf8_lower(pc.utf8_trim_whitespace(_column(raw, found["post_id"])))
        raw = raw.filter(pc.invert(pc.fill_null(pc.equal(content, "total"), False)))
        video = _column(raw, found["post_id"])
        computed = {
            "permalink": pc.binary_join_element_wise(
                "https://www.youtube.com/watch?v=", pc.utf8_trim_whitespace(video), ""
            )
        }
        if "caption" in found:
            computed["hashtags"] = _hashtags(_column(raw, found["caption"]))
        return select(raw, found, constants, computed)

    creator_constants = {
        "platform": constants["platform"],
        "creator_id": creator_id,
        "source": constants["source"],
    }
    if not is_id:
        creator_constants["handle"] = creator_id
    plans = (TablePlan(POSTS, build, found), _creators_plan({}, creator_constants))
    return FilePlan(source, "youtube", plans, tuple(found.values()), fetched_at)


def plan_tiktok(source: Source, options: ImportOptions, fetched_at: datetime) -> FilePlan:
    found = _present(source, TIKTOK, ("permalink",))
    link_header = found["permalink"]
    constants = {
        "platform": options.platform or "tiktok",
        "media_type": "video",
        "source": f"tiktok:{source.path.name}",
    }

    def from_link(raw: pa.Table) -> dict[str, pa.Array]:
        parts = pc.extract_regex(_column(raw, link_header), _TIKTOK_LINK)
        handle = handles(pc.struct_field(parts, "handle"))
        return {"creator_id": handle, "handle": handle, "post_id": pc.struct_field(parts, "id")}

    def build(raw: pa.Table) -> pa.Table:
        computed = from_link(raw)
        del computed["handle"]
        if "caption" in found:
            computed["hashtags"] = _hashtags(_column(raw, found["caption"]))
        return select(raw, found, constants, computed)

    origins = {**found, "post_id": link_header, "creator_id": link_header}
    creator_constants = {"platform": constants["platform"], "source": constants["source"]}

    def build_creators(raw: pa.Table) -> pa.Table:
        computed = from_link(raw)
        del computed["post_id"]
        return select(raw, {}, creator_constants, computed)

    link_origins = {"creator_id": link_header, "handle": link_header}
    creators = TablePlan(CREATORS, build_creators, link_origins, derived=True)
    plans = (TablePlan(POSTS, build, origins), creators)
    return FilePlan(source, "tiktok", plans, tuple(found.values()), fetched_at)
