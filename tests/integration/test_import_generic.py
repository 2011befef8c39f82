"""The generic format: header matching, table detection, mapping files, snapshots, re-imports."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from microscout.adapters.warehouse import Warehouse
from microscout.services.ingest.importer import import_path
from tests.integration.conftest import Snapshot, Write

OLD, NEW, NEWER = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)


def _creator(warehouse: Warehouse, creator_id: str) -> dict[str, object]:
    rows = warehouse.fetch_arrow(
        "SELECT handle, followers, following, source_category, fetched_at FROM creators "
        "WHERE creator_id = ?",
        [creator_id],
    ).to_pylist()
    assert len(rows) == 1
    row: dict[str, object] = rows[0]
    return row


def test_creators_csv_with_loose_headers_round_trips(warehouse: Warehouse, write: Write) -> None:
    path = write(
        "creators.csv",
        "Username;#Followers;Following Count;Category;Platform\n"
        "@Ana.Cooks;12.5k;1 204;food;Instagram\n",
        NEW,
    )
    summary = import_path(warehouse, path)
    assert summary.format == "generic"
    assert summary.tables["creators"].counts.inserted == 1
    assert _creator(warehouse, "ana.cooks") == {
        "handle": "ana.cooks",
        "followers": 12_500,
        "following": 1_204,
        "source_category": "food",
        "fetched_at": NEW,
    }


def test_reimporting_the_same_file_changes_nothing(
    warehouse: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    path = write("c.csv", "username,followers,platform\nana,100,instagram\nbob,200,tiktok\n")
    first = import_path(warehouse, path)
    before = snapshot()
    second = import_path(warehouse, path)
    assert (first.inserted, second.inserted, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert snapshot() == before
    assert warehouse.count("imports") == 2
    staging = warehouse.duck.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '_stage%'"
    ).fetchall()
    assert staging == [(0,)]


def test_a_newer_snapshot_updates_and_an_older_one_does_not(
    warehouse: Warehouse, write: Write
) -> None:
    header = "username,followers,following,platform\n"
    import_path(warehouse, write("feb.csv", header + "ana,100,10,instagram\n", NEW))
    newer = import_path(warehouse, write("mar.csv", header + "ana,150,,instagram\n", NEWER))
    assert newer.tables["creators"].counts.updated == 1
    # a NULL in the newer file never erases the known value
    assert _creator(warehouse, "ana")["following"] == 10
    older = import_path(warehouse, write("jan.csv", header + "ana,50,5,instagram\n", OLD))
    assert older.tables["creators"].counts == older.tables["creators"].counts.__class__(0, 0, 1)
    assert _creator(warehouse, "ana")["followers"] == 150
    assert _creator(warehouse, "ana")["fetched_at"] == NEWER


def test_a_fetched_at_column_wins_over_the_file_date(warehouse: Warehouse, write: Write) -> None:
    path = write("c.csv", "username,followers,fetched_at,platform\nana,1,2025-06-01,tiktok\n", NEW)
    import_path(warehouse, path)
    assert _creator(warehouse, "ana")["fetched_at"] == datetime(2025, 6, 1)


def test_posts_file_with_creator_columns_also_upserts_creators(
    warehouse: Warehouse, write: Write
) -> None:
    path = write(
        "posts.csv",
        "post_id,account,followers,taken_at,like_count,Comment Count,caption,tags\n"
        '1,ana,1000,2026-03-01T10:00:00Z,10,2,"hi #A",A|b\n'
        "2,ana,1000,1772359200,20,3,,\n"
        "3,bob,50,03/02/2026 09:30,N/A,1,,\n",
    )
    summary = import_path(warehouse, path, platform="instagram")
    assert summary.tables["posts"].counts.inserted == 3
    assert summary.tables["creators"].counts.inserted == 2
    assert _creator(warehouse, "ana")["followers"] == 1000
    posts = warehouse.fetch_arrow(
        "SELECT post_id, creator_id, posted_at, likes, comments, hashtags FROM posts ORDER BY 1"
    ).to_pylist()
    assert posts == [
        {
            "post_id": "1",
            "creator_id": "ana",
            "posted_at": datetime(2026, 3, 1, 10),
            "likes": 10,
            "comments": 2,
            "hashtags": "a|b",
        },
        {
            "post_id": "2",
            "creator_id": "ana",
            "posted_at": datetime(2026, 3, 1, 10),
            "likes": 20,
            "comments": 3,
            "hashtags": None,
        },
        {
            "post_id": "3",
            "creator_id": "bob",
            "posted_at": datetime(2026, 3, 2, 9, 30),
            "likes": None,
            "comments": 1,
            "hashtags": None,
        },
    ]


def test_posts_of_unknown_creators_get_a_minimal_creator_row(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        '{"post_id": "v1", "handle": "@Mia", "views": 1200, "platform": "tiktok"}\n'
        '{"post_id": "v2", "handle": "mia", "views": "3.4k", "platform": "tiktok"}\n'
    )
    summary = import_path(warehouse, path)
    assert summary.tables["creators"].counts.inserted == 1
    assert warehouse.fetch_arrow(
        "SELECT platform, creator_id, handle, followers FROM creators"
    ).to_pylist() == [
        {"platform": "tiktok", "creator_id": "mia", "handle": "mia", "followers": None}
    ]
    # a creators file dated earlier than the posts still fills the minimal row
    creators = tmp_path / "creators.csv"
    creators.write_text("handle,followers,platform\nmia,5000,tiktok\n")
    import_path(warehouse, creators)
    assert _creator(warehouse, "mia")["followers"] == 5000


def test_typed_parquet_posts_import_without_parsing(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "posts.parquet"
    pq.write_table(
        pa.table(
            {
                "platform": ["youtube", "youtube"],
                "post_id": [1, 2],
                "channel_id": ["UCx", "UCx"],
                "published_at": pa.array([0, 86_400_000_000], pa.timestamp("us", tz="UTC")),
                "views": pa.array([10, None], pa.int32()),
                "likes": [1.0, 2.0],
                "is_sponsored": [True, False],
            }
        ),
        path,
    )
    summary = import_path(warehouse, path)
    assert summary.rejected == 0
    rows = warehouse.fetch_arrow(
        "SELECT post_id, creator_id, posted_at, views, likes, is_sponsored FROM posts ORDER BY 1"
    ).to_pylist()
    assert rows == [
        {
            "post_id": "1",
            "creator_id": "UCx",
            "posted_at": datetime(1970, 1, 1),
            "views": 10,
            "likes": 1,
            "is_sponsored": True,
        },
        {
            "post_id": "2",
            "creator_id": "UCx",
            "posted_at": datetime(1970, 1, 2),
            "views": None,
            "likes": 2,
            "is_sponsored": False,
        },
    ]
    assert warehouse.count("creators") == 1


def test_mapping_file_names_table_columns_and_constants(warehouse: Warehouse, write: Write) -> None:
    mapping = write(
        "map.toml",
        'table = "posts"\n[columns]\n"Clip" = "post_id"\n"Who" = "handle"\n"Hearts" = "likes"\n'
        '"Fans" = "followers"\n[constants]\nplatform = "tiktok"\n',
    )
    data = write("clips.csv", "Clip,Who,Hearts,Fans,Other\nc1,Mia,1.2k,900,x\n")
    summary = import_path(warehouse, data, mapping=mapping)
    assert summary.tables["posts"].counts.inserted == 1
    assert warehouse.fetch_arrow("SELECT platform, creator_id, likes FROM posts").to_pylist() == [
        {"platform": "tiktok", "creator_id": "mia", "likes": 1200}
    ]
    assert _creator(warehouse, "mia")["followers"] == 900


def test_snapshots_audience_and_comments_files_feed_their_tables(
    warehouse: Warehouse, write: Write
) -> None:
    import_path(
        warehouse,
        write(
            "snap.csv",
            "handle,date,followers,platform\nana,2026-03-01,100\nana,2026-03-08,130\n".replace(
                "100\n", "100,instagram\n"
            ).replace("130\n", "130,instagram\n"),
        ),
    )
    assert warehouse.fetch_arrow(
        "SELECT snapshot_date, followers FROM follower_snapshots ORDER BY 1"
    ).to_pylist() == [
        {"snapshot_date": date(2026, 3, 1), "followers": 100},
        {"snapshot_date": date(2026, 3, 8), "followers": 130},
    ]
    import_path(
        warehouse,
        write(
            "aud.csv",
            "creator,follower_id,follower_username,followers,following,is_private\n"
            "ana,9,Bot123,0,7500,no\n",
        ),
        platform="instagram",
    )
    assert warehouse.fetch_arrow(
        "SELECT creator_id, follower_handle, following, is_private FROM audience_samples"
    ).to_pylist() == [
        {"creator_id": "ana", "follower_handle": "bot123", "following": 7500, "is_private": False}
    ]
    import_path(
        warehouse,
        write("com.csv", "comment_id,post_id,author,text,likes\nk1,p1,@Zoe,love it,3\n"),
        platform="instagram",
    )
    assert warehouse.fetch_arrow("SELECT author, text, likes FROM comments").to_pylist() == [
        {"author": "zoe", "text": "love it", "likes": 3}
    ]


def test_progress_reports_reading_and_saving(warehouse: Warehouse, write: Write) -> None:
    steps: list[tuple[str, int, int]] = []
    path = write("c.csv", "username,followers,platform\nana,1,instagram\n")
    import_path(
        warehouse, path, progress=lambda step, done, total: steps.append((step, done, total))
    )
    assert steps[0][0] == "reading c.csv"
    assert steps[0][1] == steps[0][2] == path.stat().st_size
    assert ("saving creators", 1, 1) in steps


def test_the_import_log_records_the_run(warehouse: Warehouse, write: Write) -> None:
    summary = import_path(warehouse, write("c.csv", "username,followers,platform\nana,-1,tiktok\n"))
    log = warehouse.fetch_arrow("SELECT * FROM imports").to_pylist()
    assert len(log) == 1
    assert log[0]["import_id"] == summary.import_id
    assert (log[0]["format"], log[0]["inserted"], log[0]["rejected"]) == ("generic", 0, 1)
    assert len(log[0]["sha256"]) == 64
