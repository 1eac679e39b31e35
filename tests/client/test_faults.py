"""Faults between the client and a real Gradio server, injected by ``FaultProxy``.

Each test puts the proxy in front of a real Gradio 6 app (``tests/apps/fault_app.py``,
which counts what it ran) and asserts what the user sees and how soon. Bounds are
generous where the bound is not the point: the machine is shared and busy.
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradio_tui import Client, handle_file
from gradio_tui.client import (
    AppConnectionError,
    JobTimeoutError,
    SessionLostError,
    SessionLostWarning,
    Status,
    StreamInterruptedError,
)
from tests.support.faults import FaultProxy, idle_pooled_connections
from tests.support.request_log import RequestLog
from tests.support.servers import GradioServer, start_gradio


@pytest.fixture(scope="module")
def fault_app() -> Iterator[GradioServer]:
    server = start_gradio("fault_app")
    yield server
    server.stop()


@pytest.fixture
def proxy(fault_app: GradioServer) -> Iterator[FaultProxy]:
    with FaultProxy(fault_app.port) as p:
        yield p


@pytest.fixture(scope="module")
def observer(fault_app: GradioServer) -> Iterator[Client]:
    """A client that talks to the app directly, to read its run counts."""
    with Client(fault_app.url, verbose=False) as c:
        yield c


def run_counts(observer: Client, prefix: str) -> dict[str, int]:
    text = observer.predict(prefix, api_name="/runs")
    return {tag: int(n) for tag, _, n in (line.partition("=") for line in str(text).splitlines())}


def text_file(folder: Path, text: str) -> Path:
    path = folder / f"{text}.txt"
    path.write_text(text)
    return path


def tag() -> str:
    return uuid.uuid4().hex[:8]


# -- 1. stale keep-alive connections ------------------------------------------------------


@pytest.mark.parametrize("reset", [False, True], ids=["fin", "rst"])
def test_connections_dropped_while_idle_cost_no_job(
    proxy: FaultProxy, observer: Client, reset: bool, tmp_path: Path
) -> None:
    """The issue's case: a proxy drops pooled connections idle > 1 s when their next
    request arrives; 60 jobs in bursts of 10, each burst after > 1.3 s of silence. Half
    of them upload a file first: an upload is safe to send twice, so it may go out on
    an idle connection (and be sent again when that one was dropped); a job start never
    does."""
    proxy.drop_idle_reused = 1.0
    proxy.drop_with_reset = reset
    prefix = tag()
    t0 = time.monotonic()
    with Client(proxy.url, verbose=False) as c:
        for burst in range(6):
            proxy.wait_idle(1.3)
            tags = [f"{prefix}-{burst}-{i}" for i in range(10)]
            jobs = [
                c.submit(name, api_name="/tick")
                if i % 2
                else c.submit(name, handle_file(text_file(tmp_path, name)), api_name="/tick_file")
                for i, name in enumerate(tags)
            ]
            assert [j.result(timeout=60) for j in jobs] == tags
        stats = c.core.stats
    assert time.monotonic() - t0 < 90
    assert proxy.dropped > 0, "the fault never happened: the test proves nothing"
    assert stats["resent"] > 0 or stats["avoided"] > 0
    counts = run_counts(observer, prefix)
    assert len(counts) == 60
    assert set(counts.values()) == {1}, "a job ran twice on the server"


def test_idle_connections_expire_before_a_5s_server_limit(proxy: FaultProxy) -> None:
    """A server that closes connections idle 3.2 s (uvicorn: 5 s) never gets a request
    on one: the pool lets them go at 3 s."""
    proxy.drop_idle_reused = 3.2
    with Client(proxy.url, verbose=False) as c:
        for _ in range(2):
            assert c.predict("x", api_name="/tick") == "x"
            proxy.wait_idle(3.3)
        assert c.predict("y", api_name="/tick") == "y"
    assert proxy.dropped == 0


def test_a_job_start_is_never_sent_twice(proxy: FaultProxy, observer: Client) -> None:
    """The join reaches the server (which runs the job) and the answer is lost: the
    client cannot tell it apart from a stale connection, so it does not send it again."""
    with Client(proxy.url, verbose=False) as c:
        assert c.predict("warm", api_name="/tick") == "warm"
        assert proxy.wait_for(lambda: idle_pooled_connections(c) > 0)  # the next join reuses it
        joins_before = len(proxy.requests("POST /gradio_api/queue/join"))
        fired = proxy.cut_response_to(b"POST /gradio_api/queue/join")
        once = tag()
        t0 = time.monotonic()
        with pytest.raises(AppConnectionError, match="queue/join"):
            c.predict(once, api_name="/tick")
        assert time.monotonic() - t0 < 10
        assert fired.is_set()
        cut = [k for k in proxy.connections if k.requests and not k.open]
        assert len(cut) == 1 and len(cut[0].requests) > 1, "the join went on a reused connection"
        assert len(proxy.requests("POST /gradio_api/queue/join")) == joins_before + 1
        # The server did run it, once; and the client is fine for the next call.
        assert proxy.wait_for(lambda: run_counts(observer, once) == {once: 1}, 10)
        assert c.predict("after", api_name="/tick") == "after"
    assert run_counts(observer, once) == {once: 1}


# -- 2. bounds on a silent event stream ----------------------------------------------------


def test_httpx_timeout_bounds_a_silent_event_stream(fault_app: GradioServer) -> None:
    """``httpx_kwargs={"timeout": 3}`` (the reference's way) is the stream's silence bound."""
    with Client(fault_app.url, verbose=False, httpx_kwargs={"timeout": 3}) as c:
        t0 = time.monotonic()
        with pytest.raises(StreamInterruptedError, match="silent for 3 s"):
            c.predict(20, api_name="/sleep")
        took = time.monotonic() - t0
        assert 2.5 < took < 8, took
        assert c.predict(0, api_name="/sleep") == "slept 0"


def test_job_timeout_bounds_one_call_on_a_stalled_stream(proxy: FaultProxy) -> None:
    """The event stream stops mid-job (the proxy holds its bytes): ``job_timeout`` ends
    the call on time; the other call in flight is unaffected by it."""
    release = proxy.stall_after(b'"msg":"process_starts"')
    with Client(proxy.url, verbose=False) as c:
        t0 = time.monotonic()
        job = c.submit(1, api_name="/sleep", job_timeout=2)
        with pytest.raises(JobTimeoutError, match="job_timeout of 2 s"):
            job.result(timeout=30)
        took = time.monotonic() - t0
        assert 1.8 < took < 6, took
        release.set()
        assert c.predict("fine", api_name="/tick", job_timeout=30) == "fine"


# -- 5. no idle event stream after file-returning jobs --------------------------------------


def test_no_event_stream_stays_open_after_a_file_job(proxy: FaultProxy) -> None:
    with Client(proxy.url, verbose=False) as c:
        for text in ("one", "two"):
            path = c.predict(text, api_name="/file")
            with open(path) as f:
                assert f.read() == text
            t0 = time.monotonic()
            assert proxy.wait_for(lambda: not proxy.open_streams(), 5), proxy.open_streams()
            assert time.monotonic() - t0 < 5
        # one stream per job: none was reopened while the file downloaded
        assert len(proxy.requests("GET /gradio_api/queue/data")) == 2


# -- 6. an undecodable frame without an event id ---------------------------------------------


def test_an_undecodable_frame_fails_no_job(proxy: FaultProxy) -> None:
    fired = proxy.inject_after(b'"msg":"process_starts"', b"data: {oops, not json\n\n")
    with Client(proxy.url, verbose=False) as c:
        jobs = [c.submit(0.3, api_name="/sleep") for _ in range(5)]
        assert [j.result(timeout=30) for j in jobs] == ["slept 0.3"] * 5
        assert fired.is_set()
        assert c.core.stats["skipped_frames"] == 1


# -- 7. the server restarted under a session with State --------------------------------------


def test_a_call_after_a_server_restart_says_the_state_is_gone(tmp_path: Path) -> None:
    server = start_gradio("fault_app")
    joins = RequestLog()
    try:
        lenient = Client(server.url, verbose=False)
        strict = Client(
            server.url, verbose=False, strict_session=True, httpx_kwargs=joins.httpx_kwargs()
        )
        with lenient, strict:
            for c in (lenient, strict):
                assert c.predict("a", api_name="/remember") == "a"
                assert c.predict("b", api_name="/remember") == "a | b"
            server.stop()
            server = start_gradio("fault_app", port=server.port)

            t0 = time.monotonic()
            job = lenient.submit("c", api_name="/remember")
            with pytest.warns(SessionLostWarning, match="server restarted"):
                assert job.result(timeout=30) == "c"  # a new, empty session
            assert time.monotonic() - t0 < 15
            assert any(
                getattr(u, "code", None) == Status.LOG and "restarted" in u.log[0]
                for u in job.async_job.updates
            )
            # Said once: the new session is the client's session now.
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert lenient.predict("d", api_name="/remember") == "c | d"
                # A call that reads no State is not bothered either way.
                assert strict.predict("x", api_name="/tick") == "x"

            sent = joins.count("/gradio_api/queue/join")
            with pytest.raises(SessionLostError, match="reset_session"):
                strict.predict("c", api_name="/remember")
            with pytest.raises(SessionLostError):  # until the caller says so
                strict.predict("c", api_name="/remember")
            assert joins.count("/gradio_api/queue/join") == sent, "it was sent anyway"
            strict.reset_session()
            assert strict.predict("new", api_name="/remember") == "new"
    finally:
        server.stop()


def test_no_restart_no_warning_even_after_trouble(fault_app: GradioServer) -> None:
    """A broken stream makes the client check the app's launch; same launch, no warning."""
    with FaultProxy(fault_app.port) as proxy, Client(proxy.url, verbose=False) as c:
        assert c.predict("a", api_name="/remember") == "a"
        proxy.kill_all()  # the heartbeat breaks, as when a server goes away
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert c.predict("b", api_name="/remember") == "a | b"
