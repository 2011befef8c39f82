"""The real Kim et al. Instagram dataset imports whole: 33,935 creators and 39,730 posts."""

from __future__ import annotations

import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.services.ingest.importer import import_path
from tests.conftest import SHARED_DATA

KIM = SHARED_DATA / "kim_instagram_influencers"
pytestmark = pytest.mark.skipif(not KIM.is_dir(), reason="shared Kim dataset not present")


def test_the_kim_folder_imports_every_creator_and_post(warehouse: Warehouse) -> None:
    summary = import_path(warehouse, KIM)
    assert summary.format == "kim"
    assert summary.rejects == ()
    assert summary.tables["creators"].counts.inserted == 33_935
    assert summary.tables["posts"].counts.inserted == 39_730
    assert warehouse.count("creators") == 33_935
    assert warehouse.count("posts") == 39_730
    checks = warehouse.fetch_arrow(
        "SELECT count(*) FILTER (WHERE is_sponsored) AS sponsored, "
        "count(DISTINCT creator_id) AS creators, "
        "count(*) FILTER (WHERE permalink LIKE 'https://www.instagram.com/p/%/') AS links, "
        "min(posted_at) >= TIMESTAMP '2012-08-01' AS dated "
        "FROM posts"
    ).to_pylist()[0]
    assert checks == {"sponsored": 197, "creators": 23_053, "links": 39_730, "dated": True}
    categories = warehouse.fetch_arrow(
        "SELECT source_category, count(*) AS n FROM creators "
        "WHERE source_category IN ('fasion', 'fashion 0.5', 'pet') GROUP BY 1 ORDER BY 1"
    ).to_pylist()
    assert categories == [
        {"source_category": "fashion 0.5", "n": 1},
        {"source_category": "fasion", "n": 1},
        {"source_category": "pet", "n": 587},
    ]
    # commenters: one row per distinct commenter per post; the creator's own are replies
    comments = warehouse.fetch_arrow(
        "SELECT count(*) AS n, count(*) FILTER (WHERE text IS NULL) AS no_text, "
        "count(*) FILTER (WHERE is_reply_by_creator) > 0 AS replies, "
        "count(*) = count(DISTINCT comment_id) AS distinct_ids FROM comments"
    ).to_pylist()[0]
    assert comments["n"] == comments["no_text"] > 0
    assert comments["replies"]
    assert comments["distinct_ids"]


def test_reimporting_kim_changes_nothing(warehouse: Warehouse) -> None:
    import_path(warehouse, KIM)
    again = import_path(warehouse, KIM)
    assert (again.inserted, again.updated, again.rejected) == (0, 0, 0)


def test_the_posts_file_alone_brings_its_creators_profiles(warehouse: Warehouse) -> None:
    summary = import_path(warehouse, KIM / "posts_sample.csv", format="kim")
    assert summary.tables["posts"].counts.inserted == 39_730
    assert summary.tables["creators"].counts.inserted == 23_053
    followers = warehouse.fetch_arrow(
        "SELECT followers FROM creators WHERE creator_id = '_addiejones'"
    ).to_pylist()
    assert followers == [{"followers": 8702}]
