"""TUI test helpers: apps wired to the isolated store, and condition waits.

Every wait polls a condition with short pauses (no fixed sleeps), so tests
take as long as the server needs and no longer.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator

import pytest
from rich.console import Console
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Label, Static

from gradio_tui.history import HistoryFile, JobEntry
from gradio_tui.store import Settings, Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.screens.main import MainScreen
from gradio_tui.tui.session import ConnectRequest
from gradio_tui.tui.widgets.form import EndpointForm, Field
from tests.support.servers import GradioServer, start_gradio

SIZE = (120, 36)


@pytest.fixture(scope="session")
def demo_server() -> Iterator[GradioServer]:
    """The bundled demo app: one endpoint per kind of form field."""
    server = start_gradio("demo_app")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_url(demo_server: GradioServer) -> str:
    return demo_server.url


@pytest.fixture(scope="session")
def results_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GradioServer]:
    """``tests/apps/results_app.py``: one endpoint per kind of result; ``/echo`` logs what
    it received to ``server.extra["log"]`` (one JSON line per call)."""
    log = tmp_path_factory.mktemp("results-app") / "received.jsonl"
    server = start_gradio("results_app", env={"RESULTS_APP_LOG": str(log)})
    server.extra["log"] = str(log)
    yield server
    server.stop()


def received(server: GradioServer) -> list[dict[str, object]]:
    """What ``/echo`` of the results app received, call by call."""
    import json
    from pathlib import Path

    path = Path(server.extra["log"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def make_app(
    src: str | None = None,
    *,
    redact: bool = True,
    **request: object,
) -> GradioTUI:
    """An app on the isolated store (the autouse fixture points XDG dirs at tmp)."""
    store = Store()
    settings = Settings(redact=redact)
    req = ConnectRequest(src, **request) if src else None  # type: ignore[arg-type]
    return GradioTUI(req, store=store, settings=settings)


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], timeout: float = 20.0, what: str = ""
) -> None:
    """Pause until ``condition()`` is true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


def main_screen(app: GradioTUI) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


async def until_main(pilot: Pilot[None], app: GradioTUI) -> MainScreen:
    """Wait for the main screen with its first form mounted."""

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, MainScreen) and screen.form is not None and screen.form.is_mounted

    await wait_for(pilot, ready, what="the main screen")
    await pilot.pause()
    return main_screen(app)


async def open_endpoint(pilot: Pilot[None], app: GradioTUI, api_name: str) -> EndpointForm:
    screen = main_screen(app)
    endpoint = screen.client.endpoint(api_name)
    screen.open_endpoint(endpoint)
    await wait_for(
        pilot,
        lambda: (
            screen.form is not None
            and screen.form.endpoint is endpoint
            and len(screen.form.fields) == len(endpoint.parameters)
        ),
        what=f"the form of {api_name}",
    )
    await pilot.pause()
    assert screen.form is not None
    return screen.form


def text_of(widget: Static | Label) -> str:
    """What a Static shows, as plain text (Rich renderables printed, markup gone)."""
    content = widget.content
    if isinstance(content, str | Content):
        return str(content)
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()


def field(form: EndpointForm, name: str) -> Field:
    for f in form.fields:
        if f.param.name == name:
            return f
    raise KeyError(name)


def result_text(app: GradioTUI) -> str:
    """The job view's words and its result, as text (captions, values, file facts)."""
    view = main_screen(app).query_one("#job-view")
    parts = [text_of(view.query_one("#job-output", Static))]
    parts += [text_of(s) for s in view.query_one("#job-result").query(Static)]
    return "\n".join(parts)


def history_entries(src: str) -> list[JobEntry]:
    """What the history file of ``src`` holds (oldest first)."""
    return HistoryFile.for_app(Store().paths, src).load().entries
