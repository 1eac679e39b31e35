"""Keep the cycle collector's full passes short while the app runs.

Each full collection walks every live object; with Textual, the client and a
connected app's screen that is hundreds of thousands of them, and a pass took
40–90 ms: a visible stall while scrolling a big result (bench/tui_results.py
measured it). Once start-up is over, :func:`settle` collects once and freezes
what exists (modules, styles, the main screen) out of the collector's sight;
:func:`release` gives them back when that screen is replaced or the app ends,
so nothing frozen outlives its use.
"""

from __future__ import annotations

import gc

_frozen = False


def settle() -> None:
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


def release() -> None:
    global _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False


def keep() -> None:
    """Freeze what was built since (a history read at connect): cheap, no collection.

    Before :func:`settle` has run there is nothing to add to: it will take them.
    """
    if _frozen:
        gc.freeze()
