"""SVG snapshots of each kind of result, and of the history view, at 120×40.

Against ``tests/apps/results_app.py``, whose pixels, tables and files are the
same on every run; hosts, ports, timings and temp folders are hidden
(``Settings.redact``). The result's first output has the focus, so the
footer shows its keys. Update with ``--snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from gradio_tui.history import HistoryFile, JobEntry, StoredError, StoredInput, StoredOutput
from gradio_tui.store import Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.results.image import HalfBlockImage
from gradio_tui.tui.results.panel import OutputBlock
from gradio_tui.tui.screens.history import HistoryScreen
from tests.support.servers import GradioServer

from .conftest import text_of, until_main, wait_for
from .test_history import new_app
from .test_results import SIZE, blocks, run

KINDS = {
    "image": ("/image", {}),
    "gallery": ("/gallery", {}),
    "table": ("/table", {"rows": "30"}),
    "json": ("/json", {}),
    "chat": ("/chat", {}),
    "line_plot": ("/line", {}),
    "matplotlib_plot": ("/matplotlib", {}),
    "plot_fallback": ("/bokeh", {}),
    "audio": ("/audio", {}),
    "file": ("/file", {}),
    "long_text": ("/long_text", {"lines": "200"}),
}


async def settle(pilot: Pilot[None], app: GradioTUI) -> None:
    app.clear_notifications()
    app.quiet_cursors(app.screen)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def result_ready(pilot: Pilot[None], app: GradioTUI) -> None:
    """Every image decoded and every file's facts read: nothing left to change."""
    for block in blocks(app):
        for image in block.query(HalfBlockImage):
            await wait_for(pilot, lambda i=image: i.image is not None, what="an image")  # type: ignore[misc]
        if block.item.path is not None:
            await wait_for(
                pilot,
                lambda b=block: "…" not in text_of(b.query_one(".output--facts")),  # type: ignore[misc]
                what="the facts",
            )


class TestResultSnapshots:
    @pytest.mark.parametrize("kind", list(KINDS))
    def test_result(self, kind: str, snap_compare: Any, results_server: GradioServer) -> None:
        api_name, values = KINDS[kind]
        app = new_app(results_server)

        async def run_before(pilot: Pilot[None]) -> None:
            await until_main(pilot, app)
            await run(pilot, app, api_name, **values)
            await result_ready(pilot, app)
            first = app.screen.query(OutputBlock).first()
            first.focus()
            await pilot.pause()
            # Facts and previews arrive from a thread: where the view stands when they do
            # depends on timing, so the picture is taken from its top.
            app.screen.query_one("#job-view").scroll_home(animate=False)
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def history_jobs(src: str) -> list[JobEntry]:
    def job(n: int, endpoint: str, status: str, **kw: Any) -> JobEntry:
        return JobEntry(
            id=f"snap{n}",
            src=src,
            endpoint=endpoint,
            fn_index=None,
            status=status,
            started=f"2025-03-0{n}T10:0{n}:00",
            duration=0.1 * n,
            **kw,
        )

    return [
        job(
            1,
            "/shout",
            "finished",
            inputs=[StoredInput("text", "textbox", "hi")],
            outputs=[StoredOutput("shouted", "textbox", "HI!")],
        ),
        job(2, "/json", "finished", outputs=[StoredOutput("details", "json", {"a": [1, 2]})]),
        job(
            3,
            "/echo",
            "error",
            inputs=[StoredInput("text", "textbox", "x")],
            error=StoredError("app", "The app reported an error", "count must be positive"),
        ),
        job(
            4,
            "/table",
            "finished",
            inputs=[StoredInput("rows", "number", 2)],
            outputs=[
                StoredOutput(
                    "scores", "dataframe", {"headers": ["id", "name"], "data": [[1, "a"], [2, "b"]]}
                )
            ],
        ),
    ]


class TestHistorySnapshots:
    def test_history_view(self, snap_compare: Any, results_server: GradioServer) -> None:
        HistoryFile.for_app(Store().paths, results_server.url).append(
            *history_jobs(results_server.url)
        )
        app = new_app(results_server)

        async def run_before(pilot: Pilot[None]) -> None:
            await until_main(pilot, app)
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
