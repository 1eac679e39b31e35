"""The client against a real Gradio server (the installed generation)."""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from gradio_tui import Client
from gradio_tui.client import (
    AppError,
    AsyncClient,
    InvalidEndpointError,
    Status,
    StatusUpdate,
)
from tests.support.request_log import RequestLog


@pytest.fixture(scope="module")
def client(core_url: str) -> Iterator[Client]:
    with Client(core_url, verbose=False) as c:
        yield c


def test_predict_values(client: Client) -> None:
    assert client.predict(3, "add", 4, api_name="/predict") == 7
    assert client.predict(5, "multiply", 4, api_name="/predict") == 20
    assert client.predict("hello", api_name="/echo") == "hello"
    assert client.predict("", api_name="/echo") == ""
    assert client.predict("unicode ✓ ü 日本", api_name="/echo") == "unicode ✓ ü 日本"


def test_several_outputs_come_back_as_a_tuple(client: Client) -> None:
    assert client.predict("abc", api_name="/two_outputs") == ("ABC", 3)


def test_generator_predict_returns_final_value(client: Client) -> None:
    assert client.predict("hi", 3, api_name="/stream") == "hi#1 hi#2 hi#3"


def test_keyword_arguments_and_defaults(client: Client) -> None:
    assert client.predict(num1=2, operation="subtract", num2=5, api_name="/predict") == -3
    # every calculator parameter has a default in this app
    assert client.predict(api_name="/predict") == 7
    assert client.predict("x", api_name="/stream") == "x#1 x#2 x#3 x#4 x#5"


def test_api_name_wins_over_fn_index(client: Client) -> None:
    echo = client.core.endpoint(api_name="/echo")
    assert client.predict("same", api_name="/echo", fn_index=echo.fn_index + 1) == "same"
    assert client.predict("by index", fn_index=echo.fn_index) == "by index"


def test_state_lives_in_the_session_and_reset_clears_it(core_url: str) -> None:
    with Client(core_url, verbose=False) as c:
        assert c.predict("one", api_name="/stateful") == "one"
        assert c.predict("two", api_name="/stateful") == "one | two"
        c.reset_session()
        assert c.predict("three", api_name="/stateful") == "three"


def test_hidden_endpoint_is_callable_private_is_not(client: Client) -> None:
    assert client.predict("x", api_name="/hidden") == "hidden:x"
    with pytest.raises(InvalidEndpointError) as err:
        client.predict("x", api_name="/private")
    assert "/echo" in str(err.value)  # the error names what is available
    private_index = next(
        d["id"] for d in client.config["dependencies"] if d.get("api_name") == "private"
    )
    with pytest.raises(ValueError, match="Invalid function index"):
        client.predict("x", fn_index=private_index)


def test_unknown_endpoint_names_the_available_ones(client: Client) -> None:
    with pytest.raises(InvalidEndpointError) as err:
        client.predict(1, api_name="/nope")
    assert "/predict" in str(err.value) and "/echo" in str(err.value)
    assert "/hidden" not in str(err.value)
    with pytest.raises(ValueError, match="leading slash"):
        client.predict("x", api_name="echo")
    with pytest.raises(ValueError, match="multiple endpoints"):
        client.predict("x")


def test_wrong_arguments_are_refused_before_anything_is_sent(core_url: str) -> None:
    sent = RequestLog()

    with Client(core_url, verbose=False, httpx_kwargs=sent.httpx_kwargs()) as c:
        sent.clear()
        with pytest.raises(TypeError, match="No value provided for required argument: text"):
            c.predict(api_name="/echo")
        with pytest.raises(
            TypeError,
            match=r"^Parameter `txt` is not a valid key-word argument\. "
            r"The parameters of /echo are: text\.$",
        ):
            c.predict(txt="a", api_name="/echo")
        with pytest.raises(TypeError, match="already set as a positional"):
            c.predict("a", text="b", api_name="/echo")
        with pytest.raises(TypeError, match="No value provided for required argument: text"):
            c.submit(steps=3, api_name="/stream")
        time.sleep(0.2)
        assert sent == []


def test_extra_positional_arguments_are_dropped_with_a_warning(core_url: str) -> None:
    """The reference sends them and the server ignores them; scripts that pass them still work."""
    with Client(core_url, verbose=False) as c:
        with pytest.warns(UserWarning) as caught:
            assert c.predict("a", "b", api_name="/echo") == "a"
        (warning,) = caught
        assert str(warning.message) == (
            "/echo takes 1 argument (text) but 2 were given; the extra one is not sent "
            "(Gradio servers ignore them)."
        )
        assert warning.filename == __file__  # it points at the caller's line
        with pytest.warns(UserWarning, match="but 5 were given; the extra 2 are not sent"):
            job = c.submit(3, "multiply", 4, "x", "y", api_name="/predict")
        assert job.result(timeout=30) == 12


def test_app_error_is_typed_and_unquoted(client: Client) -> None:
    with pytest.raises(AppError) as err:
        client.predict("boom from tests", api_name="/error")
    assert err.value.message == "boom from tests"
    assert str(err.value) == "boom from tests"
    with pytest.raises(AppError, match="Cannot divide by zero!"):
        client.predict(1, "divide", 0, api_name="/predict")
    with pytest.raises(AppError, match="has not enabled verbose error reporting"):
        client.predict("x", api_name="/crash")


def test_submit_job_lifecycle(client: Client) -> None:
    job = client.submit("abc", 4, api_name="/stream")
    first = job.status()
    assert isinstance(first, StatusUpdate)
    assert first.code in (Status.STARTING, Status.JOINING_QUEUE, Status.IN_QUEUE, Status.PROCESSING)
    assert job.result(timeout=30) == "abc#1 abc#2 abc#3 abc#4"
    assert job.done()
    assert job.outputs() == ["abc#1", "abc#1 abc#2", "abc#1 abc#2 abc#3", "abc#1 abc#2 abc#3 abc#4"]
    final = job.status()
    assert final.code == Status.FINISHED and final.success is True


def test_iterating_a_job_yields_each_streamed_output(client: Client) -> None:
    job = client.submit("it", 3, api_name="/stream")
    assert list(job) == ["it#1", "it#1 it#2", "it#1 it#2 it#3"]
    job = client.submit("single", api_name="/echo")
    assert list(job) == ["single"]


def test_outputs_of_a_non_generator_hold_the_final_value(client: Client) -> None:
    job = client.submit(2, "add", 2, api_name="/predict")
    while not job.done():
        time.sleep(0.01)
    assert job.outputs() == [4]


def test_progress_and_log_statuses(client: Client) -> None:
    job = client.submit(3, api_name="/progress")
    seen: list[StatusUpdate] = []
    while not job.done():
        seen.append(job.status())
        time.sleep(0.005)
    assert job.result() == "did 3 steps"
    updates = [u for u in job.async_job.updates if isinstance(u, StatusUpdate)]
    codes = [u.code for u in updates]
    assert Status.PROGRESS in codes and Status.LOG in codes and Status.PROCESSING in codes
    progress = [u for u in updates if u.code == Status.PROGRESS]
    assert progress[0].progress_data is not None
    unit = progress[-1].progress_data[0]  # type: ignore[index]
    assert unit.desc == "working" and unit.length == 3
    logs = [u.log for u in updates if u.code == Status.LOG]
    assert ("starting", "info") in logs and ("careful", "warning") in logs


def test_queue_rank_is_reported(core_url: str) -> None:
    with Client(core_url, verbose=False) as c:
        jobs = [c.submit(0.4, api_name="/slow") for _ in range(3)]
        ranks: set[int] = set()
        while not all(j.done() for j in jobs):
            for j in jobs:
                s = j.status()
                if s.code == Status.IN_QUEUE and s.rank is not None:
                    ranks.add(s.rank)
                    assert s.queue_size is not None and s.queue_size >= 1
            time.sleep(0.01)
        assert [j.result() for j in jobs] == ["slept 0.4"] * 3
        assert ranks and max(ranks) >= 1


def test_cancel_a_queued_job_leaves_the_others_alone(core_url: str) -> None:
    with Client(core_url, verbose=False) as c:
        running = c.submit(1.0, api_name="/slow")
        while running.status().code != Status.PROCESSING:
            time.sleep(0.01)
        queued = c.submit(1.0, api_name="/slow")
        also = c.submit(0.1, api_name="/slow")
        deadline = time.monotonic() + 10
        while queued.status().code != Status.IN_QUEUE:  # on the server's queue, not running
            assert time.monotonic() < deadline, queued.status()
            time.sleep(0.01)
        assert queued.cancel() is True
        assert queued.status().code == Status.CANCELLED
        with pytest.raises(concurrent.futures.CancelledError):
            queued.result(timeout=5)
        assert running.result(timeout=30) == "slept 1.0"
        assert also.result(timeout=30) == "slept 0.1"
        assert queued.cancel() is True  # still cancelled, never "un-cancelled"
        assert not running.cancel()  # finished jobs cannot be cancelled


def test_cancel_after_reset_session_reaches_the_jobs_own_session(core_url: str) -> None:
    # A job keeps the session it started in. Its cancel must name that session:
    # sent under the new one, the server finds nothing to stop and /slow (one
    # at a time) stays busy for the job's whole 30 s.
    with Client(core_url, verbose=False) as c:
        job = c.submit(30.0, api_name="/slow")
        deadline = time.monotonic() + 20
        while job.status().code != Status.PROCESSING:  # a state wait: 10 ms between looks
            assert time.monotonic() < deadline, job.status()
            time.sleep(0.01)
        c.reset_session()
        assert job.cancel() is True
        t0 = time.monotonic()
        assert c.predict(0.1, api_name="/slow") == "slept 0.1"
        assert time.monotonic() - t0 < 15


def test_cancel_a_running_generator(core_url: str) -> None:
    with Client(core_url, verbose=False) as c:
        job = c.submit(50, api_name="/long_stream")
        other = c.submit("still fine", api_name="/echo")
        while len(job.outputs()) < 2:
            time.sleep(0.01)
        t0 = time.monotonic()
        assert job.cancel()
        assert job.status().code == Status.CANCELLED
        assert job.done() and job.cancelled()
        assert time.monotonic() - t0 < 2
        assert other.result(timeout=10) == "still fine"
        n = len(job.outputs())
        time.sleep(0.5)
        assert len(job.outputs()) == n  # no outputs after the cancel
        # the client keeps working afterwards, on the same session stream
        assert c.predict("after", api_name="/echo") == "after"


def test_result_callbacks_get_outputs_as_arguments(client: Client) -> None:
    got: list[tuple[object, ...]] = []
    done = threading.Event()

    def two(upper: str, length: float) -> None:
        got.append((upper, length))

    def one(value: str) -> None:
        got.append((value,))
        done.set()

    job = client.submit("abc", api_name="/two_outputs", result_callbacks=two)
    job.result(timeout=10)
    job2 = client.submit("xyz", api_name="/echo", result_callbacks=[one])
    job2.result(timeout=10)
    assert done.wait(5)
    deadline = time.monotonic() + 5
    while len(got) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ("ABC", 3) in got and ("xyz",) in got


def test_result_timeout(client: Client) -> None:
    job = client.submit(1.0, api_name="/slow")
    with pytest.raises(concurrent.futures.TimeoutError):
        job.result(timeout=0.05)
    assert job.result(timeout=30) == "slept 1.0"


def test_thousand_submits_neither_deadlock_nor_lose_a_job(core_url: str) -> None:
    with Client(core_url, verbose=False, max_workers=40) as c:
        jobs = [c.submit(f"m{i}", api_name="/echo") for i in range(1000)]
        results = [j.result(timeout=120) for j in jobs]
        assert results == [f"m{i}" for i in range(1000)]


def test_max_workers_bounds_jobs_in_flight(core_url: str) -> None:
    with Client(core_url, verbose=False, max_workers=2) as c:
        jobs = [c.submit(0.3, api_name="/slow") for _ in range(4)]
        most = 0
        deadline = time.monotonic() + 30
        while not all(j.done() for j in jobs):  # watched the whole way, not at one moment
            assert time.monotonic() < deadline
            # Newest first: a job that started took the slot of one that had ended
            # before, and that one is read after it, so the count is never too high.
            in_flight = [j.async_job for j in reversed(jobs)]
            most = max(most, sum(a.started and not a.done() for a in in_flight))
            time.sleep(0.005)
        assert most == 2  # the bound was reached, and never passed
        assert [j.result(timeout=30) for j in jobs] == ["slept 0.3"] * 4


def test_verbose_prints_one_line_and_quiet_prints_nothing(
    core_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Client(core_url).close()
    out = capsys.readouterr().out
    assert out.strip().splitlines() == [f"Loaded as API: {core_url}"]
    gradio_client = pytest.importorskip("gradio_client")
    gradio_client.Client(core_url).close()
    assert capsys.readouterr().out == out  # the reference's line, as it prints it
    with Client(core_url, verbose=False) as c:
        c.predict("x", api_name="/echo")
        c.submit(1, api_name="/progress").result()
    assert capsys.readouterr().out == ""


async def test_async_core(core_url: str) -> None:
    client = await AsyncClient.connect(core_url, verbose=False)
    try:
        assert await client.predict(1, "add", 2, api_name="/predict") == 3
        job = client.submit("as", 3, api_name="/stream")
        outputs = []
        statuses = []
        async for update in job:
            if update.type == "output":
                outputs.append(update.outputs)
            else:
                statuses.append(update.code)
        assert outputs[-1] == "as#1 as#2 as#3"
        assert outputs[:3] == ["as#1", "as#1 as#2", "as#1 as#2 as#3"]
        assert statuses[-1] == Status.FINISHED
        assert await job == "as#1 as#2 as#3"
        with pytest.raises(AppError):
            await client.predict("bad", api_name="/error")
    finally:
        await client.aclose()


def test_closed_client_refuses_work(core_url: str) -> None:
    c = Client(core_url, verbose=False)
    c.close()
    with pytest.raises(RuntimeError, match="closed"):
        c.predict("x", api_name="/echo")
    c.close()  # twice is fine


def test_the_job_machinery_loads_with_the_first_job(core_url: str) -> None:
    """Connecting to read an API does not load the transport, file codec and events."""
    code = f"""
import sys
from gradio_tui import Client
job_code = {{"gradio_tui.client.jobs", "gradio_tui.client.messages", "gradio_tui.client.files",
            "gradio_tui.client.protocols.sse", "httpx_sse"}}
c = Client({core_url!r}, verbose=False)
c.view_api(print_info=False, return_format="dict")
c.reset_session()
print("at connect:", sorted(job_code & set(sys.modules)))
print("answer:", c.predict("hi", api_name="/echo"))
print("after a job:", sorted(job_code - set(sys.modules)))
c.close()
idle = Client({core_url!r}, verbose=False)
idle.close()  # no job ever ran: no transport to close, and none made for it
print("idle closed:", idle.core._machinery is None)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()
    assert out == [
        "at connect: []",
        "answer: hi",
        "after a job: []",
        "idle closed: True",
    ]


def test_first_jobs_from_many_threads_share_one_transport(
    core_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradio_tui.client import protocols

    made = []
    real = protocols.make_transport
    # Two threads inside make_transport at once meet at the barrier; one alone
    # waits out its timeout and goes on.
    both_inside = threading.Barrier(2, timeout=1.0)

    def counting(session: Any) -> Any:
        made.append(session)
        try:
            both_inside.wait()
        except threading.BrokenBarrierError:
            pass
        return real(session)

    monkeypatch.setattr(protocols, "make_transport", counting)
    with Client(core_url, verbose=False) as c:
        start = threading.Barrier(6)

        def call(i: int) -> Any:
            start.wait()
            return c.predict(f"t{i}", api_name="/echo")

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            assert list(pool.map(call, range(6))) == [f"t{i}" for i in range(6)]
    assert len(made) == 1
