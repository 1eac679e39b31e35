"""F1 help: what the focused part of the screen does, then every key that works now."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Markdown

INTRO = """\
# gradio-tui

Call any Gradio app or Hugging Face Space from the terminal: pick an endpoint on
the left, fill its form, **ctrl+r** to run, watch the job on the right.
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
    rows = ["| key | action | id |", "| --- | --- | --- |"]
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.description or binding.action
        if (description, binding.id or "") in seen or not binding.description:
            continue
        seen.add((description, binding.id or ""))
        display = screen.app.get_key_display(binding)
        rows.append(f"| `{display or key}` | {description} | `{binding.id or ''}` |")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None]):
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
