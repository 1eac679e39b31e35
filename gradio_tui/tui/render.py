"""How values look on screen and on the clipboard.

Results arrive as plain Python values from the client (strings, numbers,
dicts/lists decoded from JSON, local file paths); this module decides how to
show and copy them, knowing only the endpoint's typed ``ReturnValue`` list.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text

from ..client.endpoints import ReturnValue
from .plain import plain_text, visible

MAX_RENDER_CHARS = 20_000  # beyond this, show the head and say so: copying still gets it all


def split_outputs(value: Any, returns: Sequence[ReturnValue]) -> list[tuple[str, Any, bool]]:
    """``(label, value, is_file)`` per output; one output is not wrapped in a tuple."""
    if len(returns) > 1 and isinstance(value, tuple | list) and len(value) == len(returns):
        return [(r.label, v, r.is_file) for r, v in zip(returns, value, strict=True)]
    if len(returns) == 1:
        return [(returns[0].label, value, returns[0].is_file)]
    return [("result", value, False)]


def to_text(value: Any) -> str:
    """The text a user gets when copying ``value``."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def file_paths(value: Any, returns: Sequence[ReturnValue]) -> list[str]:
    """Local files among the outputs (what "open" offers)."""
    paths: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str):
            if os.path.isabs(v) and os.path.exists(v):
                paths.append(v)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)

    for _label, v, is_file in split_outputs(value, returns):
        if is_file:
            walk(v)
    return paths


def render_value(value: Any, *, is_file: bool = False) -> RenderableType:
    """A renderable for one output value."""
    # Values are the app's: plain text with controls visible (copying gets them as they are).
    if is_file and isinstance(value, str):
        return Text.assemble(
            ("file ", "bold"), plain_text(value, "underline"), ("  (o opens it)", "dim")
        )
    if isinstance(value, str):
        if len(value) > MAX_RENDER_CHARS:
            return Text.assemble(
                plain_text(value[:MAX_RENDER_CHARS]),
                f"\n… ({len(value)} characters; copy for all)",
            )
        return plain_text(value)
    if isinstance(value, bool) or value is None:
        return Text(repr(value), style="italic")
    if isinstance(value, int | float):
        return Text(repr(value), style="bold")
    # JSON escapes C0 controls itself; C1 controls and bidi overrides it keeps.
    text = visible(to_text(value))
    if len(text) > MAX_RENDER_CHARS:
        text = text[:MAX_RENDER_CHARS] + "\n…"
    return Syntax(text, "json", theme="ansi_dark", background_color="default", word_wrap=True)


def render_outputs(value: Any, returns: Sequence[ReturnValue]) -> RenderableType:
    parts = split_outputs(value, returns)
    if len(parts) == 1:
        return render_value(parts[0][1], is_file=parts[0][2])
    items: list[RenderableType] = []
    for label, v, is_file in parts:
        items.append(plain_text(label, "bold underline", limit=200, line=True))
        items.append(render_value(v, is_file=is_file))
    return Group(*items)
