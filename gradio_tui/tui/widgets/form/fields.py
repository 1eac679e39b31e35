"""One field class per kind of component, each with its own inline validation.

A field turns what the user typed into the Python value the client sends,
or says in one sentence why it cannot (shown under the field at once, and
the form refuses to submit). The kind is chosen from the typed ``Parameter``
(component, python type, limits, choices), never from Gradio JSON.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, Switch, TextArea

from ....client.arguments import kind_of
from ....client.endpoints import Parameter
from ....client.files import handle_file
from ...plain import LABEL_LIMIT, plain, plain_line
from ..editors import LongEditor, PlainInput

HINT_LIMIT = 400
"""Characters of a parameter's description under its field; the tooltip has more."""
TOOLTIP_LIMIT = 4000


class FieldError(ValueError):
    """What is wrong with a field's text, in words for the user."""


class Field(Vertical):
    """A labelled editor for one parameter, with a hint line and an error line."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 1 0; }
    Field > .field--label { text-style: bold; }
    Field > .field--hint { color: $text-muted; }
    Field > .field--error { color: $text-error; display: none; }
    Field.-invalid > .field--error { display: block; }
    Field.-invalid Input, Field.-invalid TextArea { border: tall $error; }
    """

    HELP: ClassVar[str] = "A parameter of the endpoint. Fix any message in red before running."

    class Edited(Message):
        """The field's value changed (the API view refreshes its snippet)."""

        def __init__(self, field: Field) -> None:
            super().__init__()
            self.field = field

    def __init__(self, param: Parameter, index: int) -> None:
        super().__init__(id=f"field-{index}", classes=f"field field-{self.kind}")
        self.param = param
        self.index = index
        self.touched = False
        self._error_shown = ""

    kind: ClassVar[str] = "base"
    empty_ok: ClassVar[bool] = False
    """Whether an empty editor is a value (an empty text) rather than a missing one."""

    # -- building ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        p = self.param
        # "*": the app has no default and an empty field cannot be sent.
        required = "" if p.has_default or self.empty_ok else " *"
        # Plain content, never markup: labels come from the app (see tui/plain.py).
        label = Label(
            Content.assemble(
                plain_line(p.label, limit=LABEL_LIMIT),
                required,
                plain_line("  " + p.component, "dim", limit=40),
            ),
            classes="field--label",
        )
        if len(p.label) > LABEL_LIMIT:
            label.tooltip = plain(p.label, limit=TOOLTIP_LIMIT)
        yield label
        yield from self.compose_editor()
        hint = self.hint()
        if hint:
            static = Static(plain(hint, limit=HINT_LIMIT), classes="field--hint")
            if len(hint) > HINT_LIMIT:
                static.tooltip = plain(hint, limit=TOOLTIP_LIMIT)
            yield static
        yield Label("", classes="field--error")

    def compose_editor(self) -> ComposeResult:
        raise NotImplementedError

    def hint(self) -> str:
        parts: list[str] = []
        if self.param.description and self.param.description not in self.param.python_type:
            parts.append(self.param.description)
        return " · ".join(parts)

    # -- values ---------------------------------------------------------------------

    def parse(self) -> Any:
        """The value to send, or :class:`FieldError` saying what is wrong."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` (from the history or a preset) as if typed; :class:`FieldError`
        when this field cannot hold it (a choice the app no longer offers, say)."""
        raise NotImplementedError

    def check(self, *, show: bool = True) -> bool:
        """Validate; show (or clear) the message under the field."""
        try:
            self.parse()
        except FieldError as exc:
            if show:
                self._show_error(f"✗ {exc}")
            return False
        self._show_error("")
        return True

    def _show_error(self, message: str) -> None:
        # Only on change: a label update re-lays the screen out, and this runs
        # on every key press.
        if message == self._error_shown:
            return
        self._error_shown = message
        # The message may quote what the user typed ("'[/]' is not a number").
        self.query_one(".field--error", Label).update(plain(message))
        self.set_class(bool(message), "-invalid")

    @property
    def error(self) -> str | None:
        try:
            self.parse()
        except FieldError as exc:
            return str(exc)
        return None

    def editor(self) -> Widget:
        """The widget that takes focus for this field."""
        return self.query_one(".field--editor", Widget)

    def changed(self) -> None:
        self.touched = True
        self.check()
        self.post_message(self.Edited(self))


def _default(param: Parameter) -> Any:
    return param.default if param.has_default else None


class TextField(Field):
    """Textbox and other free text: one line, or a text area for ``lines > 1``."""

    kind = "text"
    empty_ok = True

    def compose_editor(self) -> ComposeResult:
        value = _default(self.param)
        text = "" if value is None else str(value)
        if self.param.lines > 1:
            suffix = ".md" if self.param.component.lower() == "markdown" else ".txt"
            area = LongEditor(
                text, suffix=suffix, classes="field--editor", soft_wrap=True, tab_behavior="focus"
            )
            area.styles.height = min(self.param.lines, 8) + 2
            yield area
        else:
            yield PlainInput(
                text,
                placeholder=self.param.placeholder or "",
                password=self.param.is_password,
                classes="field--editor",
            )

    def text(self) -> str:
        editor = self.editor()
        if isinstance(editor, TextArea):
            return editor.text
        return self.query_one(Input).value

    def parse(self) -> Any:
        return self.text()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else value if isinstance(value, str) else json.dumps(value)
        editor = self.editor()
        if isinstance(editor, TextArea):
            editor.load_text(text)
        else:
            self.query_one(Input).value = text

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        self.changed()


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class NumberField(Field):
    """Number and Slider: a numeric input, integer or not, within the app's limits."""

    kind = "number"

    def compose_editor(self) -> ComposeResult:
        value = _default(self.param)
        text = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _format_number(value)
        yield PlainInput(text, placeholder=self.placeholder(), classes="field--editor")

    def placeholder(self) -> str:
        return "an integer" if self.param.is_integer else "a number"

    def hint(self) -> str:
        p = self.param
        parts = []
        if p.minimum is not None and p.maximum is not None:
            parts.append(f"from {_format_number(p.minimum)} to {_format_number(p.maximum)}")
        elif p.minimum is not None:
            parts.append(f"at least {_format_number(p.minimum)}")
        elif p.maximum is not None:
            parts.append(f"at most {_format_number(p.maximum)}")
        if p.component.lower() == "slider" and p.step:
            parts.append(f"step {_format_number(p.step)}")
        if p.is_integer:
            parts.append("integer")
        base = super().hint()
        return " · ".join([*parts, base] if base else parts)

    def parse(self) -> Any:
        text = self.query_one(Input).value.strip()
        if not text:
            raise FieldError("Enter a number.")
        try:
            number = float(text)
        except ValueError:
            raise FieldError(f"{text!r} is not a number.") from None
        if not math.isfinite(number):
            raise FieldError("Enter a finite number.")
        p = self.param
        if p.is_integer and not number.is_integer():
            raise FieldError(f"{text} is not a whole number.")
        if p.minimum is not None and number < p.minimum:
            raise FieldError(f"{text} is below the minimum {_format_number(p.minimum)}.")
        if p.maximum is not None and number > p.maximum:
            raise FieldError(f"{text} is above the maximum {_format_number(p.maximum)}.")
        if p.is_integer or (number.is_integer() and "." not in text and "e" not in text.lower()):
            return int(number)
        return number

    def set_value(self, value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _format_number(value)
        else:
            text = "" if value is None else str(value)
        self.query_one(Input).value = text

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.changed()


class ChoiceField(Field):
    """Radio and Dropdown: one of the app's choices."""

    kind = "choice"

    def compose_editor(self) -> ComposeResult:
        choices = self.param.choices or []
        default = _default(self.param)
        options = [(plain_line(c, limit=LABEL_LIMIT), i) for i, c in enumerate(choices)]
        index = next((i for i, c in enumerate(choices) if c == default), None)
        # Kept here as well as in the Select: its value is set only once mounted,
        # and a fast ctrl+r must still send the default.
        self.choice: int | None = index
        yield Select(
            options,
            prompt="choose…",
            allow_blank=index is None,
            value=index if index is not None else Select.NULL,
            classes="field--editor",
        )

    def parse(self) -> Any:
        value = self.choice
        if not isinstance(value, int):
            raise FieldError("Choose one of the options.")
        return (self.param.choices or [])[value]

    def set_value(self, value: Any) -> None:
        choices = self.param.choices or []
        if value not in choices:
            raise FieldError(f"{value!r} is not one of the choices any more.")
        index = choices.index(value)
        self.choice = index
        self.query_one(Select).value = index

    @on(Select.Changed)
    def _edited(self, event: Select.Changed) -> None:
        event.stop()
        self.choice = event.value if isinstance(event.value, int) else None
        self.changed()


class MultiChoiceField(Field):
    """CheckboxGroup and multi-select Dropdown: any of the app's choices."""

    kind = "multichoice"
    empty_ok = True

    def compose_editor(self) -> ComposeResult:
        choices = self.param.choices or []
        default = _default(self.param)
        chosen = default if isinstance(default, list) else []
        selections = [
            (plain_line(c, limit=LABEL_LIMIT), i, c in chosen) for i, c in enumerate(choices)
        ]
        sel = SelectionList[int](*selections, classes="field--editor")
        sel.styles.height = min(len(choices), 6) + 2
        yield sel

    def parse(self) -> Any:
        choices = self.param.choices or []
        return [choices[i] for i in sorted(self.query_one(SelectionList).selected)]

    def set_value(self, value: Any) -> None:
        choices = self.param.choices or []
        chosen = value if isinstance(value, list) else [] if value is None else [value]
        missing = [v for v in chosen if v not in choices]
        if missing:
            raise FieldError(f"{missing[0]!r} is not one of the choices any more.")
        selection = self.query_one(SelectionList)
        selection.deselect_all()
        for item in chosen:
            selection.select(choices.index(item))

    @on(SelectionList.SelectedChanged)
    def _edited(self, event: SelectionList.SelectedChanged[int]) -> None:
        event.stop()
        self.changed()


class BoolField(Field):
    """Checkbox: a switch."""

    kind = "bool"
    empty_ok = True

    def compose_editor(self) -> ComposeResult:
        yield Switch(bool(_default(self.param)), classes="field--editor")

    def parse(self) -> Any:
        return bool(self.query_one(Switch).value)

    def set_value(self, value: Any) -> None:
        self.query_one(Switch).value = bool(value)

    @on(Switch.Changed)
    def _edited(self, event: Switch.Changed) -> None:
        event.stop()
        self.changed()


class FileField(Field):
    """File, Image, Audio, Video…: a local path or URL, with a file picker."""

    kind = "file"

    class Browse(Message):
        """Ask the screen to open the file picker for this field."""

        def __init__(self, field: FileField) -> None:
            super().__init__()
            self.field = field

    def __init__(self, param: Parameter, index: int, max_file_size: int | None = None) -> None:
        super().__init__(param, index)
        self.max_file_size = max_file_size

    def hint(self) -> str:
        """One line: which files the app takes and how big (never the type's docstring)."""
        parts: list[str] = []
        types = self.param.props.get("file_types")
        if isinstance(types, list) and types:
            shown = ", ".join(str(t) for t in types[:8] if isinstance(t, str))
            if shown:
                parts.append(f"accepts {shown}" + (" …" if len(types) > 8 else ""))
        if self.param.multiple:
            parts.append("several files, separated by ;")
        if self.max_file_size:
            parts.append(f"at most {format_size(self.max_file_size)} each")
        return " · ".join(parts) or "a local file, or a URL"

    def compose_editor(self) -> ComposeResult:
        with Horizontal(classes="file-row"):
            hint = "paths separated by ;" if self.param.multiple else "a file path or URL"
            yield PlainInput("", placeholder=hint, classes="field--editor")
            yield Button("Browse…", classes="field--browse", compact=True)

    def parse(self) -> Any:
        text = self.query_one(Input).value.strip()
        if not text:
            if self.param.has_default:
                return self.param.default
            raise FieldError("Choose a file (Browse…) or type its path or URL.")
        names = [t.strip() for t in text.split(";") if t.strip()] if self.param.multiple else [text]
        values = []
        for name in names:
            if not name.startswith(("http://", "https://")):
                path = os.path.expanduser(name)
                if not os.path.exists(path):
                    raise FieldError(f"No such file: {name}")
                name = path
            try:
                values.append(handle_file(name))
            except ValueError as exc:
                raise FieldError(str(exc)) from None
        return values if self.param.multiple else values[0]

    def set_value(self, value: Any) -> None:
        paths = value if isinstance(value, list) else [] if value is None else [value]
        names = [p.get("path") or p.get("url") if isinstance(p, dict) else p for p in paths]
        self.query_one(Input).value = "; ".join(str(n) for n in names if n)

    def set_path(self, path: str) -> None:
        editor = self.query_one(Input)
        if self.param.multiple and editor.value.strip():
            editor.value = editor.value.rstrip("; ") + "; " + path
        else:
            editor.value = path

    @on(Button.Pressed, ".field--browse")
    def _browse(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Browse(self))

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.changed()


class JsonField(Field):
    """JSON, Dataframe and anything else structured: a JSON editor."""

    kind = "json"
    empty_ok = True

    def compose_editor(self) -> ComposeResult:
        default = _default(self.param)
        if default is None and not self.param.has_default:
            default = self.param.example
        text = "" if default is None else json.dumps(default, indent=2, ensure_ascii=False)
        area = LongEditor(
            text,
            suffix=".json",
            classes="field--editor",
            tab_behavior="focus",
            show_line_numbers=False,
        )
        area.styles.height = min(max(text.count("\n") + 1, 3), 10) + 2
        yield area

    def hint(self) -> str:
        base = super().hint()
        kind = "a table as JSON" if self.is_table else "JSON"
        return f"{kind} · {base}" if base else kind

    @property
    def is_table(self) -> bool:
        return self.param.component.lower() == "dataframe"

    def parse(self) -> Any:
        text = self.query_one(TextArea).text.strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise FieldError(f"Invalid JSON: {exc}") from None
        if self.is_table and not _is_table(value):
            raise FieldError('A table is {"headers": [...], "data": [[...], ...]}.')
        return value

    def set_value(self, value: Any) -> None:
        text = "" if value is None else json.dumps(value, indent=2, ensure_ascii=False)
        self.query_one(TextArea).load_text(text)

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        self.changed()


def _is_table(value: Any) -> bool:
    """The Dataframe wire shape: ``{"headers": [...], "data": [[...], ...]}``."""
    if not isinstance(value, dict):
        return False
    data, headers = value.get("data"), value.get("headers")
    return (
        isinstance(data, list)
        and all(isinstance(row, list) for row in data)
        and isinstance(headers, list)
    )


def field_kind(param: Parameter) -> type[Field]:
    """Which field class edits ``param``: the kind the command line reads it as."""
    return _FIELD_OF_KIND[kind_of(param)]


_FIELD_OF_KIND: dict[str, type[Field]] = {
    "file": FileField,
    "choice": ChoiceField,
    "choices": MultiChoiceField,
    "number": NumberField,
    "bool": BoolField,
    "text": TextField,
    "json": JsonField,
}


def field_for(param: Parameter, index: int, *, max_file_size: int | None = None) -> Field:
    kind = field_kind(param)
    if kind is FileField:
        return FileField(param, index, max_file_size)
    return kind(param, index)


def format_size(size: int) -> str:
    """``10 MB``, ``512 KB``, ``3 bytes``: sizes as people say them (powers of 1000)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            value = size / scale
            return (
                f"{value:.0f} {unit}"
                if value >= 10 or value.is_integer()
                else f"{value:.1f} {unit}"
            )
    return f"{size} bytes"
