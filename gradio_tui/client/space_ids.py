"""Space ids and names: the Hub's one rule, in one place.

A Space is ``owner/name``; both parts follow the Hub's repository-name rule:
letters, digits, ``-``, ``_`` and ``.``, at most 96 characters, not starting
or ending with ``-`` or ``.``, and no ``--`` or ``..``. The connect screen,
the client's source resolution, the Hub operations and the dialogs all ask
here, so an id one accepts the others accept too.
"""

from __future__ import annotations

import re

NAME = re.compile(r"^(?!.*(?:--|\.\.))[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,94}[A-Za-z0-9_])?$")
"""An owner (user or organization) or a Space name."""
SPACE_ID = re.compile(NAME.pattern.replace("$", "") + "/" + NAME.pattern[1:])
"""``owner/name``."""


def is_space_id(text: str) -> bool:
    """Whether ``text`` (stripped) is an ``owner/name`` Space id."""
    return SPACE_ID.match(text.strip()) is not None


def validate_space_id(value: str, what: str = "Space id") -> str:
    """``value`` stripped, or ``ValueError`` naming ``what`` when it is not ``owner/name``."""
    value = (value or "").strip()
    if not is_space_id(value):
        raise ValueError(f"{what} must look like 'owner/name', got {value!r}.")
    return value


def check_target_id(value: str, what: str) -> str | None:
    """An optional target: empty, a bare Space name, or ``owner/name``; the error or None."""
    text = value.strip()
    if not text:
        return None
    if "/" in text:
        try:
            validate_space_id(text, what)
        except ValueError as exc:
            return str(exc)
        name = text.split("/", 1)[1]
    else:
        name = text
    if not NAME.match(name):
        return (
            f"{name!r} is not a valid Space name: letters, digits, '-', '_' and '.', "
            "at most 96 characters, not starting or ending with '-' or '.', "
            "and no '--' or '..'."
        )
    return None


__all__ = ["NAME", "SPACE_ID", "check_target_id", "is_space_id", "validate_space_id"]
