"""Real Gradio servers for tests and benchmarks: started on free ports, stopped by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

APPS = Path(__file__).resolve().parent.parent / "apps"
VENVS = Path(os.environ.get("GRADIO_TUI_VENVS", Path.home() / ".cache" / "gradio-tui" / "venvs"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def generation_python(generation: str) -> str | None:
    """The interpreter of a Gradio generation's venv (``g3``, ``g4``, ``g5``), if built."""
    if generation == "g6":
        return sys.executable
    python = VENVS / generation / "bin" / "python"
    marker = VENVS / generation / ".gradio-tui-ready"
    return str(python) if python.exists() and marker.exists() else None


@dataclass
class GradioServer:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path
    temp_dir: Path
    extra: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def start_gradio(
    module: str,
    *,
    python: str | None = None,
    auth: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120.0,
    ready_path: str = "config",
    port: int | None = None,
) -> GradioServer:
    """Start ``tests/apps/<module>.py`` and wait until it serves its config.

    ``port``: listen there (a restart of a server that was stopped) instead of a free port.
    """
    port = port or free_port()
    temp_dir = Path(tempfile.mkdtemp(prefix="gradio-tui-server-"))
    log_path = temp_dir / "server.log"
    full_env = {
        **os.environ,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_OFFLINE": "1",
        "GRADIO_TEMP_DIR": str(temp_dir / "gradio"),
        "PYTHONUNBUFFERED": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        **(env or {}),
    }
    full_env.pop("HF_ENDPOINT", None)
    args = [python or sys.executable, str(APPS / "serve.py"), module, str(port), auth or ""]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            args,
            cwd=APPS,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = GradioServer(f"http://127.0.0.1:{port}/", port, proc, log_path, temp_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Gradio app {module} exited early:\n{server.log()}")
        try:
            r = httpx.get(server.url + ready_path, timeout=2)
            if r.status_code in (200, 401):
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"Gradio app {module} did not start in {timeout} s:\n{server.log()}")
