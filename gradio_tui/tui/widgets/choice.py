"""A compact choice among a few options: one line, a menu only while choosing.

Textual's ``Select`` draws the same line with six widgets (the value, two
arrows and a hidden option list), each styled when its screen opens: the
history view's two filters made it open ~40 ms slower with 10,000 jobs
behind it (``bench/tui_results.py``). ``Choice`` is one widget; its option
list exists only while the menu is open. Enter, space or a click opens the
menu under it; ← and → step through the options without one.

Option labels are ``Content`` (built with ``tui/plain.py``): they often name
an app's endpoints, which are data.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..once import OnceModal

ARROW = " ▾"
MENU_LINES = 12


class ChoiceMenu(OnceModal[int | None]):
    """The options as a list under (or above) the choice; returns the index chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="choice-close"),
    ]

    DEFAULT_CSS = """
    ChoiceMenu { align: left top; background: $background 0%; }
    ChoiceMenu > OptionList {
        height: auto;
        max-height: 14;
        border: tall $primary;
        padding: 0;
    }
    """

    def __init__(self, labels: Sequence[Content], current: int, under: Region) -> None:
        super().__init__()
        self.labels = labels
        self.current = current
        self.under = under

    def compose(self) -> ComposeResult:
        menu = OptionList(*(Option(label) for label in self.labels), id="choice-options")
        menu.styles.width = max(self.under.width, 12)
        yield menu

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = self.current
        # One line per option until laid out; a label long enough to wrap makes
        # the menu taller, so it is placed again from its real height.
        self._place(min(len(self.labels), MENU_LINES) + 2)
        self.call_after_refresh(self._place_laid_out)
        menu.focus()

    def _place(self, lines: int) -> None:
        below = self.under.bottom
        top = below if below + lines <= self.size.height else max(0, self.under.y - lines)
        self.query_one(OptionList).styles.offset = (self.under.x, top)

    def _place_laid_out(self) -> None:
        height = self.query_one(OptionList).outer_size.height
        if height:
            self._place(height)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def on_click(self, event: events.Click) -> None:
        # A click beside the menu closes it, as it would a drop-down.
        if event.widget is self:
            self.dismiss(None)


class Choice(Widget, can_focus=True):
    """One of ``options`` (label, value); posts ``Choice.Changed`` when the value changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "open", "Choose", show=False, id="choice-open"),
        Binding("left", "step(-1)", "Previous", show=False, id="choice-previous"),
        Binding("right", "step(1)", "Next", show=False, id="choice-next"),
    ]

    DEFAULT_CSS = """
    Choice {
        width: 24;
        height: 1;
        padding: 0 1;
        background: $surface-lighten-1;
        color: $foreground;
    }
    Choice:focus { background: $primary 50%; }
    Choice:hover { background: $surface-lighten-2; }
    """

    class Changed(Message):
        """The chosen value changed (by the user or by code)."""

        def __init__(self, choice: Choice, value: Hashable) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self,
        options: Sequence[tuple[Content, Hashable]],
        value: Hashable,
        *,
        id: str | None = None,
        tooltip: str | None = None,
    ) -> None:
        super().__init__(id=id)
        if not options:
            raise ValueError("a Choice needs at least one option")
        self.options = list(options)
        self._index = self._index_of(value)
        if tooltip:
            self.tooltip = tooltip

    def _index_of(self, value: Hashable) -> int:
        for index, (_label, option) in enumerate(self.options):
            if option == value:
                return index
        raise ValueError(f"{value!r} is not one of the options")

    @property
    def value(self) -> Hashable:
        return self.options[self._index][1]

    @value.setter
    def value(self, value: Hashable) -> None:
        self._choose(self._index_of(value))

    def _choose(self, index: int) -> None:
        if index != self._index:
            self._index = index
            self.refresh()
            self.post_message(self.Changed(self, self.value))

    def render(self) -> Content:
        label = self.options[self._index][0]
        room = max(1, self.content_size.width - len(ARROW))
        return Content.assemble(label.truncate(room, ellipsis=True, pad=True), ARROW)

    def action_step(self, delta: int) -> None:
        self._choose((self._index + delta) % len(self.options))

    def action_open(self) -> None:
        def chosen(index: int | None) -> None:
            if index is not None:
                self._choose(index)
            self.focus()

        labels = [label for label, _value in self.options]
        self.app.push_screen(ChoiceMenu(labels, self._index, self.region), chosen)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_open()
