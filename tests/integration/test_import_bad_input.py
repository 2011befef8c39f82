"""Bad input never crashes: file-level errors write nothing, bad rows go to quarantine."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from microscout.adapters.warehouse import Warehouse
from microscout.errors import FileFormatError, InputError, MappingError, ParameterError
from microscout.services.ingest.importer import import_path
from tests.integration.conftest import Quarantine, Snapshot, Write

GOOD = "username,followers,platform\nana,1200,instagram\nbob,3400,instagram\n"


@pytest.fixture
def seeded(warehouse: Warehouse, write: Write) -> Warehouse:
    """A warehouse that already holds two creators, so 'unchanged' means something."""
    import_path(warehouse, write("seed.csv", GOOD))
    return warehouse


def _file_error(warehouse: Warehouse, path: Path, snapshot: Snapshot, **kw: str) -> FileFormatError:
    before = snapshot()
    imports = warehouse.count("imports")
    with pytest.raises(FileFormatError) as info:
        import_path(warehouse, path, **kw)  # type: ignore[arg-type]
    assert snapshot() == before
    assert warehouse.count("imports") == imports
    assert warehouse.count("quarantine") == 0
    assert str(path) in info.value.message
    return info.value


def test_missing_required_column_names_file_line_and_column(
    seeded: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    path = write("posts.csv", "post_id,likes,platform\n1,5,instagram\n")
    error = _file_error(seeded, path, snapshot)
    assert error.line == 1
    assert error.column == "creator_id"
    assert "line 1, column 'creator_id': missing required column" in error.message


def test_wrong_encoding_names_file_and_line(
    seeded: Warehouse, tmp_path: Path, snapshot: Snapshot
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        "username,bio,platform\nana,ok,instagram\nzoë,café,instagram\n".encode("cp1252")
    )
    error = _file_error(seeded, path, snapshot)
    assert error.line == 3
    assert "line 3: is not valid UTF-8" in error.message


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("", 1, "is empty"),
        ("username,followers,platform\n", 2, "no data rows"),
        ('username,bio,platform\nana,"never closed,instagram\n', 2, "unterminated quote"),
        ("username,followers,platform\nana,1,instagram\nbob,2\n", 3, "has 2 fields"),
    ],
)
def test_empty_header_only_and_truncated_files_write_nothing(
    seeded: Warehouse,
    write: Write,
    snapshot: Snapshot,
    content: str,
    line: int,
    problem: str,
) -> None:
    error = _file_error(seeded, write("bad.csv", content), snapshot)
    assert error.line == line
    assert problem in error.message


def test_truncated_parquet_writes_nothing(
    seeded: Warehouse, tmp_path: Path, snapshot: Snapshot
) -> None:
    path = tmp_path / "posts.parquet"
    table = pa.table({"post_id": ["1"], "username": ["ana"], "platform": ["instagram"]})
    pq.write_table(table, path)
    path.write_bytes(path.read_bytes()[:-20])
    error = _file_error(seeded, path, snapshot)
    assert error.line == 1


def test_truncated_file_after_good_batches_writes_nothing(
    seeded: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    rows = "".join(f"p{i},ana,{i},instagram\n" for i in range(70_000))
    path = write("big.csv", "post_id,username,likes,platform\n" + rows + 'p_last,ana,"7')
    error = _file_error(seeded, path, snapshot)
    assert error.line == 70_002
    staging = seeded.duck.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '_stage%'"
    ).fetchall()
    assert staging == [(0,)]


@pytest.mark.parametrize(
    ("value", "reason"),
    [("-5", "negative count '-5'"), ("lots", "not a count: 'lots'"), ("1.5", "not a whole")],
)
def test_bad_count_goes_to_quarantine_with_line_and_column(
    seeded: Warehouse,
    write: Write,
    snapshot: Snapshot,
    quarantined: Quarantine,
    value: str,
    reason: str,
) -> None:
    before = snapshot()
    path = write(
        "c.csv", f"username,#Followers,platform\nana,1200,instagram\ncat,{value},instagram\n"
    )
    summary = import_path(seeded, path)
    assert summary.rejected == 1
    reject = summary.rejects[0]
    assert (reject.file, reject.line, reject.column) == (str(path), 3, "#Followers")
    assert reason in reject.reason
    assert reason in reject.describe()
    assert "line 3, column '#Followers'" in reject.describe()
    after = snapshot()
    assert after == before  # ana unchanged, cat rejected
    rows = quarantined()
    assert [(r["line"], r["column_name"], r["target_table"]) for r in rows] == [
        (3, "#Followers", "creators")
    ]
    assert json.loads(rows[0]["raw"]) == {
        "username": "cat",
        "#Followers": value,
        "platform": "instagram",
    }


def test_negative_count_in_typed_parquet_is_quarantined(
    warehouse: Warehouse, tmp_path: Path, quarantined: Quarantine
) -> None:
    path = tmp_path / "posts.parquet"
    table = pa.table(
        {
            "post_id": ["1", "2"],
            "username": ["ana", "ana"],
            "likes": [5, -3],
            "platform": ["instagram"] * 2,
        }
    )
    pq.write_table(table, path)
    summary = import_path(warehouse, path)
    assert summary.tables["posts"].counts.inserted == 1
    assert [(r["line"], r["column_name"], r["reason"]) for r in quarantined()] == [
        (2, "likes", "negative count '-3'")
    ]


def test_unparseable_date_and_missing_key_are_rejected(warehouse: Warehouse, write: Write) -> None:
    path = write(
        "posts.csv",
        "post_id,username,taken_at,platform\n1,ana,2026-03-01,instagram\n2,ana,soon,instagram\n"
        ",ana,2026-03-01,instagram\n",
    )
    summary = import_path(warehouse, path)
    assert [(r.line, r.column, r.reason.split(":")[0]) for r in summary.rejects] == [
        (3, "taken_at", "not a date/time"),
        (4, "post_id", "missing post_id"),
    ]
    assert warehouse.count("posts") == 1


def test_duplicate_keys_keep_the_first_and_name_its_line(
    warehouse: Warehouse, write: Write, snapshot: Snapshot, quarantined: Quarantine
) -> None:
    path = write(
        "posts.csv",
        "post_id,username,likes,platform\n1,ana,5,instagram\n2,ana,6,instagram\n1,ana,99,instagram\n",
    )
    summary = import_path(warehouse, path)
    assert [(r.line, r.column) for r in summary.rejects] == [(4, "post_id")]
    assert "first seen on line 2" in summary.rejects[0].reason
    assert warehouse.fetch_arrow("SELECT likes FROM posts WHERE post_id = '1'").to_pylist() == [
        {"likes": 5}
    ]
    assert [r["line"] for r in quarantined()] == [4]


def test_duplicates_are_found_across_parquet_batches(warehouse: Warehouse, tmp_path: Path) -> None:
    n = 300_000  # more than one Parquet batch
    ids = [str(i) for i in range(n)] + ["5"]
    path = tmp_path / "posts.parquet"
    pq.write_table(
        pa.table({"post_id": ids, "creator_id": ["c"] * (n + 1), "platform": ["tiktok"] * (n + 1)}),
        path,
    )
    summary = import_path(warehouse, path)
    assert [(r.line, r.reason) for r in summary.rejects] == [
        (n + 1, "duplicate key (tiktok, 5): first seen on line 6")
    ]
    assert warehouse.count("posts") == n


def test_reimporting_bad_rows_adds_no_duplicate_quarantine_rows(
    warehouse: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    path = write("c.csv", "username,followers,platform\nana,-1,instagram\nbob,x,instagram\n")
    import_path(warehouse, path)
    before = snapshot()
    again = import_path(warehouse, path)
    assert again.rejected == 2
    assert warehouse.count("quarantine") == 2
    assert snapshot() == before


def test_strict_aborts_on_the_first_bad_row_and_writes_nothing(
    seeded: Warehouse, write: Write, snapshot: Snapshot
) -> None:
    before = snapshot()
    path = write("c.csv", "username,followers,platform\nzed,10,instagram\ncat,-5,instagram\n")
    with pytest.raises(InputError, match=r"c\.csv, line 3, column 'followers': negative count"):
        import_path(seeded, path, strict=True)
    assert snapshot() == before
    assert seeded.count("quarantine") == 0


def test_unknown_platform_value_is_rejected(warehouse: Warehouse, write: Write) -> None:
    summary = import_path(warehouse, write("c.csv", "username,platform\nana,myspace\n"))
    assert summary.rejects[0].reason.startswith("unknown platform 'myspace'")


def test_missing_platform_is_a_parameter_error(warehouse: Warehouse, write: Write) -> None:
    with pytest.raises(ParameterError, match="--platform"):
        import_path(warehouse, write("c.csv", "username,followers\nana,1\n"))


def test_mapping_naming_an_absent_header_is_a_mapping_error(
    warehouse: Warehouse, write: Write
) -> None:
    mapping = write("m.toml", '[columns]\n"Nope" = "followers"\n')
    with pytest.raises(MappingError, match="column 'Nope' is not in the file"):
        import_path(
            warehouse, write("c.csv", "username\nana\n"), mapping=mapping, platform="tiktok"
        )
