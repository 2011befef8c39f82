"""Data as people have it: child tables without platform or creator columns link to what is stored.

A comments file in the canonical shape names only its post; a snapshot file may name its creator by
handle only. Each row takes its platform and creator from the stored parent; a row that cannot be
keyed is quarantined with its reason, `--platform` on rows stored elsewhere is refused, rows that
link to nothing are named in the summary, and a folder's unrelated files are skipped and named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.errors import FileFormatError, InputError, ParameterError
from microscout.services.ingest.importer import import_path
from tests.integration.conftest import Quarantine, Snapshot, Write

POSTS = (
    "platform,post_id,username,likes\n"
    "instagram,p1,ana,10\n"
    "instagram,p2,ana,12\n"
    "tiktok,v1,mia,40\n"
    "tiktok,v2,mia,41\n"
    "instagram,x1,ana,5\n"
    "tiktok,x1,mia,6\n"
)
# The canonical comments table: no platform, no creator column; posts on two platforms.
COMMENTS = (
    "comment_id,post_id,author,text,posted_at,likes,is_reply_by_creator\n"
    "c1,p1,@Zoe,love it,2026-03-01T10:00:00Z,3,false\n"
    "c2,v1,max,so good,2026-03-01T11:00:00Z,0,false\n"
    "c3,p2,ana,thanks!,2026-03-01T12:00:00Z,1,true\n"
    "c4,v2,lou,where is this,2026-03-02T09:00:00Z,,\n"
)


@pytest.fixture
def posts(warehouse: Warehouse, write: Write) -> Warehouse:
    """A warehouse holding posts on instagram (ana) and tiktok (mia); x1 exists on both."""
    import_path(warehouse, write("posts.csv", POSTS))
    return warehouse


def _comments(warehouse: Warehouse) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = warehouse.fetch_arrow(
        "SELECT comment_id, platform, post_id, creator_id, author FROM comments ORDER BY 1"
    ).to_pylist()
    return rows


def test_the_canonical_comments_table_links_every_comment_across_platforms(
    posts: Warehouse, write: Write
) -> None:
    summary = import_path(posts, write("comments.csv", COMMENTS))
    assert summary.rejects == ()
    assert summary.unlinked == ()
    assert summary.tables["comments"].counts.inserted == 4
    linked = [(c["comment_id"], c["platform"], c["creator_id"]) for c in _comments(posts)]
    assert linked == [
        ("c1", "instagram", "ana"),
        ("c2", "tiktok", "mia"),
        ("c3", "instagram", "ana"),
        ("c4", "tiktok", "mia"),
    ]
    orphans = posts.scalar(
        "SELECT count(*) FROM comments c ANTI JOIN posts p "
        "ON c.platform = p.platform AND c.post_id = p.post_id AND c.creator_id = p.creator_id"
    )
    assert orphans == 0


def test_posts_and_comments_in_one_folder_link_within_the_import(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    (folder / "posts.csv").write_text(POSTS, encoding="utf-8")
    summary = import_path(warehouse, folder)
    assert summary.rejects == ()
    assert summary.unlinked == ()
    assert [c["platform"] for c in _comments(warehouse)] == [
        "instagram",
        "tiktok",
        "instagram",
        "tiktok",
    ]


def test_reimporting_linked_comments_changes_nothing(
    posts: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    path = write("comments.csv", COMMENTS)
    import_path(posts, path)
    before = snapshot()
    again = import_path(posts, path)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 0)
    assert snapshot() == before


def test_comments_without_comment_ids_get_post_and_author_as_their_id(
    posts: Warehouse, write: Write
) -> None:
    summary = import_path(posts, write("c.csv", "post_id,author,text\np1,@Zoe,hi\nv1,max,yo\n"))
    assert summary.rejects == ()
    assert [(c["comment_id"], c["platform"]) for c in _comments(posts)] == [
        ("p1:zoe", "instagram"),
        ("v1:max", "tiktok"),
    ]


def test_ambiguous_and_unknown_posts_are_quarantined_naming_line_and_column(
    posts: Warehouse, write: Write, quarantined: Quarantine
) -> None:
    path = write(
        "comments.csv",
        "comment_id,Post ID,author,text\nc1,p1,zoe,ok\nc2,x1,max,which one?\nc3,nope,lou,lost\n",
    )
    summary = import_path(posts, path)
    assert summary.tables["comments"].counts.inserted == 1
    assert [(r.line, r.column, r.table) for r in summary.rejects] == [
        (3, "Post ID", "comments"),
        (4, "Post ID", "comments"),
    ]
    ambiguous, unknown = (r.reason for r in summary.rejects)
    assert "post 'x1' matches 2 stored posts (on instagram and tiktok)" in ambiguous
    assert "add a platform column" in ambiguous
    assert "post 'nope' is not in the warehouse" in unknown
    assert "line 4, column 'Post ID'" in summary.rejects[1].describe()
    rows = quarantined()
    assert [(r["line"], r["column_name"]) for r in rows] == [(3, "Post ID"), (4, "Post ID")]
    assert json.loads(rows[1]["raw"])["post_id"] == "nope"
    assert _comments(posts)[0]["platform"] == "instagram"


def test_strict_refuses_a_comment_that_cannot_be_linked(
    posts: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    before = snapshot()
    path = write("comments.csv", "comment_id,post_id,author\nc1,p1,zoe\nc2,nope,max\n")
    with pytest.raises(InputError, match=r"line 3, column 'post_id': post 'nope' is not in"):
        import_path(posts, path, strict=True)
    assert snapshot() == before


def test_platform_on_comments_whose_posts_are_elsewhere_is_refused_naming_lines(
    posts: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    before = snapshot()
    imports = posts.count("imports")
    path = write("comments.csv", COMMENTS)
    with pytest.raises(ParameterError) as info:
        import_path(posts, path, platform="instagram")
    message = info.value.message
    assert message.startswith("--platform: ")
    assert "2 rows belong to another platform than instagram" in message
    assert "line 3 (post 'v1' is stored on tiktok)" in message
    assert "line 5 (post 'v2' is stored on tiktok)" in message
    assert "line 2" not in message
    assert snapshot() == before
    assert posts.count("imports") == imports
    assert posts.count("quarantine") == 0


def test_platform_matching_the_stored_posts_fills_each_comments_creator(
    posts: Warehouse, write: Write
) -> None:
    path = write("comments.csv", "comment_id,post_id,author\nc1,p1,zoe\nc2,x1,max\n")
    summary = import_path(posts, path, platform="instagram")
    assert summary.rejects == ()
    assert summary.unlinked == ()
    # x1 exists on both platforms: --platform says which
    assert [(c["platform"], c["creator_id"]) for c in _comments(posts)] == [
        ("instagram", "ana"),
        ("instagram", "ana"),
    ]


def test_comments_whose_post_is_not_stored_are_imported_with_a_warning(
    posts: Warehouse, write: Write
) -> None:
    path = write(
        "comments.csv", "comment_id,post_id,author\nc1,p1,zoe\nc2,gone,max\nc3,gone2,lou\n"
    )
    summary = import_path(posts, path, platform="instagram")
    assert summary.rejects == ()
    assert summary.tables["comments"].counts.inserted == 3
    (warning,) = summary.unlinked
    assert (warning.table, warning.parent, warning.rows, warning.lines) == (
        "comments",
        "posts",
        2,
        (3, 4),
    )
    assert "2 comments rows of" in warning.describe()
    assert "link to no stored post (lines 3, 4)" in warning.describe()


def test_posts_without_a_creator_are_imported_with_a_warning(
    warehouse: Warehouse, write: Write
) -> None:
    path = write("posts.csv", "platform,post_id,username\ninstagram,p1,ana\ninstagram,p2,\n")
    summary = import_path(warehouse, path)
    assert summary.tables["posts"].counts.inserted == 2
    assert [(u.table, u.parent, u.rows, u.lines) for u in summary.unlinked] == [
        ("posts", "creators", 1, (3,))
    ]


def test_snapshots_by_handle_take_the_stored_creators_platform_and_id(
    warehouse: Warehouse, write: Write, quarantined: Quarantine
) -> None:
    import_path(
        warehouse,
        write(
            "creators.csv",
            "platform,creator_id,handle,followers\n"
            "youtube,UCabc,lea,900\ninstagram,ana,ana,100\ninstagram,sam,sam,5\ntiktok,sam,sam,7\n",
        ),
    )
    path = write(
        "snapshots.csv",
        "handle,date,followers\nlea,2026-03-01,950\n@Ana,2026-03-01,110\nsam,2026-03-01,6\n"
        "ghost,2026-03-01,1\n",
    )
    summary = import_path(warehouse, path)
    assert warehouse.fetch_arrow(
        "SELECT platform, creator_id, followers FROM follower_snapshots ORDER BY 1"
    ).to_pylist() == [
        {"platform": "instagram", "creator_id": "ana", "followers": 110},
        {"platform": "youtube", "creator_id": "UCabc", "followers": 950},
    ]
    assert [(r.line, r.column) for r in summary.rejects] == [(4, "handle"), (5, "handle")]
    assert "creator 'sam' matches 2 stored creators (on instagram and tiktok)" in (
        summary.rejects[0].reason
    )
    assert "creator 'ghost' is not in the warehouse" in summary.rejects[1].reason
    assert [r["target_table"] for r in quarantined()] == ["follower_snapshots"] * 2
    assert warehouse.count("creators") == 4  # no minimal creator for an unlinked handle


def test_audience_samples_by_creator_id_take_the_stored_platform(
    warehouse: Warehouse, write: Write
) -> None:
    import_path(warehouse, write("c.csv", "platform,creator_id,followers\ntiktok,777,50\n"))
    summary = import_path(
        warehouse, write("aud.csv", "creator_id,follower_id,followers\n777,f1,3\n777,f2,4\n")
    )
    assert summary.rejects == ()
    assert warehouse.fetch_arrow(
        "SELECT DISTINCT platform, creator_id FROM audience_samples"
    ).to_pylist() == [{"platform": "tiktok", "creator_id": "777"}]


def test_platform_on_snapshots_of_a_creator_stored_elsewhere_is_refused(
    warehouse: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    import_path(warehouse, write("c.csv", "platform,handle,followers\ninstagram,ana,100\n"))
    before = snapshot()
    path = write("snap.csv", "handle,date,followers\nana,2026-03-01,110\n")
    with pytest.raises(ParameterError, match=r"line 2 \(creator 'ana' is stored on instagram\)"):
        import_path(warehouse, path, platform="tiktok")
    assert snapshot() == before


def test_a_folder_skips_and_names_a_file_that_matches_no_table(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    folder = tmp_path / "world"
    folder.mkdir()
    (folder / "creators.csv").write_text(
        "platform,handle,followers\ninstagram,ana,100\ninstagram,bob,200\n", encoding="utf-8"
    )
    (folder / "truth.csv").write_text(
        "creator_id,platform,true_niche,bought_share,is_pod\n"
        "ana,instagram,IAB1,0.1,false\nzed,instagram,IAB2,0.0,true\n",
        encoding="utf-8",
    )
    (folder / "labels.csv").write_text("label,score\nx,1\n", encoding="utf-8")
    summary = import_path(warehouse, folder)
    assert warehouse.count("creators") == 2
    assert summary.tables["creators"].counts.inserted == 2
    skipped = {Path(s.file).name: s.reason for s in summary.skipped}
    assert set(skipped) == {"labels.csv", "truth.csv"}
    assert "true_niche" in skipped["truth.csv"]
    assert "is a column of the creators table" in skipped["truth.csv"]
    assert "no key of a table" in skipped["labels.csv"]


def test_a_folder_of_files_that_match_no_table_is_refused(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    folder = tmp_path / "world"
    folder.mkdir()
    (folder / "truth.csv").write_text("handle,platform,niche_truth\nana,instagram,x\n")
    with pytest.raises(FileFormatError, match="holds no file that matches a table"):
        import_path(warehouse, folder)
    assert warehouse.count("creators") == 0


def test_a_file_named_on_its_own_is_imported_even_with_only_handles(
    warehouse: Warehouse, write: Write
) -> None:
    summary = import_path(warehouse, write("handles.csv", "handle,platform\nana,instagram\n"))
    assert summary.skipped == ()
    assert warehouse.count("creators") == 1
