"""The Spaces console's table: one row per Space, marks for multi-select, live stages.

Every cell is a Rich ``Text`` made by ``plain_text`` (ids, stages, hardware
names come from the Hub: never markup, controls shown). A poll's news
changes single cells (``update_cell``); the table is rebuilt only when the
filter, the sort or the set of Spaces changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.widgets import DataTable

from ...client.space_rows import ERROR_STAGES, MOVING_STAGES, RUNNING_STAGES, SpaceRow
from ..plain import plain_text

COLUMNS: tuple[tuple[str, str], ...] = (
    ("mark", " "),
    ("space", "Space"),
    ("stage", "Stage"),
    ("sdk", "SDK"),
    ("hardware", "Hardware"),
    ("sleep", "Sleep"),
    ("visibility", "Visibility"),
    ("likes", "Likes"),
    ("modified", "Modified"),
)
ID_LIMIT = 64
"""Characters of a Space id in a cell (a Hub id is at most 96+1+96; the detail panel has it all)."""
MARK = "●"
STAGE_MARKS = {"SLEEPING": "☾", "PAUSED": "‖", "STOPPED": "■"}


def stage_text(stage: str) -> Text:
    """A stage with a sign a reader can scan: ● running, ◌ moving, ✗ failed, ☾ asleep."""
    if stage in RUNNING_STAGES and stage not in MOVING_STAGES:
        sign, style = "●", "bold"
    elif stage in MOVING_STAGES:
        sign, style = "◌", "italic"
    elif stage in ERROR_STAGES:
        sign, style = "✗", "bold reverse"
    else:
        sign, style = STAGE_MARKS.get(stage, "·"), "dim"
    text = Text(f"{sign} ", style=style)
    text.append_text(plain_text(stage, style, limit=24, line=True))
    return text


def sleep_words(seconds: int | None) -> str:
    if seconds is None:
        return "default"
    if seconds < 0:
        return "never"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def hardware_words(row: SpaceRow) -> str:
    current = row.hardware or "—"
    if row.requested_hardware and row.requested_hardware != row.hardware:
        return f"{current} → {row.requested_hardware}"
    return current


def row_cells(row: SpaceRow, marked: bool) -> list[Text]:
    sdk = " ".join(x for x in (row.sdk, row.sdk_version) if x) or "—"
    visibility = "—" if row.private is None else ("private" if row.private else "public")
    modified = row.last_modified.strftime("%Y-%m-%d") if row.last_modified else "—"
    return [
        Text(MARK if marked else " ", style="bold"),
        plain_text(row.id, limit=ID_LIMIT, line=True),
        stage_text(row.stage),
        plain_text(sdk, limit=24, line=True),
        plain_text(hardware_words(row), limit=40, line=True),
        Text(sleep_words(row.sleep_time)),
        Text(visibility),
        Text(str(row.likes) if row.likes is not None else "—", justify="right"),
        Text(modified),
    ]


class SpacesTable(DataTable[Text]):
    """The Spaces: ``space`` marks, ``enter`` connects, headers sort (see the screen's keys)."""

    HELP: ClassVar[str] = (
        "Your Spaces (or a search's). **space** marks a Space, **a** marks all shown; "
        "actions apply to the marked Spaces, or to the highlighted one. **enter** connects to "
        "a running Gradio Space. Click a column title (or **o**) to sort. Type **/** to filter."
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id, cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable"
        )
        self.shown: list[str] = []
        """Space ids in the order they are shown."""

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show(self, rows: Iterable[SpaceRow], marked: set[str]) -> None:
        """Rebuild with ``rows`` (already filtered and sorted), keeping the cursor's Space."""
        keep = self.highlighted
        self.clear()
        rows = list(rows)
        self.shown = [row.id for row in rows]
        for row in rows:
            self.add_row(*row_cells(row, row.id in marked), key=row.id)
        if keep in self.shown:
            self.move_cursor(row=self.shown.index(keep), animate=False, scroll=True)

    def update_row(self, row: SpaceRow, marked: bool) -> None:
        """New facts for one shown Space: only its cells are repainted."""
        if row.id not in self.rows:
            return
        for (key, _label), cell in zip(COLUMNS, row_cells(row, marked), strict=True):
            self.update_cell(row.id, key, cell)

    def set_mark(self, space_id: str, marked: bool) -> None:
        if space_id in self.rows:
            self.update_cell(space_id, "mark", Text(MARK if marked else " ", style="bold"))

    @property
    def highlighted(self) -> str | None:
        """The id of the Space under the cursor."""
        if not self.row_count or not self.is_valid_row_index(self.cursor_row):
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
