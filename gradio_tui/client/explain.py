"""Every error of the client, in the same words everywhere: the one table.

A person needs to know *which* of three very different things happened:

- **unreachable**: nothing answered (no network, a name that does not
  resolve, a refused connection, a timeout): nobody said no;
- **refused**: the Hub or the app answered and said no (401, 403, 404,
  409, 429, 5xx), with its status and its own message;
- **not running**: a Space exists but is not serving (with its stage);

and then the app's own errors (``gr.Error``), values it refused, and answers
that make no sense. :func:`explain` maps any exception to an
:class:`Explanation` through :data:`TABLE` (first match wins); the terminal
app shows ``title`` and ``message`` wherever an error lands (connect screen,
job view, toasts, Hub dialogs) and the command line prints the same words.
UI-free: no Textual, no Rich.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from .errors import (
    AppConnectionError,
    AppError,
    AuthenticationError,
    FileTooLargeError,
    GradioTuiError,
    HubUnreachableError,
    InvalidAPIEndpointError,
    JobTimeoutError,
    NotAGradioAppError,
    QueueError,
    QueueFullError,
    SerializationSetupError,
    ServerResponseError,
    SessionLostError,
    SpaceDuplicationError,
    SpaceNotFoundError,
    SpaceNotRunningError,
    StreamInterruptedError,
    TooManyRequestsError,
    ValidationError,
)

Kind = Literal[
    "unreachable",
    "refused",
    "not-running",
    "app-error",
    "invalid",
    "bad-answer",
    "cancelled",
    "timed-out",
    "internal",
]


@dataclass(frozen=True)
class Explanation:
    """An error in words: a short ``title``, the full ``message``, and its ``kind``."""

    kind: Kind
    title: str
    message: str

    def line(self) -> str:
        """``title: first line of message`` (toasts, one-line places)."""
        first = self.message.split("\n", 1)[0]
        return f"{self.title}: {first}" if first else self.title


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        yield node
        node = node.__cause__ or node.__context__


def network_reason(exc: BaseException) -> str:
    """Why nothing answered, in a few words: DNS, refused, timed out, TLS, or the network."""
    texts = []
    for node in _chain(exc):
        if isinstance(node, socket.gaierror):
            return "the host name could not be resolved (DNS)"
        if isinstance(node, ConnectionRefusedError):
            return "the connection was refused"
        if isinstance(node, TimeoutError | socket.timeout):
            return "it timed out"
        if isinstance(node, ssl.SSLError):
            return "the TLS handshake failed"
        name = type(node).__name__
        if "Timeout" in name:
            return "it timed out"
        texts.append(str(node).lower())
    text = " ".join(texts)
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or "temporary failure in name resolution" in text
        or "getaddrinfo" in text
    ):
        return "the host name could not be resolved (DNS)"
    if "connection refused" in text:
        return "the connection was refused"
    if "timed out" in text or "timeout" in text:
        return "it timed out"
    if "certificate" in text or "ssl" in text:
        return "the TLS handshake failed"
    return "the network failed"


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _message(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _unreachable_hub(exc: BaseException) -> Explanation:
    return Explanation(
        "unreachable",
        "Cannot reach the Hub",
        f"{_message(exc)}\nThe Hub did not answer ({network_reason(exc)}): nothing was "
        "refused. Check the network (and HF_ENDPOINT), then try again.",
    )


def _unreachable_app(exc: BaseException) -> Explanation:
    if isinstance(exc, StreamInterruptedError):
        return Explanation(
            "unreachable",
            "Connection to the app lost",
            f"{_message(exc)}\nThe app stopped answering while the job ran; "
            "F7 reconnects (the app reconnects by itself once the server is back).",
        )
    return Explanation(
        "unreachable",
        "Cannot reach the app",
        f"{_message(exc)}\nThe app did not answer ({network_reason(exc)}): nothing was "
        "refused. F7 reconnects.",
    )


def _refused(title: str) -> Callable[[BaseException], Explanation]:
    def explain_refusal(exc: BaseException) -> Explanation:
        status, message = _status(exc), _message(exc)
        said = status is None or str(status) in title or f"HTTP {status}" in message
        return Explanation("refused", title if said else f"{title} (HTTP {status})", message)

    return explain_refusal


def _not_running(exc: BaseException) -> Explanation:
    stage = getattr(exc, "stage", None)
    space = getattr(exc, "space_id", "") or "The Space"
    title = f"{space} is not running" + (f" ({stage})" if stage else "")
    return Explanation("not-running", title, _message(exc))


def _app_error(exc: BaseException) -> Explanation:
    assert isinstance(exc, AppError)
    return Explanation("app-error", exc.title or "Error", exc.message)


def _bad_answer(exc: BaseException) -> Explanation:
    status = _status(exc)
    if isinstance(exc, ServerResponseError) and status is not None and status >= 400:
        kind: Kind = "refused"
        title = f"The app answered HTTP {status}"
    else:
        kind, title = "bad-answer", "Bad answer from the server"
    return Explanation(kind, title, _message(exc))


def _simple(kind: Kind, title: str) -> Callable[[BaseException], Explanation]:
    return lambda exc: Explanation(kind, title, _message(exc))


def _hub_refusals() -> list[tuple[type[BaseException], Callable[[BaseException], Explanation]]]:
    from .hub import (
        BillingError,
        ConflictError,
        HubRefusedError,
        HubServerError,
        PermissionDeniedError,
    )

    return [
        (BillingError, _refused("Billing")),
        (PermissionDeniedError, _refused("Permission denied")),
        (ConflictError, _refused("Conflict")),
        (HubServerError, _refused("The Hub failed")),
        (HubRefusedError, _refused("The Hub refused")),
    ]


TABLE: list[tuple[type[BaseException], Callable[[BaseException], Explanation]]] = [
    (HubUnreachableError, _unreachable_hub),
    (AppConnectionError, _unreachable_app),
    (AuthenticationError, _refused("Login or token refused")),
    (TooManyRequestsError, _refused("Too many requests (HTTP 429)")),
    (QueueFullError, _refused("The app's queue is full")),
    (QueueError, _refused("The app's queue refused the job")),
    *_hub_refusals(),
    (SpaceDuplicationError, _refused("The Hub refused")),
    (SpaceNotFoundError, _refused("Not found")),
    (SpaceNotRunningError, _not_running),
    (AppError, _app_error),
    (JobTimeoutError, _simple("timed-out", "The job took too long")),
    (SessionLostError, _simple("refused", "The app restarted and lost this session")),
    (ValidationError, _simple("invalid", "The app refused these values")),
    (FileTooLargeError, _simple("invalid", "File too large for this app")),
    (InvalidAPIEndpointError, _simple("invalid", "No such endpoint")),
    (SerializationSetupError, _simple("invalid", "Values this client cannot send")),
    (NotAGradioAppError, _simple("bad-answer", "Not a Gradio app")),
    (ServerResponseError, _bad_answer),
    (asyncio.CancelledError, _simple("cancelled", "Cancelled")),
    (TypeError, _simple("invalid", "Invalid input")),
    (ValueError, _simple("invalid", "Invalid input")),
    (GradioTuiError, _simple("internal", "Error")),
]
"""Exception class → how to say it, most specific first (the first match wins)."""


def explain(exc: BaseException) -> Explanation:
    """``exc`` in the words every part of the app uses for it."""
    for kind, say in TABLE:
        if isinstance(exc, kind):
            return say(exc)
    return Explanation("internal", type(exc).__name__, _message(exc))


__all__ = ["TABLE", "Explanation", "explain", "network_reason"]
