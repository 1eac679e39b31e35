"""Jump mode: a letter on every panel and field; typing it moves the focus there.

``ctrl+l`` on the main screen lays a small label over each focusable widget
that is on screen (the endpoint list, the tabs, every field, the Run button,
the jobs table, the job view), in reading order with the home row first.
Typing a label focuses that widget; escape (or any other key) leaves.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from ..once import OnceModal
from ..plain import plain_line

LABELS = "asdfghjklqwertyuiopzxcvbnm1234567890"
"""Home row first: the nearest keys for the most targets."""


def jump_targets(screen: Screen[Any]) -> list[Widget]:
    """Focusable widgets that are visible on ``screen``, top to bottom, left to right."""
    size = screen.size
    found: list[Widget] = []
    for widget in screen.query("*"):
        if not widget.focusable or not widget.display or not widget.visible:
            continue
        region = widget.region
        if region.width <= 0 or region.height <= 0:
            continue
        if region.x >= size.width or region.y >= size.height:
            continue
        parent = widget.parent
        if isinstance(parent, Widget) and not parent.region.overlaps(region):
            continue  # scrolled out of its container
        found.append(widget)
    found.sort(key=lambda w: (w.region.y, w.region.x))
    return found[: len(LABELS)]


class JumpScreen(OnceModal[Widget | None]):
    """Returns the widget whose label was typed, or None."""

    DEFAULT_CSS = """
    JumpScreen { background: $background 30%; }
    JumpScreen .jump--label {
        position: absolute;
        background: $accent;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Leave jump mode", id="jump-leave"),
    ]

    def __init__(self, targets: list[Widget]) -> None:
        super().__init__()
        self.targets = dict(zip(LABELS, targets, strict=False))

    def compose(self) -> ComposeResult:
        for key, widget in self.targets.items():
            label = Label(plain_line(key), classes="jump--label")
            label.styles.offset = (widget.region.x, widget.region.y)
            yield label

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(self.targets.get(event.character or ""))
