"""Real Gradio servers for tests: started on free ports through the one launcher
(:mod:`gradio_tui.serving`), stopped by PID."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gradio_tui.serving import AppServer, free_port, launch

APPS = Path(__file__).resolve().parent.parent / "apps"
VENVS = Path(os.environ.get("GRADIO_TUI_VENVS", Path.home() / ".cache" / "gradio-tui" / "venvs"))


def generation_python(generation: str) -> str | None:
    """The interpreter of a Gradio generation's venv (``g3``, ``g4``, ``g5``), if built."""
    if generation == "g6":
        return sys.executable
    python = VENVS / generation / "bin" / "python"
    marker = VENVS / generation / ".gradio-tui-ready"
    return str(python) if python.exists() and marker.exists() else None


GradioServer = AppServer
QUEUE_POLL_S = "0.05"


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
    """Start ``tests/apps/<module>.py`` and wait until it serves its config (or asks
    for a login).

    ``port``: a fixed port (to restart a server where it was); default a free one.
    Its queue is polled every 50 ms at most (see ``serve.py``) unless ``env`` says
    otherwise.
    """
    interpreter = python or sys.executable
    return launch(
        module,
        lambda chosen: [interpreter, str(APPS / "serve.py"), module, str(chosen), auth or ""],
        port=port,
        env={"GRADIO_TUI_QUEUE_POLL": QUEUE_POLL_S, **(env or {})},
        cwd=APPS,
        timeout=timeout,
        ready_path=ready_path,
        accept=(200, 401),
    )


__all__ = ["APPS", "GradioServer", "free_port", "generation_python", "start_gradio"]
