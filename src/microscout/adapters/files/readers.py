"""Reading CSV, JSONL and Parquet files into Arrow record batches, one shape for all three.

Every batch is an Arrow table with the file's own column names plus ``_line``: the line a CSV or
JSONL record starts on (exact even when a quoted caption spans several lines, because the standard
``csv`` module counts physical lines), or the 1-based row number in a Parquet file. CSV and JSONL
values arrive as text; Parquet columns keep their types so typed files need no parsing at all.

A file that cannot be read as a whole — empty, header only, truncated, a record with the wrong
number of fields, undecodable text — raises one :class:`FileFormatError` naming file and line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from microscout.adapters.files.encoding import decoding_error, detect_encoding
from microscout.errors import FileFormatError

LINE = "_line"
BATCH_ROWS = 65_536
PARQUET_BATCH_ROWS = 262_144
Progress = Callable[[int, int], None]
_DELIMITERS = (",", ";", "\t")
_FIELD_LIMIT = 64 * 1024 * 1024  # captions can exceed csv's default 128 KiB field limit


class Source:
    """A data file opened for reading: its header now, its rows batch by batch."""

    kind = "file"

    @property
    def decimal_mark(self) -> str:
        """The decimal mark its text numbers are taken to use (``core.counts``, rule 6)."""
        return "."

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = header

    def batches(
        self, columns: Sequence[str] | None = None, progress: Progress | None = None
    ) -> Iterator[pa.Table]:
        """Batches of rows with ``_line``; ``columns`` limits what is read where possible."""
        raise NotImplementedError


def open_source(path: Path) -> Source:
    """Open a CSV/TSV/TXT, JSONL or Parquet file by its extension (CSV when unsure)."""
    if not path.is_file():
        raise FileFormatError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return ParquetSource.open(path)
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return JsonlSource.open(path)
    return CsvSource.open(path)


def _unique_names(names: list[str]) -> list[str]:
    """Blank headers get a position name; a repeated header keeps its first use."""
    out: list[str] = []
    for index, name in enumerate(names):
        clean = name.strip() or f"column_{index + 1}"
        while clean in out:
            clean += "_"
        out.append(clean)
    return out


class CsvSource(Source):
    kind = "csv"

    def __init__(self, path: Path, header: list[str], encoding: str, delimiter: str) -> None:
        super().__init__(path, header)
        self.encoding = encoding
        self.delimiter = delimiter

    @property
    def decimal_mark(self) -> str:
        """ "," for a ``;``-separated file: ``;`` separates fields where ``,`` is the decimal mark
        (continental Europe's spreadsheets), so ``12.000`` there is twelve thousand."""
        return "," if self.delimiter == ";" else "."

    @classmethod
    def open(cls, path: Path) -> CsvSource:
        encoding = detect_encoding(path)
        try:
            with path.open(encoding=encoding, newline="") as handle:
                first = handle.readline()
                rest = handle.read(1)
        except UnicodeDecodeError as exc:
            raise decoding_error(path, encoding, exc) from None
        if not first.strip():
            raise FileFormatError(path, "is empty: no header and no rows", line=1)
        delimiter = max(_DELIMITERS, key=lambda d: _count_outside_quotes(first, d))
        header = next(csv.reader([first], delimiter=delimiter))
        if not rest:
            raise FileFormatError(path, "has a header but no data rows", line=2)
        return cls(path, _unique_names(header), encoding, delimiter)

    def batches(
        self, columns: Sequence[str] | None = None, progress: Progress | None = None
    ) -> Iterator[pa.Table]:
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
        total = self.path.stat().st_size
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            try:
                yield from self._read(text, raw, total, progress)
            except UnicodeDecodeError as exc:
                raise decoding_error(self.path, self.encoding, exc) from None

    def _read(
        self, text: io.TextIOWrapper, raw: Any, total: int, progress: Progress | None
    ) -> Iterator[pa.Table]:
        reader = csv.reader(text, delimiter=self.delimiter, strict=True)
        width = len(self.header)
        cells: list[list[str]] = [[] for _ in range(width)]
        lines: list[int] = []
        seen = 0
        end = 0
        try:
            next(reader)
            end = reader.line_num
            for record in reader:
                start, end = end + 1, reader.line_num
                if not record or _is_decoration(record):
                    continue
                self._check_width(record, start)
                for column, value in zip(cells, record, strict=True):
                    column.append(value)
                lines.append(start)
                if len(lines) >= BATCH_ROWS:
                    seen += len(lines)
                    yield self._table(cells, lines)
                    cells, lines = [[] for _ in range(width)], []
                    if progress:
                        progress(raw.tell(), total)
        except csv.Error as exc:
            raise FileFormatError(self.path, _csv_problem(exc), line=end + 1) from None
        if lines:
            seen += len(lines)
            yield self._table(cells, lines)
        if progress:
            progress(total, total)
        if seen == 0:
            raise FileFormatError(self.path, "has a header but no data rows", line=end + 1)

    def _check_width(self, record: list[str], line: int) -> None:
        if len(record) != len(self.header):
            raise FileFormatError(
                self.path,
                f"has {len(record)} fields where the header has {len(self.header)} "
                "(truncated row or stray delimiter)",
                line=line,
            )

    def _table(self, cells: list[list[str]], lines: list[int]) -> pa.Table:
        arrays = [pa.array(column, pa.string()) for column in cells]
        arrays.append(pa.array(lines, pa.int64()))
        return pa.Table.from_arrays(arrays, names=[*self.header, LINE])


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in the words a user needs."""
    problem = str(exc)
    if "end of data" in problem or "EOF" in problem:
        return "ends inside a quoted field (unterminated quote: file truncated?)"
    return problem


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _is_decoration(record: list[str]) -> bool:
    """A ruler line such as ``=====`` under the header (Kim's influencers.txt has one)."""
    cells = [c.strip() for c in record if c.strip()]
    return bool(cells) and all(set(c) <= {"=", "-"} for c in cells) and len(cells[0]) >= 3


class JsonlSource(Source):
    kind = "jsonl"

    def __init__(self, path: Path, header: list[str], encoding: str) -> None:
        super().__init__(path, header)
        self.encoding = encoding

    @classmethod
    def open(cls, path: Path) -> JsonlSource:
        encoding = detect_encoding(path)
        header: list[str] = []
        try:
            with path.open(encoding=encoding) as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        header = list(_parse_object(path, line, number))
                        break
                else:
                    raise FileFormatError(path, "is empty: no JSON objects", line=1)
        except UnicodeDecodeError as exc:
            raise decoding_error(path, encoding, exc) from None
        return cls(path, header, encoding)

    def batches(
        self, columns: Sequence[str] | None = None, progress: Progress | None = None
    ) -> Iterator[pa.Table]:
        total = self.path.stat().st_size
        rows: list[dict[str, Any]] = []
        lines: list[int] = []
        try:
            with self.path.open("rb") as raw:
                text = io.TextIOWrapper(raw, encoding=self.encoding)
                for number, line in enumerate(text, start=1):
                    if not line.strip():
                        continue
                    rows.append(_parse_object(self.path, line, number))
                    lines.append(number)
                    if len(rows) >= BATCH_ROWS:
                        yield self._table(rows, lines)
                        rows, lines = [], []
                        if progress:
                            progress(raw.tell(), total)
        except UnicodeDecodeError as exc:
            raise decoding_error(self.path, self.encoding, exc) from None
        if rows:
            yield self._table(rows, lines)
        if progress:
            progress(total, total)

    def _table(self, rows: list[dict[str, Any]], lines: list[int]) -> pa.Table:
        for row in rows:
            self.header.extend(key for key in row if key not in self.header)
        arrays = [pa.array([_text(row.get(k)) for row in rows], pa.string()) for k in self.header]
        arrays.append(pa.array(lines, pa.int64()))
        return pa.Table.from_arrays(arrays, names=[*self.header, LINE])


def _parse_object(path: Path, line: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            path, f"is not valid JSON at character {exc.colno}: {exc.msg}", line=number
        ) from None
    if not isinstance(value, dict):
        raise FileFormatError(path, "each line must be one JSON object", line=number)
    return value


def _text(value: Any) -> str | None:
    """JSON values as the text a CSV would hold, so one parser serves both."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ParquetSource(Source):
    kind = "parquet"

    def __init__(self, path: Path, header: list[str], parquet: pq.ParquetFile) -> None:
        super().__init__(path, header)
        self.parquet = parquet

    @classmethod
    def open(cls, path: Path) -> ParquetSource:
        try:
            parquet = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            raise FileFormatError(
                path,
                f"is not a readable Parquet file (truncated or corrupt; no row from here on "
                f"can be read): {exc}",
                line=1,
            ) from None
        if parquet.metadata.num_rows == 0:
            raise FileFormatError(path, "has a schema but no data rows", line=1)
        return cls(path, list(parquet.schema_arrow.names), parquet)

    @property
    def num_rows(self) -> int:
        return int(self.parquet.metadata.num_rows)

    def batches(
        self, columns: Sequence[str] | None = None, progress: Progress | None = None
    ) -> Iterator[pa.Table]:
        done = 0
        wanted = list(columns) if columns is not None else None
        iterator = self.parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted)
        while True:
            try:
                batch = next(iterator)
            except StopIteration:
                break
            except (OSError, pa.ArrowException) as exc:
                raise FileFormatError(
                    self.path,
                    f"cannot be read from this row on (truncated or corrupt): {exc}",
                    line=done + 1,
                ) from None
            lines = pa.array(np.arange(done + 1, done + 1 + batch.num_rows, dtype=np.int64))
            table = pa.Table.from_batches([batch]).append_column(LINE, lines)
            done += batch.num_rows
            yield table
            if progress:
                progress(done, self.num_rows)
