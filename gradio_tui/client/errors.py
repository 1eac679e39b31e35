"""Typed errors of the client.

Every error carries the server's own message where there is one, so a user
sees what the app said rather than a status code. Where the reference client
raised a builtin (``ValueError`` for an unknown ``api_name``, ``TypeError`` for
bad arguments) our class also derives from it, so scripts written against the
reference keep catching what they caught. No message here ever includes a
token: errors are printed, logged and shown in the terminal app.

``except gradio_client.exceptions.AppError`` cannot match a class that does
not derive from it, and this package never imports ``gradio_client``. When a
script has imported it anyway (it names those classes in its ``except``
clauses), :func:`as_reference` gives an error on its way out to the caller the
matching reference class as an extra base, so those clauses keep working.
"""

from __future__ import annotations

import sys
from typing import Any, TypeVar

GENERIC_APP_ERROR = (
    "The upstream Gradio app has raised an exception but has not enabled verbose "
    "error reporting. To enable, set show_error=True in launch()."
)


class GradioTuiError(Exception):
    """Base of every error this package raises on purpose.

    Messages quote servers, and an uncaught error's message goes straight to
    the user's terminal in a traceback: ``str()`` shows control characters as
    visible placeholders (``␛]0;…``). ``args`` (and ``AppError.message``) keep
    the server's text as it came.
    """

    def __str__(self) -> str:
        from .untrusted import visible

        return visible(super().__str__())


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
    """The app's queue is full or stopped; trying again later may work.

    ``retry_after``: seconds the server asked us to wait (its ``Retry-After``), if it said.
    """

    def __init__(
        self, message: str = "Queue is full! Please try again.", *, retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class TooManyRequestsError(GradioTuiError):
    """The Space (or its proxy) is rate limiting this client (HTTP 429).

    ``retry_after``: seconds the server asked us to wait (its ``Retry-After``), if it said.
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


class HubUnreachableError(AppConnectionError):
    """The Hugging Face Hub could not be reached (no network, DNS, refused, timeout).

    Distinct from the Hub *refusing* (``AuthenticationError``, ``HubRefusedError``…):
    nothing said no, so trying again once the network is back may just work.
    """


class NotAGradioAppError(GradioTuiError, ValueError):
    """The URL answers, but not as a Gradio app (no config where one must be)."""


class ServerResponseError(GradioTuiError):
    """The server answered something this client cannot make sense of.

    Covers malformed JSON, missing fields and unexpected status codes: the
    affected job fails with this error instead of hanging or leaking a
    ``KeyError`` from deep inside the protocol code.
    """

    def __init__(
        self,
        message: str,
        status_code: int | None = None,
        body: Any = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.retry_after = retry_after
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
    """A job ran longer than its caller allowed (``job_timeout``, a batch's ``--timeout``);
    it was stopped on the server."""


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


# Our class -> (module, name) of the reference class that ``except`` clauses
# written for gradio_client name. Subclasses (QueueFullError) inherit the entry.
_REFERENCE_CLASSES: dict[type[BaseException], tuple[str, str]] = {
    AppError: ("gradio_client.exceptions", "AppError"),
    AuthenticationError: ("gradio_client.exceptions", "AuthenticationError"),
    ValidationError: ("gradio_client.exceptions", "ValidationError"),
    SerializationSetupError: ("gradio_client.exceptions", "SerializationSetupError"),
    QueueError: ("gradio_client.utils", "QueueError"),
    TooManyRequestsError: ("gradio_client.utils", "TooManyRequestsError"),
    InvalidAPIEndpointError: ("gradio_client.utils", "InvalidAPIEndpointError"),
    SpaceDuplicationError: ("gradio_client.utils", "SpaceDuplicationError"),
}
_BRIDGES: dict[tuple[type[BaseException], type[BaseException]], type[BaseException]] = {}

E = TypeVar("E", bound=BaseException)


def _reduce_as_ours(self: BaseException) -> Any:
    """Pickle as our own class: the bridge exists only in this process."""
    reduced = BaseException.__reduce__(self)
    return (type(self).__bases__[0], *reduced[1:])


def _bridge(ours: type[BaseException], reference: type[BaseException]) -> type[BaseException]:
    key = (ours, reference)
    bridge = _BRIDGES.get(key)
    if bridge is None:
        bridge = type(
            ours.__name__,
            (ours, reference),
            {
                "__module__": ours.__module__,
                "__qualname__": ours.__qualname__,
                "__doc__": ours.__doc__,
                "__reduce__": _reduce_as_ours,
            },
        )
        _BRIDGES[key] = bridge
    return bridge


def as_reference(exc: E) -> E:
    """``exc``, also an instance of gradio_client's class for it if that is loaded.

    Only looks at ``sys.modules``: a script that never imported gradio_client
    pays nothing and gets our classes unchanged. The instance keeps its type's
    name, message, attributes and every one of our bases.
    """
    ours = next((c for c in type(exc).__mro__ if c in _REFERENCE_CLASSES), None)
    if ours is None:
        return exc
    module_name, name = _REFERENCE_CLASSES[ours]
    module = sys.modules.get(module_name)
    reference = getattr(module, name, None) if module is not None else None
    if (
        not isinstance(reference, type)
        or not issubclass(reference, BaseException)
        or isinstance(exc, reference)
    ):
        return exc
    try:
        exc.__class__ = _bridge(type(exc), reference)  # type: ignore[assignment]
    except TypeError:  # layouts that cannot be combined: leave the error as it is
        pass
    return exc


__all__ = [
    "GENERIC_APP_ERROR",
    "AppConnectionError",
    "AppError",
    "AuthenticationError",
    "FileTooLargeError",
    "GradioTuiError",
    "HubUnreachableError",
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
    "as_reference",
]
