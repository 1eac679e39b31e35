"""Start and stop the bundled demo app in a child process.

The child runs ``python -m gradio_tui.demo.app`` in its own process group on
a free 127.0.0.1 port; :meth:`DemoServer.stop` ends exactly that group by its
PID. Gradio is imported only in the child, so the TUI's start-up stays light.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
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

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
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


def start_demo(timeout: float = 90.0, port: int | None = None) -> DemoServer:
    """Run the demo app and wait until it serves its config."""
    if importlib.util.find_spec("gradio") is None:
        raise DemoUnavailableError(
            "The demo needs Gradio: install it with  pip install 'gradio-tui[demo]'"
        )
    command = [sys.executable, "-m", "gradio_tui.demo.app", "--exit-with-parent"]
    return start_app(command, timeout=timeout, port=port)


def start_app(command: list[str], *, timeout: float = 90.0, port: int | None = None) -> DemoServer:
    """Run ``command --port N`` (a Gradio app) and wait until it serves its config."""
    port = port or free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="gradio-tui-demo-"))
    log_path = log_dir / "demo.log"
    env = {
        **os.environ,
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
            start_new_session=True,
        )
    server = DemoServer(f"http://127.0.0.1:{port}/", proc, log_path)
    deadline = started + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DemoUnavailableError(f"The demo app exited early:\n{server.log()}")
        if _config_served(server.url):
            server.started_in = time.monotonic() - started
            return server
        time.sleep(0.1)
    server.stop()
    raise DemoUnavailableError(f"The demo app did not start in {timeout:.0f} s:\n{server.log()}")
