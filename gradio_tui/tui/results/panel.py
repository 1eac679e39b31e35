"""A result drawn where it is: one block per output, each with its own view and keys.

``ResultPanel.show(items)`` builds a block per :class:`OutputItem` (an image, a
table, a JSON tree, a conversation, a chart, a file's facts, text). Keys act
on the block that has the focus (or holds it): **c** copy, **s** save as…,
**o** open with the system's application, **e** ``$EDITOR``, **p** ``$PAGER``.
The job view and the history view both use it; the panel rebuilds only when
the value changes, and a stream of text updates its view in place.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from .. import memory
from ..plain import LABEL_LIMIT, plain, plain_text
from .actions import copy_item, external_item, open_item, save_item
from .facts import FileFacts, file_facts
from .image import MAX_ROWS, image_widget
from .model import OutputItem, is_long_text, to_text
from .plots import chart_of, plot_kind, plot_png, plot_table
from .table import ResultTable
from .views import ChatView, JsonTree, LongText, chart_widget

if TYPE_CHECKING:
    from ..app import GradioTUI

CAPTION_LIMIT = 80
"""Characters of an output's label above it (the API view, F4, has it whole)."""


class OutputBlock(Vertical, can_focus=True):
    """One output (or one image of a Gallery): a caption, its view, and its facts."""

    HELP: ClassVar[str] = (
        "One part of the result. **c** copies it (a file's path, a table as CSV, text or "
        "JSON), **s** saves it as a file, **o** opens it with the system's application, "
        "**e** shows its text in $EDITOR and **p** in $PAGER."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", id="result-copy", tooltip="Copy this output"),
        Binding("s", "save", "Save as…", id="result-save", tooltip="Save this output as a file"),
        Binding(
            "o", "open", "Open", id="result-open", tooltip="Open with the system's application"
        ),
        Binding("e", "editor", "Editor", id="result-editor", tooltip="Show the text in $EDITOR"),
        Binding("p", "pager", "Pager", id="result-pager", tooltip="Show the text in $PAGER"),
    ]

    DEFAULT_CSS = """
    OutputBlock { height: auto; margin-bottom: 1; padding-left: 1; border-left: blank; }
    OutputBlock:focus-within { border-left: outer $primary 60%; }
    OutputBlock:focus { border-left: outer $primary; }
    OutputBlock > .output--caption { color: $text; }
    OutputBlock > .output--facts { color: $text-muted; }
    OutputBlock > .output--note { color: $text-muted; text-style: italic; }
    OutputBlock > .output--preview { background: $boost; padding: 0 1; }
    """

    def __init__(self, item: OutputItem, *, redact: bool = False, cut: bool = False) -> None:
        super().__init__(classes=f"output output-{item.kind}")
        self.item = item
        self.redact = redact
        self.cut = cut
        """The history kept only a preview of this value."""
        self.body: Widget | None = None
        self.reveal = False
        """Scroll the enclosing view to this block once it is laid out (a new result)."""

    @property
    def tui(self) -> GradioTUI:
        return self.app  # type: ignore[return-value]

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        item = self.item
        yield Static(self._caption(), classes="output--caption")
        if self.cut:
            yield Static("The history kept only a preview of this value.", classes="output--note")
        if item.path is not None:
            yield Static(self._facts_text(None), classes="output--facts")
        body = self._body()
        if body is not None:
            self.body = body
            yield body

    def on_mount(self) -> None:
        if self.reveal:
            self.call_after_refresh(self.scroll_visible, animate=False, top=True)
        if self.item.path is not None:
            path = self.item.path
            self.run_worker(
                lambda: self._facts_done(file_facts(path)),
                thread=True,
                exit_on_error=False,
                group="facts",
            )

    def _facts_done(self, facts: FileFacts) -> None:
        self.app.call_from_thread(self._show_facts, facts)

    def _show_facts(self, facts: FileFacts) -> None:
        if not self.is_attached:
            return
        self.query_one(".output--facts", Static).update(self._facts_text(facts))
        if facts.preview is not None and self.item.kind == "file":
            self.mount(Static(plain(facts.preview), classes="output--preview"))

    def _caption(self) -> Text:
        item = self.item
        text = plain_text(item.label, "bold", limit=CAPTION_LIMIT, line=True)
        if item.part:
            text.append(f" {item.part}", style="bold")
        text.append_text(plain_text(f"  {item.component or item.kind}", "dim", limit=40, line=True))
        if item.caption:
            text.append("  ")
            text.append_text(plain_text(item.caption, "italic", limit=LABEL_LIMIT, line=True))
        return text

    def _facts_text(self, facts: FileFacts | None) -> Text:
        path = self.item.path or ""
        shown = os.path.basename(path) if self.redact else path
        text = Text.assemble(plain_text(shown, "underline", line=True))
        if facts is None:
            text.append("  …", style="dim")
        elif not facts.exists:
            text.append("  gone: the file is no longer there", style="bold")
        else:
            text.append(f"  {facts.summary()}", style="dim")
            if self.item.kind in ("media", "file"):
                text.append("\no opens it with the system's application, s saves a copy", "dim")
        return text

    def _body(self) -> Widget | None:
        item = self.item
        kind = item.kind
        if item.gone():
            return None
        if kind == "image":
            # A Gallery's images are thumbnails, so that several fit on screen.
            return image_widget(item.path or "", max_rows=10 if item.part else MAX_ROWS)
        if kind in ("media", "file"):
            return None  # the facts line says it all; o opens, s saves
        if kind == "table":
            value = item.value
            return ResultTable(value.get("headers") or [], value.get("data") or [])
        if kind == "json":
            return JsonTree(item.value)
        if kind == "chat":
            return ChatView(item.value, redact=self.redact)
        if kind == "plot":
            return self._plot_body()
        if kind == "text":
            text = item.value
            if is_long_text(text):
                return LongText(text)
            return Static(plain(text), classes="output--text")
        return Static(_scalar(item.value), classes="output--text")

    def _plot_body(self) -> Widget:
        value = self.item.value
        chart = chart_of(value)
        if chart is not None:
            return chart_widget(chart)
        png = plot_png(value)
        if png is not None:
            from .image import HalfBlockImage

            return HalfBlockImage(png)
        kind = plot_kind(value)
        hint = (
            "o opens it in the browser, s saves it"
            if kind in ("plotly", "altair")
            else "s saves its data, o opens that"
        )
        rows = plot_table(value)
        count = f" ({len(rows['data'])} rows)" if rows else ""
        return Static(
            plain(f"This {kind} plot{count} has nothing a terminal can draw: {hint}."),
            classes="output--note",
        )

    def update_value(self, item: OutputItem) -> bool:
        """Show a new value of the same shape in place; False when a rebuild is needed."""
        body = self.body
        self.item = item
        if item.kind != "text" or body is None:
            return False
        text = item.value
        if isinstance(body, LongText):
            body.update_text(text)
            return True
        if isinstance(body, Static) and not is_long_text(text):
            body.update(plain(text))
            return True
        return False

    # -- keys -------------------------------------------------------------------------------

    def action_copy(self) -> None:
        copy_item(self.tui, self.item)

    def action_save(self) -> None:
        save_item(self.tui, self.item)

    def action_open(self) -> None:
        open_item(self.tui, self.item)

    def action_editor(self) -> None:
        external_item(self.tui, self.item, pager=False)

    def action_pager(self) -> None:
        external_item(self.tui, self.item, pager=True)


def _scalar(value: Any) -> Text:
    if isinstance(value, bool) or value is None:
        return Text(repr(value), style="italic")
    if isinstance(value, int | float):
        return Text(repr(value), style="bold")
    return plain_text(to_text(value))


class ResultPanel(Vertical):
    """The blocks of one result (a job's latest value, or a past job's stored outputs)."""

    DEFAULT_CSS = """
    ResultPanel { height: auto; }
    """

    def __init__(self, *, redact: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.redact = redact
        self.items: list[OutputItem] = []
        self._value: object = None
        self._shape: tuple[tuple[str, str, str], ...] = ()

    def show(
        self,
        items: list[OutputItem],
        value: object = None,
        *,
        cut: bool = False,
        reveal: bool = False,
    ) -> bool:
        """Show ``items`` (``value`` is what they came from: the same value is not redrawn);
        True when the blocks were built anew (not kept, not updated in place)."""
        if value is not None and value is self._value and self.children:
            return False
        shape = tuple((i.kind, i.label, i.part) for i in items)
        blocks = list(self.query_children(OutputBlock))
        same_shape = shape == self._shape and len(blocks) == len(items)
        if same_shape and all(b.update_value(i) for b, i in zip(blocks, items, strict=True)):
            self.items, self._value = items, value
            return False
        self.items, self._value, self._shape = items, value, shape
        self.remove_children()
        new = [OutputBlock(i, redact=self.redact, cut=cut) for i in items]
        if new and reveal:
            new[0].reveal = True
        self.mount_all(new)
        # A result lives as long as its job: a 10,000-row table is 10,000 lists the
        # cycle collector would walk on every full pass while it is scrolled.
        self.call_after_refresh(memory.keep)
        return True

    def clear(self) -> None:
        if self.children:
            self.remove_children()
        self.items, self._value, self._shape = [], None, ()

    def current(self) -> OutputBlock | None:
        """The block that holds the focus, else the first one."""
        focused = self.app.focused
        for block in self.query_children(OutputBlock):
            if focused is not None and (focused is block or block in focused.ancestors):
                return block
        blocks = list(self.query_children(OutputBlock))
        return blocks[0] if blocks else None
