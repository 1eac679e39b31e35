"""Typed errors of the client.

Every error carries the server's own message where there is one, so a user
sees what the app said rather than a status code. Where the reference client
raised a builtin (``ValueError`` for an unknown ``api_name``, ``TypeError`` for
bad arguments) our class also derives from it, so scripts written against the
reference keep catching what they caught. No message here ever includes a
token: errors are printed, logged and shown in the terminal app.
"""

from __future__ import annotations

from typing import Any

GENERIC_APP_ERROR = (
    "The upstream Gradio app has raised an exception but has not enabled verbose "
    "error reporting. To enable, set show_error=True in launch()."
)


class GradioTuiError(Exception):
    """Base of every error this package raises on purpose."""


class AppError(GradioTuiError, ValueError):
    """The app's function failed; ``message`` is what ``gr.Error`` (or the app) said."""

    def __init__(
        self,
        message: str = GENERIC_APP_ERROR,
        duration: float | None = 10,
        visible: bool = True,
        title: str = "Error",
        print_exception: bool = True,
    ) -> None:
        self.message = message
        self.duration = duration
        self.visible = visible
        self.title = title
        self.print_exception = print_exception
        super().__init__(message)


class AuthenticationError(GradioTuiError, ValueError):
    """Login refused, login required, or a token the Hub/Space did not accept."""


class ValidationError(GradioTuiError, ValueError):
    """The server's validators refused the input values (HTTP 422)."""


class QueueError(GradioTuiError):
    """The app's queue refused the job (reference name, kept for ``except`` clauses)."""


class QueueFullError(QueueError):
    """The app's queue is full or stopped; trying again later may work."""


class TooManyRequestsError(GradioTuiError):
    """The Space (or its proxy) is rate limiting this client (HTTP 429).

    ``retry_after`` is the wait in seconds the server asked for, if it said.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class InvalidAPIEndpointError(GradioTuiError, ValueError):
    """No callable endpoint matches the given ``api_name`` / ``fn_index``."""

    def __init__(self, message: str, available: list[str] | None = None) -> None:
        self.available = available or []
        super().__init__(message)


InvalidEndpointError = InvalidAPIEndpointError


class AppConnectionError(GradioTuiError, ConnectionError):
    """The app cannot be reached: refused, timed out, DNS, TLS, or the server went away."""


class NotAGradioAppError(GradioTuiError, ValueError):
    """The URL answers, but not as a Gradio app (no config where one must be)."""


class ServerResponseError(GradioTuiError):
    """The server answered something this client cannot make sense of.

    Covers malformed JSON, missing fields and unexpected status codes: the
    affected job fails with this error instead of hanging or leaking a
    ``KeyError`` from deep inside the protocol code.
    """

    def __init__(self, message: str, status_code: int | None = None, body: Any = None) -> None:
        self.status_code = status_code
        self.body = body
        super().__init__(message)


class StreamInterruptedError(AppConnectionError):
    """The event stream carrying a job's messages ended before the job finished."""


class SessionLostError(GradioTuiError):
    """The server restarted and lost this client's session (its ``State``).

    Raised only with ``strict_session=True``; otherwise the job runs in the new
    session and carries a warning. ``reset_session()`` acknowledges it.
    """


class SessionLostWarning(UserWarning):
    """The server restarted: this job runs in a new session, without earlier State."""


class JobTimeoutError(GradioTuiError, TimeoutError):
    """A job ran past the ``job_timeout`` it was given; it was stopped on the server."""


class SpaceNotRunningError(GradioTuiError, ValueError):
    """A Space id was given but the Space is not (or not yet) serving its app."""

    def __init__(self, message: str, space_id: str, stage: str | None) -> None:
        self.space_id = space_id
        self.stage = stage
        super().__init__(message)


SpaceNotRunning = SpaceNotRunningError


class SpaceNotFoundError(GradioTuiError, ValueError):
    """The Hub has no such Space, or the token in use cannot see it."""

    def __init__(self, message: str, space_id: str) -> None:
        self.space_id = space_id
        super().__init__(message)


class SpaceDuplicationError(GradioTuiError):
    """Duplicating a Space (or configuring the copy) failed on the Hub."""


class FileTooLargeError(GradioTuiError, ValueError):
    """A file is larger than the app's ``max_file_size``; nothing was uploaded."""


class SerializationSetupError(GradioTuiError, ValueError):
    """An endpoint uses a component whose values this client cannot encode."""


__all__ = [
    "GENERIC_APP_ERROR",
    "AppConnectionError",
    "AppError",
    "AuthenticationError",
    "FileTooLargeError",
    "GradioTuiError",
    "InvalidAPIEndpointError",
    "InvalidEndpointError",
    "JobTimeoutError",
    "NotAGradioAppError",
    "QueueError",
    "QueueFullError",
    "SerializationSetupError",
    "ServerResponseError",
    "SessionLostError",
    "SessionLostWarning",
    "SpaceDuplicationError",
    "SpaceNotFoundError",
    "SpaceNotRunning",
    "SpaceNotRunningError",
    "StreamInterruptedError",
    "TooManyRequestsError",
    "ValidationError",
]
