"""How images are drawn: a terminal graphics protocol where there is one, half-blocks elsewhere.

The drawing itself is textual-image's (https://github.com/lnqs/textual-image):
it speaks the Kitty terminal graphics protocol and Sixel (which iTerm2,
WezTerm, foot, Konsole, mlterm and Windows Terminal understand), and draws
half-block cells (``▀`` with a colour above and below) everywhere else. We
chose it over rich-pixels, which only does half-blocks and parses one Rich
style per cell: a 1024×1024 photo took ~250 ms there against ~15 ms here.

One thing about it needs care, and this module is where it is handled:
textual-image asks the terminal what it supports (escape sequences written to
stdout, answers read from stdin) when ``textual_image.renderable`` is first
imported. That only works before Textual starts (afterwards Textual reads
stdin) and costs up to 0.2 s in terminals that do not answer. So:

- :func:`choose_mode` decides from settings and the environment alone (no
  terminal I/O): ``kitty``/``sixel`` only where the terminal is known for it
  (or the user says so in ``settings.json``), ``halfblocks`` elsewhere.
- :func:`prepare` runs before the app starts (``cli.run_app``): for a graphics
  terminal it imports textual-image there, so its own query confirms the
  protocol; for everyone else it does nothing (start-up stays fast).
- :func:`halfcell_renderable` imports the half-block renderable later, on the
  first image, without letting the library query a terminal that Textual owns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.widget import Widget

MODES = ("auto", "halfblocks", "kitty", "sixel", "off")
"""Values of the ``images`` setting."""

SIXEL_TERMINALS = frozenset({"WezTerm", "iTerm.app", "mintty", "contour", "foot", "mlterm"})
"""``TERM_PROGRAM`` (or ``TERM``) values of terminals that draw Sixel images."""

_mode = "halfblocks"
"""What this process draws with; set once by :func:`prepare` before the app starts."""


def choose_mode(
    setting: str, environ: Mapping[str, str] | None = None, *, tty: bool | None = None
) -> str:
    """``kitty``, ``sixel``, ``halfblocks`` or ``off``, without talking to the terminal."""
    env = os.environ if environ is None else environ
    if tty is None:
        stdout = sys.__stdout__
        tty = bool(stdout and stdout.isatty())
    setting = setting if setting in MODES else "auto"
    if setting in ("off", "halfblocks"):
        return setting
    if not tty:
        return "halfblocks"  # a pipe, a test, a recording: nothing to ask
    if setting in ("kitty", "sixel"):
        return setting
    if env.get("TMUX") or env.get("STY"):
        return "halfblocks"  # multiplexers pass graphics through only when set up to
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if env.get("KITTY_WINDOW_ID") or term == "xterm-kitty" or program == "ghostty":
        return "kitty"
    if program in SIXEL_TERMINALS or term.split("-")[0] in SIXEL_TERMINALS:
        return "sixel"
    if env.get("KONSOLE_VERSION") or env.get("WT_SESSION"):
        return "sixel"
    return "halfblocks"


def prepare(setting: str) -> str:
    """Decide how to draw images, before the app starts; returns the mode.

    For a graphics terminal this imports textual-image now, so that its own
    query of the terminal confirms the protocol (falling back to half-blocks
    when the terminal says no).
    """
    global _mode
    chosen = choose_mode(setting)
    if chosen in ("kitty", "sixel"):
        try:
            import textual_image.widget  # noqa: F401 - measures the cell size while it can
            from textual_image.renderable import Image as Detected
            from textual_image.renderable.sixel import Image as Sixel
            from textual_image.renderable.tgp import Image as Tgp
        except Exception:
            chosen = "halfblocks"
        else:
            if setting == "auto":
                chosen = (
                    "kitty" if Detected is Tgp else "sixel" if Detected is Sixel else "halfblocks"
                )
    _mode = chosen
    return chosen


def mode() -> str:
    return _mode


def set_mode(value: str) -> None:
    """For tests and benchmarks: draw with ``value`` (``halfblocks`` needs no terminal)."""
    global _mode
    _mode = value


def halfcell_renderable() -> Any:
    """textual-image's half-block renderable class, imported without a terminal query."""
    module = sys.modules.get("textual_image.renderable.halfcell")
    if module is not None:
        return module.Image
    from textual_image import _terminal

    # The renderable asks for the cell size in pixels on every draw; we give it
    # sizes in cells, so any answer will do, and the library must not ask the
    # terminal (with an escape sequence) while Textual reads its input.
    if not hasattr(_terminal.get_cell_size, "_result"):
        _terminal.get_cell_size._result = _terminal.CellSize(10, 20)  # type: ignore[attr-defined]
    saved = sys.__stdout__
    # textual_image.renderable queries the terminal at import when stdout is a tty.
    sys.__stdout__ = None  # type: ignore[misc]
    try:
        from textual_image.renderable.halfcell import Image
    finally:
        sys.__stdout__ = saved  # type: ignore[misc]
    return Image


def protocol_widget(path: str) -> Widget:
    """textual-image's widget for the protocol chosen at start (Kitty or Sixel)."""
    from textual_image.widget import Image

    return Image(path)
