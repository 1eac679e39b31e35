"""SVG snapshots of the main screens, against the live demo app (which this suite owns).

Host, port, Gradio version and timings are hidden (``Settings.redact``), and
cursors do not blink, so the pictures depend on nothing but the code.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and
review the SVG diffs before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from gradio_tui.store import Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.widgets.jobs import JobList

from .conftest import SIZE, main_screen, make_app, open_endpoint, until_main, wait_for


async def settle(pilot: Pilot[None], app: GradioTUI) -> None:
    """Let notifications expire and cursors stop, so nothing moves in the picture."""
    app.clear_notifications()
    app.quiet_cursors(app.screen)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


class TestConnectScreen:
    def test_connect_screen_with_recent_apps(self, snap_compare: Any) -> None:
        store = Store()
        # Known entries, so the picture does not depend on other tests.
        for src in ["http://127.0.0.1:7860/", "gradio/calculator", "abidlabs/whisper"]:
            store.add_recent(src)
        app = make_app()

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestMainScreen:
    def test_main_screen_with_a_finished_job(self, snap_compare: Any, demo_url: str) -> None:
        app = make_app(demo_url)

        async def run_before(pilot: Pilot[None]) -> None:
            await until_main(pilot, app)
            await open_endpoint(pilot, app, "/predict")
            await pilot.press("ctrl+r")
            table = main_screen(app).query_one(JobList)
            await wait_for(
                pilot,
                lambda: table.records and all(r.reported for r in table.records.values()),
                what="the job to finish",
            )
            main_screen(app).query_one(JobList).focus()
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_api_view(self, snap_compare: Any, demo_url: str) -> None:
        app = make_app(demo_url)

        async def run_before(pilot: Pilot[None]) -> None:
            await until_main(pilot, app)
            await open_endpoint(pilot, app, "/predict")
            await pilot.press("f4")
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
