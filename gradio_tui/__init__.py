"""gradio-tui: a fast Gradio API client and a terminal app on top of it.

``from gradio_tui import Client`` loads only the client layer, lazily
(PEP 562), so scripts never pay for the terminal app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_CLIENT_EXPORTS = {
    "Client",
    "AsyncClient",
    "Job",
    "AsyncJob",
    "Status",
    "StatusUpdate",
    "OutputUpdate",
    "ProgressUnit",
    "handle_file",
    "file",
    "FileData",
}

if TYPE_CHECKING:
    from .client import (  # noqa: F401 - for type checkers; loaded lazily below
        AsyncClient,
        AsyncJob,
        Client,
        FileData,
        Job,
        OutputUpdate,
        ProgressUnit,
        Status,
        StatusUpdate,
        file,
        handle_file,
    )


def __getattr__(name: str) -> Any:
    if name in _CLIENT_EXPORTS:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module 'gradio_tui' has no attribute {name!r}")


__all__ = sorted(_CLIENT_EXPORTS | {"__version__"})
