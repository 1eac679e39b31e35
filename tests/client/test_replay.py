"""The client against traffic captured from real Gradio 4.44, 5.50 and 6.31 servers.

The fake server answers each call with the exact bytes the real server sent
(``tests/fixtures``, a copy of ``shared/fixtures``), so the SSE parsing, the
event-id demultiplexing, diffs and error payloads are checked against what
each generation really says.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gradio_tui import Client
from gradio_tui.client import AppError, Status
from tests.support.fake_gradio import FakeGradio, replay_server

GENERATIONS = ["4", "5", "6"]


@pytest.fixture(params=GENERATIONS, scope="module")
def replay(request: pytest.FixtureRequest) -> Iterator[tuple[str, FakeGradio]]:
    fake, _ = replay_server(request.param)
    with fake:
        yield request.param, fake


@pytest.fixture
def client(replay: tuple[str, FakeGradio]) -> Iterator[Client]:
    _, fake = replay
    with Client(fake.url, verbose=False) as c:
        yield c


def test_config_routes_and_protocol(client: Client, replay: tuple[str, FakeGradio]) -> None:
    generation, fake = replay
    assert client.protocol == "sse_v3"
    assert str(client.app_version).startswith(generation)
    info_paths = {r.path for r in fake.requests if r.path.endswith("/info")}
    assert fake.api("info") in info_paths


def test_calculator(client: Client) -> None:
    assert client.predict(3, "add", 4, api_name="/predict") == 7


def test_gr_error_is_unquoted_on_every_generation(client: Client) -> None:
    with pytest.raises(AppError) as err:
        client.predict(1, "divide", 0, api_name="/predict")
    assert err.value.message == "Cannot divide by zero!"
    with pytest.raises(AppError) as err:
        client.predict("boom from fixtures", api_name="/error")
    assert err.value.message == "boom from fixtures"


def test_crash_without_show_error(client: Client) -> None:
    with pytest.raises(AppError, match="show_error=True"):
        client.predict("x", api_name="/crash")


def test_stream_diffs_rebuild_every_step(client: Client) -> None:
    job = client.submit("hi", api_name="/stream")
    assert job.result(timeout=10) == "hi#1 hi#2 hi#3 hi#4 hi#5"
    assert job.outputs() == [
        "hi#1",
        "hi#1 hi#2",
        "hi#1 hi#2 hi#3",
        "hi#1 hi#2 hi#3 hi#4",
        "hi#1 hi#2 hi#3 hi#4 hi#5",
    ]


def test_state_outputs_are_dropped(client: Client) -> None:
    # The capture's app returns the latest text and the State; State is dropped.
    assert client.predict("one", api_name="/stateful") == "one"
    assert client.predict("two", api_name="/stateful") == "two"


def test_hidden_by_fn_index(client: Client) -> None:
    assert client.predict("h", fn_index=5) == "hidden:h"


def test_three_queued_jobs_on_one_stream(client: Client, replay: tuple[str, FakeGradio]) -> None:
    _, fake = replay
    jobs = [client.submit(0.5, api_name="/slow") for _ in range(3)]
    assert [j.result(timeout=10) for j in jobs] == ["slept 0.5s"] * 3
    for j in jobs:
        codes = [u.code for u in j.async_job.updates if u.type == "status"]
        assert Status.IN_QUEUE in codes and Status.PROCESSING in codes
    streams = [
        r
        for r in fake.requests
        if r.path == fake.api("queue/data") and r.query["session_hash"] == [client.session_hash]
    ]
    assert streams  # one shared stream per session, never one per job
    assert len(streams) <= 3
