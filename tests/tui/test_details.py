"""Small things people notice: focus after choosing an endpoint, one clock for a job's
time, file hints, F10 on a local app, and F1 saying how to close it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from textual.widgets import Footer, Input, Markdown

from gradio_tui.client.discord import reachability_warning
from gradio_tui.tui.screens.help import HelpScreen
from gradio_tui.tui.widgets.form.fields import FileField, format_size
from gradio_tui.tui.widgets.jobs import JobList
from gradio_tui.tui.widgets.result import JobView
from gradio_tui.tui.widgets.sidebar import EndpointTree

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


async def test_choosing_a_new_endpoint_in_the_sidebar_focuses_its_first_field(
    demo_url: str,
) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)
        tree = screen.query_one(EndpointTree)
        tree.focus()
        await pilot.pause()
        # /greet has never been opened: enter on it, then type straight away.
        node = next(n for n in tree._endpoint_nodes.values() if n.data and n.data.name == "/greet")
        tree.move_cursor(node)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="the first field")
        await pilot.press(*"Ada")
        assert screen.form is not None
        assert field(screen.form, "name").query_one(Input).value.endswith("Ada")


async def test_the_jobs_table_and_the_job_view_show_the_same_time(core_url: str) -> None:
    app = make_app(core_url, redact=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/long_stream")
        field(form, "n").query_one(Input).value = "30"
        jobs = screen.query_one(JobList)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: jobs.records, what="the job")
        record = next(iter(jobs.records.values()))
        # A tick can come before a tenth of a second has passed: wait for one after it.
        await wait_for(
            pilot,
            lambda: (
                record.clock is not None
                and record.elapsed_text() != "0.0s"
                and record.elapsed_text() in jobs.line_text(record).plain
            ),
            what="the table showing the job's time past zero",
        )
        view = screen.query_one(JobView)
        await wait_for(
            pilot,
            lambda: record.done or record.elapsed_text() in text_of(view.query_one("#job-title")),
            what="the job view's time",
        )
        if not record.done:
            assert record.elapsed_text() in jobs.line_text(record).plain
        await pilot.press("ctrl+g")


async def test_a_file_field_says_what_it_takes_in_one_line(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/file_info")
        file_field = field(form, "path")
        assert isinstance(file_field, FileField)
        hint = text_of(file_field.query_one(".field--hint"))
        assert "FileData" not in hint and "\n" not in hint.strip()
        assert hint.strip()


def test_sizes_are_said_as_people_say_them() -> None:
    assert format_size(10_000_000) == "10 MB"
    assert format_size(1_500_000) == "1.5 MB"
    assert format_size(2_000) == "2 KB"
    assert format_size(12) == "12 bytes"


def client(src: str, space_id: str | None = None) -> Any:
    return SimpleNamespace(src=src, space_id=space_id)


def test_f10_warns_when_the_app_is_not_a_space() -> None:
    local = reachability_warning(client("http://127.0.0.1:7860/"))
    assert local and "local address" in local and "cannot reach it" in local
    assert "local address" in (reachability_warning(client("http://192.168.1.5:7860/")) or "")
    assert "local address" in (reachability_warning(client("http://localhost:7860/")) or "")
    public = reachability_warning(client("https://example.com/app/"))
    assert public and "must be public" in public
    assert reachability_warning(client("https://x.hf.space/", space_id="owner/x")) is None


async def test_the_discord_dialog_shows_the_warning_for_a_local_app(demo_url: str) -> None:
    from gradio_tui.tui.screens.discord import DiscordDeployDialog

    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscordDeployDialog), what="F10")
        warning = app.screen.query_one("#reach-warning")
        assert warning.display
        assert "local address" in text_of(warning)  # type: ignore[arg-type]


async def test_f1_says_how_to_close_it_and_shows_its_own_keys(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        help_screen = app.screen
        assert "Esc" in help_screen.query_one(Markdown).source.split("\n\n")[1]
        footer = help_screen.query_one(Footer)
        assert footer.screen is help_screen
        shown = {b.binding.description for b in help_screen.active_bindings.values()}
        assert "Close help" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), what="closed")
        assert main_screen(app).is_current
