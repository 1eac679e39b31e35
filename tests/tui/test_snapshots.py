"""SVG snapshots of the main screens, against the live demo app (which this suite owns).

Host, port, Gradio version and timings are hidden (``Settings.redact``), and
cursors do not blink, so the pictures depend on nothing but the code.
Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and
review the SVG diffs before committing them.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from gradio_tui.store import Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.widgets.jobs import JobList
from tests.client.test_garbage import CONFIG, INFO, completed
from tests.support.fake_gradio import FakeGradio, Script, sse

from .conftest import SIZE, field, main_screen, make_app, open_endpoint, until_main, wait_for


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


SIZES = [(80, 24), (120, 40), (200, 50)]
SIZE_IDS = ["80x24", "120x40", "200x50"]


def running_jobs_app() -> FakeGradio:
    """An app whose jobs stand still: one done, one at 30 % progress, one in the queue."""
    counter = iter(range(1000))

    def on_join(body: dict[str, Any]) -> Script:
        text = body["data"][0]
        eid = f"job{next(counter)}"
        starts = {"msg": "process_starts", "event_id": eid}
        if text == "busy":
            progress = {
                "msg": "progress",
                "event_id": eid,
                "progress_data": [
                    {"index": 3, "length": 10, "unit": "steps", "desc": "working", "progress": None}
                ],
            }
            return Script(eid, sse(starts, progress))
        if text == "queued":
            waiting = {"msg": "estimation", "event_id": eid, "rank": 1, "queue_size": 3}
            waiting["rank_eta"] = 12.0
            return Script(eid, sse(waiting))
        return Script(eid, sse(starts, completed(eid, text.upper())))

    return FakeGradio(CONFIG, INFO, on_join, hold_streams=True)


class TestSizes:
    """The main screen, a running job and a finished job at 80×24, 120×40 and 200×50."""

    @pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
    def test_main_screen(self, snap_compare: Any, demo_url: str, size: tuple[int, int]) -> None:
        app = make_app(demo_url)

        async def run_before(pilot: Pilot[None]) -> None:
            await until_main(pilot, app)
            await open_endpoint(pilot, app, "/greet")
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
    def test_running_jobs(self, snap_compare: Any, size: tuple[int, int]) -> None:
        with running_jobs_app() as fake:
            app = make_app(fake.url)

            async def run_before(pilot: Pilot[None]) -> None:
                await until_main(pilot, app)
                form = await open_endpoint(pilot, app, "/echo")
                text = field(form, "text").query_one(Input)
                table = main_screen(app).query_one(JobList)
                for word in ("hello", "busy", "queued"):
                    text.value = word
                    await pilot.press("ctrl+r")
                    await wait_for(
                        pilot,
                        lambda w=word: any(r.inputs == [w] for r in table.records.values()),
                        what=f"job {word}",
                    )
                done, busy, queued = list(table.records.values())
                await wait_for(pilot, lambda: done.reported, what="the first job to end")
                await wait_for(pilot, lambda: busy.progress is not None, what="progress")
                await wait_for(pilot, lambda: queued.rank is not None, what="the queue place")
                table.select_record(busy)
                text.value = ""
                table.focus()
                await settle(pilot, app)

            assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
    def test_finished_job(self, snap_compare: Any, demo_url: str, size: tuple[int, int]) -> None:
        app = make_app(demo_url)

        async def run_before(pilot: Pilot[None]) -> None:
            await until_main(pilot, app)
            form = await open_endpoint(pilot, app, "/greet")
            field(form, "name").query_one(Input).value = "terminal"
            await pilot.press("ctrl+r")
            table = main_screen(app).query_one(JobList)
            await wait_for(
                pilot,
                lambda: table.records and all(r.reported for r in table.records.values()),
                what="the job to finish",
            )
            table.focus()
            await settle(pilot, app)

        assert snap_compare(app, terminal_size=size, run_before=run_before)
