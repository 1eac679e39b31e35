"""Start and stop the bundled demo app in a child process.

The child runs ``python -m gradio_tui.demo.app`` on a free 127.0.0.1 port
through the one launcher (:mod:`gradio_tui.serving`), which stops exactly its
process group. Gradio is imported only in the child, so the TUI's start-up
stays light.

Everything the demo writes (its log, Gradio's temp files, the results the
terminal app downloads from it) goes into the launcher's temporary folder,
removed when the demo stops, so a ``--demo`` run leaves nothing behind. The
child runs in that folder too: ``python -m`` puts the working directory first
on ``sys.path``, and a ``gradio/`` folder there (say, in the temp dir where
Gradio writes) would shadow the real package.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..serving import AppServer, ServerStartError, launch


class DemoUnavailableError(ServerStartError):
    """The demo cannot run here (gradio missing, or the app did not come up)."""


def start_demo(
    timeout: float = 90.0,
    port: int | None = None,
    while_starting: Callable[[], object] | None = None,
) -> AppServer:
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
) -> AppServer:
    """Run ``command --port N`` (a Gradio app) and wait until it serves its config.

    Without a fixed ``port``, a free one is taken, and another if some other
    process took it first (:func:`~gradio_tui.serving.launch`).
    """
    package_parent = str(Path(__file__).resolve().parent.parent.parent)
    python_path = os.environ.get("PYTHONPATH")
    env = {
        # Our package stays importable from the demo's own (empty) working folder.
        "PYTHONPATH": package_parent + (os.pathsep + python_path if python_path else ""),
    }
    try:
        return launch(
            "demo",
            lambda chosen: [*command, "--port", str(chosen)],
            port=port,
            env=env,
            timeout=timeout,
            while_starting=while_starting,
        )
    except ServerStartError as exc:  # a taken port too, when it was fixed or taken thrice
        raise DemoUnavailableError(str(exc)) from None
