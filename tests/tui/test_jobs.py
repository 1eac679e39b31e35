"""Jobs against the live core app: results, streams, progress, errors, cancel, history."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static

from gradio_tui.client.status import Status
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.jobs_model import JobRecord
from gradio_tui.tui.messages import JobFinished, JobSubmitted
from gradio_tui.tui.results.panel import OutputBlock
from gradio_tui.tui.results.views import TextResultArea
from gradio_tui.tui.widgets.jobs import JobList
from gradio_tui.tui.widgets.result import JobView
from tests.client.test_garbage import completed, scripted
from tests.support.fake_gradio import Script, sse

from .conftest import (
    SIZE,
    field,
    history_entries,
    main_screen,
    make_app,
    open_endpoint,
    result_text,
    text_of,
    until_main,
    wait_for,
)


def records(app: GradioTUI) -> list[JobRecord]:
    return list(main_screen(app).query_one(JobList).records.values())


async def submit(pilot: Pilot[None], app: GradioTUI) -> JobRecord:
    before = len(records(app))
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: len(records(app)) > before, what="the job to appear")
    return records(app)[-1]


async def finished(pilot: Pilot[None], record: JobRecord, timeout: float = 20) -> None:
    await wait_for(pilot, lambda: record.done and record.reported, timeout, "the job to end")
    await pilot.pause()


def shown(app: GradioTUI, selector: str) -> str:
    return text_of(main_screen(app).query_one(JobView).query_one(selector, Static))


async def test_predict_result_messages_and_history(core_url: str) -> None:
    messages: list[Message] = []
    app = make_app(core_url)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/predict")
        assert [f.parse() for f in form.fields] == [3, "add", 4]
        record = await submit(pilot, app)
        await finished(pilot, record)
        assert record.outcome == "finished"
        assert record.latest_output() == (True, 7)
        assert "7" in result_text(app)
        assert "done" in shown(app, "#job-title")
        # A bubbling message reaches the hook once per node it passes: count it once.
        unique = list({id(m): m for m in messages}.values())
        assert [m.record for m in unique if isinstance(m, JobSubmitted)] == [record]
        assert [m.record for m in unique if isinstance(m, JobFinished)] == [record]
        await wait_for(pilot, lambda: history_entries(core_url), what="the history file")
    (entry,) = history_entries(core_url)
    assert entry.endpoint == "/predict"
    assert entry.status == "finished"
    assert [o.value for o in entry.outputs] == [7]
    assert [(i.name, i.value) for i in entry.inputs] == [
        ("num1", 3),
        ("operation", "add"),
        ("num2", 4),
    ]
    assert entry.src == core_url


async def test_streaming_job_shows_partial_outputs(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/long_stream")
        # 30 steps of 0.1 s: still streaming when the test looks, on a busy machine too.
        field(form, "n").query_one(Input).value = "30"
        record = await submit(pilot, app)
        await wait_for(pilot, lambda: record.steps >= 2, what="partial outputs")
        assert not record.done
        await pilot.pause(0.15)
        assert "partial output" in shown(app, "#job-output")
        assert record.status_text() == "streaming"
        await finished(pilot, record)
        assert record.outcome == "finished"
        assert record.steps == 30
        assert record.job.outputs() == list(range(30))
        assert "partial" not in shown(app, "#job-output")


async def test_progress_bar_and_log_messages(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/progress")
        field(form, "steps").query_one(Input).value = "6"
        record = await submit(pilot, app)
        await finished(pilot, record)
        assert record.progress is not None and record.progress[0].desc == "working"
        assert list(record.logs) == [("starting", "info"), ("careful", "warning")]
        logs = shown(app, "#job-logs")
        assert "info: starting" in logs and "warning: careful" in logs
        assert record.latest_output() == (True, "did 6 steps")
        bar = main_screen(app).query_one("#job-progress")
        assert bar.display


async def test_gr_error_message_is_shown_where_the_user_looks(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/error")
        field(form, "text").query_one(Input).value = "The model is sad"
        record = await submit(pilot, app)
        await finished(pilot, record)
        assert record.outcome == "error"
        assert record.status_text() == "failed"
        # In the job view, with the app's own words...
        assert "The model is sad" in shown(app, "#job-output")
        assert main_screen(app).query_one("#job-output").has_class("-error")
        # ...and as a notification, since the user may be looking at the form.
        assert any("The model is sad" in str(n.message) for n in app._notifications)
        # The app is still fine: run something else.
        await open_endpoint(pilot, app, "/predict")
        ok = await submit(pilot, app)
        await finished(pilot, ok)
        assert ok.outcome == "finished"
        await wait_for(
            pilot, lambda: len(history_entries(core_url)) == 2, what="two history entries"
        )
    error_entry = history_entries(core_url)[0]
    assert error_entry.status == "error"
    assert error_entry.error is not None and error_entry.error.message == "The model is sad"


async def test_cancel_a_queued_job(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/slow")
        # Long enough that, on a busy machine, the second is sent before the first ends.
        field(form, "seconds").query_one(Input).value = "3.5"
        first = await submit(pilot, app)
        second = await submit(pilot, app)
        # /slow runs one at a time, so the second waits in the queue.
        await wait_for(pilot, lambda: second.phase is Status.IN_QUEUE, what="a queued job")
        await pilot.pause(0.1)
        assert second.queue_text()
        table = main_screen(app).query_one(JobList)
        assert table.selected() is second
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: second.done, what="the cancel")
        assert second.outcome == "cancelled"
        await finished(pilot, second)
        assert "cancelled" in shown(app, "#job-title")
        # The other job is not disturbed.
        await finished(pilot, first)
        assert first.outcome == "finished"
        assert first.latest_output() == (True, "slept 3.5")
        # Cancelling an ended job only says so.
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert any("already ended" in str(n.message) for n in app._notifications)


async def test_copy_result_and_snippet(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await open_endpoint(pilot, app, "/two_outputs")
        main_screen(app).form.fields[0].query_one(Input).value = "abc"  # type: ignore[union-attr]
        record = await submit(pilot, app)
        await finished(pilot, record)
        main_screen(app).query_one(JobList).focus()
        await pilot.press("c")
        assert json.loads(app.clipboard) == ["ABC", 3]
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f2", "f4")  # back and forth: the snippet follows the form
        main_screen(app).query_one("#api-view").focus()
        await pilot.press("c")
        assert "text='abc'" in app.clipboard
        assert (
            'api_name="/two_outputs"' in app.clipboard or "api_name='/two_outputs'" in app.clipboard
        )


async def test_a_file_result_is_downloaded_shown_and_offered_to_open(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/export_csv")
        field(form, "rows").query_one(Input).value = "3"
        record = await submit(pilot, app)
        await finished(pilot, record)
        assert record.outcome == "finished", record.job.exception()
        has_output, path = record.latest_output()
        assert has_output and isinstance(path, str)
        assert Path(path).read_text().splitlines() == ["n,square", "0,0", "1,1", "2,4"]
        assert Path(path).name in result_text(app)  # redacted: the name, not the temp dir
        # "o" opens it with the system's opener; without one, it says so (no crash).
        main_screen(app).query_one(JobList).focus()
        await pilot.press("o")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any(path in m for m in messages), messages


async def test_garbage_from_the_server_fails_the_job_not_the_app() -> None:
    # A scripted server: the job sent "bad" gets a stream cut inside its JSON.
    bad = Script(
        "bad1",
        [
            *sse({"msg": "estimation", "event_id": "bad1", "rank": 0}),
            b'data: {"msg": "process_completed", "event_id": "bad1", "output": {\n\n',
        ],
    )
    with scripted({"bad": bad}) as fake:
        app = make_app(fake.url)
        async with app.run_test(size=SIZE) as pilot:
            await until_main(pilot, app)
            form = await open_endpoint(pilot, app, "/echo")
            field(form, "text").query_one(Input).value = "bad"
            broken = await submit(pilot, app)
            await finished(pilot, broken)
            assert broken.outcome == "error"
            assert "Bad answer from the server" in shown(app, "#job-output")
            field(form, "text").query_one(Input).value = "fine"
            ok = await submit(pilot, app)
            await finished(pilot, ok)
            assert ok.latest_output() == (True, "fine")
            assert app.is_running


async def test_a_crash_without_show_error_says_so(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await open_endpoint(pilot, app, "/crash")
        record = await submit(pilot, app)
        await finished(pilot, record)
        assert record.outcome == "error"
        assert "verbose error reporting" in shown(app, "#job-output").replace("\n", " ")


def caption_in_view(view: JobView) -> bool:
    """The result's first line (its caption) is on screen in the job view."""
    blocks = view.query(OutputBlock)
    if not blocks:
        return False
    caption = blocks.first().query_one(".output--caption").region
    return view.region.y <= caption.y < view.region.bottom


async def echo_job(pilot: Pilot[None], app: GradioTUI, text: str) -> JobRecord:
    """``/echo`` of a scripted app run with ``text``, the key of the job's script."""
    await until_main(pilot, app)
    form = await open_endpoint(pilot, app, "/echo")
    field(form, "text").query_one(Input).value = text
    return await submit(pilot, app)


@asynccontextmanager
async def held_job() -> AsyncIterator[tuple[Pilot[None], JobView, JobRecord, threading.Event]]:
    """A running job, its 40 log lines shown and the view followed to their end, at
    80×24; its result comes when the test sets the event."""
    release = threading.Event()
    logs = [
        {"msg": "log", "event_id": "held", "log": f"step {n}", "level": "info"} for n in range(40)
    ]
    chunks = sse({"msg": "process_starts", "event_id": "held"}, *logs)
    script = Script("held", [*chunks, release, *sse(completed("held", "the result"))])
    with scripted({"held": script}) as fake:
        app = make_app(fake.url)
        async with app.run_test(size=(80, 24)) as pilot:
            record = await echo_job(pilot, app, "held")
            view = main_screen(app).query_one(JobView)
            await wait_for(pilot, lambda: "step 39" in shown(app, "#job-logs"), what="the logs")
            await wait_for(
                pilot,
                lambda: view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y,
                what="the view at the logs' end",
            )
            yield pilot, view, record, release


async def test_a_followed_job_shows_its_result_when_done() -> None:
    async with held_job() as (pilot, view, record, release):
        assert view.following
        release.set()
        await finished(pilot, record)
        await wait_for(pilot, lambda: caption_in_view(view), what="the result in view")


async def test_scrolling_away_from_a_running_job_keeps_the_place() -> None:
    async with held_job() as (pilot, view, record, release):
        view.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: view.scroll_y == 0, what="the view at its top")
        assert not view.following
        # Back at the end, it follows again; away once more, it stays away.
        await pilot.press("end")
        await wait_for(pilot, lambda: view.following, what="following again")
        await pilot.press("home")
        await wait_for(pilot, lambda: view.scroll_y == 0, what="the view at its top")
        release.set()
        await finished(pilot, record)
        assert record.latest_output() == (True, "the result")
        await pilot.pause()
        assert view.scroll_y == 0 and not caption_in_view(view)


def lines(n: int) -> str:
    return "".join(f"line {i}\n" for i in range(n))


async def test_a_streamed_text_keeps_to_its_end_until_the_reader_scrolls_up() -> None:
    more, again = threading.Event(), threading.Event()

    def generating(data: object) -> list[bytes | float]:
        return sse({"msg": "process_generating", "event_id": "st1", "output": {"data": [data]}})

    script = Script(
        "st1",
        [
            *sse({"msg": "process_starts", "event_id": "st1"}),
            *generating(lines(60)),
            more,
            *generating([["replace", [], lines(120)]]),  # sse_v3: later steps are diffs
            again,
            *generating([["replace", [], lines(180)]]),
            *sse(completed("st1", lines(180))),
        ],
    )
    with scripted({"stream": script}) as fake:
        app = make_app(fake.url)
        async with app.run_test(size=SIZE) as pilot:
            record = await echo_job(pilot, app, "stream")
            view = main_screen(app).query_one(JobView)
            await wait_for(pilot, lambda: bool(view.query(TextResultArea)), what="the text")
            area = view.query_one(TextResultArea)

            def at_end_of(count: int) -> bool:
                return area.document.line_count == count + 1 and (
                    0 < area.max_scroll_y == area.scroll_y
                )

            # The first text is shown from its start; from the next on, the end is kept.
            await wait_for(pilot, lambda: area.document.line_count == 61, what="60 lines")
            assert area.scroll_y == 0
            more.set()
            await wait_for(pilot, lambda: at_end_of(120), what="the next lines' end")
            # The reader scrolls up: the next lines arrive below, the place is kept.
            area.focus()
            await pilot.press("pageup")
            await wait_for(pilot, lambda: area.scroll_y < area.max_scroll_y, what="scrolled up")
            place = area.scroll_y
            again.set()
            await finished(pilot, record)
            await wait_for(pilot, lambda: area.document.line_count == 181, what="the last lines")
            await pilot.pause()
            assert area.scroll_y == place and not record.job.exception()
            # Back at the end it follows again; a search takes the reader to the match.
            area.scroll_end(animate=False)
            await wait_for(pilot, lambda: area.following, what="following again")
            await pilot.press("slash", *"line 7", "enter")
            await wait_for(pilot, lambda: area.scroll_y <= 7, what="the match in view")
            assert not area.following
