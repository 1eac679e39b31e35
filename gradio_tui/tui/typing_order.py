"""Keep the order the user typed in when a priority key ends the typing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen


def after_typing(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Run ``callback`` once the keys already sent to the focused widget are handled.

    Textual runs a priority binding (ctrl+r) as soon as its key arrives, while
    the keys before it still wait in the focused widget's queue: a paste, or a
    fast typist's last word, followed at once by ctrl+r would be read without
    its end. Queued behind those keys, the callback sees everything typed.
    """
    target = screen.focused or screen
    target.call_later(callback)
