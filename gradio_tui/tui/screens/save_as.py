"""Save as…: choose a folder and a name; an existing file is replaced only when the user says so."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label
from textual.widgets.input import Selection

from ..once import OnceModal
from ..plain import plain, plain_line
from ..widgets.editors import PlainInput
from .confirm import ConfirmScreen


@dataclass
class SaveTarget:
    """Where to write, and whether the user agreed to replace a file already there."""

    path: Path
    replace: bool = False


class SaveAsScreen(OnceModal[SaveTarget | None]):
    """Returns the chosen target, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="save-cancel"),
    ]

    def __init__(self, what: str, name: str, folder: str) -> None:
        super().__init__(classes="dialog")
        self.what = what
        self.suggested = name
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box save--box"):
            yield Label(plain_line(f"Save {self.what} as…", "bold"), classes="dialog--title")
            yield Label("Folder")
            yield PlainInput(self.folder, id="save-folder")
            yield Label("File name")
            yield PlainInput(self.suggested, id="save-name")
            yield Label("", id="save-error", classes="save--error")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        name = self.query_one("#save-name", Input)
        name.focus()
        # The stem selected, the extension kept: typing replaces just the name.
        stem = os.path.splitext(self.suggested)[0]
        name.selection = Selection(0, len(stem))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _say(self, message: str) -> None:
        self.query_one("#save-error", Label).update(plain(message))

    def _save(self) -> None:
        folder_text = self.query_one("#save-folder", Input).value.strip() or "."
        name = self.query_one("#save-name", Input).value.strip()
        folder = Path(os.path.expanduser(folder_text))
        if not name:
            self._say("Type a file name.")
            return
        if "/" in name or name in (".", ".."):
            self._say("A file name cannot hold '/': put the folder above.")
            return
        if not folder.is_dir():
            self._say(f"There is no folder {folder_text}.")
            return
        target = folder / name
        if target.is_dir():
            self._say(f"{name} is a folder.")
            return
        if not target.exists():
            self.dismiss(SaveTarget(target))
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(SaveTarget(target, replace=True))
            else:
                self._say("Not replaced: choose another name.")

        self.app.push_screen(
            ConfirmScreen(f"{target} already exists. Replace it?", yes="Replace", no="Keep it"),
            answered,
        )
