"""Ask before doing something that cannot be undone (replacing a file, deleting a preset)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..once import OnceModal
from ..plain import plain


class ConfirmScreen(OnceModal[bool]):
    """``message`` (which may quote a file or preset name: shown plain); True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "dismiss(False)", "No", id="confirm-no"),
        Binding("y", "dismiss(True)", "Yes", id="confirm-yes"),
    ]

    def __init__(self, message: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog")
        self.message = message
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box confirm--box"):
            yield Static(plain(self.message), classes="dialog--title")
            with Horizontal(classes="dialog--buttons"):
                yield Button(self.yes, id="yes", variant="warning")
                yield Button(self.no, id="no", variant="primary")

    def on_mount(self) -> None:
        # The safe answer has the focus: enter alone never replaces or deletes.
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
