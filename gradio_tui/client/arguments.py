"""Typed values from text: what ``name=value`` on a command line or a CSV cell means.

A shell and a CSV file only have strings; the endpoint's typed ``Parameter``
says what each should become — a number for a Number or Slider, a boolean for
a Checkbox, one of the app's choices for a Radio, a path or URL for a file,
JSON for anything structured — so a script can write ``num=3`` and the app
gets ``3``, not ``"3"``. Text that cannot be what the parameter wants is a
``ValueError`` that names the parameter, before anything is sent.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .endpoints import Parameter

__all__ = ["from_text", "kind_of"]

_TEXT = frozenset({"textbox", "code", "markdown", "html", "colorpicker", "datetime"})
_NUMBER = frozenset({"number", "slider"})
_JSON = frozenset({"json", "dataframe", "highlightedtext", "label", "chatbot"})
_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})


def kind_of(param: Parameter) -> str:
    """``file``, ``choice``, ``choices``, ``number``, ``bool``, ``text`` or ``json``.

    The one rule for what a parameter takes: the command line reads text by it
    and the terminal app picks each form field by it, so the two never disagree.
    """
    component = param.component.lower()
    if param.is_file:
        return "file"
    if param.choices and component not in _NUMBER:
        return "choices" if param.multiple else "choice"
    if component in _NUMBER:
        return "number"
    if component == "checkbox":
        return "bool"
    if component in _TEXT:
        return "text"
    if component in _JSON:
        return "json"
    python_type = param.python_type.strip()
    if python_type == "str":
        return "text"
    if python_type in ("float", "int"):
        return "number"
    if python_type == "bool":
        return "bool"
    return "json"


def from_text(param: Parameter, text: str) -> Any:
    """The value ``text`` stands for as ``param``'s argument."""
    kind = kind_of(param)
    if kind == "text":
        return text
    if kind == "number":
        return _number(param, text)
    if kind == "bool":
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(f"{param.name}: {text!r} is not true or false.")
    if kind == "choice":
        return _choice(param, text)
    if kind == "choices":
        items = _json_list(text)
        if items is None:
            items = [text] if text.strip() else []
        return [_choice(param, str(item)) if isinstance(item, str) else item for item in items]
    if kind == "file":
        if param.multiple:
            items = _json_list(text)
            return items if items is not None else [text]
        return text
    # Structured (JSON, Dataframe, …) or a type we do not know: JSON if it is
    # JSON, else the text itself (a plain word is a fine value for "Any").
    try:
        return json.loads(text)
    except ValueError:
        return text


def _number(param: Parameter, text: str) -> int | float:
    stripped = text.strip()
    try:
        number = float(stripped)
    except ValueError:
        raise ValueError(f"{param.name}: {text!r} is not a number.") from None
    if not math.isfinite(number):
        raise ValueError(f"{param.name}: {text!r} is not a finite number.")
    if param.is_integer and not number.is_integer():
        raise ValueError(f"{param.name}: {text!r} is not a whole number.")
    if param.is_integer or (
        number.is_integer() and "." not in stripped and "e" not in stripped.lower()
    ):
        return int(number)
    return number


def _choice(param: Parameter, text: str) -> Any:
    choices = param.choices or []
    for choice in choices:
        if choice == text or str(choice) == text:
            return choice
    if param.props.get("allow_custom_value"):
        return text
    shown = ", ".join(repr(c) for c in choices[:20]) + (", …" if len(choices) > 20 else "")
    raise ValueError(f"{param.name}: {text!r} is not one of its choices ({shown}).")


def _json_list(text: str) -> list[Any] | None:
    if not text.lstrip().startswith("["):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, list) else None
