"""``start_app``'s ``while_starting`` hook (``gradio-tui --demo`` imports the app there)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from gradio_tui.demo.server import start_app

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def children() -> set[int]:
    me = os.getpid()
    return {int(p) for p in Path(f"/proc/{me}/task/{me}/children").read_text().split()}


def test_a_failing_hook_stops_the_app_it_was_waiting_for() -> None:
    before = children()
    seen: list[int] = []

    def hook() -> None:
        seen.extend(children() - before)  # the app is already launched when the hook runs
        raise RuntimeError("import failed")

    # A stand-in app that would never answer: only the hook can end the wait.
    command = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(RuntimeError, match="import failed"):
        start_app(command, timeout=60, while_starting=hook)
    assert len(seen) == 1
    assert not Path(f"/proc/{seen[0]}").exists()  # stopped and reaped
