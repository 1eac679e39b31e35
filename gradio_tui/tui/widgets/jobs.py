"""The jobs panel: every job of this session, one line each, live.

Built to stay responsive with hundreds of jobs streaming at once:

- The client's listener only records news in the ``JobRecord`` and marks it
  dirty (O(1), no painting).
- ``JobList`` uses Textual's line API: a frame renders only the lines on
  screen, straight from the records, so its cost does not grow with the
  number of jobs, and nothing is copied into a table per update.
- Dirty records are looked at a few times a second: one repaint if any of
  them is on screen, one ``JobUpdated`` for the job shown in the job view,
  one ``JobFinished`` per ended job.
"""

from __future__ import annotations

from datetime import datetime
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
from textual.widgets import Static

from ..jobs_model import JobRecord
from ..messages import JobFinished, JobUpdated
from ..plain import plain_text

FLUSH_INTERVAL = 1 / 12  # seconds between looks at dirty jobs: smooth, yet cheap
BAR_WIDTH = 5

# (title, width): sized so the list fits a 50-column panel.
COLUMNS = (("#", 4), ("endpoint", 12), ("status", 13), ("progress", 11), ("time", 6))

STATUS_STYLES = {"done": "success", "failed": "error", "cancelled": "warning", "lost": "warning"}


def _cell(text: str | Text, width: int, style: str | Style = "") -> Text:
    cell = text if isinstance(text, Text) else Text(text, style=style)
    cell.truncate(width - 1, overflow="ellipsis", pad=True)
    cell.append(" ")
    return cell


def progress_text(record: JobRecord) -> Text:
    fraction = record.fraction()
    if fraction is None:
        if record.done:
            return Text("")
        return Text(f"{record.steps} out" if record.steps else "", style="dim")
    filled = round(fraction * BAR_WIDTH)
    return Text.assemble(
        ("━" * filled, "bold"), ("╺" * (BAR_WIDTH - filled), "dim"), f" {fraction:.0%}"
    )


def header_text() -> Text:
    line = Text()
    for title, width in COLUMNS:
        line.append_text(_cell(title, width, "bold"))
    return line


class JobHeader(Static):
    """The column titles above the list (outside it, so they never scroll away)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(header_text(), **kwargs)  # type: ignore[arg-type]


class JobList(ScrollView, can_focus=True):
    """One line per job; the cursor line is shown in the job view and cancelled by ctrl+g."""

    HELP: ClassVar[str] = (
        "Every job of this session. The highlighted line is shown in the job view below. "
        "**↑/↓** move, **ctrl+g** cancels the highlighted job, **c** copies its result, "
        "**o** opens a result file."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="jobs-up"),
        Binding("down", "cursor(1)", "Down", show=False, id="jobs-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="jobs-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="jobs-page-down"),
        Binding("home", "jump(0)", "First", show=False, id="jobs-first"),
        Binding("end", "jump(-1)", "Last", show=False, id="jobs-last"),
        Binding("c", "screen.copy_result", "Copy", id="copy-result", tooltip="Copy the result"),
        Binding("o", "screen.open_file", "Open file", id="open-file", show=False),
    ]

    DEFAULT_CSS = """
    JobList { background: $surface; }
    JobList > .joblist--cursor { background: $primary 30%; }
    JobList:focus > .joblist--cursor { background: $primary; color: $text; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"joblist--cursor"}

    cursor: reactive[int] = reactive(-1)
    """Index of the highlighted job (-1: none yet)."""

    class Highlighted(Message):
        """The cursor moved to ``record``."""

        def __init__(self, record: JobRecord) -> None:
            super().__init__()
            self.record = record

    def __init__(self, *, redact: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.redact = redact
        self.records: dict[int, JobRecord] = {}
        self._order: list[JobRecord] = []
        self._index: dict[int, int] = {}
        self._dirty: set[int] = set()
        self._flush_scheduled = False

    def on_mount(self) -> None:
        # Running jobs' elapsed time ticks once a second; nothing else needs it.
        self.set_interval(1.0, self._tick, name="jobs-elapsed")

    # -- records ---------------------------------------------------------------------

    def add_record(self, record: JobRecord) -> None:
        self.records[record.number] = record
        self._index[record.number] = len(self._order)
        self._order.append(record)
        self.virtual_size = Size(sum(w for _t, w in COLUMNS), len(self._order))
        self.cursor = len(self._order) - 1

    def selected(self) -> JobRecord | None:
        if 0 <= self.cursor < len(self._order):
            return self._order[self.cursor]
        return None

    def select_record(self, record: JobRecord) -> None:
        index = self._index.get(record.number)
        if index is not None:
            self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        if not 0 <= new < len(self._order):
            return
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self.refresh()
        self.post_message(self.Highlighted(self._order[new]))

    # -- keys and mouse ------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if self._order:
            self.cursor = max(0, min(len(self._order) - 1, index))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self._order) - 1)

    def on_click(self, event: events.Click) -> None:
        self._move_to(int(self.scroll_offset.y) + event.y)

    # -- coalesced repaints -------------------------------------------------------

    def mark_dirty(self, record: JobRecord) -> None:
        """Called from the client's listener on every update: O(1), no painting."""
        if not self.is_attached:
            # The screen is gone (reconnected, quitting): its old jobs end unseen.
            return
        self._dirty.add(record.number)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.set_timer(FLUSH_INTERVAL, self._flush, name="jobs-flush")

    def _visible(self) -> range:
        top = int(self.scroll_offset.y)
        return range(top, top + self.scrollable_content_region.height)

    def _flush(self) -> None:
        self._flush_scheduled = False
        dirty, self._dirty = self._dirty, set()
        selected = self.selected()
        visible = self._visible()
        repaint = False
        for number in dirty:
            record = self.records.get(number)
            if record is None:
                continue
            repaint = repaint or self._index[number] in visible
            if record is selected:
                # Straight to the screen: JobUpdated does not bubble, so a
                # replaced copy never travels further than it must.
                self.screen.post_message(JobUpdated(record))
            if record.done and not record.reported:
                record.reported = True
                self.post_message(JobFinished(record))
        if repaint:
            self.refresh()

    def _tick(self) -> None:
        """Once a second: running jobs' times move on, here and in the job view alike."""
        if self.redact:
            return
        now = datetime.now()
        shown = [self._order[i] for i in self._visible() if i < len(self._order)]
        selected = self.selected()
        running = [r for r in [*shown, selected] if r is not None and not r.done]
        for record in running:
            record.clock = now
        if running:
            self.refresh()
        if selected is not None and not selected.done:
            self.screen.post_message(JobUpdated(selected))

    # -- painting --------------------------------------------------------------------

    def line_text(self, record: JobRecord) -> Text:
        status = record.status_text()
        queue = record.queue_text()
        if queue:
            # In the queue, the place matters more than the word: "queue 2/5".
            status = f"queue {queue.split(' ')[0]}"
        variable = STATUS_STYLES.get(status)
        colour = self.app.theme_variables.get(variable, "") if variable else ""
        elapsed = "–" if self.redact else record.elapsed_text()
        cells = [
            _cell(str(record.number), COLUMNS[0][1], "dim"),
            _cell(plain_text(record.endpoint.name, limit=COLUMNS[1][1], line=True), COLUMNS[1][1]),
            _cell(status, COLUMNS[2][1], f"bold {colour}".strip() if colour else ""),
            _cell(progress_text(record), COLUMNS[3][1]),
            _cell(elapsed, COLUMNS[4][1]),
        ]
        line = Text()
        for cell in cells:
            line.append_text(cell)
        return line

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._order):
            return Strip.blank(width, base)
        record = self._order[index]
        text = self.line_text(record)
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop(int(self.scroll_offset.x), None)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("joblist--cursor")
        return strip.apply_style(style).extend_cell_length(width, style).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()


__all__ = ["COLUMNS", "JobHeader", "JobList"]
