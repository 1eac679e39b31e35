"""The history view's list of past jobs: one line each, newest first, any number of them.

Built like the jobs panel (Textual's line API): a frame renders only the
lines on screen, so 10,000 jobs open as fast as 10. Every cell quotes the
history file (endpoint names, inputs, outputs, error words), which is data:
plain text with controls made visible.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...history import JobEntry, output_preview, preview
from ..plain import plain_text

# (title, width); the last column takes the rest of the line.
COLUMNS = (("when", 15), ("endpoint", 16), ("status", 10), ("time", 7), ("inputs → result", 0))
STATUS_STYLES = {"finished": "success", "error": "error", "cancelled": "warning"}
STATUS_WORDS = {"finished": "done", "error": "failed", "cancelled": "cancelled"}
LINE_CACHE = 4096


def when_text(started: str) -> str:
    """``2025-01-31T12:34:56`` → ``01-31 12:34:56`` (the year is rarely what one looks for)."""
    return started[5:19].replace("T", " ") if len(started) >= 19 else started


def summary(entry: JobEntry) -> str:
    inputs = ", ".join(
        f"{i.name}=" + ("•••" if i.secret else preview(i.value, 30)) for i in entry.inputs
    )
    if entry.error is not None:
        outcome = entry.error.message
    else:
        outcome = " | ".join(output_preview(o, 60) for o in entry.outputs)
    return f"{inputs} → {outcome}" if inputs else f"→ {outcome}"


def _cell(text: Text, width: int) -> Text:
    text.truncate(width - 1, overflow="ellipsis", pad=True)
    text.append(" ")
    return text


class HistoryList(ScrollView, can_focus=True):
    """Past jobs; the cursor line is shown beside (or below) the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="history-up"),
        Binding("down", "cursor(1)", "Down", show=False, id="history-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="history-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="history-page-down"),
        Binding("home", "jump(0)", "Newest", show=False, id="history-first"),
        Binding("end", "jump(-1)", "Oldest", show=False, id="history-last"),
    ]

    DEFAULT_CSS = """
    HistoryList { background: $surface; }
    HistoryList > .historylist--header { text-style: bold; background: $panel; }
    HistoryList > .historylist--cursor { background: $primary 30%; }
    HistoryList:focus > .historylist--cursor { background: $primary; color: $text; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"historylist--header", "historylist--cursor"}

    cursor: reactive[int] = reactive(-1)

    class Highlighted(Message):
        def __init__(self, entry: JobEntry | None) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, redact: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.redact = redact
        self.entries: list[JobEntry] = []
        # Each job's line, drawn once per width: a frame (a scroll, a cursor move, the
        # view's first frames) redraws the lines on screen from here.
        self._lines: dict[tuple[int, int], tuple[JobEntry, Strip]] = {}

    def set_entries(self, entries: list[JobEntry]) -> None:
        """Show ``entries`` (newest first); the cursor goes to the first."""
        self.entries = entries
        self.virtual_size = Size(self.size.width, len(entries) + 1)
        self.scroll_to(y=0, animate=False)
        previous = self.cursor
        self.cursor = 0 if entries else -1
        if previous == self.cursor:
            self.post_message(self.Highlighted(self.selected()))
        self.refresh()

    def selected(self) -> JobEntry | None:
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def watch_cursor(self, _old: int, new: int) -> None:
        if 0 <= new < len(self.entries):
            # Line 0 is the sticky header: the entry's line is new + 1.
            self.scroll_to_region(Region(0, new + 1, 1, 1), animate=False, force=True)
            if new + 1 - int(self.scroll_y) < 1:
                self.scroll_to(y=new, animate=False, force=True)
        self.refresh()
        self.post_message(self.Highlighted(self.selected()))

    def _move_to(self, index: int) -> None:
        if self.entries:
            self.cursor = max(0, min(len(self.entries) - 1, index))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 2))

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self.entries) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y > 0:
            self._move_to(int(self.scroll_y) + event.y - 1)

    # -- painting ----------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        fixed = [w for _t, w in COLUMNS[:-1]]
        return [*fixed, max(10, width - sum(fixed))]

    def header(self, width: int) -> Text:
        line = Text()
        for (title, _w), w in zip(COLUMNS, self._widths(width), strict=True):
            line.append_text(_cell(Text(title), w))
        return line

    def line_text(self, entry: JobEntry, width: int) -> Text:
        widths = self._widths(width)
        status = STATUS_WORDS.get(entry.status, entry.status)
        variable = STATUS_STYLES.get(entry.status)
        colour = self.app.theme_variables.get(variable, "") if variable else ""
        took = "–" if self.redact or entry.duration is None else f"{entry.duration:.1f}s"
        when = "–" if self.redact else when_text(entry.started)
        cells = [
            Text(when, style="dim"),
            plain_text(entry.endpoint, limit=widths[1], line=True),
            Text(status, style=f"bold {colour}".strip()),
            Text(took),
            plain_text(summary(entry), limit=widths[4] + 1, line=True),
        ]
        line = Text()
        for cell, w in zip(cells, widths, strict=True):
            line.append_text(_cell(cell, w))
        return line

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("historylist--header")
            return self._strip(self.header(width), style, width)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.entries):
            return Strip.blank(width, base)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("historylist--cursor")
        entry = self.entries[index]
        key = (id(entry), width)
        cached = self._lines.get(key)
        if cached is None or cached[0] is not entry:
            if len(self._lines) >= LINE_CACHE:
                self._lines.clear()
            text = self.line_text(entry, width)
            cached = self._lines[key] = (entry, Strip(list(text.render(self.app.console))))
        return self._styled(cached[1], style, width)

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        return self._styled(Strip(list(text.render(self.app.console))), style, width)

    @staticmethod
    def _styled(strip: Strip, style: Style, width: int) -> Strip:
        return strip.apply_style(style).extend_cell_length(width, style).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # the theme's colours are in the lines
        self.refresh()
