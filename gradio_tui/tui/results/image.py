"""An image result drawn in the terminal, scaled to the panel.

Half-blocks (textual-image's renderable, see ``tui/graphics.py``): the file is
decoded and shrunk once, in a thread (a 1024×1024 PNG never touches the
loop), then each size the panel takes is drawn from that copy. Where the
terminal has a graphics protocol (Kitty, Sixel) textual-image's own widget
draws the file at full resolution instead.
"""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.containers import ScrollableContainer
from textual.geometry import Size
from textual.widget import Widget

from .. import graphics

MAX_DECODED = 480
"""Pixels (longest side) kept in memory: enough for 240 columns of half-blocks."""
MAX_ROWS = 24
"""Rows an image takes at most in the job view (the full picture is a key away: open)."""
MIN_ROWS = 6
CAPTION_ROWS = 5
"""The job title, the output's caption and its facts line, above the picture."""


def decode(source: str | bytes, limit: int = MAX_DECODED) -> Any:
    """A file (or its bytes) as a small RGB Pillow image (blocking: run it in a thread)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
        image.draft("RGB", (limit, limit))  # JPEG: decode at a fraction of the size
        image.load()
        frame: Any = image
        if frame.mode in ("RGBA", "LA") or (frame.mode == "P" and "transparency" in frame.info):
            rgba = frame.convert("RGBA")
            backdrop = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
            frame = Image.alpha_composite(backdrop, rgba)
        rgb = frame.convert("RGB")
    rgb.thumbnail((limit, limit), Image.Resampling.BOX)
    return rgb


def fit_cells(pixels: tuple[int, int], width: int, max_rows: int) -> tuple[int, int]:
    """``(columns, rows)`` of half-blocks for an image of ``pixels``: as wide as allowed,
    never wider than its pixels, the aspect kept (a cell is two pixels tall)."""
    px_w, px_h = pixels
    if px_w <= 0 or px_h <= 0 or width <= 0:
        return 0, 0
    columns = min(width, px_w)
    rows = max(1, math.ceil(columns * px_h / px_w / 2))
    if rows > max_rows:
        rows = max_rows
        columns = max(1, min(columns, round(rows * 2 * px_w / px_h)))
    return columns, rows


class HalfBlockImage(Widget):
    """An image as coloured half-block cells (works in every terminal and in SVGs)."""

    DEFAULT_CSS = """
    HalfBlockImage { height: auto; width: 1fr; }
    """

    def __init__(self, source: str | bytes, *, max_rows: int = MAX_ROWS, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.max_rows = max_rows
        self.image: Any = None
        self.error: str | None = None
        self.drawn = False
        """Set once the picture (not the placeholder) has been rendered."""

    def on_mount(self) -> None:
        self.run_worker(self._decode, thread=True, exit_on_error=False, group="image")

    def _decode(self) -> None:
        try:
            image = decode(self.source)
        except Exception as exc:  # Pillow raises many kinds for a bad file
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._decoded, image)

    def _decoded(self, image: Any) -> None:
        self.image = image
        self.refresh(layout=True)

    def _failed(self, exc: Exception) -> None:
        self.error = f"cannot draw this image ({type(exc).__name__})"
        self.refresh(layout=True)

    def cells(self, width: int) -> tuple[int, int]:
        if self.image is None:
            return width, 1
        return fit_cells(self.image.size, width, min(self.max_rows, self._room()))

    def _room(self) -> int:
        """Rows the enclosing scroll view shows, less its caption: the picture fits in it."""
        for ancestor in self.ancestors:
            if isinstance(ancestor, ScrollableContainer):
                height = ancestor.scrollable_content_region.height
                if height > 0:
                    return max(MIN_ROWS, height - CAPTION_ROWS)
                break
        return self.max_rows

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, self.cells(width)[1])

    def render(self) -> RenderResult:
        if self.error is not None:
            return Text(self.error, style="italic")
        if self.image is None:
            return Text("drawing…", style="dim italic")
        columns, rows = self.cells(self.content_size.width)
        if columns <= 0:
            return Text("")
        self.drawn = True
        drawing: RenderResult = graphics.halfcell_renderable()(
            self.image, width=columns, height=rows
        )
        return drawing


def image_widget(path: str, *, max_rows: int = MAX_ROWS) -> Widget:
    """The widget that draws ``path`` the way this terminal can."""
    mode = graphics.mode()
    if mode in ("kitty", "sixel"):
        widget = graphics.protocol_widget(path)
        widget.styles.height = "auto"
        widget.styles.max_height = max_rows
        return widget
    return HalfBlockImage(path, max_rows=max_rows)
