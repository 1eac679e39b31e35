"""The command line: light to start, helpful when misused, ``locate`` prints paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gradio_tui.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gradio_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )


def test_locate_prints_the_isolated_paths(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["locate", "--json"]) == 0
    paths = json.loads(capsys.readouterr().out)
    assert paths["history"].startswith(os.environ["XDG_DATA_HOME"])
    assert paths["settings"].startswith(os.environ["XDG_CONFIG_HOME"])


def test_locate_and_help_do_not_import_textual() -> None:
    code = (
        "import sys; from gradio_tui.cli import main; main(['locate']);"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "False"
    result = run("--help")
    assert result.returncode == 0
    assert "--demo" in result.stdout and "locate" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--auth", "nocolon"], "USER:PASSWORD"),
        (["--auth", ":pw"], "USER:PASSWORD"),
        (["--demo", "owner/space"], "either SRC or --demo"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_refused(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_output_dir_must_not_be_a_file(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "f")
    with open(path, "w") as fh:
        fh.write("x")
    result = run("--output-dir", path, "owner/space")
    assert result.returncode == 2
    assert "not a directory" in result.stderr


def test_history_prints_past_jobs_without_textual() -> None:
    from gradio_tui.history import HistoryFile, JobEntry, StoredOutput
    from gradio_tui.store import Store

    HistoryFile.for_app(Store().paths, "owner/space").append(
        JobEntry(
            id="a1",
            src="owner/space",
            endpoint="/predict",
            fn_index=0,
            status="finished",
            started="2025-01-02T03:04:05",
            duration=1.25,
            outputs=[StoredOutput("sum", "number", 7)],
        )
    )
    code = (
        "import sys; from gradio_tui.cli import main; code = main(['history', 'owner/space']);"
        "print('textual' in sys.modules, code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "2025-01-02 03:04:05  /predict  finished     1.2s  → 7"
    assert out[-1] == "False 0"
    result = run("history", "--help")
    assert result.returncode == 0 and "--status" in result.stdout


def test_every_command_is_listed_and_its_help_loads_nothing_heavy() -> None:
    from gradio_tui.cli import COMMANDS

    result = run("--help")
    for name, command in COMMANDS.items():
        assert f"  {name:<10} {command.summary}" in result.stdout
    code = (
        "import sys; from gradio_tui.cli import main\n"
        "for name in ('info', 'call', 'batch', 'locate'):\n"
        "    try:\n"
        "        main([name, '--help'])\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, name\n"
        "heavy = ('asyncio', 'httpx', 'textual', 'rich', 'huggingface_hub', 'gradio_tui.tui')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert "exit status:" in out and "130" in out  # each command's help has the table
