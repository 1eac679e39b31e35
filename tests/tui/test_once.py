"""A screen's dismiss acts once and on that screen, whatever is queued or open over it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

from gradio_tui.tui.once import OnceModal
from gradio_tui.tui.screens.confirm import ConfirmScreen

from .conftest import wait_for


class Dialog(OnceModal[str | None]):
    def compose(self) -> ComposeResult:
        yield Label("dialog")


class Base(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[str | None] = []

    def open(self) -> Dialog:
        dialog = Dialog()
        self.push_screen(dialog, self.results.append)
        return dialog


async def test_a_second_dismiss_does_nothing() -> None:
    app = Base()
    async with app.run_test() as pilot:
        dialog = app.open()
        await wait_for(pilot, lambda: app.screen is dialog, what="the dialog")
        dialog.dismiss("first")
        dialog.dismiss("second")  # Textual's own would pop the default screen too
        await wait_for(pilot, lambda: app.screen is not dialog, what="closed")
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.results == ["first"]


async def test_a_dialog_that_ends_under_another_closes_both_in_order() -> None:
    app = Base()
    async with app.run_test() as pilot:
        dialog = app.open()
        await wait_for(pilot, lambda: app.screen is dialog, what="the dialog")
        asked: list[bool | None] = []
        confirm = ConfirmScreen("Stop?")
        app.push_screen(confirm, asked.append)
        await wait_for(
            pilot,
            lambda: app.screen is confirm and getattr(app.focused, "id", None) == "no",
            what="the confirmation, its safe answer focused",
        )
        dialog.dismiss("done")  # e.g. its worker finished meanwhile
        await wait_for(pilot, lambda: len(app.screen_stack) == 1, what="both closed")
        assert app.results == ["done"]
        assert asked == [None]  # the confirmation was closed without an answer
