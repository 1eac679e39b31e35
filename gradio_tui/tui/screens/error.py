"""A modal for errors that are not tied to one job (a lost connection, say)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..plain import plain, plain_line


class ErrorScreen(ModalScreen[bool]):
    """Shows ``title`` and ``message``; returns True when the user asks to reconnect."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", "Close", id="error-close"),
        Binding("c", "copy", "Copy message", id="error-copy"),
    ]

    def __init__(self, title: str, message: str, *, offer_reconnect: bool = False) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.message = message
        self.offer_reconnect = offer_reconnect

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box error--box"):
            yield Label(plain_line(self.title_text, "bold"), classes="dialog--title")
            yield Static(plain(self.message), classes="error--message")
            with Horizontal(classes="dialog--buttons"):
                if self.offer_reconnect:
                    yield Button("Reconnect", id="reconnect", variant="primary")
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "reconnect")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(f"{self.title_text}: {self.message}")
        self.notify("Copied the error message.")
