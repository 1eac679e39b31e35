"""Presets of one endpoint: save the form under a name, load, rename, delete.

The presets live in the app's presets file (``gradio_tui.presets``), which
people may edit by hand and share; every change re-reads it first. Names
come from that file: shown as plain text. Deleting asks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from ...presets import Preset, PresetError, PresetFile
from ..once import OnceModal
from ..plain import plain, plain_line
from ..widgets.editors import PlainInput
from .confirm import ConfirmScreen


@dataclass
class PresetChoice:
    """The preset to load into the form."""

    preset: Preset


class PresetsScreen(OnceModal[PresetChoice | None]):
    """Returns the preset to load, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="presets-close"),
        Binding("delete", "delete", "Delete", id="presets-delete", tooltip="Delete this preset"),
        Binding("f2", "rename", "Rename", id="presets-rename", tooltip="Rename to the name typed"),
    ]

    def __init__(
        self, presets: PresetFile, endpoint: str, values: dict[str, Any] | None, problem: str = ""
    ) -> None:
        super().__init__(classes="dialog")
        self.presets = presets
        self.endpoint = endpoint
        self.values = values
        """The form's values now (None when the form does not validate: nothing to save)."""
        self.problem = problem
        self.found: dict[str, Preset] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box presets--box"):
            yield Label(plain_line(f"Presets of {self.endpoint}", "bold"), classes="dialog--title")
            yield OptionList(id="presets-list")
            yield Label("Name")
            yield PlainInput(placeholder="a name for the form's values", id="presets-name")
            yield Label("", id="presets-message", classes="save--error")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Load", id="load", variant="primary")
                yield Button("Save form", id="save")
                yield Button("Rename", id="rename")
                yield Button("Delete", id="delete", variant="error")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.reload()
        if self.found:
            self.query_one(OptionList).focus()
        else:
            self.query_one("#presets-name", Input).focus()

    def say(self, message: str) -> None:
        self.query_one("#presets-message", Label).update(plain(message))

    def reload(self, select: str | None = None) -> None:
        loaded = self.presets.load()
        if loaded.warning:
            self.notify(loaded.warning, title="Presets", severity="warning", timeout=15)
        self.found = loaded.endpoints.get(self.endpoint, {})
        names = sorted(self.found, key=str.casefold)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(plain_line(n), id=n) for n in names])
        if not names:
            self.say("No presets yet: type a name and press enter to save the form.")
        elif select in names:
            options.highlighted = names.index(select)
        else:
            options.highlighted = 0

    def selected(self) -> str | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self.found:
            return None
        option = options.get_option_at_index(index)
        return option.id

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.query_one("#presets-name", Input).value = event.option.id

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.load()

    @on(Input.Submitted, "#presets-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "load":
            self.load()
        elif button == "save":
            self.save()
        elif button == "rename":
            self.action_rename()
        elif button == "delete":
            self.action_delete()
        else:
            self.dismiss(None)

    # -- actions ----------------------------------------------------------------------

    def load(self) -> None:
        name = self.selected()
        if name is None or name not in self.found:
            self.say("There is no preset to load yet.")
            return
        self.dismiss(PresetChoice(self.found[name]))

    def save(self) -> None:
        if self.values is None:
            self.say(self.problem or "Fix the form first: its values cannot be sent as they are.")
            return
        name = self.query_one("#presets-name", Input).value
        values = self.values

        def write(replace: bool) -> None:
            try:
                saved = self.presets.save(self.endpoint, name, values, replace=replace)
            except (PresetError, OSError) as exc:
                self.say(str(exc))
                return
            self.reload(select=saved.name)
            self.say(f"Saved the form as {saved.name!r}.")

        if " ".join(name.split()) in self.found:

            def answered(yes: bool | None) -> None:
                if yes:
                    write(True)

            self.app.push_screen(
                ConfirmScreen(f"Replace the preset {name.strip()!r} with the form's values?"),
                answered,
            )
            return
        write(False)

    def action_rename(self) -> None:
        old = self.selected()
        new = self.query_one("#presets-name", Input).value
        if old is None:
            self.say("There is no preset to rename.")
            return
        try:
            self.presets.rename(self.endpoint, old, new)
        except (PresetError, OSError) as exc:
            self.say(str(exc))
            return
        self.reload(select=" ".join(new.split()))
        self.say(f"Renamed {old!r}.")

    def action_delete(self) -> None:
        name = self.selected()
        if name is None:
            self.say("There is no preset to delete.")
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.presets.delete(self.endpoint, name)
            except (PresetError, OSError) as exc:
                self.say(str(exc))
                return
            self.reload()
            self.say(f"Deleted {name!r}.")

        self.app.push_screen(ConfirmScreen(f"Delete the preset {name!r}?", yes="Delete"), answered)
