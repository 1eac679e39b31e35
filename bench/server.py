"""Start and stop the benchmark's Gradio app (127.0.0.1, a free port, stopped by PID)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

APP = Path(__file__).resolve().parent / "apps" / "bench_app.py"

# Applied to the server and to every client process: nothing may try the
# internet (telemetry, Hub look-ups), or it would be timed as the client's cost.
QUIET_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
    "PYTHONUNBUFFERED": "1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BenchServer:
    """A running benchmark app; ``stop()`` kills its process group by PID."""

    url: str
    proc: subprocess.Popen[bytes]
    temp_dir: Path

    def log(self) -> str:
        try:
            return (self.temp_dir / "server.log").read_text(errors="replace")[-4000:]
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


def start_server(temp_root: Path, timeout: float = 120.0, app: Path = APP) -> BenchServer:
    """Launch ``app`` (default ``apps/bench_app.py``) and wait until it serves its config."""
    port = free_port()
    temp_dir = Path(tempfile.mkdtemp(prefix="server-", dir=temp_root))
    env = {**os.environ, **QUIET_ENV, "GRADIO_TEMP_DIR": str(temp_dir / "gradio")}
    env.pop("HF_ENDPOINT", None)
    with open(temp_dir / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(app), str(port)],
            cwd=app.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = BenchServer(f"http://127.0.0.1:{port}/", proc, temp_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"The benchmark app exited early:\n{server.log()}")
        try:
            if httpx.get(server.url + "config", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"The benchmark app did not start in {timeout} s:\n{server.log()}")
