"""A batch's rows: read lazily from JSONL or CSV, written as JSONL, resumable and sharded.

Reading never holds more than one row: the file (or stdin) is read a line at
a time. A row that cannot be used — not JSON, not UTF-8, the wrong number of
CSV fields, a value its parameter cannot take, an id used twice — is not an
exception that ends the batch: it becomes a ``Row`` with an ``error``, which
the batch writes as a failed row and reports with its line number.

A row's id is its id column's value (``--id-column``) or else its line
number; ``--resume`` skips rows whose id the output already holds, and
``--shard I/N`` keeps the rows whose position among the data rows is I mod N,
so N machines can split one file without talking to each other.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client.endpoints import Endpoint

__all__ = [
    "DoneRows",
    "MalformedRowError",
    "Row",
    "RowReader",
    "csv_header_problem",
    "input_format",
    "parse_shard",
    "read_done",
]

# Excel and some exporters start UTF-8 files with a byte order mark.
_BOM = "\ufeff"
_CSV_FIELD_LIMIT = 64 * 2**20


class MalformedRowError(ValueError):
    """A row that cannot be read or used as it is; its message starts with its line."""


@dataclass
class Row:
    """One data row of the input, read or not."""

    line: int
    """Line of the input where the row starts (1 for the first line)."""
    number: int
    """Position among the data rows (0 for the first): what sharding goes by."""
    id: Any
    """The row id: the id column's value, or the line number."""
    given: Any
    """The row as the user wrote it (echoed in the output); the raw text if unreadable."""
    args: list[Any] | None = None
    kwargs: dict[str, Any] | None = None
    error: MalformedRowError | None = None


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` → ``(I, N)`` with ``0 <= I < N``."""
    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i, n = -1, 0
    if not sep or n < 1 or not 0 <= i < n:
        raise ValueError(f"--shard takes I/N with 0 <= I < N (such as 0/2), not {text!r}.")
    return i, n


def input_format(path: str, given: str | None) -> str:
    """``jsonl`` or ``csv``: as told, else by the file's extension (stdin: JSONL)."""
    if given:
        return given
    suffix = Path(path).suffix.lower() if path != "-" else ""
    return "csv" if suffix in (".csv", ".tsv") else "jsonl"


def _key(value: Any) -> str:
    """Ids compare as JSON (1 and "1" are different ids, as they are in the file)."""
    return json.dumps(value, sort_keys=True)


class DoneRows:
    """Ids of the rows an earlier run already wrote (``--resume``)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.lines: set[int] = set()

    def add(self, record: dict[str, Any]) -> None:
        if "id" in record and record["id"] is not None:
            self.ids.add(_key(record["id"]))
        line = record.get("line")
        if isinstance(line, int) and not isinstance(line, bool):
            self.lines.add(line)

    def __len__(self) -> int:
        return max(len(self.ids), len(self.lines))

    def has(self, row: Row, by_line: bool) -> bool:
        if by_line or row.id is None:
            return row.line in self.lines
        return _key(row.id) in self.ids


def read_done(path: Path, warn: Any) -> DoneRows:
    """The rows an output file already holds, after cutting off a half-written last line.

    A run killed mid-write can leave a last line without its newline; it is
    removed (that row runs again), so appended lines never join it.
    """
    done = DoneRows()
    if not path.exists():
        return done
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size:
            f.seek(size - 1)
            if f.read(1) != b"\n":
                # Find the last newline, reading backwards in blocks.
                end = size
                cut = 0
                while end > 0:
                    start = max(0, end - 65536)
                    f.seek(start)
                    block = f.read(end - start)
                    at = block.rfind(b"\n")
                    if at != -1:
                        cut = start + at + 1
                        break
                    end = start
                f.truncate(cut)
                warn(f"{path}: removed a half-written last line (that row runs again).")
        f.seek(0)
        for number, raw in enumerate(f, start=1):
            try:
                record = json.loads(raw)
            except ValueError:
                warn(f"{path}: line {number} is not JSON; ignored for --resume.")
                continue
            if isinstance(record, dict):
                done.add(record)
    return done


def csv_header_problem(header: list[str], endpoint: Endpoint, id_column: str | None) -> str | None:
    """Why a CSV header cannot work with this endpoint, or None.

    Checked before anything is sent: a misspelt column would otherwise fail
    every row, or worse, leave a parameter at its default on every row.
    """
    names = {p.name for p in endpoint.parameters}
    seen: set[str] = set()
    for column in header:
        if column in seen:
            return f"the column {column!r} appears twice."
        seen.add(column)
    unknown = [c for c in header if c not in names and c != id_column]
    if unknown:
        return (
            f"the column{'s' if len(unknown) > 1 else ''} "
            + ", ".join(repr(c) for c in unknown)
            + f" {'are' if len(unknown) > 1 else 'is'} not a parameter of {endpoint.name} "
            f"(its parameters: {', '.join(sorted(names)) or 'none'}); "
            "name the id column with --id-column."
        )
    if id_column is not None and id_column not in seen:
        return f"there is no id column {id_column!r}."
    return None


class RowReader:
    """The input's rows, one at a time, as a generator (run it on any thread)."""

    def __init__(
        self,
        path: str,
        fmt: str,
        endpoint: Endpoint,
        *,
        id_column: str | None = None,
        shard: tuple[int, int] = (0, 1),
        done: DoneRows | None = None,
        stdin: IO[bytes] | None = None,
    ) -> None:
        self.path = path
        self.fmt = fmt
        self.endpoint = endpoint
        self.id_column = id_column
        self.shard = shard
        self.done = done
        self.stdin = stdin
        self.skipped = 0  # rows left out because the output already has them
        self.base_dir = Path(path).resolve().parent if path != "-" else Path.cwd()
        self._params = {p.name: p for p in endpoint.parameters}
        self._seen: dict[str, int] = {}
        self.header: list[str] | None = None
        self._handle: IO[bytes] | None = None
        self._csv_reader: Any = None
        self._csv_line = 0  # last line the CSV reader consumed

    def open(self) -> list[str] | None:
        """Open the input (raises OSError); for CSV, read its header and return it.

        Done before the run starts, so that a missing file or a header that does
        not fit the endpoint is a usage error, not a thousand failed rows.
        """
        if self.path == "-":
            self._handle = self.stdin or sys.stdin.buffer
        else:
            self._handle = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        if self.fmt == "csv":
            csv.field_size_limit(_CSV_FIELD_LIMIT)
            delimiter = "\t" if self.path.lower().endswith(".tsv") else ","
            lines = (raw.decode("utf-8", "surrogateescape") for raw in self._handle)
            self._csv_reader = csv.reader(lines, delimiter=delimiter, strict=True)
            try:
                self.header = self._csv_header()
            except BaseException:
                self.close()  # no run follows: the caller reports the header and stops
                raise
        return self.header

    def close(self) -> None:
        if self._handle is not None and self.path != "-":
            self._handle.close()

    def __iter__(self) -> Iterator[Row]:
        if self._handle is None:
            self.open()
        assert self._handle is not None
        try:
            rows = self._jsonl(self._handle) if self.fmt == "jsonl" else self._csv()
            for row in rows:
                if self.done is not None and self.done.has(row, self.id_column is None):
                    self.skipped += 1
                    continue
                yield row
        finally:
            self.close()

    def _mine(self, number: int) -> bool:
        index, count = self.shard
        return number % count == index

    # -- JSONL ------------------------------------------------------------------------

    def _jsonl(self, handle: IO[bytes]) -> Iterator[Row]:
        number = -1
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue  # blank lines are not rows
            number += 1
            if not self._mine(number):
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield self._bad(
                    line, number, raw.decode("utf-8", "replace"), f"not UTF-8 ({exc.reason})"
                )
                continue
            if line == 1:
                text = text.removeprefix(_BOM)
            text = text.rstrip("\r\n")
            try:
                value = json.loads(text)
            except ValueError as exc:
                yield self._bad(line, number, text, f"not valid JSON ({exc})")
                continue
            yield self._from_json(line, number, value, text)

    def _from_json(self, line: int, number: int, value: Any, text: str) -> Row:
        if isinstance(value, list):
            if self.id_column is not None:
                return self._bad(
                    line, number, text, f"an array has no {self.id_column!r} to use as the id"
                )
            args = self._resolve_positional(value)
            return Row(line, number, line, value, args=args, kwargs={})
        if not isinstance(value, dict):
            return self._bad(
                line, number, text, f"a row is a JSON object, not {type(value).__name__}"
            )
        row_id: Any = line
        given = value
        if self.id_column is not None:
            if self.id_column not in value:
                return self._bad(line, number, text, f"it has no {self.id_column!r}")
            row_id = value[self.id_column]
            if isinstance(row_id, dict | list) or row_id is None:
                return self._bad(
                    line, number, text, f"its {self.id_column!r} is not a string or number"
                )
            problem = self._repeated(row_id, line)
            if problem:
                return self._bad(line, number, text, problem)
            if self.id_column not in self._params:
                given = {k: v for k, v in value.items() if k != self.id_column}
        kwargs = self._resolve_named(given)
        return Row(line, number, row_id, given, args=[], kwargs=kwargs)

    # -- CSV --------------------------------------------------------------------------

    def _csv_header(self) -> list[str]:
        reader = self._csv_reader
        while True:
            start = self._csv_line + 1
            try:
                cells = next(reader)
            except StopIteration:
                raise MalformedRowError("the CSV input is empty: it has no header line.") from None
            except csv.Error as exc:
                raise MalformedRowError(
                    f"line {start}: the CSV header cannot be read ({exc})."
                ) from None
            self._csv_line = reader.line_num
            if cells and cells != [""]:
                header = [c.strip() for c in cells]
                header[0] = header[0].removeprefix(_BOM)
                if any(_has_surrogate(c) for c in header):
                    raise MalformedRowError(f"line {start}: the CSV header is not UTF-8.")
                return header

    def _csv(self) -> Iterator[Row]:
        from ..client.arguments import from_text, kind_of

        reader = self._csv_reader
        header = self.header
        assert reader is not None and header is not None
        delimiter = reader.dialect.delimiter
        number = -1
        while True:
            start = self._csv_line + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self._csv_line = reader.line_num
                number += 1
                if self._mine(number):
                    yield self._bad(start, number, None, f"not valid CSV ({exc})")
                continue
            self._csv_line = reader.line_num
            if not cells or cells == [""]:
                continue  # a blank line
            number += 1
            if not self._mine(number):
                continue
            text = delimiter.join(cells)
            if any(_has_surrogate(c) for c in cells):
                yield self._bad(
                    start,
                    number,
                    text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                    "not UTF-8",
                )
                continue
            if len(cells) != len(header):
                yield self._bad(
                    start, number, text, f"it has {len(cells)} fields, the header has {len(header)}"
                )
                continue
            record = dict(zip(header, cells, strict=True))
            row_id: Any = start
            if self.id_column is not None:
                row_id = record[self.id_column]
                problem = self._repeated(row_id, start)
                if problem:
                    yield self._bad(start, number, text, problem)
                    continue
            given: dict[str, Any] = {}
            problem = None
            for column, cell in record.items():
                param = self._params.get(column)
                if param is None:
                    continue  # the id column
                if cell == "":
                    if param.has_default:
                        continue  # an empty cell is a value left out: the app's default
                    if kind_of(param) != "text":
                        continue  # left out: the call says which value is missing
                try:
                    given[column] = from_text(param, cell)
                except ValueError as exc:
                    problem = str(exc)
                    break
            if problem is not None:
                yield self._bad(start, number, text, problem)
                continue
            yield Row(start, number, row_id, given, args=[], kwargs=self._resolve_named(given))

    # -- shared ---------------------------------------------------------------------------

    def _bad(self, line: int, number: int, text: str | None, why: str) -> Row:
        error = MalformedRowError(f"line {line}: {why}")
        # Keyed by line, the row keeps its id; by id column, it has none to give.
        return Row(line, number, line if self.id_column is None else None, text, error=error)

    def _repeated(self, row_id: Any, line: int) -> str | None:
        key = _key(row_id)
        earlier = self._seen.get(key)
        if earlier is not None:
            return f"the id {row_id!r} is already used by line {earlier}"
        self._seen[key] = line
        return None

    def _resolve_named(self, values: dict[str, Any]) -> dict[str, Any]:
        """Relative file paths are relative to the input file's folder, not to where
        the command runs: a data set folder works from anywhere."""
        out = dict(values)
        for name, value in values.items():
            param = self._params.get(name)
            if param is not None and param.is_file:
                out[name] = self._resolve_path(value)
        return out

    def _resolve_positional(self, values: list[Any]) -> list[Any]:
        params = self.endpoint.parameters
        return [
            self._resolve_path(v) if i < len(params) and params[i].is_file else v
            for i, v in enumerate(values)
        ]

    def _resolve_path(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._resolve_path(v) for v in value]
        if (
            isinstance(value, str)
            and value
            and not value.startswith(("http://", "https://", "data:"))
            and not os.path.isabs(os.path.expanduser(value))
        ):
            return str(self.base_dir / value)
        return value


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)
