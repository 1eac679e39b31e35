"""Connecting: typing a source, refusing garbage, unreachable apps, reconnecting."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input, Static

from gradio_tui.store import Store
from gradio_tui.tui.messages import Connected, ConnectFailed
from gradio_tui.tui.screens.connect import ConnectScreen
from gradio_tui.tui.screens.main import MainScreen
from gradio_tui.tui.widgets.header import AppHeader
from tests.support.servers import free_port

from .conftest import SIZE, make_app, text_of, until_main, wait_for


def status_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return text_of(screen.query_one("#connect-status", Static))


async def test_typing_a_url_connects_and_remembers_it(core_url: str) -> None:
    messages: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        assert isinstance(app.screen, ConnectScreen)
        src = app.screen.query_one("#src", Input)
        assert src.has_focus
        await pilot.press(*core_url)
        await pilot.press("enter")
        screen = await until_main(pilot, app)
        assert any(isinstance(m, Connected) for m in messages)
        assert screen.client.src == core_url
        header = screen.query_one(AppHeader)
        assert header.protocol == screen.client.protocol
        assert "18 endpoints" in str(header.render())  # core_app.py: 18 callable events
    assert [r.src for r in Store().recent()] == [core_url]


async def test_garbage_sources_are_refused_inline() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for garbage in ["not a space", "ftp://x/", "a/b/c", "   ", "http://"]:
            src = app.screen.query_one("#src", Input)
            src.value = garbage
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConnectScreen)
            text = status_text(app)
            assert text, f"no message for {garbage!r}"
            assert "Connecting" not in text
        # Nothing was tried, so nothing is remembered.
        assert not app.workers
    assert Store().recent() == []


async def test_an_unreachable_app_shows_the_error_and_stays() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    messages: list[Message] = []
    app = make_app(url)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await wait_for(pilot, lambda: any(isinstance(m, ConnectFailed) for m in messages))
        # The hook sees the message before the app has handled it: wait for the
        # connect screen to say why, however slowly a busy machine gets there.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ConnectScreen) and "Cannot reach" in status_text(app),
            what="the connect screen saying why",
        )
        # The user can fix the address and go on: the screen is still usable.
        assert not app.screen.query_one("#connect").disabled


async def test_login_password_without_user_is_refused(core_url: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.query_one("#src", Input).value = core_url
        screen.query_one("#password", Input).value = "secret"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen)
        assert "user name" in status_text(app)


async def test_connect_screen_from_main_and_back_then_reconnect(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        first = await until_main(pilot, app)
        old_client = first.client
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectScreen))
        assert app.screen.query_one("#src", Input).value == core_url
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is first)
        await pilot.press("f7")
        # The same app again: a new connection, the same screen (its jobs and forms stay).
        await wait_for(pilot, lambda: app.client is not old_client, what="the new connection")
        assert app.screen is first and isinstance(first, MainScreen)
        assert first.client is app.client
        await wait_for(pilot, lambda: old_client._closed, what="the old client to close")


async def test_palette_opens_an_endpoint(core_url: str) -> None:
    app = make_app(core_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"two_out")
        await wait_for(
            pilot,
            lambda: (
                "two_outputs"
                in str(app.screen.query("CommandList").first().get_option_at_index(0).prompt)
                if app.screen.query("CommandList")
                and app.screen.query("CommandList").first().option_count
                else False
            ),
            what="the palette hit",
        )
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: screen.endpoint is not None and screen.endpoint.api_name == "/two_outputs",
            what="the endpoint to open",
        )
