"""The one rule for text we did not write: controls made visible, safe text untouched."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradio_tui.client.errors import AppError
from gradio_tui.client.untrusted import (
    one_line,
    print_visible,
    shorten,
    visible,
    visible_in_place,
)

BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe(char: str, *, newlines: bool = True) -> bool:
    """What must never reach a terminal raw."""
    if char in "\n\t":
        return not newlines
    category = unicodedata.category(char)
    return category in ("Cc", "Cs", "Zl", "Zp") or char in BIDI


def safe_chars(newlines: bool = True) -> st.SearchStrategy[str]:
    return st.characters().filter(lambda c: not unsafe(c, newlines=newlines))


@given(st.text())
def test_the_output_never_holds_a_control_character(text: str) -> None:
    shown = visible(text)
    assert not any(unsafe(c) for c in shown), repr(shown)
    # Whatever it holds can be written to a UTF-8 terminal.
    shown.encode("utf-8")


@given(st.text())
def test_one_line_output_holds_no_line_break_or_tab(text: str) -> None:
    shown = one_line(text)
    assert not any(unsafe(c, newlines=False) for c in shown), repr(shown)


@given(st.text(alphabet=safe_chars()))
def test_safe_text_comes_back_unchanged(text: str) -> None:
    assert visible(text) is text
    assert visible_in_place(text) is text


@given(st.text(alphabet=safe_chars(newlines=False)))
def test_safe_one_line_text_comes_back_unchanged(text: str) -> None:
    assert one_line(text) == text


@given(st.text())
def test_in_place_keeps_one_character_per_character(text: str) -> None:
    """Editors count characters for the cursor: the painted text must line up."""
    shown = visible_in_place(text)
    assert len(shown) == len(text)
    assert not any(unsafe(c) for c in shown)


@given(st.text())
def test_visible_is_idempotent(text: str) -> None:
    once = visible(text)
    assert visible(once) == once


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert len(cut) <= limit
    if len(text) <= limit:
        assert cut == text
    elif limit > 0:
        assert cut.endswith("…") and text.startswith(cut[:-1])


def test_each_kind_of_control_has_a_visible_placeholder() -> None:
    assert visible("\x1b]0;title\x07") == "␛]0;title␇"
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("\x00\x7f") == "␀␡"
    assert visible("x\x9b31m") == "x<U+009B>31m"
    assert visible("\u202eevil\u202c") == "<U+202E>evil<U+202C>"
    assert visible("bad\ud800") == "bad<U+D800>"
    assert visible("line\u2028sep") == "line<U+2028>sep"


def test_newlines_tabs_and_line_ends() -> None:
    assert visible("a\nb\tc") == "a\nb\tc"
    assert visible("windows\r\nline") == "windows\nline"
    assert visible("over\rwrite") == "over␍write"
    assert one_line("a\nb\tc") == "a␤b␉c"
    assert one_line("x" * 10, 5) == "xxxx…"


def test_print_visible_writes_no_escape() -> None:
    out = io.StringIO()
    print_visible("api \x1b]52;c;cm0gLXJmIH4=\x07 \u202e", file=out)
    assert out.getvalue() == "api ␛]52;c;cm0gLXJmIH4=␇ <U+202E>\n"


def test_print_visible_defaults_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    print_visible("\x1b[2J")
    assert capsys.readouterr().out == "␛[2J\n"


def test_an_error_prints_safely_but_keeps_the_servers_text() -> None:
    """A traceback prints str(error): it must not drive the terminal. The data stays."""
    error = AppError("boom \x1b]0;owned\x07")
    assert str(error) == "boom ␛]0;owned␇"
    assert error.message == "boom \x1b]0;owned\x07"
    assert error.args == ("boom \x1b]0;owned\x07",)


def test_non_strings_are_shown_as_their_text() -> None:
    assert visible(12) == "12"  # type: ignore[arg-type]
