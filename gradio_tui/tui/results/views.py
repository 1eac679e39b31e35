"""The view of each kind of result: JSON tree, long text, conversation, chart, facts.

Each takes app data and shows it as plain text (``tui/plain.py``): tree
labels, chat messages, chart labels and file names never meet a markup
parser, and their control characters are shown, not sent.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Offset
from textual.widget import Widget
from textual.widgets import Input, Static, Tree
from textual.widgets.text_area import Selection
from textual.widgets.tree import TreeNode

from ...client.untrusted import one_line
from ..plain import plain, plain_text
from ..widgets.editors import PlainInput, PlainTextArea
from ..widgets.follow import FollowsEnd
from .plots import Chart

TREE_CHILDREN = 500
"""Children a JSON node lists before "… N more" (the rest are a save or copy away)."""
TREE_KEY_LIMIT = 32
"""Characters of a key shown before its value (a long key is cut; c copies it all)."""
TREE_OPEN_LIMIT = 60
"""A JSON value with at most this many nodes opens fully; a bigger one opens its top."""
TEXT_ROWS = 16
"""Rows a long text takes in the job view (it scrolls inside)."""
TEXT_LIMIT = 2_000_000
"""Characters a text view holds; ``e``, ``p``, ``s`` and ``c`` still get them all."""


# -- JSON -----------------------------------------------------------------------------------


def _preview(value: Any, limit: int = 80) -> Text:
    if isinstance(value, str):
        return plain_text(json.dumps(value, ensure_ascii=False), "green", limit=limit, line=True)
    if isinstance(value, bool) or value is None:
        return Text(json.dumps(value), style="italic")
    if isinstance(value, int | float):
        return Text(repr(value), style="bold")
    if isinstance(value, dict):
        return Text(f"{{…}} {len(value)} key{'s' if len(value) != 1 else ''}", style="dim")
    if isinstance(value, list):
        return Text(f"[…] {len(value)} item{'s' if len(value) != 1 else ''}", style="dim")
    return plain_text(repr(value), limit=limit, line=True)


def _count(value: Any, limit: int) -> int:
    """Nodes in ``value``, counting no further than ``limit``."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        total += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return total


class JsonTree(Tree[Any]):
    """A JSON value as a collapsible tree; children are built when a node opens."""

    HELP: ClassVar[str] = (
        "A JSON result. **enter**/**space** opens or closes a node, **c** copies the value "
        "under the cursor as JSON, **s** saves the whole result."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_node", "Copy node", id="json-copy-node", tooltip="Copy this value"),
    ]
    DEFAULT_CSS = """
    JsonTree { height: auto; max-height: 24; background: $surface; }
    """

    def __init__(self, value: Any, **kwargs: Any) -> None:
        super().__init__(Text.assemble(("JSON ", "bold"), _preview(value)), data=value, **kwargs)
        self.show_root = True
        self.guide_depth = 3
        self._filled: set[int] = set()
        self._fill(self.root)
        self.root.expand()
        if _count(value, TREE_OPEN_LIMIT) <= TREE_OPEN_LIMIT:
            self.root.expand_all()
            for node in self._walk(self.root):
                self._fill(node)
            self.root.expand_all()

    def _walk(self, node: TreeNode[Any]) -> list[TreeNode[Any]]:
        out = [node]
        for child in node.children:
            out.extend(self._walk(child))
        return out

    def _fill(self, node: TreeNode[Any]) -> None:
        if node.id in self._filled:
            return
        self._filled.add(node.id)
        value = node.data
        if isinstance(value, dict):
            pairs: list[tuple[Text, Any]] = [
                (plain_text(str(k), "bold", limit=TREE_KEY_LIMIT, line=True), v)
                for k, v in value.items()
            ]
        elif isinstance(value, list):
            pairs = [(Text(str(i), style="dim"), v) for i, v in enumerate(value)]
        else:
            return
        for key, child in pairs[:TREE_CHILDREN]:
            label = Text.assemble(key, ": ", _preview(child))
            if isinstance(child, dict | list) and child:
                node.add(label, data=child)
            else:
                node.add_leaf(label, data=child)
        if len(pairs) > TREE_CHILDREN:
            more = len(pairs) - TREE_CHILDREN
            node.add_leaf(Text(f"… {more} more (s saves them all)", style="dim italic"))

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        self._fill(event.node)

    def action_copy_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        text = json.dumps(node.data, indent=2, ensure_ascii=False, default=str)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters.")


# -- text -----------------------------------------------------------------------------------


class TextResultArea(FollowsEnd, PlainTextArea):
    """A text result, read only; a streamed one keeps to its end as it grows."""

    def show_text(self, text: str) -> None:
        """A stream's next text: its end kept while followed, else the reader's place."""
        selection = self.selection
        self.load_text(text)  # puts the cursor at the start
        if not self.following:
            self.selection = selection  # a cursor the reader moved is where they read

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        # While following, the end is shown, not the cursor (left at the start); the
        # scroll bar's arrival, for one, scrolls to the cursor.
        if self.following:
            self.keep_to_end()
            return Offset(0, 0)
        return super().scroll_cursor_visible(center, animate)


class LongText(Vertical):
    """Long text: scrollable, and searchable with ``/`` (``n``/``N`` for the next match)."""

    HELP: ClassVar[str] = (
        "A long text result. **/** finds text, **n** and **N** go to the next and previous "
        "match; **e** opens it in $EDITOR, **p** in $PAGER."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "Find", id="text-find", tooltip="Find text in this result"),
        Binding("n", "next(1)", "Next", id="text-next", show=False),
        Binding("N", "next(-1)", "Previous", id="text-previous", show=False),
    ]
    DEFAULT_CSS = """
    LongText { height: auto; }
    LongText > .text--find { display: none; }
    LongText.-finding > .text--find { display: block; }
    LongText > .text--note { color: $text-muted; }
    """

    def __init__(self, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.full_length = len(text)
        self.text = text[:TEXT_LIMIT]
        self.query_text = ""
        self._folded = self.text.lower()

    def compose(self) -> ComposeResult:
        yield PlainInput(placeholder="find…", classes="text--find")
        area = TextResultArea(
            self.text, read_only=True, soft_wrap=True, show_line_numbers=False, classes="text--area"
        )
        area.styles.height = min(TEXT_ROWS, self.text.count("\n") + 3)
        yield area
        if self.full_length > len(self.text):
            yield Static(
                plain(f"(the first {len(self.text):,} of {self.full_length:,} characters)"),
                classes="text--note",
            )

    @property
    def area(self) -> TextResultArea:
        return self.query_one(TextResultArea)

    def update_text(self, text: str) -> None:
        """New text (a stream's next output), keeping the reader's place if not at the end."""
        self.full_length = len(text)
        self.text = text[:TEXT_LIMIT]
        self._folded = self.text.lower()
        areas = self.query(TextResultArea)
        if not areas:
            return  # not composed yet: compose shows the latest text
        area = areas.first()
        area.follow = True  # a stream: its end is kept, unless the reader scrolls away
        area.show_text(self.text)
        area.styles.height = min(TEXT_ROWS, self.text.count("\n") + 3)

    def action_find(self) -> None:
        self.add_class("-finding")
        self.query_one(".text--find", Input).focus()

    @on(Input.Submitted, ".text--find")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_text = event.value
        self.action_next(1)
        self.area.focus()

    def on_key(self, event: Any) -> None:
        if event.key == "escape" and self.has_class("-finding"):
            event.stop()
            self.remove_class("-finding")
            self.area.focus()

    def action_next(self, direction: int) -> None:
        needle = self.query_text.lower()
        if not needle:
            self.action_find()
            return
        area = self.area
        text = self._folded
        start = self._offset(area.selection.end if direction > 0 else area.selection.start)
        index = text.find(needle, start) if direction > 0 else text.rfind(needle, 0, start)
        if index < 0:  # wrap around
            index = text.find(needle) if direction > 0 else text.rfind(needle)
        if index < 0:
            self.notify("Not found.", severity="warning")
            return
        area.away = True  # a search is the reader's move: a stream no longer pulls them on
        area.selection = Selection(self._location(index), self._location(index + len(needle)))
        area.scroll_cursor_visible(center=True, animate=False)

    def _location(self, offset: int) -> tuple[int, int]:
        row = self.text.count("\n", 0, offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return row, offset - line_start

    def _offset(self, location: tuple[int, int]) -> int:
        row, column = location
        offset = 0
        for _ in range(row):
            found = self.text.find("\n", offset)
            if found < 0:
                break
            offset = found + 1
        return offset + column


# -- conversation ---------------------------------------------------------------------------


def chat_messages(value: Any) -> list[tuple[str, str, list[str]]]:
    """``(role, text, files)`` per message, from either Chatbot format.

    ``messages``: ``[{"role": …, "content": str | [parts] | {file}, "metadata": {title}}]``;
    ``tuples``: ``[[user, bot], …]`` where each side is text, a file, or None.
    """
    out: list[tuple[str, str, list[str]]] = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and "role" in entry:
            text, files = _content(entry.get("content"))
            meta = entry.get("metadata")
            title = meta.get("title") if isinstance(meta, dict) else None
            if isinstance(title, str) and title:
                text = f"⚙ {title}\n{text}" if text else f"⚙ {title}"
            out.append((str(entry.get("role", "")), text, files))
        elif isinstance(entry, list | tuple) and len(entry) == 2:
            for role, side in zip(("user", "assistant"), entry, strict=True):
                if isinstance(side, list | tuple) and side and isinstance(side[0], str):
                    out.append((role, "", [side[0]]))  # a (path, alt text) file message
                elif side is not None:
                    text, files = _content(side)
                    out.append((role, text, files))
    return out


def _content(content: Any) -> tuple[str, list[str]]:
    texts: list[str] = []
    files: list[str] = []
    parts = content if isinstance(content, list) else [content]
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            if isinstance(part.get("text"), str):
                texts.append(part["text"])
            media = part.get("file") or part.get("path")
            if isinstance(media, dict):
                media = media.get("path")
            if isinstance(media, str):
                files.append(media)
            if part.get("type") == "component":
                texts.append(f"[{part.get('component', 'component')}]")
        elif part is not None:
            texts.append(json.dumps(part, ensure_ascii=False, default=str))
    return "\n".join(texts), files


class ChatView(Vertical):
    """A Chatbot result as a conversation: one block per message, the user's on the right."""

    DEFAULT_CSS = """
    ChatView { height: auto; }
    ChatView > .chat--message { height: auto; padding: 0 1; margin-bottom: 1; }
    ChatView > .chat--user { margin-left: 6; border-left: thick $accent; background: $boost; }
    ChatView > .chat--assistant { margin-right: 6; border-left: thick $primary; }
    ChatView > .chat--other { border-left: thick $warning; }
    """

    def __init__(self, value: Any, *, redact: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.messages = chat_messages(value)
        self.redact = redact

    def compose(self) -> ComposeResult:
        if not self.messages:
            yield Static("(an empty conversation)", classes="chat--message")
        for role, text, files in self.messages[-200:]:
            kind = role if role in ("user", "assistant") else "other"
            body = Text.assemble(plain_text(role or "?", "bold", limit=40, line=True), "\n")
            body.append_text(plain_text(text))
            for path in files:
                shown = path.rsplit("/", 1)[-1] if self.redact else path
                body.append_text(Text.assemble("\n📎 ", plain_text(shown, "underline")))
            yield Static(body, classes=f"chat--message chat--{kind}")


# -- charts ---------------------------------------------------------------------------------


_chart_class: type[Widget] | None = None


def chart_widget(chart: Chart) -> Widget:
    """A textual-plotext chart of ``chart`` (imported on first use: it costs ~70 ms)."""
    global _chart_class
    if _chart_class is None:
        _chart_class = _make_chart_class()
    return _chart_class(chart)  # type: ignore[arg-type]


def _make_chart_class() -> type[Widget]:
    from textual_plotext import PlotextPlot

    class ChartPlot(PlotextPlot):
        """A chart of a plot result; its labels are app data, made visible first."""

        DEFAULT_CSS = "ChartPlot { height: 18; width: 1fr; }"

        def __init__(self, chart: Chart) -> None:
            super().__init__()
            self.chart = chart

        def on_mount(self) -> None:
            chart, plt = self.chart, self.plt
            plt.clear_figure()
            if chart.title:
                plt.title(one_line(chart.title, 80))
            if chart.x_label:
                plt.xlabel(one_line(chart.x_label, 40))
            if chart.y_label:
                plt.ylabel(one_line(chart.y_label, 40))
            categorical = chart.categorical
            ticks: list[str] = []
            for series in chart.series:
                name = one_line(series.name, 40)
                xs: list[Any] = series.x
                if categorical:
                    ticks = [one_line(str(x), 20) for x in series.x]
                    xs = list(range(len(series.x)))
                if chart.mark == "bar":
                    plt.bar(ticks if categorical else xs, series.y, label=name)
                elif chart.mark == "point":
                    plt.scatter(xs, series.y, label=name)
                else:
                    plt.plot(xs, series.y, label=name)
            if categorical and chart.mark != "bar" and ticks:
                plt.xticks(list(range(len(ticks))), ticks)

    return ChartPlot
