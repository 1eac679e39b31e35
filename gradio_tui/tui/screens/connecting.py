"""A light screen shown while ``gradio-tui SRC`` connects at start-up.

Cheaper than the full connect screen (the first paint matters for start-up
time), and it says what is happening; escape gives up and opens the connect
screen, which is also where a failure lands.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from ..plain import plain_text


class ConnectingScreen(Screen[None]):
    """``Connecting to <src> …`` with a spinner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "give_up", "Stop", id="connecting-stop"),
    ]

    def __init__(self, shown_src: str) -> None:
        super().__init__(id="connecting-screen")
        self.shown_src = shown_src

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="connecting-box"):
            yield Static(
                Text.assemble("Connecting to ", plain_text(self.shown_src, "bold", line=True), " …")
            )
            yield Static(
                "A sleeping Space can take a minute to wake. Escape stops waiting.",
                classes="connecting--hint",
            )
            yield LoadingIndicator()

    def action_give_up(self) -> None:
        from .connect import ConnectScreen

        self.workers.cancel_all()
        self.app.workers.cancel_group(self.app, "connect")
        tui = self.app
        self.app.switch_screen(ConnectScreen(getattr(tui, "request", None)))
