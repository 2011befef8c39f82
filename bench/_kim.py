"""Subsets of the Kim et al. Instagram dataset (``../shared/data/kim_instagram_influencers``),
written as Kim-format files so `microscout import --format kim` reads them as it reads the whole.

Creators are chosen by a hash of their handle: the same ones every run, on every machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import duckdb

KIM = Path(__file__).resolve().parents[2] / "shared" / "data" / "kim_instagram_influencers"


def bucket(handle: str, buckets: int) -> int:
    """Which of ``buckets`` equal shares a handle falls in, by its hash."""
    return int(hashlib.sha256(handle.encode()).hexdigest()[:8], 16) % buckets


def kim_subset(folder: Path, keep: Callable[[str], bool]) -> int:
    """Write the Kim files with only the creators whose handle ``keep`` accepts into ``folder``;
    how many creators were left out."""
    folder.mkdir(parents=True, exist_ok=True)
    left_out = 0
    with (
        (KIM / "influencers.txt").open(encoding="utf-8") as src,
        (folder / "influencers.txt").open("w", encoding="utf-8") as dst,
    ):
        for number, line in enumerate(src):
            name = line.split("\t", 1)[0]
            if number > 1 and not keep(name):
                left_out += 1
                continue
            dst.write(line)
    con = duckdb.connect()
    source = KIM / "posts_sample.csv"
    names = con.execute(
        "SELECT DISTINCT username FROM read_csv(?, all_varchar = true)", [str(source)]
    ).fetchall()
    kept = [n for (n,) in names if keep(n)]
    con.execute("CREATE TABLE keep AS SELECT unnest(?::VARCHAR[]) AS username", [kept])
    con.execute(
        f"COPY (SELECT p.* FROM read_csv('{source}', all_varchar = true) p "
        f"SEMI JOIN keep USING (username)) TO '{folder / 'posts_sample.csv'}' (HEADER)"
    )
    con.close()
    return left_out
