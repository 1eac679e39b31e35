"""Text we did not write, made safe to show: the one rule, in one place.

Any string from an app (names, labels, defaults, choices, outputs, errors,
logs, progress text, file names), from the Hub (answers, build logs) or from
a file on disk (history, recent list, settings) is data. A hostile Space can
put terminal escape sequences in any of them: ``ESC]0;…BEL`` retitles the
terminal, ``ESC]52;c;…`` writes the clipboard, ``ESC[2J`` clears the screen,
and bidi overrides make text read differently from what it is.

:func:`visible` turns such a string into one that is safe to print or to put
in a widget, without silently hiding anything: every control character
becomes a visible placeholder (``␛]0;title␇``). Text that is already safe
comes back unchanged (the same object), so calling it everywhere is cheap.
Values returned to callers stay the data: only what is shown is changed.

This module is the bottom of the stack (no Textual, no Rich): the library's
prints use it directly, the terminal app through ``gradio_tui.tui.plain``.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

__all__ = [
    "ELLIPSIS",
    "brief",
    "json_int",
    "one_line",
    "print_visible",
    "shorten",
    "visible",
    "visible_in_place",
]

ELLIPSIS = "…"

# C0 controls except tab and newline, DEL, C1 controls, the bidi embeddings,
# overrides and isolates (the "Trojan Source" characters), the Unicode line and
# paragraph separators (line breaks to some terminals, invisible to others),
# and lone surrogates (which cannot even be encoded for the terminal).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff]"
)
_UNSAFE_ONE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\n\t]")


def _placeholder(char: str) -> str:
    if char == "\n":
        return "\u2424"  # ␤ (one-line places only)
    code = ord(char)
    if code < 0x20:
        # Unicode's own "control pictures": ␀ … ␛ (ESC) … ␟.
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _replace(match: re.Match[str]) -> str:
    return _placeholder(match.group())


def visible(text: str, *, newlines: bool = True) -> str:
    """``text`` with every control character shown as a visible placeholder.

    Newlines and tabs stay (unless ``newlines`` is false, for one-line places
    such as a table cell, where a newline shows as ``␤`` and a tab as ``␉``); a
    Windows line end (CR LF) is a newline, a lone CR shows as ``␍``.
    """
    if not isinstance(text, str):
        text = str(text)
    pattern = _UNSAFE if newlines else _UNSAFE_ONE_LINE
    if pattern.search(text) is None:
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return pattern.sub(_replace, text)


def _one_cell(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"  # �: C1, bidi, separators, lone surrogates


def visible_in_place(text: str) -> str:
    """Like :func:`visible`, but one character for one: for editors, whose cursor
    counts characters of the value. Controls show as their picture (``␛``), other
    unsafe characters as ``�``; newlines and tabs stay."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_one_cell, text)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis if it was cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + ELLIPSIS


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` for a one-line place: visible, newlines shown as ``␤``, and shortened."""
    shown = visible(text, newlines=False)
    return shown if limit is None else shorten(shown, limit)


def print_visible(text: str, file: TextIO | None = None) -> None:
    """``print`` for the library's messages that quote a server or the Hub (``verbose``
    lines, ``view_api()``): what reaches the user's terminal can never drive it."""
    print(visible(text), file=file if file is not None else sys.stdout)


def brief(value: object, limit: int = 200) -> str:
    """A short ``repr`` of a value a server sent, for error messages.

    Safe whatever its size or depth: nesting past a few levels and long
    strings or lists are elided (``reprlib``), so a 5 MB or 3,000-deep value
    costs no more than a small one and never exhausts the stack.
    """
    import reprlib

    limits = reprlib.Repr()
    limits.maxlevel = 4
    limits.maxstring = limits.maxother = 80
    limits.maxlist = limits.maxdict = limits.maxtuple = limits.maxset = 8
    return shorten(limits.repr(value), limit)


def json_int(value: object) -> int | None:
    """``value`` if it is a JSON integer, else None.

    JSON's ``true`` and ``false`` decode to Python's ``True`` and ``False``,
    which *are* ints: an app's ``"id": false`` must not become index 0, nor a
    ``"max_file_size": true`` a one-byte limit.
    """
    return value if isinstance(value, int) and not isinstance(value, bool) else None
