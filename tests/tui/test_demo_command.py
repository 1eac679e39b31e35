"""README's run command, end to end: ``gradio-tui --demo`` in a real terminal.

The app runs in a pseudo-terminal as a person would start it; the test waits
for the main screen on the bundled demo, quits with ctrl+q and checks that
the demo server it started is gone too.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


# Every app this module starts carries this mark in its environment, and so does the
# demo server it starts: other demos on the machine (another test run, a person) are
# neither counted nor killed.
MARK = f"GRADIO_TUI_DEMO_TEST={uuid.uuid4().hex}"


def demo_pids() -> set[int]:
    """Processes running the bundled demo app, started by this module's tests."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"gradio_tui.demo.app" not in (entry / "cmdline").read_bytes():
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if MARK.encode() in environ:
            pids.add(int(entry.name))
    return pids


def read_until(
    fd: int, wanted: bytes, timeout: float, stop: Callable[[], bool] = lambda: False
) -> bytes:
    """Terminal output (escape codes removed) until ``wanted`` shows, ``stop()``
    or time is up."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop():
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the app closed the terminal
            break
        seen += chunk
        if wanted in ANSI.sub(b"", seen).replace(b" ", b""):
            break
    return ANSI.sub(b"", seen)


def wait_until_gone(before: set[int], timeout: float = 10.0) -> set[int]:
    """Demo servers started since ``before`` that are still there after ``timeout``."""
    deadline = time.monotonic() + timeout
    while demo_pids() - before and time.monotonic() < deadline:
        time.sleep(0.1)
    left = demo_pids() - before
    for pid in left:  # never leave one behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    return left


@contextmanager
def demo_in_a_terminal(
    command: list[str] | None = None, *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``gradio-tui --demo`` on a 120×36 pseudo-terminal, shown its main screen."""
    executable = shutil.which("gradio-tui", path=str(Path(sys.executable).parent))
    assert executable, "the gradio-tui entry point is not installed"
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    proc = subprocess.Popen(
        command or [executable, "--demo"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env={
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": "120",
            "LINES": "36",
            MARK.split("=")[0]: MARK.split("=")[1],
            **(env or {}),
        },
        cwd=cwd,
        start_new_session=True,
    )
    os.close(secondary)
    try:
        # The main screen: the header, then the demo's endpoints in the sidebar.
        screen = read_until(primary, b"/export_csv", timeout=90)
        flat = screen.replace(b" ", b"")
        assert b"14endpoints" in flat, screen[-2000:]
        assert b"/predict" in flat and b"/export_csv" in flat
        yield proc, primary
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@linux_only
def test_gradio_tui_demo_starts_shows_the_app_and_quits_cleanly() -> None:
    before = demo_pids()
    with demo_in_a_terminal() as (proc, terminal):
        os.write(terminal, b"\x11")  # ctrl+q
        # Keep reading: an app whose terminal is not drained blocks on its writes.
        read_until(terminal, b"\x00never", timeout=30, stop=lambda: proc.poll() is not None)
        assert proc.wait(timeout=5) == 0
    assert not wait_until_gone(before), "the demo server outlived the app"


@linux_only
def test_the_demo_server_does_not_outlive_a_killed_app() -> None:
    """SIGKILL gives the app no chance to stop its demo: the demo notices alone."""
    before = demo_pids()
    with demo_in_a_terminal() as (proc, _):
        assert demo_pids() - before
        proc.kill()
        proc.wait()
    assert not wait_until_gone(before), "the demo server outlived a killed app"


@linux_only
def test_python_m_from_any_folder_and_nothing_left_behind(tmp_path: Path) -> None:
    """``python -m gradio_tui --demo`` from a folder holding a ``gradio/`` directory (as
    the temp dir does, where Gradio writes) works, and leaves the temp dir as it was."""
    here = tmp_path / "work"
    (here / "gradio").mkdir(parents=True)
    (here / "gradio" / "__init__.py").write_text("raise ImportError('the wrong gradio')\n")
    temp = tmp_path / "tmp"
    temp.mkdir()
    before = demo_pids()
    with demo_in_a_terminal(
        [sys.executable, "-m", "gradio_tui", "--demo"], cwd=here, env={"TMPDIR": str(temp)}
    ) as (proc, terminal):
        assert list(temp.iterdir()), "the demo should use the temp dir while it runs"
        os.write(terminal, b"\x11")  # ctrl+q
        read_until(terminal, b"\x00never", timeout=30, stop=lambda: proc.poll() is not None)
        assert proc.wait(timeout=5) == 0
    assert not wait_until_gone(before), "the demo server outlived the app"
    assert list(temp.iterdir()) == [], "the demo left files in the temp dir"
