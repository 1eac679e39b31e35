"""``gradio-tui spaces``: its arguments, refused before Textual starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gradio_tui", "spaces", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )


def test_help_names_the_keys_and_loads_no_textual() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "gradio-tui spaces" in result.stdout and "--search" in result.stdout
    assert "r restart" in result.stdout
    code = (
        "import sys; from gradio_tui.cli import main\n"
        "try:\n    main(['spaces', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad owner!"], "is not a user or organization name"),
        (["gradio", "--search", "x"], "either OWNER or --search"),
        (["--sdk", "gradio"], "--sdk goes with --search"),
        (["--search", "  "], "--search needs something"),
        (["--hf-token", ""], "--hf-token is empty"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_refused(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
