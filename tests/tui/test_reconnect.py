"""Reconnecting keeps the session's view: jobs, results and what was typed.

Against a real Gradio server that is stopped and started again on the same
port: F7 after the restart, and the automatic reconnect once the server is
back, both keep the main screen with its jobs, their results and every
form's values; a job cut off by the reconnect is marked lost, with why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input

from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.jobs_model import JobRecord
from gradio_tui.tui.widgets.header import AppHeader
from gradio_tui.tui.widgets.jobs import JobList
from gradio_tui.tui.widgets.result import JobView
from tests.support.servers import GradioServer, start_gradio

from .conftest import (
    SIZE,
    field,
    main_screen,
    make_app,
    open_endpoint,
    text_of,
    until_main,
    wait_for,
)


@pytest.fixture
def restartable() -> Iterator[list[GradioServer]]:
    """A core app of its own (this test stops it); every server started is stopped."""
    servers = [start_gradio("core_app")]
    yield servers
    for server in servers:
        server.stop()


def restart(servers: list[GradioServer]) -> GradioServer:
    servers[-1].stop()
    server = start_gradio("core_app", port=servers[-1].port)
    servers.append(server)
    return server


async def run(pilot: Pilot[None], app: GradioTUI) -> JobRecord:
    jobs = main_screen(app).query_one(JobList)
    before = len(jobs.records)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: len(jobs.records) > before, what="the job to start")
    record = jobs.selected()
    assert record is not None
    return record


async def ended(pilot: Pilot[None], record: JobRecord, timeout: float = 30) -> None:
    await wait_for(pilot, lambda: record.done and record.reported, timeout, "the job to end")
    await pilot.pause()


def typed(app: GradioTUI, api_name: str, name: str) -> str:
    screen = main_screen(app)
    form = screen._forms[screen.client.endpoint(api_name).fn_index]
    return field(form, name).query_one(Input).value


async def test_f7_after_a_server_restart_keeps_jobs_results_and_forms(
    restartable: list[GradioServer],
) -> None:
    toasts: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            toasts.append(message.notification.message)

    app = make_app(restartable[0].url)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/echo")
        field(form, "text").query_one(Input).value = "kept"
        first = await run(pilot, app)
        await ended(pilot, first)
        assert first.latest_output() == (True, "kept")
        form = await open_endpoint(pilot, app, "/predict")
        field(form, "num1").query_one(Input).value = "10"
        old_client = app.client

        restart(restartable)
        await pilot.press("f7")
        await wait_for(
            pilot,
            lambda: app.client is not old_client and any("Reconnected" in t for t in toasts),
            timeout=30,
            what="the reconnect",
        )
        assert main_screen(app) is screen, "a reconnect keeps the main screen"
        jobs = screen.query_one(JobList)
        assert list(jobs.records.values()) == [first]
        assert first.latest_output() == (True, "kept")
        assert typed(app, "/echo", "text") == "kept"
        assert typed(app, "/predict", "num1") == "10"
        assert screen.query_one(AppHeader).connection == "connected"

        # The kept form runs on the new connection.
        second = await run(pilot, app)
        await ended(pilot, second)
        assert second.outcome == "finished", second.job.exception()
        assert second.latest_output() == (True, 10 + 4)  # num1=10, add, num2=4


async def test_the_app_reconnects_by_itself_when_the_server_is_back(
    restartable: list[GradioServer],
) -> None:
    app = make_app(restartable[0].url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/echo")
        field(form, "text").query_one(Input).value = "still here"
        done = await run(pilot, app)
        await ended(pilot, done)
        old_client = app.client

        restartable[-1].stop()
        cut = await run(pilot, app)
        await ended(pilot, cut)
        assert cut.status_text() == "lost"
        header = screen.query_one(AppHeader)
        assert header.connection.startswith("connection lost")
        assert "Cannot reach the app" in text_of(screen.query_one(JobView).query_one("#job-output"))

        # In a thread: the app keeps running (and sees the server down) meanwhile.
        await asyncio.to_thread(restart, restartable)
        await wait_for(
            pilot, lambda: app.client is not old_client, timeout=60, what="the automatic reconnect"
        )
        await wait_for(pilot, lambda: header.connection == "connected", what="the header")
        assert main_screen(app) is screen
        assert list(screen.query_one(JobList).records.values()) == [done, cut]
        assert done.latest_output() == (True, "still here")
        assert typed(app, "/echo", "text") == "still here"
        again = await run(pilot, app)
        await ended(pilot, again)
        assert again.latest_output() == (True, "still here")


async def test_f7_marks_a_running_job_lost_and_says_why(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/long_stream")
        field(form, "n").query_one(Input).value = "300"  # 30 s of partial outputs
        record = await run(pilot, app)
        await wait_for(pilot, lambda: record.steps > 0, what="the stream to start")
        old_client = app.client
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.client is not old_client, what="the reconnect")
        await ended(pilot, record)
        assert record.status_text() == "lost"
        assert record.lost and "reconnected" in record.lost
        screen = main_screen(app)
        screen.query_one(JobList).select_record(record)
        await wait_for(
            pilot,
            lambda: (
                "Lost: the connection was replaced"
                in text_of(screen.query_one(JobView).query_one("#job-output"))
            ),
            what="the job view to say why",
        )


async def test_f7_to_an_app_that_is_down_keeps_the_view(
    restartable: list[GradioServer],
) -> None:
    toasts: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            toasts.append(message.notification.title + " " + message.notification.message)

    app = make_app(restartable[0].url)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await until_main(pilot, app)
        restartable[-1].stop()
        await pilot.press("f7")
        await wait_for(
            pilot, lambda: any("Cannot reach the app" in t for t in toasts), what="the toast"
        )
        assert main_screen(app) is screen and app.is_running
        assert screen.query_one(AppHeader).connection.startswith("connection lost")


async def test_a_connection_that_never_went_away_is_kept(core_url: str) -> None:
    """One failed request (the app answers at the first try) keeps the connection and
    so the app's session: no new client, the header says connected again."""
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)
        client = app.client
        screen.connection_lost()
        header = screen.query_one(AppHeader)
        assert header.connection.startswith("connection lost")
        await wait_for(pilot, lambda: header.connection == "connected", what="the header")
        assert app.client is client
