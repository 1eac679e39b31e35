"""``map`` in the library, sync and async, against real Gradio servers.

The flaky app (``tests/apps/cli_app.py``) refuses joins with a status and a
Retry-After the test sets, and logs every join with the server's clock, so
waits are checked from the server's side, without the test sleeping.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from gradio_tui import AsyncClient, Client
from gradio_tui.client.errors import (
    AppError,
    InvalidAPIEndpointError,
    JobTimeoutError,
    QueueFullError,
    TooManyRequestsError,
)
from gradio_tui.client.mapping import Call, MapResult
from tests.support.servers import GradioServer


@pytest.fixture(scope="module")
def client(core_url: str) -> Iterator[Client]:
    with Client(core_url, verbose=False) as c:
        yield c


def flaky(
    cli_app: GradioServer, fail: int, status: int = 429, retry_after: float | None = None
) -> None:
    params: dict[str, str | int | float] = {"fail": fail, "status": status}
    if retry_after is not None:
        params["retry_after"] = retry_after
    httpx.post(cli_app.url + "control/flaky", params=params).raise_for_status()


def joins(cli_app: GradioServer) -> list[dict[str, float]]:
    return list(httpx.get(cli_app.url + "control/joins").json())


def test_results_come_in_input_order_one_per_input(client: Client) -> None:
    inputs = ({"text": f"t{i}"} for i in range(120))  # a generator: read lazily
    with client.map(inputs, api_name="/echo", concurrency=8) as results:
        got = list(results)
    assert [r.index for r in got] == list(range(120))
    assert [r.value for r in got] == [f"t{i}" for i in range(120)]
    assert all(r.ok and r.attempts == 1 and r.src == client.core.source.display for r in got)
    assert 1 < results.stats.peak_in_flight <= 8


def test_as_completed_covers_every_input_and_concurrency_is_bounded(client: Client) -> None:
    results = list(client.map(range(60), api_name="/echo", ordered=False, concurrency=3))
    assert sorted(r.index for r in results) == list(range(60))
    assert {r.value for r in results} == {str(i) for i in range(60)}


def test_errors_are_results_and_never_stop_the_rest(client: Client) -> None:
    calls = [
        {"num1": 6, "operation": "divide", "num2": 3},
        {"num1": 1, "operation": "divide", "num2": 0},  # gr.Error in the app
        {"nope": 1},  # not a parameter: refused before sending
        Call(error=ValueError("line 4: unreadable")),  # known bad: never sent
        [2, "multiply", 5],
    ]
    results = list(client.map(calls, api_name="/predict"))
    ok, app_error, bad_args, unreadable, positional = results
    assert ok.value == 2 and positional.value == 10
    assert isinstance(app_error.error, AppError) and app_error.attempts == 1
    assert "Cannot divide by zero" in str(app_error.error)
    with pytest.raises(AppError):
        app_error.result()
    assert isinstance(bad_args.error, TypeError)
    assert isinstance(unreadable.error, ValueError) and unreadable.attempts == 0
    assert unreadable.src is None


def test_a_wrong_endpoint_is_refused_before_any_input_is_read(client: Client) -> None:
    read: list[int] = []

    def inputs() -> Iterator[str]:
        read.append(1)
        yield "x"

    with pytest.raises(InvalidAPIEndpointError):
        client.map(inputs(), api_name="/nope")
    with pytest.raises(ValueError, match="concurrency"):
        client.map(["x"], api_name="/echo", concurrency=0)
    assert read == []


def test_the_timeout_cancels_a_call_that_runs_too_long(client: Client) -> None:
    started = time.monotonic()
    (result,) = client.map([{"seconds": 5}], api_name="/slow", timeout=0.4)
    assert isinstance(result.error, JobTimeoutError)
    assert result.attempts == 1  # a timeout is not retried
    assert time.monotonic() - started < 4


def test_retries_wait_as_long_as_retry_after_says(cli_app: GradioServer) -> None:
    flaky(cli_app, fail=2, status=429, retry_after=0.4)
    with Client(cli_app.url + "flaky/", verbose=False) as c:
        results = list(c.map(["a", "b", "c"], api_name="/echo", concurrency=1, backoff=0.01))
    assert [r.value for r in results] == ["a", "b", "c"]
    assert results[0].attempts == 3 and results[1].attempts == 1
    log = joins(cli_app)
    assert [j["status"] for j in log] == [429, 429, 200, 200, 200]
    # The server's own clock: each retry came only after the Retry-After it asked for.
    assert log[1]["t"] - log[0]["t"] >= 0.38
    assert log[2]["t"] - log[1]["t"] >= 0.38


def test_backoff_doubles_on_5xx_and_gives_up_after_the_retries(cli_app: GradioServer) -> None:
    flaky(cli_app, fail=3, status=503)
    with Client(cli_app.url + "flaky/", verbose=False) as c:
        (result,) = c.map(["x"], api_name="/echo", retries=2, backoff=0.2)
    assert result.attempts == 3 and not result.ok
    # The server's own reason, on the queue's error.
    assert isinstance(result.error, QueueFullError) and str(result.error) == "not now"
    log = joins(cli_app)
    assert [j["status"] for j in log] == [503, 503, 503]
    first, second = log[1]["t"] - log[0]["t"], log[2]["t"] - log[1]["t"]
    assert first >= 0.09 and second >= 0.19  # 0.2 s then 0.4 s, jittered down to half


def test_retry_after_exhausted_is_a_rate_limit_error(cli_app: GradioServer) -> None:
    with Client(cli_app.url + "busy/", verbose=False) as c:
        (result,) = c.map(["x"], api_name="/echo", retries=0)
    assert isinstance(result.error, TooManyRequestsError)
    assert result.error.retry_after == 30.0


def test_replicas_share_the_work(client: Client, cli_app: GradioServer) -> None:
    with Client(cli_app.url + "app/", verbose=False) as other:
        with client.map(
            ({"text": f"r{i}"} for i in range(200)),
            api_name="/echo",
            concurrency=4,
            replicas=[other],
        ) as results:
            got = list(results)
        by_src = {r.src for r in got}
    assert [r.value for r in got] == [f"r{i}" for i in range(200)]
    assert by_src == {client.core.source.display, other.core.source.display}


def test_a_blocking_input_iterator_never_blocks_the_calls(client: Client) -> None:
    """The second input waits for the first result: reading on the loop would deadlock."""
    first_result = threading.Event()

    def inputs() -> Iterator[str]:
        yield "first"
        assert first_result.wait(30), "the first call never finished while input was blocked"
        yield "second"

    got: list[MapResult] = []
    for result in client.map(inputs(), api_name="/echo", ordered=False):
        got.append(result)
        first_result.set()
    assert [r.value for r in got] == ["first", "second"]


def test_an_input_iterator_that_breaks_raises_after_the_finished_calls(client: Client) -> None:
    def inputs() -> Iterator[str]:
        yield "a"
        yield "b"
        raise OSError("disk gone")

    got: list[MapResult] = []
    with pytest.raises(OSError, match="disk gone"):
        for result in client.map(inputs(), api_name="/echo"):
            got.append(result)
    assert [r.value for r in got] == ["a", "b"]


def test_stop_finishes_what_runs_and_takes_nothing_new(client: Client) -> None:
    with client.map(
        ({"text": str(i)} for i in range(10_000)), api_name="/echo", concurrency=4
    ) as it:
        got = [next(it) for _ in range(10)]
        it.stop()
        got += list(it)
    stats = it.stats
    assert stats.taken < 10_000
    assert len(got) == stats.done == stats.taken - stats.dropped
    assert [r.index for r in got] == sorted(r.index for r in got)
    assert all(r.ok for r in got)


def test_cancel_stops_running_calls_and_hands_out_nothing_unfinished(client: Client) -> None:
    with client.map([{"seconds": 3}] * 3, api_name="/slow", concurrency=3) as it:
        while it.stats.in_flight == 0:
            time.sleep(0.01)  # waiting for a state: the calls have been sent
        started = time.monotonic()
        it.cancel()
        rest = list(it)
    assert rest == []
    assert it.stats.dropped == 3
    assert time.monotonic() - started < 2


async def test_async_map_takes_an_async_iterable(core_url: str) -> None:
    async def inputs() -> AsyncIterator[dict[str, str]]:
        for i in range(30):
            await asyncio.sleep(0)
            yield {"text": f"a{i}"}

    async with await AsyncClient.connect(core_url, verbose=False) as core:
        async with core.map(inputs(), api_name="/echo", ordered=False, concurrency=5) as run:
            got = [r async for r in run]
        assert sorted(r.value for r in got) == sorted(f"a{i}" for i in range(30))
        assert run.stats.peak_in_flight <= 5
        # Replicas on the same loop, given as AsyncClients.
        async with await AsyncClient.connect(core_url, verbose=False) as twin:
            run = core.map(["x", "y"], api_name="/echo", replicas=[twin])
            assert [r.value async for r in run] == ["x", "y"]


def test_a_failing_copy_rests_and_its_rows_go_to_the_others(cli_app: GradioServer) -> None:
    flaky(cli_app, fail=10_000, status=502)  # this copy fails every call
    with (
        Client(cli_app.url + "app/", verbose=False) as healthy,
        Client(cli_app.url + "flaky/", verbose=False) as failing,
    ):
        results = list(
            failing.map(
                ({"text": f"r{i}"} for i in range(150)),
                api_name="/echo",
                concurrency=4,
                backoff=0.05,
                replicas=[healthy],
            )
        )
        assert all(r.ok and r.src == healthy.core.source.display for r in results)
        assert [r.value for r in results] == [f"r{i}" for i in range(150)]
    # Resting: after its first failures the copy only got probes, not a share of the rows.
    tried = len(joins(cli_app))
    assert 1 <= tried <= 20, tried
