"""``gradio-tui info`` and ``gradio-tui call`` as processes, against real Gradio servers."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gradio_tui import Client
from gradio_tui.commands.exits import Exit
from tests.cli.support import command, read_terminal, run, start
from tests.support.servers import GradioServer, free_port


def test_info_prints_the_view_api_text_or_json(core_url: str) -> None:
    with Client(core_url, verbose=False) as client:
        text = client.view_api(print_info=False, return_format="str")
        api = client.view_api(print_info=False, return_format="dict")
        everything = client.view_api(print_info=False, return_format="dict", undocumented=True)
    result = run("info", core_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{text}\n"
    assert result.stderr == ""
    assert json.loads(run("info", core_url, "--json").stdout) == api
    assert json.loads(run("info", core_url, "--json", "--all").stdout) == everything
    assert "/hidden" in run("info", core_url, "--all").stdout


def test_call_text_numbers_and_several_outputs(core_url: str) -> None:
    echo = run("call", core_url, "/echo", "hello  world")
    assert (echo.returncode, echo.stdout, echo.stderr) == (0, "hello  world\n", "")
    assert run("call", core_url, "echo", "text=a=b").stdout == "a=b\n"  # no leading slash needed
    numbers = run("call", core_url, "/predict", "num1=3", "operation=multiply", "num2=4", "--json")
    assert numbers.stdout.splitlines()[-1] == "12"
    by_json = run("call", core_url, "/predict", '{"num1": 1.5, "operation": "add"}', "--json")
    assert json.loads(by_json.stdout.splitlines()[-1]) == 5.5  # num2 took its default, 4
    in_order = run("call", core_url, "/predict", '[10, "subtract", 4]', "--json")
    assert json.loads(in_order.stdout) == 6
    from_stdin = run("call", core_url, "/predict", "-", "--json", stdin='{"num2": 10}')
    assert json.loads(from_stdin.stdout) == 13
    several = run("call", core_url, "/two_outputs", "hey", "--json")
    assert json.loads(several.stdout.splitlines()[-1]) == ["HEY", 3]
    assert run("call", core_url, "/two_outputs", "hey").stdout == "HEY\n3\n"


def test_call_sends_a_file_and_prints_the_downloaded_one(core_url: str, tmp_path: Path) -> None:
    source = tmp_path / "in put.txt"
    source.write_bytes(b"file body \x00\x01")
    out = tmp_path / "downloads"
    result = run("call", core_url, "/file", f"value={source}", "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_relative_to(out) and path.read_bytes() == source.read_bytes()
    as_json = run("call", core_url, "/file", str(source), "--json", "--output-dir", str(out))
    assert Path(json.loads(as_json.stdout)).read_bytes() == source.read_bytes()


def test_stream_prints_each_generator_output_as_a_json_line_in_order(core_url: str) -> None:
    result = run("call", core_url, "/stream", "text=hi", "steps=4", "--stream")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == ["hi#1", "hi#1 hi#2", "hi#1 hi#2 hi#3", "hi#1 hi#2 hi#3 hi#4"]
    final = run("call", core_url, "/stream", "text=hi", "steps=4", "--json")
    assert final.stdout == '"hi#1 hi#2 hi#3 hi#4"\n'


@pytest.mark.parametrize(
    ("path", "args", "status", "message"),
    [
        ("core", ["/error", "boom"], Exit.FAILED, "the app raised an error: boom"),
        ("core", ["/nope", "x"], Exit.USAGE, "Cannot find a function with `api_name`: /nope"),
        ("core", ["/predict", "num1=abc"], Exit.USAGE, "num1: 'abc' is not a number"),
        ("core", ["/predict", "1", "add", "2", "3"], Exit.USAGE, "takes 3 arguments"),
        ("core", ["/file", "/no/such/file.txt"], Exit.USAGE, "File not found"),
        ("core", ["/predict", "-"], Exit.USAGE, "stdin is not a JSON object or array"),
        ("core", ["/slow", "5", "--timeout", "0.3"], Exit.TIMEOUT, "ran for more than 0.3 s"),
        ("down", ["/echo", "x"], Exit.UNREACHABLE, "Could not connect"),
        ("locked/", ["/echo", "x"], Exit.AUTH, "credentials were not provided"),
        ("notgradio/", ["/echo", "x"], Exit.NOT_AN_APP, "does not look like a Gradio app"),
        ("busy/", ["/echo", "x"], Exit.BUSY, "Too many requests"),
        ("garbage/", ["/echo", "x"], Exit.BAD_ANSWER, "not JSON"),
        ("app/", ["/echo", "x", "--auth", "nocolon"], Exit.USAGE, "USER:PASSWORD"),
    ],
)
def test_the_exit_status_says_which_kind_of_error(
    core_url: str, cli_app: GradioServer, path: str, args: list[str], status: Exit, message: str
) -> None:
    url = {"core": core_url, "down": f"http://127.0.0.1:{free_port()}/"}.get(
        path, cli_app.url + path
    )
    result = run("call", url, *args, stdin="not json")
    assert result.returncode == status, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_a_login_gets_in(cli_app: GradioServer) -> None:
    result = run("call", cli_app.url + "locked/", "/add", "a=2", "b=3", "--auth", "ann:pw")
    assert (result.returncode, result.stdout) == (0, "5\n")


def test_app_text_is_shown_visibly_and_json_stays_the_data(core_url: str) -> None:
    hostile = "hi\x1b]0;pwned\x07\x1b[2J\u202eevil"
    plain = run("call", core_url, "/echo", hostile)
    assert "\x1b" not in plain.stdout and "\u202e" not in plain.stdout
    assert "␛]0;pwned␇" in plain.stdout
    as_json = run("call", core_url, "/echo", hostile, "--json")
    assert "\x1b" not in as_json.stdout and json.loads(as_json.stdout) == hostile
    error = run("call", core_url, "/error", hostile)
    assert "\x1b" not in error.stderr and "␛[2J" in error.stderr


def test_progress_shows_on_a_terminal_and_nothing_when_piped(core_url: str) -> None:
    piped = run("call", core_url, "/progress", "steps=10")
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, "did 10 steps\n", "")
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command("call", core_url, "/progress", "steps=10"),
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120"},
    ) as proc:
        os.close(follower)
        seen = read_terminal(leader)
        assert proc.wait(30) == 0
        assert proc.stdout is not None and proc.stdout.read() == b"did 10 steps\n"
    text = seen.decode(errors="replace")
    assert "working" in text and "%" in text and "/10 steps" in text  # gr.Progress units
    assert "info: starting" in text and "warning: careful" in text  # gr.Info / gr.Warning
    assert text.endswith("\r\x1b[K")  # the status line is cleared at the end


def test_ctrl_c_cancels_the_call(core_url: str) -> None:
    with start("call", core_url, "/long_stream", "n=200", "--stream") as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().strip() == "0"  # the call is running
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == Exit.INTERRUPTED
        assert time.monotonic() - started < 10
        assert "interrupted" in proc.stderr.read()


def test_commands_never_load_the_terminal_app(core_url: str) -> None:
    code = (
        "import sys; from gradio_tui.cli import main;"
        f"main(['info', {core_url!r}]); main(['call', {core_url!r}, '/echo', 'x']);"
        "ui = ('textual', 'rich', 'gradio_tui.tui');"
        "print(sorted(m for m in sys.modules if m.startswith(ui)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
