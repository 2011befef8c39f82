"""A small scored world with creators on whom no authenticity signal can be checked, for the
"not vetted" tests of every interface (tests/e2e/test_not_vetted.py, tests/web/test_not_vetted.py).

The demo gives every creator posts, comments, snapshots and an audience sample; the creators
added here have a profile and nothing else, as a creators-only import leaves them. Their bios
speak the brief's language closely, so a search for it finds them near the top by meaning.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.config import Settings
from microscout.core.schema import CREATORS

BRIEF = "vegan skincare for sensitive skin"
MISSING = "not enough evidence: no audience sample, no comments, no snapshots, no posts"
# platform, creator_id, handle, followers, bio
UNVETTED = (
    (
        "instagram",
        "nv_1",
        "calm.skin.notes",
        24_000,
        "Vegan skincare for sensitive skin: gentle creams and calm routines for redness.",
    ),
    (
        "tiktok",
        "nv_2",
        "gentle.vegan.glow",
        31_000,
        "Plant-based skincare reviews for sensitive, easily irritated skin. Vegan only.",
    ),
    (
        "youtube",
        "nv_3",
        "soft.skin.lab",
        18_500,
        "Sensitive skin care, vegan serums and fragrance-free moisturisers tested.",
    ),
)


def unvetted_creators() -> pa.Table:
    """The profiles of the creators with no evidence, as a creators-only import stores them."""
    rows = [
        {
            "platform": platform,
            "creator_id": creator_id,
            "handle": handle,
            "display_name": handle.replace(".", " ").title(),
            "bio": bio,
            "followers": followers,
            "following": 300,
            "country": "US",
            "language": "en",
            "source": "test:unvetted",
            "fetched_at": datetime(2026, 1, 1),
        }
        for platform, creator_id, handle, followers, bio in UNVETTED
    ]
    return pa.Table.from_pylist(rows)


def build_home(home: Path) -> Settings:
    """A 200-creator demo plus the unvetted creators, scored with every default stage."""
    from microscout.bootstrap import Adapters, default_stages
    from microscout.demo.build import build_demo
    from microscout.services.scoring.run import metric_params, score

    settings = Settings(
        home=home,
        duckdb_memory_limit="1GB",
        duckdb_threads=2,
        embedding_max_tokens=64,
        index_tiers="any",
    )
    with Warehouse(settings.warehouse_file, memory_limit="1GB", threads=2) as wh:
        build_demo(wh, 200, seed=23)
        wh.upsert(CREATORS, unvetted_creators())
        score(wh, metric_params(settings), default_stages(Adapters(settings)))
    return settings


__all__ = ["BRIEF", "MISSING", "UNVETTED", "build_home", "unvetted_creators"]
