"""History and presets across restarts, against the live results app.

Each "restart" is a new app (a new pilot) on the same isolated data dir, as a
person closing and reopening gradio-tui would get.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, Switch

from gradio_tui.history import HistoryFile, JobEntry, StoredInput, StoredOutput
from gradio_tui.presets import PresetFile
from gradio_tui.store import Settings, Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.results.panel import OutputBlock
from gradio_tui.tui.screens.history import HistoryScreen
from gradio_tui.tui.screens.main import MainScreen
from gradio_tui.tui.screens.presets import PresetsScreen
from gradio_tui.tui.session import ConnectRequest
from gradio_tui.tui.widgets.choice import Choice, ChoiceMenu
from gradio_tui.tui.widgets.form.fields import ChoiceField
from gradio_tui.tui.widgets.history_list import HistoryList
from gradio_tui.tui.widgets.jobs import JobList
from tests.support.servers import GradioServer

from .conftest import (
    field,
    history_entries,
    main_screen,
    open_endpoint,
    received,
    text_of,
    until_main,
    wait_for,
)
from .test_results import SIZE, run

PASSWORD = "correct horse battery staple"


def new_app(server: GradioServer, **settings: object) -> GradioTUI:
    return GradioTUI(
        ConnectRequest(server.url),
        store=Store(),
        settings=replace(Settings(redact=True), **settings),  # type: ignore[arg-type]
    )


async def open_history(pilot: Pilot[None], app: GradioTUI) -> HistoryScreen:
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="the history")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


def listed(screen: HistoryScreen) -> list[JobEntry]:
    return screen.query_one(HistoryList).entries


async def test_history_across_a_restart_look_again_and_rerun(
    results_server: GradioServer,
) -> None:
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        first = await run(pilot, app, "/shout", text="hi there")
        assert first.latest_output() == (True, "HI THERE!")
        await run(pilot, app, "/table", rows="3")
        await run(pilot, app, "/login", user="ada", password=PASSWORD)
        await wait_for(pilot, lambda: len(history_entries(results_server.url)) == 3, what="history")

    # A new start: the jobs are found in the history view, newest first.
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        screen = await open_history(pilot, app)
        assert [e.endpoint for e in listed(screen)] == ["/login", "/table", "/shout"]
        # Filter by endpoint, from the choice's menu.
        endpoint = screen.query_one("#history-endpoint", Choice)
        endpoint.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceMenu), what="the menu")
        menu = app.screen.query_one(OptionList)
        prompts = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert prompts == ["every endpoint", "/login", "/shout", "/table"]
        await pilot.press("down", "down", "down", "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the menu to close")
        assert endpoint.value == "/table" and screen.focused is endpoint
        assert [e.endpoint for e in listed(screen)] == ["/table"]
        assert "1 of 3 jobs" in text_of(screen.query_one("#history-count", Static))
        # By status, stepping with → and ←: no /table job failed.
        status = screen.query_one("#history-status", Choice)
        status.focus()
        await pilot.press("right", "right")
        assert status.value == "error" and listed(screen) == []
        assert "No job matches." in text_of(screen.query_one("#history-facts", Static))
        await pilot.press("left")
        assert status.value == "finished"
        assert [e.endpoint for e in listed(screen)] == ["/table"]
        endpoint.value = status.value = "*"
        await pilot.pause()
        assert len(listed(screen)) == 3
        assert text_of(screen.query_one("#history-count", Static)) == ""
        # Filter by text.
        screen.query_one("#history-q", Input).value = "hi there"
        await pilot.pause()
        assert [e.endpoint for e in listed(screen)] == ["/shout"]
        assert "1 of 3 jobs" in text_of(screen.query_one("#history-count", Static))
        # Looked at again: the stored result is drawn beside the list.
        facts = text_of(screen.query_one("#history-facts", Static))
        assert "/shout" in facts and "text = hi there" in facts
        (block,) = screen.query(OutputBlock)
        assert "HI THERE!" in "\n".join(text_of(s) for s in block.query(Static))
        # Re-run: the form is filled, the job sent, the same result comes back.
        screen.query_one(HistoryList).focus()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="the main screen")
        jobs = main_screen(app).query_one(JobList)
        await wait_for(pilot, lambda: len(jobs.records) == 1, what="the re-run job")
        record = jobs.selected()
        assert record is not None
        await wait_for(pilot, lambda: record.done and record.reported, what="the re-run")
        assert record.endpoint.name == "/shout"
        assert record.latest_output() == (True, "HI THERE!")
        form = main_screen(app).form
        assert form is not None and field(form, "text").parse() == "hi there"

        # The password was never written; re-running that job asks for it.
        text = "".join(p.read_text() for p in Store().paths.history_dir.iterdir())
        assert PASSWORD not in text
        screen = await open_history(pilot, app)
        login = next(e for e in listed(screen) if e.endpoint == "/login")
        assert [i.secret for i in login.inputs] == [False, True]
        index = listed(screen).index(login)
        screen.query_one(HistoryList).cursor = index
        await pilot.pause()
        assert "a password: not kept" in text_of(screen.query_one("#history-facts", Static))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))

        def refilled() -> bool:
            # The re-run's end state: the form filled for a person to add the password.
            form = main_screen(app).form
            return (
                form is not None
                and form.endpoint is not None
                and form.endpoint.name == "/login"
                and field(form, "user").parse() == "ada"
            )

        await wait_for(pilot, refilled, what="the /login form filled again")
        await pilot.pause()
        assert len(jobs.records) == 1  # not sent without its password
        form = main_screen(app).form
        assert form is not None
        assert field(form, "user").parse() == "ada" and field(form, "password").parse() == ""


async def test_load_into_the_form_to_change_and_run(results_server: GradioServer) -> None:
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await run(pilot, app, "/echo", text="from the past", count="5")
        screen = await open_history(pilot, app)
        echo = next(e for e in listed(screen) if e.endpoint == "/echo")
        screen.query_one(HistoryList).cursor = listed(screen).index(echo)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        form = main_screen(app).form
        assert form is not None
        await wait_for(pilot, lambda: field(form, "text").parse() == "from the past")
        assert field(form, "count").parse() == 5
        assert len(main_screen(app).query_one(JobList).records) == 1  # loaded, not run


async def test_files_that_are_gone_are_marked(results_server: GradioServer) -> None:
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        record = await run(pilot, app, "/image")
        path = Path(record.latest_output()[1])
        await wait_for(pilot, lambda: history_entries(results_server.url), what="history")
    path.unlink()
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        screen = await open_history(pilot, app)
        (block,) = screen.query(OutputBlock)
        await wait_for(
            pilot,
            lambda: "gone" in "\n".join(text_of(s) for s in block.query(Static)),
            what="the file marked gone",
        )


def seeded(n: int, src: str) -> JobEntry:
    return JobEntry(
        id=f"seed{n}",
        src=src,
        endpoint="/shout",
        fn_index=None,
        status="finished",
        started=f"2024-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}",
        inputs=[StoredInput("text", "textbox", f"seed {n}")],
        outputs=[StoredOutput("shouted", "textbox", f"SEED {n}!")],
    )


async def test_the_1001st_job_drops_the_oldest(results_server: GradioServer) -> None:
    src = results_server.url
    HistoryFile.for_app(Store().paths, src).append(*[seeded(n, src) for n in range(1000)])
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await run(pilot, app, "/shout", text="newest")
        await wait_for(
            pilot,
            lambda: (
                history_entries(src)
                and history_entries(src)[-1].endpoint == "/shout"
                and history_entries(src)[-1].outputs[0].value == "NEWEST!"
            ),
            what="the new job on disk",
        )
        kept = history_entries(src)
        assert len(kept) == 1000
        assert kept[0].id == "seed1"  # seed0, the oldest, was dropped
        # And in the view too (10 is enough to see the order; all 1000 are listed).
        screen = await open_history(pilot, app)
        assert len(listed(screen)) == 1000
        assert listed(screen)[0].outputs[0].value == "NEWEST!"


async def test_a_truncated_history_file_is_kept_aside_and_the_app_goes_on(
    results_server: GradioServer,
) -> None:
    src = results_server.url
    history = HistoryFile.for_app(Store().paths, src)
    history.append(seeded(1, src), seeded(2, src))
    text = history.path.read_text()
    history.path.write_text(text[: len(text) // 2])
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await wait_for(
            pilot,
            lambda: any("was damaged" in str(n.message) for n in app._notifications),
            what="the warning",
        )
        (warning,) = [str(n.message) for n in app._notifications if "damaged" in str(n.message)]
        (aside,) = history.path.parent.glob(history.path.name + ".broken-*")
        assert aside.name in warning
        assert aside.read_text() == text[: len(text) // 2]
        # Usable: a job runs and lands in a fresh history.
        await run(pilot, app, "/shout", text="still here")
        await wait_for(pilot, lambda: history_entries(src), what="the new history")
        screen = await open_history(pilot, app)
        assert [e.outputs[0].value for e in listed(screen)] == ["STILL HERE!"]


async def test_presets_saved_restarted_loaded_run_identically(
    results_server: GradioServer,
) -> None:
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/echo")
        field(form, "text").set_value("from a preset\nwith two lines")
        field(form, "count").set_value(7)
        field(form, "choice").set_value("blue")
        field(form, "flag").set_value(True)
        before = len(received(results_server))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(received(results_server)) > before, what="the call")
        original = received(results_server)[-1]
        assert original == {
            "text": "from a preset\nwith two lines",
            "count": 7,
            "choice": "blue",
            "flag": True,
        }
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, PresetsScreen), what="presets")
        app.screen.query_one("#presets-name", Input).value = "blue seven"
        app.screen.query_one("#presets-name", Input).focus()
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: PresetFile.for_app(Store().paths, results_server.url).names("/echo"),
            what="the preset on disk",
        )
        await pilot.press("escape")

    preset_file = PresetFile.for_app(Store().paths, results_server.url)
    on_disk = json.loads(preset_file.path.read_text())
    assert on_disk["version"] == 1
    assert on_disk["endpoints"]["/echo"]["blue seven"]["values"] == original

    # A new start: load the preset into the (default) form and run it.
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/echo")
        assert field(form, "text").parse() == "hello"
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, PresetsScreen), what="presets")
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        options.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: field(form, "count").parse() == 7, what="the values")
        choice = field(form, "choice")
        assert isinstance(choice, ChoiceField) and choice.parse() == "blue"
        assert field(form, "flag").query_one(Switch).value is True
        before = len(received(results_server))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(received(results_server)) > before, what="the call")
        assert received(results_server)[-1] == original


async def test_presets_rename_delete_and_never_keep_a_password(
    results_server: GradioServer,
) -> None:
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/login")
        field(form, "password").set_value(PASSWORD)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, PresetsScreen))
        name = app.screen.query_one("#presets-name", Input)
        name.value = "ada"
        name.focus()
        await pilot.press("enter")
        presets = PresetFile.for_app(Store().paths, results_server.url)
        await wait_for(pilot, lambda: presets.names("/login") == ["ada"])
        assert PASSWORD not in presets.path.read_text()
        assert presets.load().endpoints["/login"]["ada"].values == {"user": "ada"}
        # Rename (F2) to the name typed, then delete (asked first).
        name.value = "lovelace"
        await pilot.press("f2")
        await wait_for(pilot, lambda: presets.names("/login") == ["lovelace"])
        app.screen.query_one(OptionList).focus()
        await pilot.press("delete")
        await pilot.press("y")
        await wait_for(pilot, lambda: presets.names("/login") == [])
        assert app.is_running


async def test_a_hand_broken_presets_file_is_kept_aside(results_server: GradioServer) -> None:
    presets = PresetFile.for_app(Store().paths, results_server.url)
    os.makedirs(presets.path.parent, exist_ok=True)
    presets.path.write_text('{"version": 1, "endpoints": {"/echo": {"x": ')
    app = new_app(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await open_endpoint(pilot, app, "/echo")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, PresetsScreen))
        await wait_for(pilot, lambda: any("damaged" in str(n.message) for n in app._notifications))
        assert list(presets.path.parent.glob(presets.path.name + ".broken-*"))
        assert app.screen.query_one(OptionList).option_count == 0
