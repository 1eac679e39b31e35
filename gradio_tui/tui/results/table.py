"""A Dataframe result as a table: headers, scrolling both ways, column widths, cell copy.

Textual's ``DataTable`` measures every cell when rows are added (10,000 rows
took ~3 s and stalled the loop for over a second here), so results use this
line-API table instead, built like the jobs panel: a frame renders only the
rows on screen, straight from the value, and column widths come from the
headers and a sample of rows. Opening and scrolling cost the same for 10 rows
or 100,000. Every cell is app data: shown as plain text, controls visible,
cut to its column with an ellipsis (``c`` copies it whole).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...client.untrusted import one_line

MIN_WIDTH = 3
MAX_WIDTH = 40
SAMPLE_ROWS = 400
GAP = 2


def cell_text(value: Any) -> str:
    """A cell's text as copied (the whole value)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _fit(text: str, width: int) -> str:
    """``text`` as shown in a column ``width`` cells wide (one line, cut with "…")."""
    shown = one_line(text)
    if cell_len(shown) <= width:
        return shown + " " * (width - cell_len(shown))
    out = ""
    for char in shown:
        if cell_len(out + char) > width - 1:
            break
        out += char
    out += "…"
    return out + " " * (width - cell_len(out))


def column_widths(headers: list[str], rows: list[list[Any]]) -> list[int]:
    """Widths from the headers and a sample of rows (first and last), within limits."""
    sample = rows[:SAMPLE_ROWS] + rows[-SAMPLE_ROWS // 4 :] if len(rows) > SAMPLE_ROWS else rows
    widths = [cell_len(one_line(h)) for h in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], cell_len(one_line(cell_text(value)[:MAX_WIDTH])))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w)) for w in widths]


class ResultTable(ScrollView, can_focus=True):
    """Rows of a Dataframe; a cell cursor moved with the arrows, ``c`` copies the cell."""

    HELP: ClassVar[str] = (
        "A table result. **arrows**, **page up/down**, **home/end** move the cell cursor; "
        "**c** copies the cell, **C** the row (tab separated); **s** saves the table as CSV."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False, id="table-up"),
        Binding("down", "move(1, 0)", "Down", show=False, id="table-down"),
        Binding("left", "move(0, -1)", "Left", show=False, id="table-left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="table-right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table-page-down"),
        Binding("home", "edge(-1)", "First row", show=False, id="table-first"),
        Binding("end", "edge(1)", "Last row", show=False, id="table-last"),
        Binding("c", "copy_cell", "Copy cell", id="table-copy-cell", tooltip="Copy this cell"),
        Binding(
            "C", "copy_row", "Copy row", id="table-copy-row", show=False, tooltip="Copy this row"
        ),
    ]

    DEFAULT_CSS = """
    ResultTable {
        height: auto;
        max-height: 22;
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    ResultTable > .table--header { text-style: bold; background: $panel; }
    ResultTable > .table--stripe { background: $boost; }
    ResultTable > .table--cursor { background: $primary 40%; }
    ResultTable:focus > .table--cursor { background: $primary; color: $text; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"table--header", "table--stripe", "table--cursor"}

    row: reactive[int] = reactive(0)
    column: reactive[int] = reactive(0)

    def __init__(self, headers: list[Any], rows: list[list[Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.headers = [cell_text(h) for h in headers]
        self.rows = rows
        self.widths = column_widths(self.headers, rows)
        starts = []
        x = 0
        for width in self.widths:
            starts.append(x)
            x += width + GAP
        self.starts = starts
        self.virtual_size = Size(max(0, x - GAP), len(rows) + 1)
        self._lines: dict[tuple[int, int | None], Strip] = {}
        """Rendered rows (full width, uncropped) by (row, cursor column): scrolling one
        line re-renders one row, not the screen."""
        self._styles: tuple[Style, Style, Style, Style] | None = None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) + 1

    # -- cursor ---------------------------------------------------------------------

    def _clamp(self, row: int, column: int) -> None:
        self.row = max(0, min(len(self.rows) - 1, row))
        self.column = max(0, min(len(self.widths) - 1, column))

    def watch_row(self, old: int, new: int) -> None:
        self._show_cursor(old)

    def watch_column(self) -> None:
        self._show_cursor(self.row)

    def _show_cursor(self, old_row: int) -> None:
        if not self.widths:
            return
        before = self.scroll_offset
        # The header line is sticky: the cursor row must show below it.
        x, width = self.starts[self.column], self.widths[self.column]
        self.scroll_to_region(
            Region(x, self.row + 1, width, 1),
            animate=False,
            force=True,
            spacing=None,
        )
        if self.row + 1 - int(self.scroll_y) < 1:
            self.scroll_to(y=self.row, animate=False, force=True)
        if self.scroll_offset == before:
            # Nothing scrolled: only the two rows the cursor left and entered change.
            for row in {old_row, self.row}:
                self.refresh_line(row + 1)  # virtual lines: line 0 is the header
        else:
            self.refresh()

    def action_move(self, rows: int, columns: int) -> None:
        self._clamp(self.row + rows, self.column + columns)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 2)
        self._clamp(self.row + direction * step, self.column)

    def action_edge(self, direction: int) -> None:
        self._clamp(0 if direction < 0 else len(self.rows) - 1, self.column)

    def on_click(self, event: events.Click) -> None:
        y = int(self.scroll_y) + event.y - 1
        x = int(self.scroll_x) + event.x
        if event.y == 0 or not self.rows:
            return
        column = next(
            (i for i, s in enumerate(self.starts) if s <= x < s + self.widths[i] + GAP),
            self.column,
        )
        self._clamp(y, column)

    def current_cell(self) -> str:
        if not self.rows:
            return ""
        row = self.rows[self.row]
        return cell_text(row[self.column]) if self.column < len(row) else ""

    def action_copy_cell(self) -> None:
        text = self.current_cell()
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the cell ({len(text)} characters).")

    def action_copy_row(self) -> None:
        if not self.rows:
            return
        text = "\t".join(cell_text(v) for v in self.rows[self.row])
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied row {self.row + 1}.")

    # -- painting ---------------------------------------------------------------------

    def styles_now(self) -> tuple[Style, Style, Style, Style]:
        """``(base, header, stripe, cursor)``, computed once (they walk the DOM)."""
        if self._styles is None:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_component_rich_style("table--header"),
                base + self.get_component_rich_style("table--stripe"),
                base + self.get_component_rich_style("table--cursor"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base, header, stripe, _cursor = self.styles_now()
        if y == 0:
            strip = self._row_strip(-1, None, header)
        else:
            index = int(self.scroll_y) + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            cursor = self.column if index == self.row else None
            strip = self._row_strip(index, cursor, stripe if index % 2 else base)
        x = int(self.scroll_x)
        return strip.crop(x, x + width).extend_cell_length(width, base)

    def _row_strip(self, index: int, cursor: int | None, style: Style) -> Strip:
        key = (index, cursor)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 512:
                self._lines.clear()
            values = self.headers if index < 0 else self.rows[index]
            strip = self._lines[key] = self._render_row(values, style, cursor)
        return strip

    def _render_row(self, values: list[Any], style: Style, cursor: int | None) -> Strip:
        segments: list[Segment] = []
        cursor_style = self.styles_now()[3]
        gap = Segment(" " * GAP, style)
        for index, column_width in enumerate(self.widths):
            value = values[index] if index < len(values) else ""
            text = _fit(value if isinstance(value, str) else cell_text(value), column_width)
            segments.append(Segment(text, cursor_style if index == cursor else style))
            segments.append(gap)
        return Strip(segments)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._lines.clear()
        self.refresh()
