"""Which failures are retried, how long the waits are, and what a server's Retry-After says."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from gradio_tui.client.errors import (
    AppConnectionError,
    AppError,
    AuthenticationError,
    InvalidAPIEndpointError,
    JobTimeoutError,
    QueueFullError,
    ServerResponseError,
    StreamInterruptedError,
    TooManyRequestsError,
    ValidationError,
)
from gradio_tui.client.http import raise_for_join, retry_after
from gradio_tui.client.retry import RetryPolicy, is_retryable, server_retry_after


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (TooManyRequestsError("429"), True),
        (QueueFullError("full"), True),
        (AppConnectionError("refused"), True),
        (StreamInterruptedError("cut"), True),
        (ServerResponseError("bad gateway", status_code=502), True),
        (ServerResponseError("rate", status_code=429), True),
        (ServerResponseError("not found", status_code=404), False),
        (ServerResponseError("garbage frame", status_code=None), False),
        (AppError("the app said no"), False),
        (ValidationError("bad value"), False),
        (AuthenticationError("login"), False),
        (InvalidAPIEndpointError("no such endpoint"), False),
        (JobTimeoutError("too slow"), False),
        (TypeError("wrong arguments"), False),
        (ValueError("no such file"), False),
    ],
)
def test_only_the_apps_unavailability_is_retried(error: BaseException, retried: bool) -> None:
    assert is_retryable(error) is retried


def test_waits_double_with_jitter_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=8.0)
    for failures, guess in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        waits = [policy.wait(failures) for _ in range(200)]
        assert all(guess / 2 <= w <= guess for w in waits)
        assert max(waits) - min(waits) > 0  # jittered, so many clients do not return at once


def test_retry_after_wins_over_the_guess_and_is_capped() -> None:
    policy = RetryPolicy(backoff=1.0, max_wait=60.0)
    assert policy.wait(1, TooManyRequestsError("x", retry_after=7.5)) == 7.5
    assert policy.wait(5, QueueFullError("x", retry_after=0.0)) == 0.0
    assert policy.wait(1, TooManyRequestsError("x", retry_after=86400)) == 60.0
    assert server_retry_after(TooManyRequestsError("x")) is None
    assert server_retry_after(ValueError("x")) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"retries": -1},
        {"retries": 1.5},
        {"retries": True},
        {"backoff": -1},
        {"backoff": "1"},
        {"timeout": 0},
        {"timeout": -3},
        {"timeout": float("nan")},
        {"max_wait": float("nan")},
    ],
)
def test_a_policy_refuses_nonsense(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def _response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "http://127.0.0.1:1/gradio_api/queue/join")
    return httpx.Response(status, headers=headers or {}, json={"detail": "no"}, request=request)


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    assert retry_after(_response(429, {"Retry-After": "3"})) == 3.0
    assert retry_after(_response(429, {"Retry-After": " 0.25 "})) == 0.25
    assert retry_after(_response(429, {"Retry-After": "-5"})) == 0.0
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100 < (retry_after(_response(503, {"Retry-After": later})) or 0) <= 120
    past = email.utils.formatdate(time.time() - 120, usegmt=True)
    assert retry_after(_response(503, {"Retry-After": past})) == 0.0


@pytest.mark.parametrize(
    "garbage", ["", "soon", "nan", "inf", "1e999", "Mon, 99 Foo 2020", "\x1b[2J"]
)
def test_an_unreadable_retry_after_is_no_answer(garbage: str) -> None:
    assert retry_after(_response(429, {"Retry-After": garbage})) is None


def test_a_refused_join_keeps_the_servers_retry_after() -> None:
    url = "http://127.0.0.1:1/queue/join"
    with pytest.raises(TooManyRequestsError) as rate:
        raise_for_join(_response(429, {"Retry-After": "2"}), url)
    assert rate.value.retry_after == 2.0
    with pytest.raises(QueueFullError) as full:
        raise_for_join(_response(503, {"Retry-After": "4"}), url)
    assert full.value.retry_after == 4.0
    with pytest.raises(ServerResponseError) as bad:
        raise_for_join(_response(502), url)
    assert bad.value.status_code == 502 and bad.value.retry_after is None
