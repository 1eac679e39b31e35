"""Start and stop the benchmark's Gradio app through the one launcher
(:mod:`gradio_tui.serving`): 127.0.0.1, a free port, stopped by PID."""

from __future__ import annotations

import sys
from pathlib import Path

from gradio_tui.serving import QUIET_ENV, AppServer, launch

APP = Path(__file__).resolve().parent / "apps" / "bench_app.py"

BenchServer = AppServer


def start_server(temp_root: Path, timeout: float = 120.0, app: Path = APP) -> BenchServer:
    """Launch ``app`` (default ``apps/bench_app.py``) and wait until it serves its config."""
    return launch(
        "bench",
        lambda port: [sys.executable, str(app), str(port)],
        cwd=app.parent,
        work_root=temp_root,
        timeout=timeout,
    )


__all__ = ["APP", "QUIET_ENV", "BenchServer", "start_server"]
