"""The jobs panel: every job of this session, one table row each, live.

Built to stay responsive with hundreds of jobs streaming at once: the
client's listener only records news and marks the job dirty (see
``JobRecord.apply``); this panel repaints dirty rows a few times a second,
so a flood of server events costs one repaint per row per tick.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from ..jobs_model import JobRecord, format_seconds
from ..messages import JobFinished, JobUpdated

FLUSH_INTERVAL = 1 / 12  # seconds between repaints of dirty rows: smooth, yet cheap
BAR_WIDTH = 5

# (label, key, width): sized so the table fits a 50-column panel without scrolling.
COLUMNS = (
    ("#", "num", 3),
    ("endpoint", "endpoint", 11),
    ("status", "status", 12),
    ("progress", "progress", 10),
    ("time", "time", 5),
)

STATUS_STYLES = {
    "done": "bold $success",
    "failed": "bold $error",
    "cancelled": "$warning",
}


def progress_cell(record: JobRecord) -> Text:
    fraction = record.fraction()
    if fraction is None:
        if record.done:
            return Text("")
        steps = f"{record.steps} out" if record.steps else ""
        return Text(steps, style="dim")
    filled = round(fraction * BAR_WIDTH)
    return Text.assemble(
        ("━" * filled, "bold"), ("╺" * (BAR_WIDTH - filled), "dim"), f" {fraction:.0%}"
    )


class JobsTable(DataTable[Text | str]):
    """One row per job; the cursor row is the job shown below and cancelled by ctrl+g."""

    HELP: ClassVar[str] = (
        "Every job of this session. The highlighted row is shown in the job view below. "
        "**ctrl+g** cancels it, **c** copies its result, **o** opens a result file, "
        "**e** puts its inputs back in the form."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "screen.copy_result", "Copy", id="copy-result", tooltip="Copy the result"),
        Binding("o", "screen.open_file", "Open file", id="open-file", show=False),
        Binding("e", "screen.reuse_inputs", "Reuse inputs", id="reuse-inputs", show=False),
    ]

    def __init__(self, *, redact: bool = False, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.redact = redact
        self.records: dict[int, JobRecord] = {}
        self._dirty: set[int] = set()
        self._flush_scheduled = False

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(label, key=key, width=width)
        # Running jobs' elapsed time ticks once a second; nothing else needs it.
        self.set_interval(1.0, self._tick, name="jobs-elapsed")

    # -- records ---------------------------------------------------------------------

    def add_record(self, record: JobRecord) -> None:
        self.records[record.number] = record
        self.add_row(*self._cells(record), key=str(record.number))
        self.move_cursor(row=self.row_count - 1)

    def selected(self) -> JobRecord | None:
        if not self.records or self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return self.records.get(int(key.value)) if key.value is not None else None

    def select_record(self, record: JobRecord) -> None:
        try:
            self.move_cursor(row=self.get_row_index(str(record.number)))
        except RowDoesNotExist:
            pass

    # -- coalesced repaints -------------------------------------------------------

    def mark_dirty(self, record: JobRecord) -> None:
        """Called from the client's listener on every update: O(1), no painting."""
        self._dirty.add(record.number)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.set_timer(FLUSH_INTERVAL, self._flush, name="jobs-flush")

    def _flush(self) -> None:
        self._flush_scheduled = False
        dirty, self._dirty = self._dirty, set()
        selected = self.selected()
        for number in sorted(dirty):
            record = self.records.get(number)
            if record is None:
                continue
            self._paint(record)
            if record is selected:
                # Straight to the screen: JobUpdated does not bubble, so that a
                # replaced copy never travels further than it must.
                self.screen.post_message(JobUpdated(record))
            if record.done and not record.reported:
                record.reported = True
                self.post_message(JobFinished(record))

    def _paint(self, record: JobRecord, now: datetime | None = None) -> None:
        key = str(record.number)
        try:
            for (_label, column, _w), cell in zip(COLUMNS, self._cells(record, now), strict=True):
                if column == "num" or column == "endpoint":
                    continue
                self.update_cell(key, column, cell)
        except Exception:
            # A row can vanish under us (cleared table); the next flush is fine.
            return

    def _tick(self) -> None:
        now = datetime.now()
        for record in self.records.values():
            if not record.done:
                self._paint(record, now)

    def _cells(self, record: JobRecord, now: datetime | None = None) -> list[Text | str]:
        status = record.status_text()
        style = STATUS_STYLES.get(status, "")
        queue = record.queue_text()
        if queue:
            # In the queue, the place matters more than the word: "queue 2/5".
            status = f"queue {queue.split(' ')[0]}"
        elapsed = "–" if self.redact else format_seconds(record.elapsed(now))
        return [
            Text(str(record.number), style="dim"),
            Text(record.endpoint.name, overflow="ellipsis", no_wrap=True),
            Text(status, style=self._resolve(style), overflow="ellipsis", no_wrap=True),
            progress_cell(record),
            elapsed,
        ]

    def _resolve(self, style: str) -> str:
        # Theme variables → colours, so the table follows the app's theme.
        if "$" not in style:
            return style
        variables = self.app.theme_variables
        return " ".join(variables.get(p[1:], "") if p.startswith("$") else p for p in style.split())
