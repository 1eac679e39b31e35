"""Import httpx without its command-line tool (click, rich, pygments).

``import httpx`` also imports ``httpx._main``, the ``httpx`` CLI, whenever
click and rich are installed, as they are next to Textual or Gradio: that is
about 70 ms, a quarter of a first connect, and it loads Rich into scripts
that the client layer promises to keep free of it. httpx falls back to a stub
``main`` when that import fails, so this makes it fail for the duration of
the first ``import httpx`` only. The ``httpx`` console command runs in its
own process and is unaffected; in this process ``import httpx._main`` still
works afterwards, only the ``httpx.main`` attribute is the stub.
"""

from __future__ import annotations

import sys

_CLI = "httpx._main"


def import_httpx_without_cli() -> None:
    """Import httpx first, if nothing has yet, skipping its CLI module."""
    if "httpx" in sys.modules or _CLI in sys.modules:
        return
    sys.modules[_CLI] = None  # type: ignore[assignment]  # "import fails" marker
    try:
        import httpx  # noqa: F401
    finally:
        if sys.modules.get(_CLI, 0) is None:
            del sys.modules[_CLI]
