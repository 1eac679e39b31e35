"""The UI-free client layer: the reference Gradio client API, from scratch.

Never imports Textual or Rich (an import-linter contract and a test hold it
to that), so scripts stay light.
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
    NotAGradioAppError,
    QueueError,
    QueueFullError,
    ServerResponseError,
    SpaceDuplicationError,
    SpaceNotFoundError,
    SpaceNotRunning,
    SpaceNotRunningError,
    StreamInterruptedError,
    TooManyRequestsError,
    ValidationError,
)
from .files import FileData, file, handle_file
from .jobs import AsyncJob, Job
from .status import OutputUpdate, ProgressUnit, Status, StatusUpdate

if TYPE_CHECKING:
    from .core import AsyncClient


def __getattr__(name: str) -> Any:
    # The async core pulls in httpx; load it only when someone asks for it.
    if name == "AsyncClient":
        from .core import AsyncClient

        return AsyncClient
    raise AttributeError(f"module 'gradio_tui.client' has no attribute {name!r}")


__all__ = [
    "AppConnectionError",
    "AppError",
    "AsyncClient",
    "AsyncJob",
    "AuthenticationError",
    "Client",
    "FileData",
    "FileTooLargeError",
    "GradioTuiError",
    "InvalidAPIEndpointError",
    "InvalidEndpointError",
    "Job",
    "NotAGradioAppError",
    "OutputUpdate",
    "ProgressUnit",
    "QueueError",
    "QueueFullError",
    "ServerResponseError",
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
