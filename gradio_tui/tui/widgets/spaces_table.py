"""The Spaces console's table: one line per Space, marks for multi-select, live stages.

Built on Textual's line API (like the jobs panel) rather than ``DataTable``:
a frame renders only the lines on screen, so showing 1,000 Spaces, or
filtering them on every keystroke, costs one pass over plain strings (to
size the columns) and a screenful of lines, not 9,000 measured cells.

Every cell is made from plain strings through ``untrusted.one_line`` (ids,
stages, hardware names come from the Hub: never markup, controls shown, one
line), and drawn as Rich ``Text`` segments. The header stays on the top line
and scrolls sideways with the rows; clicking a title asks to sort by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...client.space_rows import ERROR_STAGES, MOVING_STAGES, RUNNING_STAGES, SpaceRow
from ...client.untrusted import one_line

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("mark", " ", 1),
    ("space", "Space", 64),
    ("stage", "Stage", 26),
    ("sdk", "SDK", 24),
    ("hardware", "Hardware", 40),
    ("sleep", "Sleep", 8),
    ("visibility", "Visibility", 10),
    ("likes", "Likes", 7),
    ("modified", "Modified", 10),
)
"""(key, title, most characters shown): the detail panel has every value in full."""
KEYS = [key for key, _title, _limit in COLUMNS]
GAP = 2
MARK = "●"
CACHE_LIMIT = 20_000
"""Rows whose cells are kept (each value a row has had: stages, hardware…)."""
STAGE_SIGNS = {"SLEEPING": "☾", "PAUSED": "‖", "STOPPED": "■"}


def stage_sign(stage: str) -> tuple[str, str]:
    """A sign a reader can scan (● running, ◌ moving, ✗ failed, ☾ asleep) and its theme colour."""
    if stage in RUNNING_STAGES and stage not in MOVING_STAGES:
        return "●", "success"
    if stage in MOVING_STAGES:
        return "◌", "warning"
    if stage in ERROR_STAGES:
        return "✗", "error"
    return STAGE_SIGNS.get(stage, "·"), ""


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


def row_strings(row: SpaceRow, marked: bool) -> list[str]:
    """The row's cells as plain, visible, one-line strings, in column order (the mark first)."""
    sdk = " ".join(x for x in (row.sdk, row.sdk_version) if x) or "—"
    visibility = "—" if row.private is None else ("private" if row.private else "public")
    sign, _colour = stage_sign(row.stage)
    return [
        MARK if marked else " ",
        one_line(row.id, COLUMNS[1][2]),
        f"{sign} {one_line(row.stage, COLUMNS[2][2] - 2)}",
        one_line(sdk, COLUMNS[3][2]),
        one_line(hardware_words(row), COLUMNS[4][2]),
        # Ours from here on: words and numbers, no Hub text.
        sleep_words(row.sleep_time),
        visibility,
        str(row.likes) if row.likes is not None else "—",
        row.last_modified.isoformat()[:10] if row.last_modified else "—",
    ]


class SpacesTable(ScrollView, can_focus=True):
    """The Spaces: ``space`` marks, ``enter`` connects, titles sort (see the screen's keys)."""

    HELP: ClassVar[str] = (
        "Your Spaces (or a search's). **space** marks a Space, **a** marks all shown; "
        "actions apply to the marked Spaces, or to the highlighted one. **enter** connects to "
        "a running Gradio Space. Click a column title (or press **o**) to sort. **/** filters."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="spaces-table-up"),
        Binding("down", "cursor(1)", "Down", show=False, id="spaces-table-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="spaces-table-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="spaces-table-page-down"),
        Binding("home", "jump(0)", "First", show=False, id="spaces-table-first"),
        Binding("end", "jump(-1)", "Last", show=False, id="spaces-table-last"),
        Binding("enter", "select", "Connect", show=False, id="spaces-table-select"),
    ]

    DEFAULT_CSS = """
    SpacesTable { background: $surface; }
    SpacesTable > .spaces-table--header { text-style: bold; background: $panel; }
    SpacesTable > .spaces-table--odd { background: $surface-lighten-1; }
    SpacesTable > .spaces-table--cursor { background: $primary 30%; }
    SpacesTable:focus > .spaces-table--cursor { background: $primary; color: $text; }
    SpacesTable > .spaces-table--mark { color: $accent; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "spaces-table--header",
        "spaces-table--odd",
        "spaces-table--cursor",
        "spaces-table--mark",
    }

    cursor: reactive[int] = reactive(-1, init=False)
    """Index of the highlighted Space among those shown (-1: none)."""

    class Highlighted(Message):
        """The cursor moved to ``space_id`` (None: nothing shown)."""

        def __init__(self, space_id: str | None) -> None:
            super().__init__()
            self.space_id = space_id

    class Selected(Message):
        """Enter (or a double click) on ``space_id``."""

        def __init__(self, space_id: str) -> None:
            super().__init__()
            self.space_id = space_id

    class HeaderClicked(Message):
        """A column title was clicked: ``column`` is its key."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[str] = []
        """Space ids in the order they are shown."""
        self._cells: list[list[str]] = []
        self._stages: list[str] = []
        self._index: dict[str, int] = {}
        self._widths = [cell_len(title) for _key, title, _limit in COLUMNS]
        self._strings: dict[SpaceRow, tuple[list[str], list[int]]] = {}
        """Cells and their widths per row value: a row that did not change is not redone,
        so a keystroke in the filter costs a dictionary look-up per Space."""

    # -- data ------------------------------------------------------------------------

    def show(self, rows: Iterable[SpaceRow], marked: set[str]) -> None:
        """Show ``rows`` (already filtered and sorted); the cursor stays on its Space."""
        keep = self.highlighted
        rows = list(rows)
        self.shown = [row.id for row in rows]
        self._index = {sid: i for i, sid in enumerate(self.shown)}
        cache = self._strings
        if len(cache) > CACHE_LIMIT:
            cache.clear()  # rows seen long ago (other searches, old stages) go
        cells_of: list[list[str]] = []
        widths = [cell_len(title) for _key, title, _limit in COLUMNS]
        widths[0] = 1
        for row in rows:
            known = cache.get(row)
            if known is None:
                strings = row_strings(row, False)
                # cell_len is exact; len is exact (and ten times faster) for ASCII.
                sizes = [len(t) if t.isascii() else cell_len(t) for t in strings]
                known = cache[row] = (strings, sizes)
            cells = list(known[0])
            if row.id in marked:
                cells[0] = MARK
            cells_of.append(cells)
            for i, size in enumerate(known[1]):
                if size > widths[i]:
                    widths[i] = size
        self._cells = cells_of
        self._stages = [row.stage for row in rows]
        self._widths = widths
        self.virtual_size = Size(sum(widths) + GAP * len(widths), len(rows) + 1)
        cursor = self._index.get(keep, 0) if keep is not None else 0
        if not rows:
            cursor = -1
        self.set_reactive(SpacesTable.cursor, cursor)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.highlighted))

    def update_row(self, row: SpaceRow, marked: bool) -> None:
        """New facts for one shown Space: only its line is repainted."""
        index = self._index.get(row.id)
        if index is None:
            return
        cells = row_strings(row, marked)
        self._cells[index] = cells
        self._stages[index] = row.stage
        grew = False
        for i, text in enumerate(cells):
            size = cell_len(text)
            if size > self._widths[i]:
                self._widths[i] = size
                grew = True
        if grew:
            self.virtual_size = Size(
                sum(self._widths) + GAP * len(self._widths), len(self.shown) + 1
            )
            self.refresh()
        else:
            self._refresh_index(index)

    def set_mark(self, space_id: str, marked: bool) -> None:
        index = self._index.get(space_id)
        if index is not None:
            self._cells[index][0] = MARK if marked else " "
            self._refresh_index(index)

    def cell_text(self, space_id: str, column: str) -> str:
        """What one cell shows (for tests and for copying)."""
        return self._cells[self._index[space_id]][KEYS.index(column)]

    @property
    def highlighted(self) -> str | None:
        """The id of the Space under the cursor."""
        if 0 <= self.cursor < len(self.shown):
            return self.shown[self.cursor]
        return None

    @property
    def row_count(self) -> int:
        return len(self.shown)

    # -- the cursor -------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if self.shown:
            self.cursor = max(0, min(len(self.shown) - 1, index))

    def move_to_space(self, space_id: str) -> None:
        if space_id in self._index:
            self.cursor = self._index[space_id]

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        if 0 <= old < len(self.shown):
            self._refresh_index(old)
        if 0 <= new < len(self.shown):
            self._refresh_index(new)
        self.post_message(self.Highlighted(self.highlighted))

    def _rows_on_screen(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        if self.cursor < 0:
            return
        top = int(self.scroll_offset.y)
        rows = self._rows_on_screen()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def _refresh_index(self, index: int) -> None:
        y = index - int(self.scroll_offset.y) + 1
        if 1 <= y < self.scrollable_content_region.height:
            self.refresh_line(y)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * self._rows_on_screen())

    def action_jump(self, index: int) -> None:
        self.move_to(index if index >= 0 else len(self.shown) - 1)

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self.highlighted))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = self._column_at(event.x + int(self.scroll_offset.x))
            if column is not None:
                self.post_message(self.HeaderClicked(column))
            return
        self.move_to(int(self.scroll_offset.y) + event.y - 1)
        if event.chain >= 2:
            self.action_select()

    def _column_at(self, x: int) -> str | None:
        start = 0
        for (key, _title, _limit), width in zip(COLUMNS, self._widths, strict=True):
            if start <= x < start + width + GAP:
                return key
            start += width + GAP
        return None

    # -- painting ---------------------------------------------------------------------

    def _line(self, cells: list[str], stage: str | None) -> Text:
        text = Text(no_wrap=True, end="")
        for i, (value, width) in enumerate(zip(cells, self._widths, strict=True)):
            style: Style | str = ""
            if i == 0:
                style = self.get_component_rich_style("spaces-table--mark", partial=True)
            elif i == 2 and stage is not None:
                _sign, colour = stage_sign(stage)
                variable = self.app.theme_variables.get(colour) if colour else None
                style = Style(color=variable, bold=True) if variable else Style(dim=True)
            pad = width - cell_len(value) + GAP
            if KEYS[i] == "likes":
                text.append(" " * (pad - GAP) + value, style)
                text.append(" " * GAP)
            else:
                text.append(value, style)
                text.append(" " * pad)
        return text

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_offset.x)
        base = self.rich_style
        if y == 0:
            header = self._line([title for _key, title, _limit in COLUMNS], None)
            style = base + self.get_component_rich_style("spaces-table--header")
            strip = Strip(header.render(self.app.console)).crop(scroll_x, None)
            return strip.apply_style(style).extend_cell_length(width, style).crop(0, width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.shown):
            return Strip.blank(width, base)
        style = base
        if index % 2:
            style = style + self.get_component_rich_style("spaces-table--odd")
        if index == self.cursor:
            style = style + self.get_component_rich_style("spaces-table--cursor")
        text = self._line(self._cells[index], self._stages[index])
        strip = Strip(text.render(self.app.console)).crop(scroll_x, None)
        return strip.apply_style(style).extend_cell_length(width, style).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
