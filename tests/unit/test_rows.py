"""Batch rows: garbage becomes failed rows with line numbers, shards split, resume skips."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gradio_tui.commands.exits import TABLE, Exit, exit_for
from gradio_tui.commands.rows import (
    DoneRows,
    MalformedRowError,
    Row,
    RowReader,
    csv_header_problem,
    input_format,
    parse_shard,
    read_done,
)
from tests.unit.test_arguments import endpoints

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def read(tmp_path: Path, name: str, data: bytes, api: str = "/predict", **kw: object) -> list[Row]:
    path = tmp_path / name
    path.write_bytes(data)
    reader = RowReader(str(path), input_format(str(path), None), endpoints()[api], **kw)  # type: ignore[arg-type]
    reader.open()
    return list(reader)


def test_jsonl_garbage_is_rows_with_their_line_numbers(tmp_path: Path) -> None:
    data = (
        b'{"num1": 1, "num2": 2}\n'  # 1
        b"\n"  # 2: blank, not a row
        b"not json\n"  # 3
        b'{"num1": \xff}\n'  # 4: not UTF-8
        b'"a string"\n'  # 5
        b'[5, "add", 6]\r\n'  # 6: an array is positional
        b'{"num1": 1'  # 7: cut, no newline
    )
    rows = read(tmp_path, "in.jsonl", data)
    assert [r.line for r in rows] == [1, 3, 4, 5, 6, 7]
    assert [r.number for r in rows] == [0, 1, 2, 3, 4, 5]
    good, not_json, not_utf8, scalar, array, cut = rows
    assert good.error is None and good.kwargs == {"num1": 1, "num2": 2} and good.id == 1
    assert array.error is None and array.args == [5, "add", 6]
    for row, why in [
        (not_json, "line 3: not valid JSON"),
        (not_utf8, "line 4: not UTF-8"),
        (scalar, "line 5: a row is a JSON object"),
        (cut, "line 7: not valid JSON"),
    ]:
        assert isinstance(row.error, MalformedRowError)
        assert str(row.error).startswith(why)
        assert row.id == row.line  # keyed by line, a bad row keeps its key for --resume
    assert not_json.given == "not json"


def test_csv_cells_are_typed_and_bad_rows_say_why(tmp_path: Path) -> None:
    data = (
        "\ufeffid,num1,operation,num2\n"  # 1 (a byte order mark, as Excel writes)
        "a,1,add,2\n"  # 2
        "b,3,multiply,\n"  # 3: empty cell = the app's default
        "c,x,add,1\n"  # 4: not a number
        "d,1,add\n"  # 5: a field short
        "\n"  # 6: blank
        'e,"multi\nline",add,1\n'  # 7-8: a quoted newline, still not a number
        "a,5,add,5\n"  # 9: id already used
        'f,1,"divide,0\n'  # 10: unterminated quote
    ).encode()
    rows = read(tmp_path, "in.csv", data, id_column="id")
    by_line = {r.line: r for r in rows}
    assert sorted(by_line) == [2, 3, 4, 5, 7, 9, 10]
    assert by_line[2].kwargs == {"num1": 1, "operation": "add", "num2": 2} and by_line[2].id == "a"
    assert by_line[3].kwargs == {"num1": 3, "operation": "multiply"}
    assert "line 4: num1: 'x' is not a number" in str(by_line[4].error)
    assert "line 5: it has 3 fields, the header has 4" in str(by_line[5].error)
    assert "line 7: num1" in str(by_line[7].error)
    assert "line 9: the id 'a' is already used by line 2" in str(by_line[9].error)
    assert "line 10: not valid CSV" in str(by_line[10].error)
    assert all(r.id is None for r in rows if r.error)  # by id column: a bad row has no id


def test_a_csv_header_that_does_not_fit_the_endpoint_is_refused_before_anything_runs() -> None:
    predict = endpoints()["/predict"]
    assert csv_header_problem(["num1", "num2"], predict, None) is None
    assert "'prompt' is not a parameter of /predict" in str(
        csv_header_problem(["num1", "prompt"], predict, None)
    )
    assert "appears twice" in str(csv_header_problem(["num1", "num1"], predict, None))
    assert "no id column 'key'" in str(csv_header_problem(["num1"], predict, "key"))
    assert csv_header_problem(["key", "num1"], predict, "key") is None


@pytest.mark.parametrize("data", [b"", b"\n\n", b'"unterminated\n'])
def test_a_csv_without_a_readable_header_is_an_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    reader = RowReader(str(path), "csv", endpoints()["/predict"])
    with pytest.raises(MalformedRowError):
        reader.open()
    assert reader._handle is not None and reader._handle.closed  # no run follows


def test_ids_from_a_jsonl_column(tmp_path: Path) -> None:
    data = (
        b'{"key": "x", "text": "hi"}\n'
        b'{"text": "no key"}\n'
        b'{"key": [1], "text": "list key"}\n'
        b'{"key": "x", "text": "again"}\n'
        b'{"key": 7, "text": "number key"}\n'
        b"[1]\n"
    )
    rows = read(tmp_path, "in.jsonl", data, api="/echo", id_column="key")
    assert (
        rows[0].id == "x" and rows[0].kwargs == {"text": "hi"} and rows[0].given == {"text": "hi"}
    )
    assert "has no 'key'" in str(rows[1].error)
    assert "not a string or number" in str(rows[2].error)
    assert "already used by line 1" in str(rows[3].error)
    assert rows[4].id == 7 and rows[4].error is None
    assert "an array has no 'key'" in str(rows[5].error)


def test_relative_file_paths_are_relative_to_the_input_file(tmp_path: Path) -> None:
    data = b'{"uploaded": "pics/a.png"}\n{"uploaded": "https://x/y.png"}\n["b.png"]\n'
    (tmp_path / "sub").mkdir()
    rows = read(tmp_path / "sub", "in.jsonl", data, api="/file")
    assert rows[0].kwargs == {"uploaded": str(tmp_path / "sub" / "pics" / "a.png")}
    assert rows[0].given == {"uploaded": "pics/a.png"}  # the output echoes what was written
    assert rows[1].kwargs == {"uploaded": "https://x/y.png"}
    assert rows[2].args == [str(tmp_path / "sub" / "b.png")]


def test_shards_cover_every_row_once_bad_rows_included(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"t{i}"}) if i % 7 else "garbage" for i in range(50)]
    data = ("\n".join(lines) + "\n").encode()
    seen: list[int] = []
    for index in range(3):
        rows = read(tmp_path, "in.jsonl", data, api="/echo", shard=(index, 3))
        assert all(r.number % 3 == index for r in rows)
        seen += [r.line for r in rows]
    assert sorted(seen) == list(range(1, 51))


@pytest.mark.parametrize("text", ["1/1/1", "2/2", "-1/2", "0/0", "a/b", "1", "", "0/-1"])
def test_a_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="I/N"):
        parse_shard(text)


def test_resume_reads_the_done_rows_and_cuts_a_half_written_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(
        b'{"id": 1, "line": 1, "ok": true}\n'
        b"not json\n"
        b'{"id": "k", "line": 3, "ok": false}\n'
        b'{"id": 4, "line": 4, "ok": tr'  # killed mid-write
    )
    warnings: list[str] = []
    done = read_done(out, warnings.append)
    assert out.read_bytes().endswith(b'"ok": false}\n')
    assert any("half-written" in w for w in warnings) and any("line 2" in w for w in warnings)
    assert done.lines == {1, 3}
    assert done.has(Row(1, 0, 1, None), by_line=True)
    assert not done.has(Row(4, 3, 4, None), by_line=True)
    assert done.has(Row(9, 8, "k", None), by_line=False)
    assert not done.has(Row(9, 8, 1.5, None), by_line=False)
    assert read_done(tmp_path / "missing.jsonl", warnings.append).lines == set()


def test_resume_skips_done_rows_while_reading(tmp_path: Path) -> None:
    done = DoneRows()
    done.add({"id": 2, "line": 2})
    data = b'{"text": "a"}\n{"text": "b"}\n{"text": "c"}\n'
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    reader = RowReader(str(path), "jsonl", endpoints()["/echo"], done=done)
    assert [r.line for r in reader] == [1, 3]
    assert reader.skipped == 1


def test_stdin_is_read_as_jsonl() -> None:
    reader = RowReader("-", "jsonl", endpoints()["/echo"], stdin=io.BytesIO(b'{"text": "x"}\n'))
    assert [r.kwargs for r in reader] == [{"text": "x"}]


def test_every_exit_status_is_in_the_readme() -> None:
    readme = README.read_text()
    for code, meaning in TABLE:
        assert f"| {int(code)} | {meaning} |" in readme, code
    assert exit_for(KeyboardInterrupt()) is Exit.INTERNAL  # not an error class of ours
