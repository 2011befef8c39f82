"""Dashboard exports (Meta, YouTube Studio, TikTok Studio) round-trip hand-written rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.errors import ParameterError
from microscout.services.ingest.importer import import_path
from tests.integration.conftest import Write

META = (
    "Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,"
    "Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves\n"
    '18031,1784,Ana.Cooks,Ana Cooks,"Pasta night #Food #pasta",0,03/27/2026 06:08,'
    'https://www.instagram.com/p/AbC/,IG carousel,,Lifetime,"12,400",9 870,1.2k,15,3,48,210\n'
    "18032,1784,Ana.Cooks,Ana Cooks,Reel time,31,03/28/2026 18:30,"
    "https://www.instagram.com/reel/DeF/,IG reel,,Lifetime,40000,31000,2100,80,9,-,300\n"
)


def _post(warehouse: Warehouse, post_id: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = warehouse.fetch_arrow(
        "SELECT * EXCLUDE (source, fetched_at) FROM posts WHERE post_id = ?", [post_id]
    ).to_pylist()
    return rows[0]


def test_meta_business_suite_export_round_trips(warehouse: Warehouse, write: Write) -> None:
    summary = import_path(warehouse, write("meta.csv", META))
    assert summary.format == "meta"
    assert summary.tables["posts"].counts.inserted == 2
    assert _post(warehouse, "18031") == {
        "platform": "instagram",
        "post_id": "18031",
        "creator_id": "1784",
        "posted_at": datetime(2026, 3, 27, 6, 8),
        "media_type": "carousel",
        "caption": "Pasta night #Food #pasta",
        "hashtags": "food|pasta",
        "mentions": None,
        "likes": 1200,
        "comments": 48,
        "shares": 15,
        "saves": 210,
        "views": 12400,
        "reach": 9870,
        "is_sponsored": None,
        "sponsors": None,
        "permalink": "https://www.instagram.com/p/AbC/",
    }
    assert _post(warehouse, "18032")["comments"] is None  # '-' is unknown, never 0
    creator = warehouse.fetch_arrow(
        "SELECT creator_id, handle, display_name, followers FROM creators"
    )
    assert creator.to_pylist() == [
        {
            "creator_id": "1784",
            "handle": "ana.cooks",
            "display_name": "Ana Cooks",
            "followers": None,
        }
    ]


def test_meta_columns_in_another_order_are_found(warehouse: Warehouse, write: Write) -> None:
    header = META.splitlines()[0]
    cols = header.split(",")
    values = dict.fromkeys(cols, "") | {"Post ID": "18099", "Account ID": "1784", "Likes": "7"}
    order = list(reversed(cols))
    text = ",".join(order) + "\n" + ",".join(values[c] for c in order) + "\n"
    summary = import_path(warehouse, write("meta2.csv", text), format="meta")
    assert summary.tables["posts"].counts.inserted == 1
    assert _post(warehouse, "18099")["likes"] == 7


YOUTUBE = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,"
    "Likes,Comments added,Shares\n"
    'Total,,,,"25,000",1200.5,340,1500,90,40\n'
    'dQw4w9WgXcQ,"Sourdough, day 3 #bread","Mar 27, 2026",612,"20,000",1000.1,300,1200,70,30\n'
    'xyz123,Short clip,"Mar 29, 2026",45,5000,200.4,40,300,20,10\n'
)


def test_youtube_studio_export_needs_a_creator(warehouse: Warehouse, write: Write) -> None:
    with pytest.raises(ParameterError, match="--creator"):
        import_path(warehouse, write("yt.csv", YOUTUBE))
    assert warehouse.count("posts") == 0


def test_youtube_studio_export_round_trips_and_skips_total(
    warehouse: Warehouse, write: Write
) -> None:
    summary = import_path(warehouse, write("yt.csv", YOUTUBE), creator="@BreadLab")
    assert summary.format == "youtube"
    assert summary.rejected == 0
    assert warehouse.count("posts") == 2
    assert _post(warehouse, "dQw4w9WgXcQ") == {
        "platform": "youtube",
        "post_id": "dQw4w9WgXcQ",
        "creator_id": "breadlab",
        "posted_at": datetime(2026, 3, 27),
        "media_type": "video",
        "caption": "Sourdough, day 3 #bread",
        "hashtags": "bread",
        "mentions": None,
        "likes": 1200,
        "comments": 70,
        "shares": 30,
        "saves": None,
        "views": 20000,
        "reach": None,
        "is_sponsored": None,
        "sponsors": None,
        "permalink": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    }
    # 'Subscribers' is subscribers gained per video, never the channel's follower count
    creators = warehouse.fetch_arrow("SELECT creator_id, handle, followers FROM creators")
    assert creators.to_pylist() == [
        {"creator_id": "breadlab", "handle": "breadlab", "followers": None}
    ]


TIKTOK = (
    "Video title,Video link,Post time,Total likes,Total comments,Total shares,Total views\n"
    "Trying the viral pasta #fyp,https://www.tiktok.com/@Chef.Mia/video/7351234567890123456,"
    "2026-03-27 06:08,12.5K,340,1.1K,475.8K\n"
    "Broken row,https://www.tiktok.com/foo,2026-03-28 10:00,1,1,1,1\n"
)


def test_tiktok_studio_export_reads_handle_and_id_from_the_link(
    warehouse: Warehouse, write: Write
) -> None:
    path = write("tt.csv", TIKTOK)
    summary = import_path(warehouse, path)
    assert summary.format == "tiktok"
    assert _post(warehouse, "7351234567890123456") == {
        "platform": "tiktok",
        "post_id": "7351234567890123456",
        "creator_id": "chef.mia",
        "posted_at": datetime(2026, 3, 27, 6, 8),
        "media_type": "video",
        "caption": "Trying the viral pasta #fyp",
        "hashtags": "fyp",
        "mentions": None,
        "likes": 12500,
        "comments": 340,
        "shares": 1100,
        "saves": None,
        "views": 475800,
        "reach": None,
        "is_sponsored": None,
        "sponsors": None,
        "permalink": "https://www.tiktok.com/@Chef.Mia/video/7351234567890123456",
    }
    # the unreadable link is one reject (not a second one for its creator row)
    assert [(r.line, r.column, r.reason, r.table) for r in summary.rejects] == [
        (3, "Video link", "missing post_id", "posts")
    ]
    assert warehouse.fetch_arrow("SELECT creator_id, handle FROM creators").to_pylist() == [
        {"creator_id": "chef.mia", "handle": "chef.mia"}
    ]


def test_reimporting_an_export_changes_nothing(warehouse: Warehouse, write: Write) -> None:
    path = write("meta.csv", META)
    import_path(warehouse, path)
    again = import_path(warehouse, path)
    assert (again.inserted, again.updated, again.rejected) == (0, 0, 0)
    assert again.unchanged == again.tables["posts"].counts.unchanged + 1
