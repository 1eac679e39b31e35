"""Any terminal size, jump mode, and settings that stick.

At 80×24 every panel is on screen (the jobs stack under the form); a live
resize re-lays the screen while a job streams; ctrl+t hides the sidebar and
ctrl+l labels every panel. Theme, layout choices and the keymap are kept in
``settings.json``; a bad keymap entry is named in one message at start.
"""

from __future__ import annotations

import json

from textual import events
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from gradio_tui.store import Settings, Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.screens.jump import JumpScreen
from gradio_tui.tui.screens.main import MainScreen
from gradio_tui.tui.session import ConnectRequest
from gradio_tui.tui.widgets.jobs import JobList
from gradio_tui.tui.widgets.result import JobView
from gradio_tui.tui.widgets.sidebar import EndpointTree

from .conftest import field, make_app, open_endpoint, result_text, until_main, wait_for


def on_screen(widget: Widget) -> bool:
    """Shown, with some of it inside the terminal."""
    size = widget.app.size
    region = widget.region
    return (
        widget.display
        and region.width > 0
        and region.height > 0
        and region.x < size.width
        and region.y < size.height
        and region.right <= size.width
    )


async def test_every_panel_is_on_screen_at_80x24(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await until_main(pilot, app)
        assert screen.has_class("-stacked")
        for selector in ("#sidebar", "#center", "#jobs", "#job-view"):
            assert on_screen(screen.query_one(selector)), selector
        # F5 and F6 reach panels the user can see.
        await pilot.press("f5")
        assert app.focused is screen.query_one(JobList)
        await pilot.press("f6")
        assert app.focused is screen.query_one(JobView)


async def test_a_resize_while_a_job_streams_keeps_its_result_readable(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await until_main(pilot, app)
        assert not screen.has_class("-stacked")
        form = await open_endpoint(pilot, app, "/story")
        field(form, "words").query_one(Input).value = "40"
        jobs = screen.query_one(JobList)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: jobs.records, what="the job")
        record = next(iter(jobs.records.values()))
        await wait_for(pilot, lambda: record.steps >= 2, what="partial outputs")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: screen.has_class("-stacked"), what="the stacked layout")
        view = screen.query_one(JobView)
        assert on_screen(view) and on_screen(jobs)
        await wait_for(pilot, lambda: record.done and record.reported, 30, "the story to end")
        await pilot.pause()
        has_output, value = record.latest_output()
        assert has_output and isinstance(value, str)
        # The story is in the job view, and the job view is on the screen.
        assert value.split()[-1] in result_text(app)
        assert view.region.bottom <= app.size.height
        # And back to wide.
        await pilot.resize_terminal(200, 50)
        await wait_for(pilot, lambda: not screen.has_class("-stacked"), what="side by side")


async def test_ctrl_t_hides_the_sidebar_and_it_is_remembered(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await until_main(pilot, app)
        await pilot.press("ctrl+t")
        assert not screen.query_one(EndpointTree).display
        assert app.focused is not screen.query_one(EndpointTree)
    assert Store().settings.sidebar is False
    assert json.loads(Store().paths.settings_file.read_text()) == {"sidebar": False}
    # The next start has no sidebar; F2 brings it back.
    again = GradioTUI(ConnectRequest(demo_url), store=Store(), settings=Store().settings)
    async with again.run_test(size=(120, 36)) as pilot:
        screen = await until_main(pilot, again)
        assert not screen.query_one(EndpointTree).display
        await pilot.press("f2")
        await pilot.pause()
        assert screen.query_one(EndpointTree).display
        assert again.focused is screen.query_one(EndpointTree)
    assert Store().settings.sidebar is True


async def jump_mode(pilot: Pilot[None], app: GradioTUI) -> JumpScreen:
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: isinstance(app.screen, JumpScreen), what="jump mode")
    jump = app.screen
    assert isinstance(jump, JumpScreen)
    return jump


def label_of(jump: JumpScreen, widget: Widget) -> str:
    return next(k for k, w in jump.targets.items() if w is widget)


async def test_jump_mode_labels_panels_and_moves_there(demo_url: str) -> None:
    app = make_app(demo_url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await until_main(pilot, app)
        jump = await jump_mode(pilot, app)
        jobs = screen.query_one(JobList)
        assert screen.query_one(EndpointTree) in jump.targets.values()
        assert jobs in jump.targets.values()
        await pilot.press(label_of(jump, jobs))
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="back")
        assert app.focused is jobs
        # Escape leaves without moving.
        await jump_mode(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="back")
        assert app.focused is jobs


async def test_keys_typed_faster_than_jump_mode_closes_stay_in_the_app(demo_url: str) -> None:
    """A label and the letters after it reach jump mode before it closes: one jump, no more."""
    app = make_app(demo_url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await until_main(pilot, app)
        jump = await jump_mode(pilot, app)
        jobs = screen.query_one(JobList)
        for character in label_of(jump, jobs) + "sdf":  # as a fast typist or a paste delivers them
            jump.post_message(events.Key(character, character))
        await wait_for(pilot, lambda: app.screen is screen, what="back on the main screen")
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 2
        assert app.focused is jobs


async def test_the_theme_chosen_in_the_app_is_kept() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert Store().settings.theme == "nord"
    again = GradioTUI(None, store=Store(), settings=Store().settings)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_a_keymap_from_settings_is_used_and_bad_entries_are_named(core_url: str) -> None:
    Store().update_settings(
        keymap={"run": "f9", "runn": "f8", "cancel-job": "ctrl+kk", "focus-jobs": "ctrl+y"}
    )
    toasts: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            toasts.append(message.notification.message)

    app = GradioTUI(
        ConnectRequest(core_url), store=Store(), settings=Settings(keymap=Store().settings.keymap)
    )
    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        screen = await until_main(pilot, app)
        problems = [t for t in toasts if "keymap" in t]
        assert len(problems) == 1, toasts
        assert "'runn' is not a binding id (did you mean 'run'?)" in problems[0]
        assert "'cancel-job': 'ctrl+kk' is not a key" in problems[0]
        # The good entries work; the bad ones keep their default keys.
        await open_endpoint(pilot, app, "/echo")
        jobs = screen.query_one(JobList)
        await pilot.press("f9")
        await wait_for(pilot, lambda: jobs.records, what="f9 to run the form")
        await pilot.press("ctrl+y")
        assert app.focused is jobs
        await pilot.press("ctrl+g")  # cancel-job kept its default key
        assert app.is_running


def test_settings_changed_in_the_app_keep_the_rest_of_the_file() -> None:
    store = Store()
    path = store.paths.settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"history_size": 50, "keymap": {"run": "f9"}}))
    store.update_settings(theme="gruvbox")
    assert json.loads(path.read_text()) == {
        "history_size": 50,
        "keymap": {"run": "f9"},
        "theme": "gruvbox",
    }
    # A broken file is kept aside, not overwritten.
    path.write_text("{not json")
    Store().update_settings(layout="stacked")
    assert json.loads(path.read_text()) == {"layout": "stacked"}
    kept = list(path.parent.glob("settings.json.broken-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
