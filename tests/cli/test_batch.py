"""``gradio-tui batch`` as a process: replicas dying, ctrl+c and --resume, bad rows, shards.

The point of these tests is process behaviour (signals, exit statuses, what
is on disk when a run is cut), so the command runs as a subprocess; they
wait on states (lines in the output, a line on stdout), never on fixed sleeps.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradio_tui.commands.exits import Exit
from tests.cli.support import (
    command,
    count_lines,
    read_terminal,
    records,
    run,
    start,
    wait_for,
    write_jsonl,
)
from tests.support.servers import GradioServer, start_gradio


@pytest.fixture
def victim() -> Iterator[GradioServer]:
    """A second copy of the core app, to be killed during a run."""
    server = start_gradio("core_app")
    yield server
    server.stop()


def texts(n: int) -> list[dict[str, str]]:
    return [{"text": f"row-{i}"} for i in range(n)]


def test_two_replicas_one_killed_midway_every_row_exactly_once(
    core_url: str, victim: GradioServer, tmp_path: Path
) -> None:
    rows = write_jsonl(tmp_path / "in.jsonl", texts(1000))
    out = tmp_path / "out.jsonl"
    proc = start(
        "batch", core_url, "/echo", "--src", victim.url, "--input", str(rows), "--output",
        str(out), "--backoff", "0.2", "--concurrency", "20",
    )  # fmt: skip

    def victim_has_worked() -> bool:
        return count_lines(out) >= 250 and victim.url in out.read_text()

    wait_for(victim_has_worked, what="both copies to have done rows")
    os.killpg(victim.proc.pid, signal.SIGKILL)  # no goodbye: connections just die
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == Exit.OK, stderr
    done = records(out)
    assert Counter(r["id"] for r in done) == Counter(range(1, 1001))  # every row, exactly once
    assert all(r["ok"] and r["output"] == r["input"]["text"] for r in done)
    by_src = Counter(r["src"] for r in done)
    assert set(by_src) == {core_url, victim.url}
    # The rows in flight on the killed copy failed there and were done by the other.
    retried = [r for r in done if r["attempts"] > 1]
    assert retried and all(r["src"] == core_url for r in retried)
    assert by_src[core_url] > by_src[victim.url]
    assert "1,000 ok, 0 failed" in stderr and "rested" in stderr


def test_resume_after_ctrl_c_completes_the_output_without_duplicates(
    core_url: str, tmp_path: Path
) -> None:
    rows = write_jsonl(tmp_path / "in.jsonl", texts(1000))
    out = tmp_path / "out.jsonl"
    proc = start("batch", core_url, "/echo", "--input", str(rows), "--output", str(out))
    wait_for(lambda: count_lines(out) >= 150, what="150 rows written")
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == Exit.INTERRUPTED, stderr
    assert "stopping: no new rows" in stderr and "--resume" in stderr
    first = records(out)  # every line whole: rows are written only when they end
    assert 150 <= len(first) < 1000
    assert len({r["id"] for r in first}) == len(first)

    again = run("batch", core_url, "/echo", "--input", str(rows), "--output", str(out), "--resume")
    assert again.returncode == Exit.OK, again.stderr
    assert f"{len(first):,} rows were already in the output" in again.stderr
    done = records(out)
    assert done[: len(first)] == first  # appended, the earlier lines untouched
    assert Counter(r["id"] for r in done) == Counter(range(1, 1001))
    assert all(r["ok"] and r["output"] == r["input"]["text"] for r in done)


def test_a_second_ctrl_c_cancels_the_running_rows(core_url: str, tmp_path: Path) -> None:
    rows = write_jsonl(tmp_path / "in.jsonl", [{"seconds": 0}] + [{"seconds": 20}] * 3)
    # One call at a time: rows sent together may reach /slow's one-slot queue in any order,
    # and the quick first row must end before the slow ones start.
    with start(
        "batch", core_url, "/slow", "--input", str(rows), "--output", "-", "--concurrency", "1"
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert json.loads(proc.stdout.readline())["output"] == "slept 0"  # running now
        proc.send_signal(signal.SIGINT)
        assert "stopping" in proc.stderr.readline()
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == Exit.INTERRUPTED
        assert time.monotonic() - started < 10  # not the 20 s the rows would take
        assert proc.stdout.read() == ""  # cancelled rows are not in the output: --resume runs them


def test_bad_rows_are_reported_by_line_and_never_stop_the_batch(
    core_url: str, tmp_path: Path
) -> None:
    rows = tmp_path / "in.jsonl"
    rows.write_bytes(
        b'{"num1": 1, "num2": 2}\n'  # 1
        b"{oops\n"  # 2
        b"\n"  # 3: blank
        b'{"num1": "\xff"}\n'  # 4: not UTF-8
        b'{"num1": 2, "operation": "multiply", "num2": 3}\n'  # 5
        b"42\n"  # 6
        b'{"num1": 1, "operation": "divide", "num2": 0}\n'  # 7: the app's own error
        b'{"num3": 1}\n'  # 8: no such parameter
        b'[4, "subtract", 1]\n'  # 9
    )
    out = tmp_path / "out.jsonl"
    result = run("batch", core_url, "/predict", "--input", str(rows), "--output", str(out))
    assert result.returncode == Exit.FAILED
    by_line = {r["line"]: r for r in records(out)}
    assert sorted(by_line) == [1, 2, 4, 5, 6, 7, 8, 9]
    assert [by_line[n]["output"] for n in (1, 5, 9)] == [3, 6, 3]
    for line in (2, 4, 6):
        error = by_line[line]["error"]
        assert error["type"] == "MalformedRowError" and error["message"].startswith(f"line {line}:")
        assert f"in.jsonl, line {line}:" in result.stderr
        assert by_line[line]["attempts"] == 0
    assert by_line[2]["input"] == "{oops"
    assert by_line[7]["error"] == {"type": "AppError", "message": "Cannot divide by zero!"}
    assert by_line[8]["error"]["type"] == "TypeError"
    assert "6 ok" not in result.stderr and "3 ok, 5 failed" in result.stderr


def test_csv_rows_and_a_header_that_does_not_fit(core_url: str, tmp_path: Path) -> None:
    good = tmp_path / "in.csv"
    good.write_text("key,num1,operation,num2\nx,1,add,2\ny,oops,add,1\nz,2,,5\n")
    out = tmp_path / "out.jsonl"
    result = run(
        "batch", core_url, "/predict", "--input", str(good), "--output", str(out),
        "--id-column", "key", "--ordered",
    )  # fmt: skip
    assert result.returncode == Exit.FAILED
    lines = records(out)
    assert [(r["id"], r["ok"]) for r in lines] == [("x", True), (None, False), ("z", True)]
    assert lines[0]["output"] == 3 and lines[2]["output"] == 7  # an empty cell: the default, add
    assert "in.csv, line 3: num1: 'oops' is not a number" in result.stderr

    bad = tmp_path / "bad.csv"
    bad.write_text("num1,prompt\n1,2\n")
    refused = run(
        "batch", core_url, "/predict", "--input", str(bad), "--output", str(out), "--force"
    )
    assert refused.returncode == Exit.USAGE
    assert "'prompt' is not a parameter of /predict" in refused.stderr


def test_shards_cover_the_input_exactly_once(core_url: str, tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"t{i}"}) if i % 7 else "not json" for i in range(101)]
    rows = tmp_path / "in.jsonl"
    rows.write_text("\n".join(lines) + "\n")
    parts = []
    for shard in ("0/2", "1/2"):
        out = tmp_path / f"part{shard[0]}.jsonl"
        result = run(
            "batch", core_url, "/echo", "--input", str(rows), "--output", str(out),
            "--shard", shard,
        )  # fmt: skip
        assert result.returncode == Exit.FAILED  # the "not json" rows
        parts.append({r["line"] for r in records(out)})
    assert parts[0].isdisjoint(parts[1])
    assert parts[0] | parts[1] == set(range(1, 102))
    assert abs(len(parts[0]) - len(parts[1])) <= 1


def test_output_files_go_to_a_folder_per_row(core_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("a.txt", "b.txt"):
        (data / name).write_text(f"content of {name}")
    rows = write_jsonl(data / "rows.jsonl", [{"value": "a.txt"}, {"value": "b.txt"}])
    out = tmp_path / "out.jsonl"
    result = run(
        "batch", core_url, "/file", "--input", str(rows), "--output", str(out), cwd=tmp_path
    )
    assert result.returncode == Exit.OK, result.stderr
    for record in records(out):
        path = Path(record["output"])
        assert path.is_relative_to(tmp_path / "out.files" / f"line-{record['line']}")
        assert path.read_text() == f"content of {record['input']['value']}"


def test_stdin_to_stdout_in_input_order(core_url: str) -> None:
    rows = "".join(json.dumps(r) + "\n" for r in texts(200))
    result = run(
        "batch", core_url, "/echo", "--input", "-", "--output", "-", "--ordered", stdin=rows
    )
    assert result.returncode == Exit.OK, result.stderr
    assert [json.loads(line)["output"] for line in result.stdout.splitlines()] == [
        f"row-{i}" for i in range(200)
    ]


def test_retries_and_timeouts_are_the_commands_options(
    core_url: str, cli_app: GradioServer, tmp_path: Path
) -> None:
    busy = run(
        "batch", cli_app.url + "busy/", "/echo", "--input", "-", "--output", "-", "--retries", "0",
        stdin='{"text": "x"}\n',
    )  # fmt: skip
    assert busy.returncode == Exit.FAILED
    assert json.loads(busy.stdout)["error"]["type"] == "TooManyRequestsError"
    slow = run(
        "batch", core_url, "/slow", "--input", "-", "--output", "-", "--timeout", "0.3",
        stdin='{"seconds": 5}\n',
    )  # fmt: skip
    assert json.loads(slow.stdout)["error"]["type"] == "JobTimeoutError"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--shard", "2/2"], "--shard takes I/N"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--retries", "-1"], "--retries"),
        (["--timeout", "0"], "--timeout"),
        ([], "already exists: --resume continues it, --force overwrites it"),
    ],
)
def test_bad_options_are_refused_before_anything_runs(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": 1}\n')
    rows = write_jsonl(tmp_path / "in.jsonl", texts(1))
    # No server at this address: the options are refused before any connection.
    result = run(
        "batch", "http://127.0.0.1:9/", "/echo", "--input", str(rows), "--output", str(out), *extra
    )
    assert result.returncode == Exit.USAGE
    assert message in result.stderr
    assert out.read_text() == '{"id": 1}\n'


def test_a_missing_input_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run(
        "batch", "http://127.0.0.1:9/", "/echo", "--input", str(tmp_path / "nope.jsonl"),
        "--output", str(tmp_path / "out.jsonl"),
    )  # fmt: skip
    assert result.returncode == Exit.USAGE and "no input file" in result.stderr


def test_progress_bar_on_a_terminal_and_a_summary(core_url: str, tmp_path: Path) -> None:
    rows = write_jsonl(tmp_path / "in.jsonl", [*texts(300), "oops"])
    out = tmp_path / "out.jsonl"
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        command("batch", core_url, "/echo", "--input", str(rows), "--output", str(out)),
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "160"},
    )
    os.close(follower)
    seen = read_terminal(leader)
    assert proc.wait(60) == Exit.FAILED
    text = seen.decode(errors="replace")
    assert "rows/s" in text and "/301 rows" in text and "█" in text  # a bar with the row count
    assert "in.jsonl, line 301: a row is a JSON object" in text  # printed above the bar
    assert "301 rows in" in text and "300 ok, 1 failed" in text  # the summary
    assert count_lines(out) == 301
