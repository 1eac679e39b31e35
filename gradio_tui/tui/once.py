"""Screens whose ``dismiss`` acts once, and on themselves.

Textual's ``Screen.dismiss`` pops whatever screen is on top. Keys typed faster
than a screen closes are already queued to it (a jump label and the letters
after it, a double enter on a menu or a dialog's button), and each would
dismiss again: the first pops the screen, the next ones the screens under it,
the main screen included, and the last one raises ``ScreenStackError`` and
ends the app. Every screen of ours that dismisses derives from ``OnceScreen``
or ``OnceModal``: a second dismiss does nothing, and a screen that ends while
something is open over it (a worker finishing under a confirmation) closes
that too rather than popping it in its place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

ResultT = TypeVar("ResultT")


def _done() -> AwaitComplete:
    """An already complete ``AwaitComplete``: what a dismiss that does nothing returns."""
    done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
    return done


def _dismiss_once(
    screen: Screen[Any], result: Any, dismiss: Callable[[Any], AwaitComplete]
) -> AwaitComplete:
    """``dismiss`` (Textual's) the first time only, and only with ``screen`` on top."""
    if getattr(screen, "_once_dismissed", False) or screen not in screen.app.screen_stack:
        return _done()
    screen._once_dismissed = True  # type: ignore[attr-defined]
    if screen.is_active:
        return dismiss(result)
    # Something is open over it: that closes first (in order, on the app's queue).
    screen.pop_until_active()
    screen.app.call_later(dismiss, result)
    return _done()


class OnceScreen(Screen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        return _dismiss_once(self, result, super().dismiss)


class OnceModal(ModalScreen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        return _dismiss_once(self, result, super().dismiss)


__all__ = ["OnceModal", "OnceScreen"]
