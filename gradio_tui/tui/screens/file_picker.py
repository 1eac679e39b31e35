"""Pick a file for a File/Image/Audio parameter: a directory tree and a path box."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text, TextType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DirectoryTree, Footer, Input, Label

from ..once import OnceModal
from ..plain import plain_line, plain_text


class VisibleDirectoryTree(DirectoryTree):
    """Hides dot-files: they are rarely what one sends to an app."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")]

    def process_label(self, label: TextType) -> Text:
        # File names are data (a download may be named "[link=…]x" or hold an ESC):
        # Tree would read a str label as markup.
        if isinstance(label, str):
            label = plain_text(label, line=True)
        return super().process_label(label)


class FilePickerScreen(OnceModal[str | None]):
    """Returns the chosen path, or None when dismissed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker-cancel"),
    ]

    def __init__(self, start: Path | None = None, title: str = "Choose a file") -> None:
        super().__init__(classes="dialog")
        self.start = start or Path.cwd()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box picker--box"):
            yield Label(plain_line(self.title_text), classes="dialog--title")
            yield VisibleDirectoryTree(self.start, id="picker-tree")
            yield Input(placeholder="or type a path and press enter", id="picker-path")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Choose", id="choose", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(str(event.path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "choose":
            self._choose()
        else:
            self.dismiss(None)

    def _choose(self) -> None:
        text = self.query_one("#picker-path", Input).value.strip()
        if text:
            self.dismiss(text)
            return
        node = self.query_one(VisibleDirectoryTree).cursor_node
        if node is not None and node.data is not None and node.data.path.is_file():
            self.dismiss(str(node.data.path))
        else:
            self.notify("Pick a file, or type its path.", severity="warning")
