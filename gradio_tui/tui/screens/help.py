"""F1 help: what the focused part of the screen does, then every key that works now."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown

from ..once import OnceModal

INTRO = """\
# gradio-tui

**Esc** (or **F1**, **q**) closes this help.

Call any Gradio app or Hugging Face Space from the terminal: pick an endpoint on
the left, fill its form, **ctrl+r** to run, and watch the job beside (or under)
the form.
**ctrl+p** opens the command palette (endpoints, recent apps, every action).
Keys can be changed in `settings.json` (`gradio-tui locate` prints where): the
`keymap` section maps a binding id below to keys.
"""


def context_help(widget: Widget | None) -> str:
    """The ``HELP`` text of the focused widget or its nearest ancestor that has one."""
    node: object = widget
    while isinstance(node, Widget):
        text = getattr(type(node), "HELP", None)
        if isinstance(text, str) and text.strip():
            return text.strip()
        node = node.parent
    return ""


def keys_table(screen: Screen[object]) -> str:
    """Our bindings that work here (they all have ids, so the keymap can move them).

    Widget basics (cursor keys in an input, scrolling) are left out: they are
    what every terminal app does, and listing them buries the useful keys.
    """
    rows = ["| key | action | keymap id |", "| --- | --- | --- |"]
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.id or not binding.description or binding.id in seen or not active.enabled:
            continue
        seen.add(binding.id)
        display = screen.app.get_key_display(binding) or key
        rows.append(f"| `{display}` | {binding.description} | `{binding.id}` |")
    rows.append("| `ctrl+p` | Command palette | |")
    return "\n".join(rows)


class HelpScreen(OnceModal[None]):
    """Contextual help, opened with F1 from anywhere."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss(None)", "Close help", id="help-close"),
    ]

    def __init__(self, screen: Screen[object], focused: Widget | None) -> None:
        super().__init__(classes="dialog")
        here = context_help(focused)
        parts = [INTRO]
        if here:
            parts.append("## Here\n\n" + here)
        parts.append("## Keys on this screen\n\n" + keys_table(screen))
        self.text = "\n\n".join(parts)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box help--box"), VerticalScroll():
            yield Markdown(self.text, id="help-text")
        # The keys of what is on top (this help), not of the screen below it.
        yield Footer()
