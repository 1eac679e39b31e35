"""Inputs and text areas that show their value's control characters.

An editor can hold text we did not write: a Textbox default or placeholder
from the app, a path from the recent list, a Space id from the Hub. Textual
paints an editor's value as it is, so an ``ESC`` in it would reach the
terminal. These editors keep the value untouched (it is what gets sent) and
paint each unsafe character as one visible cell (``␛``, ``�``), so the cursor
still lines up with the text.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.highlighter import Highlighter
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Input, TextArea

from ...client.untrusted import one_line, visible_in_place


class VisibleControls(Highlighter):
    """Input's highlighter hook, used to repaint unsafe characters (one cell each)."""

    def __call__(self, text: str | Text) -> Text:
        if isinstance(text, str):
            return Text(visible_in_place(text), end="", no_wrap=True, overflow="ignore")
        shown = visible_in_place(text.plain)
        if shown is text.plain:
            return text
        return Text(
            shown,
            style=text.style,
            justify=text.justify,
            overflow=text.overflow,
            no_wrap=text.no_wrap,
            end=text.end,
            spans=list(text.spans),
        )

    def highlight(self, text: Text) -> None:  # pragma: no cover - __call__ does the work
        pass


VISIBLE_CONTROLS = VisibleControls()


class PlainInput(Input):
    """An ``Input`` whose value and placeholder are painted with controls visible."""

    def __init__(self, value: str | None = None, placeholder: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", VISIBLE_CONTROLS)
        super().__init__(value, one_line(placeholder), **kwargs)

    def validate_placeholder(self, placeholder: str) -> str:
        return one_line(placeholder)


class PlainTextArea(TextArea):
    """A ``TextArea`` whose lines are painted with controls visible (the document is kept)."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        shown = visible_in_place(line.plain)
        if shown is line.plain:
            return line
        return Text(shown, end="", no_wrap=True, spans=list(line.spans))


class LongEditor(PlainTextArea):
    """A long input (a Textbox with several lines, JSON, a Dataframe): ``ctrl+e`` edits it
    in ``$EDITOR``, the app suspended meanwhile, and takes back what was saved there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+e",
            "edit_in_editor",
            "Edit in $EDITOR",
            id="edit-in-editor",
            tooltip="Edit this field in $EDITOR (the app waits until it exits)",
        ),
    ]

    def __init__(self, text: str = "", *, suffix: str = ".txt", **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.suffix = suffix

    def action_edit_in_editor(self) -> None:
        from ..external import ExternalFailed, edit_text

        try:
            edited = edit_text(self.app, self.text, self.suffix)
        except (ExternalFailed, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        if edited is None:
            self.notify("Unchanged.")
            return
        # Through replace(), not load_text(): ctrl+z can undo the whole edit.
        self.replace(edited, (0, 0), self.document.end)
