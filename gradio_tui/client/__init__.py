"""The UI-free client layer: the reference Gradio client API, from scratch.

Never imports Textual or Rich (an import-linter contract and a test hold it
to that), so scripts stay light. Only ``Client`` and the error types load
eagerly: jobs, status and files (which pull in asyncio, concurrent.futures,
hashlib, mimetypes…) load when first named or when a client connects, so
``from gradio_tui import Client`` costs a fraction of ``import gradio_client``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .client import Client
from .errors import (
    AppConnectionError,
    AppError,
    AuthenticationError,
    FileTooLargeError,
    GradioTuiError,
    InvalidAPIEndpointError,
    InvalidEndpointError,
    JobTimeoutError,
    NotAGradioAppError,
    QueueError,
    QueueFullError,
    ServerResponseError,
    SessionLostError,
    SessionLostWarning,
    SpaceDuplicationError,
    SpaceNotFoundError,
    SpaceNotRunning,
    SpaceNotRunningError,
    StreamInterruptedError,
    TooManyRequestsError,
    ValidationError,
)

if TYPE_CHECKING:
    from .core import AsyncClient
    from .filedata import FileData, file, handle_file
    from .jobs import AsyncJob, Job
    from .mapping import Call, MapResult
    from .retry import RetryPolicy
    from .status import OutputUpdate, ProgressUnit, Status, StatusUpdate

# Public name -> submodule that defines it, imported on first access (PEP 562).
_LAZY = {
    "AsyncClient": "core",  # pulls in httpx
    "FileData": "filedata",
    "file": "filedata",
    "handle_file": "filedata",
    "AsyncJob": "jobs",  # pulls in asyncio
    "Job": "jobs",
    "Call": "mapping",  # map() inputs and results
    "MapResult": "mapping",
    "RetryPolicy": "retry",
    "OutputUpdate": "status",
    "ProgressUnit": "status",
    "Status": "status",
    "StatusUpdate": "status",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gradio_tui.client' has no attribute {name!r}")
    from importlib import import_module

    if module == "core":
        from ._httpx_import import import_httpx_without_cli

        import_httpx_without_cli()
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


__all__ = [
    "AppConnectionError",
    "AppError",
    "AsyncClient",
    "AsyncJob",
    "AuthenticationError",
    "Call",
    "Client",
    "FileData",
    "FileTooLargeError",
    "GradioTuiError",
    "InvalidAPIEndpointError",
    "InvalidEndpointError",
    "Job",
    "JobTimeoutError",
    "MapResult",
    "NotAGradioAppError",
    "OutputUpdate",
    "ProgressUnit",
    "QueueError",
    "QueueFullError",
    "RetryPolicy",
    "ServerResponseError",
    "SessionLostError",
    "SessionLostWarning",
    "SpaceDuplicationError",
    "SpaceNotFoundError",
    "SpaceNotRunning",
    "SpaceNotRunningError",
    "Status",
    "StatusUpdate",
    "StreamInterruptedError",
    "TooManyRequestsError",
    "ValidationError",
    "file",
    "handle_file",
]
