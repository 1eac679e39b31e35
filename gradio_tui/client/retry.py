"""When a failed call is worth another try, and how long to wait before it.

One policy for every retrying caller (``map`` and the ``batch`` command that
runs on it), so the rule is written once: a call is retried when the failure
says nothing about the call itself — the app was busy (429, queue full), its
server or proxy failed (5xx) or the connection was lost — and never when the
app's function raised, the arguments were refused or the call timed out
(running it again would most likely do the same, only slower).

The wait doubles from ``backoff`` up to ``max_backoff``, with jitter so that
many clients refused at once do not come back at once; a server's
``Retry-After`` wins over the guess, whatever it says (up to ``max_wait``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .errors import (
    AppConnectionError,
    QueueFullError,
    ServerResponseError,
    TooManyRequestsError,
)

__all__ = ["RetryPolicy", "is_retryable", "retry_after_seconds", "server_retry_after"]


def is_retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is the app's copy being unavailable, not the call being wrong."""
    if isinstance(exc, TooManyRequestsError | QueueFullError | AppConnectionError):
        return True
    if isinstance(exc, ServerResponseError):
        code = exc.status_code
        return code is not None and (code == 429 or code >= 500)
    return False


def retry_after_seconds(value: str) -> float | None:
    """A ``Retry-After`` header's seconds from now (it is a delay or an HTTP date).

    None when it is neither (or NaN); the callers decide what a negative or
    infinite answer means to them.
    """
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        import datetime as dt

        seconds = (when - dt.datetime.now(dt.timezone.utc)).total_seconds()
    return None if seconds != seconds else seconds


def server_retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``), if the error carries it."""
    value = getattr(exc, "retry_after", None)
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to retry, how long to wait, and how long one call may run."""

    retries: int = 3
    """Extra attempts after the first one (0: never retry)."""
    backoff: float = 1.0
    """The first wait in seconds; doubled after every further failure."""
    max_backoff: float = 60.0
    """The longest wait the doubling reaches."""
    max_wait: float = 600.0
    """The longest ``Retry-After`` honoured (a server asking for a day is asking too much)."""
    timeout: float | None = None
    """Seconds a call may *run* on the app before it is cancelled there (time spent
    waiting in the app's queue does not count: a busy Space is not a stuck job)."""

    def __post_init__(self) -> None:
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise ValueError(f"retries must be a whole number ≥ 0, not {self.retries!r}.")
        for name in ("backoff", "max_backoff", "max_wait"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
                raise ValueError(f"{name} must be a number of seconds ≥ 0, not {value!r}.")
        if self.timeout is not None and (
            not isinstance(self.timeout, int | float)
            or isinstance(self.timeout, bool)
            or not self.timeout > 0
        ):
            raise ValueError(f"timeout must be a positive number of seconds, not {self.timeout!r}.")

    def wait(self, failures: int, exc: BaseException | None = None) -> float:
        """Seconds to wait after the ``failures``-th failure in a row (1, 2, …)."""
        asked = server_retry_after(exc) if exc is not None else None
        if asked is not None:
            return min(asked, self.max_wait)
        guess = float(min(self.max_backoff, self.backoff * 2 ** max(0, failures - 1)))
        # "Equal jitter": at least half the guess, so the doubling still shows.
        return guess / 2 + random.uniform(0, guess / 2)
