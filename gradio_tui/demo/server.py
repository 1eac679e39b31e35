"""Start and stop the bundled demo app in a child process.

The child runs ``python -m gradio_tui.demo.app`` in its own process group on
a free 127.0.0.1 port; :meth:`DemoServer.stop` ends exactly that group by its
PID. Gradio is imported only in the child, so the TUI's start-up stays light.

Everything the demo writes (its log, Gradio's temp files, the results the
terminal app downloads from it) goes into one temporary folder, removed when
the demo stops, so a ``--demo`` run leaves nothing behind. The child runs in
that folder too: ``python -m`` puts the working directory first on
``sys.path``, and a ``gradio/`` folder there (say, in the temp dir where Gradio
writes) would shadow the real package.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class DemoUnavailableError(RuntimeError):
    """The demo cannot run here (gradio missing, or the app did not come up)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class DemoServer:
    """A running demo app: its URL, its process and its log file."""

    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    started_in: float = 0.0

    @property
    def work_dir(self) -> Path:
        """The demo's own temporary folder (log, Gradio's files, downloads)."""
        return self.log_path.parent

    @property
    def downloads(self) -> Path:
        """Where the terminal app puts the demo's result files (gone with the demo)."""
        return self.work_dir / "downloads"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        try:
            self._stop_process()
        finally:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _stop_process(self) -> None:
        if self.proc.poll() is not None:
            return
        # The child leads its own process group (start_new_session), so this
        # reaches Gradio's helper processes too and nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def _config_served(url: str) -> bool:
    # urllib, not httpx: this runs before anything else is imported and must stay cheap.
    try:
        with urllib.request.urlopen(url + "config", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_demo(
    timeout: float = 90.0,
    port: int | None = None,
    while_starting: Callable[[], object] | None = None,
) -> DemoServer:
    """Run the demo app and wait until it serves its config.

    ``while_starting`` runs once the app's process is launched, before the
    wait: Gradio takes seconds to start, time enough to import the terminal app.
    """
    if importlib.util.find_spec("gradio") is None:
        raise DemoUnavailableError(
            "The demo needs Gradio: install it with  pip install 'gradio-tui[demo]'"
        )
    command = [sys.executable, "-m", "gradio_tui.demo.app", "--exit-with-parent"]
    return start_app(command, timeout=timeout, port=port, while_starting=while_starting)


def start_app(
    command: list[str],
    *,
    timeout: float = 90.0,
    port: int | None = None,
    while_starting: Callable[[], object] | None = None,
) -> DemoServer:
    """Run ``command --port N`` (a Gradio app) and wait until it serves its config."""
    port = port or free_port()
    work_dir = Path(tempfile.mkdtemp(prefix="gradio-tui-demo-"))
    log_path = work_dir / "demo.log"
    package_parent = str(Path(__file__).resolve().parent.parent.parent)
    python_path = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        # Our package stays importable from the demo's own (empty) working folder.
        "PYTHONPATH": package_parent + (os.pathsep + python_path if python_path else ""),
        "GRADIO_TEMP_DIR": str(work_dir / "gradio"),
        "GRADIO_TUI_DEMO_DIR": str(work_dir),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }
    started = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=work_dir,
            start_new_session=True,
        )
    server = DemoServer(f"http://127.0.0.1:{port}/", proc, log_path)
    if while_starting is not None:
        try:
            while_starting()
        except BaseException:
            server.stop()
            raise
    deadline = started + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = server.log()
            shutil.rmtree(work_dir, ignore_errors=True)
            raise DemoUnavailableError(f"The demo app exited early:\n{said}")
        if _config_served(server.url):
            server.started_in = time.monotonic() - started
            return server
        # A refused connection costs next to nothing: poll often, so the app is
        # used within a few milliseconds of its first answer.
        time.sleep(0.02)
    said = server.log()
    server.stop()
    raise DemoUnavailableError(f"The demo app did not start in {timeout:.0f} s:\n{said}")
