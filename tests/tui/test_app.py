"""App-wide behaviour: keymap from settings, F1 help, no secrets on disk, giving up a connect."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Markdown

from gradio_tui.store import Settings, Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.screens.connect import ConnectScreen
from gradio_tui.tui.screens.connecting import ConnectingScreen
from gradio_tui.tui.screens.help import HelpScreen
from gradio_tui.tui.session import ConnectRequest
from gradio_tui.tui.widgets.jobs import JobList

from .conftest import SIZE, history_entries, main_screen, open_endpoint, until_main, wait_for


async def test_keymap_in_settings_moves_a_binding(core_url: str) -> None:
    settings = Settings(redact=True, keymap={"run": "f9"})
    app = GradioTUI(ConnectRequest(core_url), store=Store(), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await open_endpoint(pilot, app, "/predict")
        jobs = main_screen(app).query_one(JobList)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not jobs.records, "ctrl+r should no longer run"
        await pilot.press("f9")
        await wait_for(pilot, lambda: jobs.records, what="f9 to run the form")


async def test_f1_shows_help_for_the_focused_pane_and_the_keys(core_url: str) -> None:
    app = GradioTUI(ConnectRequest(core_url), store=Store(), settings=Settings(redact=True))
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await pilot.press("f5")  # focus the jobs list
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "Every job of this session" in help_screen.text
        for key_id in ("run", "cancel-job", "toggle-api", "open-connect", "copy-result"):
            assert f"`{key_id}`" in help_screen.text
        assert help_screen.query_one(Markdown)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_tokens_and_passwords_never_reach_the_disk(core_url: str) -> None:
    token, password = "hf_never_on_disk_123", "pw-never-on-disk"
    src = core_url.replace("http://", f"http://user:{password}@")
    app = GradioTUI(
        ConnectRequest(src, hf_token=token), store=Store(), settings=Settings(redact=True)
    )
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await open_endpoint(pilot, app, "/echo")
        await pilot.press("ctrl+r")
        jobs = main_screen(app).query_one(JobList)
        await wait_for(
            pilot, lambda: jobs.records and all(r.reported for r in jobs.records.values())
        )
        # The API view's code reads the token from the environment.
        await pilot.press("f4")
        await pilot.pause()
        assert token not in main_screen(app).snippet()
        assert 'os.environ["HF_TOKEN"]' in main_screen(app).snippet()
        await wait_for(pilot, lambda: history_entries(core_url), what="the history file")
    paths = Store().paths
    written = [paths.recent_file, *paths.history_dir.iterdir()]
    assert len(written) == 2
    for path in written:
        text = Path(path).read_text()
        assert token not in text and password not in text
    assert Store().recent()[0].src == core_url


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: a connect that hangs."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}/"


async def test_escape_gives_up_a_hanging_connect(silent_server: str) -> None:
    app = GradioTUI(ConnectRequest(silent_server), store=Store(), settings=Settings(redact=True))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectingScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectScreen))
        await wait_for(pilot, lambda: not app.workers, what="the connect worker to stop")
        assert app.client is None


async def test_the_mouse_works(core_url: str) -> None:
    app = GradioTUI(ConnectRequest(core_url), store=Store(), settings=Settings(redact=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)
        # Second line of the sidebar: /echo.
        await pilot.click("#sidebar", offset=(3, 1))
        await wait_for(pilot, lambda: screen.endpoint and screen.endpoint.api_name == "/echo")
        await wait_for(pilot, lambda: screen.form and screen.form.query("#run"))
        run = f"#form-{screen.endpoint.fn_index} #run"  # type: ignore[union-attr]
        button = screen.query_one(run)

        def button_is_where_a_click_lands() -> bool:
            # A busy machine can let the click come before the new form is laid
            # out; the pilot clicks at the button's top-left cell.
            region = button.region
            try:
                return bool(region) and screen.get_widget_at(region.x, region.y)[0] is button
            except Exception:  # nothing laid out at that cell yet
                return False

        await wait_for(pilot, button_is_where_a_click_lands, what="the Run button laid out")
        await pilot.click(run)
        jobs = screen.query_one(JobList)
        # The first click's job exists, so its press effect has begun: a button ignores
        # clicks during that 0.2 s effect, as for a person, so the second waits it out.
        await wait_for(pilot, lambda: len(jobs.records) == 1, what="a job from the first click")
        await wait_for(pilot, lambda: not button.has_class("-active"), what="the press effect")
        await pilot.click(run)
        await wait_for(pilot, lambda: len(jobs.records) == 2, what="two jobs from two clicks")
        assert jobs.selected() is jobs.records[2]
        await pilot.click("#jobs", offset=(2, 0))  # the first job's line
        await wait_for(pilot, lambda: jobs.selected() is jobs.records[1])
        await pilot.click("#--content-tab-tab-api")  # the "API" tab label
        await wait_for(pilot, lambda: screen.has_class("-api"))
