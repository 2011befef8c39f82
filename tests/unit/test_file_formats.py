"""Reading files: encodings, line numbers, header matching, format detection, mapping files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from microscout.adapters.files.formats import check_format, detect_format
from microscout.adapters.files.headers import detect_table, match, normalise
from microscout.adapters.files.mapping import load_mapping
from microscout.adapters.files.readers import LINE, open_source
from microscout.errors import FileFormatError, MappingError, ParameterError


def _rows(path: Path) -> list[dict[str, object]]:
    return [row for batch in open_source(path).batches() for row in batch.to_pylist()]


def test_csv_line_numbers_stay_exact_across_multi_line_captions(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('post_id,caption\n1,"two\nlines"\n2,"three\n\nlines"\n3,plain\n')
    rows = _rows(path)
    assert [(r["post_id"], r[LINE]) for r in rows] == [("1", 2), ("2", 4), ("3", 7)]
    assert rows[1]["caption"] == "three\n\nlines"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "creators.csv"
    path.write_text(f'username{delimiter}followers\nana{delimiter}"1,204"\n')
    assert open_source(path).header == ["username", "followers"]
    assert _rows(path)[0]["followers"] == "1,204"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"), (b"", "utf-16"), (b"", "utf-16-be")],
)
def test_utf8_and_utf16_with_bom_read_the_same(tmp_path: Path, bom: bytes, codec: str) -> None:
    text = "username,followers\nzoë,12\n"
    data = bom + text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    assert open_source(path).header == ["username", "followers"]
    assert _rows(path)[0]["username"] == "zoë"


def test_latin1_text_names_the_line_that_fails_to_decode(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("username,followers\nana,1\nzoë,2\n".encode("latin-1"))
    with pytest.raises(FileFormatError, match=r"c\.csv, line 3: is not valid UTF-8") as info:
        _rows(path)
    assert info.value.line == 3


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("username\nana\n".encode("utf-16-le"))
    with pytest.raises(FileFormatError, match="NUL bytes"):
        open_source(path)


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ("", 1, "is empty"),
        ("username,followers\n", 2, "no data rows"),
        ('username,bio\nana,"open quote\n', 2, "unterminated quote"),
        ("username,followers\nana,1\nbob\n", 3, "has 1 fields where the header has 2"),
        ("username,followers\nana,1,2\n", 2, "has 3 fields"),
    ],
)
def test_files_that_cannot_be_read_whole_name_file_and_line(
    tmp_path: Path, content: str, line: int, problem: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(FileFormatError, match=problem) as info:
        _rows(path)
    assert info.value.line == line
    assert info.value.path == str(path)


def test_jsonl_reads_typed_values_as_text_and_names_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"post_id": 1, "likes": 5, "tags": ["a", "b"], "ok": true}\n\n{"post_id": 2')
    source = open_source(path)
    batches = source.batches()
    with pytest.raises(FileFormatError, match="not valid JSON") as info:
        list(batches)
    assert info.value.line == 3
    path.write_text('{"post_id": 1, "likes": 5, "tags": ["a", "b"], "ok": true}\n')
    assert _rows(path) == [{"post_id": "1", "likes": "5", "tags": "a|b", "ok": "true", LINE: 1}]


def test_truncated_parquet_is_a_file_format_error(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"post_id": ["1", "2"], "likes": [1, 2]}), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileFormatError, match="not a readable Parquet file") as info:
        open_source(path)
    assert info.value.line == 1


def test_parquet_rows_are_numbered_from_one_and_keep_types(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"post_id": ["a", "b"], "likes": [1, 2]}), path)
    batch = next(open_source(path).batches(["likes"]))
    assert batch.column_names == ["likes", LINE]
    assert batch.column(LINE).to_pylist() == [1, 2]
    assert pa.types.is_integer(batch.schema.field("likes").type)


def test_headers_match_ignoring_case_spaces_and_punctuation() -> None:
    assert normalise(" #Followers ") == "followers"
    found = match(["Username", "#Followers", "Following Count", "Category"], "creators")
    assert found == {
        "handle": "Username",
        "followers": "#Followers",
        "following": "Following Count",
        "source_category": "Category",
    }
    posts = match(["media_id", "owner", "taken_at", "like_count", "Comment Count"], "posts")
    assert posts["post_id"] == "media_id"
    assert posts["posted_at"] == "taken_at"
    assert posts["likes"] == "like_count"
    assert posts["comments"] == "Comment Count"


@pytest.mark.parametrize(
    ("headers", "table"),
    [
        (["username", "followers"], "creators"),
        (["account", "subscribers", "bio"], "creators"),
        (["post_id", "username", "likes", "followers"], "posts"),
        (["handle", "date", "followers"], "follower_snapshots"),
        (["creator", "follower_username", "followers", "is_private"], "audience_samples"),
        (["comment_id", "post_id", "author", "text"], "comments"),
        (["likes", "views"], None),
    ],
)
def test_the_columns_decide_the_table(headers: list[str], table: str | None) -> None:
    assert detect_table(headers) == table


@pytest.mark.parametrize(
    ("header", "fmt"),
    [
        ("Post ID,Account ID,Account username,Publish time,Likes", "meta"),
        ("Content,Video title,Video publish time,Views", "youtube"),
        ("Video title,Video link,Post time,Total likes", "tiktok"),
        ("Username\tCategory\t#Followers\t#Followees\t#Posts", "kim"),
        ("username,followers", "generic"),
    ],
)
def test_export_formats_are_recognised_by_their_headers(
    tmp_path: Path, header: str, fmt: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(header + "\n" + header + "\n")
    assert detect_format(open_source(path)) == fmt


def test_unknown_format_name_is_a_parameter_error() -> None:
    assert check_format("CSV") == "generic"
    with pytest.raises(ParameterError, match="--format: unknown format 'xlsx'"):
        check_format("xlsx")


def test_mapping_file_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text(
        'table = "posts"\n[columns]\n"Vid" = "post_id"\n[constants]\nplatform = "tiktok"\n'
    )
    mapping = load_mapping(path)
    assert (mapping.table, mapping.columns, mapping.constants) == (
        "posts",
        {"Vid": "post_id"},
        {"platform": "tiktok"},
    )
    path.write_text('table = "videos"\n')
    with pytest.raises(MappingError, match="table 'videos' is not one of"):
        load_mapping(path)
    path.write_text("table = \n")
    with pytest.raises(MappingError, match="not valid TOML"):
        load_mapping(path)
