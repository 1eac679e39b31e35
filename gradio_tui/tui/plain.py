"""Untrusted text for widgets: shown as plain text, never as markup.

Textual treats a ``str`` given to a Label, a Static, an Option, a Select, a
palette hit or a notification as *markup*: ``[b]…[/b]`` turns bold,
``[@click=app.quit]`` becomes a link that runs an action, and a stray ``[/]``
raises ``MarkupError`` and takes the app down. A ``Content`` (or a Rich
``Text``) is never parsed. So every string that did not come from our own
code reaches a widget through these helpers, which also make its control
characters visible (:func:`gradio_tui.client.untrusted.visible`) and cut it
where the space is fixed. ``tests/tui/test_hostile.py`` drives the whole app
against a hostile Gradio app and fails if any app string meets a markup
parser or writes an escape sequence.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.content import Content

from ..client.untrusted import ELLIPSIS, one_line, shorten, visible

__all__ = [
    "ELLIPSIS",
    "LABEL_LIMIT",
    "TOAST_LIMIT",
    "plain",
    "plain_line",
    "plain_text",
    "shorten",
    "visible",
]

LABEL_LIMIT = 200
"""Characters of an app's label, name or title shown where it is one of many
(sidebar, form labels, table cells, option lists): the full text is in the
form's title, the field's tooltip or the job view."""
TOAST_LIMIT = 500
"""Characters of a notification: a 10,000-character ``gr.Error`` is read in
the job view, not in a toast."""


def plain(text: object, style: str = "", *, limit: int | None = None) -> Content:
    """``text`` as a widget's content: no markup, controls visible, cut at ``limit``."""
    shown = visible(text if isinstance(text, str) else str(text))
    if limit is not None:
        shown = shorten(shown, limit)
    return Content.styled(shown, style) if style else Content(shown)


def plain_line(text: object, style: str = "", *, limit: int | None = LABEL_LIMIT) -> Content:
    """``text`` for a one-line place (an option, a tab, a title): newlines shown as ``␤``."""
    shown = one_line(text if isinstance(text, str) else str(text), limit)
    return Content.styled(shown, style) if style else Content(shown)


def plain_text(
    text: object, style: str | Style = "", *, limit: int | None = None, line: bool = False
) -> Text:
    """``text`` as a Rich ``Text`` (for Rich renderables): no markup, controls visible."""
    raw = text if isinstance(text, str) else str(text)
    shown = one_line(raw, limit) if line else visible(raw)
    if limit is not None and not line:
        shown = shorten(shown, limit)
    return Text(shown, style=style)
