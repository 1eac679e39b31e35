"""Exit statuses: what went wrong, as a number a script can branch on.

One table, used by every command, printed in their ``--help`` and copied in
README (a test keeps the two equal). Each status is a *class* of error — what
the caller would do about it — not a list of every exception.
"""

from __future__ import annotations

from enum import IntEnum

from ..client.errors import (
    AppConnectionError,
    AppError,
    AuthenticationError,
    JobTimeoutError,
    NotAGradioAppError,
    QueueFullError,
    ServerResponseError,
    SpaceNotFoundError,
    SpaceNotRunningError,
    TooManyRequestsError,
)

__all__ = ["TABLE", "Exit", "exit_for", "table_text"]


class Exit(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    UNREACHABLE = 3
    AUTH = 4
    NOT_AN_APP = 5
    BUSY = 6
    BAD_ANSWER = 7
    TIMEOUT = 8
    INTERNAL = 70
    INTERRUPTED = 130


TABLE: list[tuple[Exit, str]] = [
    (Exit.OK, "done (batch: every row succeeded)"),
    (Exit.FAILED, "the app's function raised an error (batch: some rows failed, see the output)"),
    (Exit.USAGE, "bad arguments or values, unknown endpoint, unreadable input file"),
    (Exit.UNREACHABLE, "could not connect to the app, or the connection was lost"),
    (Exit.AUTH, "login or token refused"),
    (Exit.NOT_AN_APP, "no such Space, Space not running, or not a Gradio app"),
    (Exit.BUSY, "rate limited or the app's queue is full: try again later"),
    (Exit.BAD_ANSWER, "the server answered something this client cannot use"),
    (Exit.TIMEOUT, "the call ran longer than --timeout"),
    (Exit.INTERNAL, "a bug in gradio-tui (the traceback is printed: please report it)"),
    (Exit.INTERRUPTED, "interrupted with ctrl+c (batch: --resume continues the output)"),
]


def table_text() -> str:
    """The table for ``--help``."""
    return "exit status:\n" + "\n".join(f"  {int(code):>3}  {text}" for code, text in TABLE)


def exit_for(exc: BaseException) -> Exit:
    """The status for an error a command could not get past."""
    # Order matters: several of these also derive from ValueError.
    if isinstance(exc, JobTimeoutError):
        return Exit.TIMEOUT
    if isinstance(exc, AuthenticationError):
        return Exit.AUTH
    if isinstance(exc, SpaceNotFoundError | SpaceNotRunningError | NotAGradioAppError):
        return Exit.NOT_AN_APP
    if isinstance(exc, TooManyRequestsError | QueueFullError):
        return Exit.BUSY
    if isinstance(exc, AppConnectionError):
        return Exit.UNREACHABLE
    if isinstance(exc, ServerResponseError):
        return Exit.BUSY if exc.status_code == 429 else Exit.BAD_ANSWER
    if isinstance(exc, AppError):
        return Exit.FAILED
    if isinstance(exc, ValueError | TypeError | LookupError | OSError):
        # Arguments the endpoint refuses, unknown endpoints (InvalidAPIEndpointError
        # is a ValueError), server-side validation (422), missing or unreadable files.
        return Exit.USAGE
    return Exit.INTERNAL
