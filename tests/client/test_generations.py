"""The same behaviour on every Gradio server generation, each a real server.

3.50.2 (websocket queue), 4.44.1 and 5.50.0 run from their own venvs
(``scripts/gradio_venvs.sh``); 6.x is the project's own Gradio. One server
per generation for the whole session; a generation is skipped only when its
venv has not been built.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gradio_tui import Client, handle_file
from gradio_tui.client import AppError, InvalidEndpointError, Status, StatusUpdate
from gradio_tui.client.errors import GENERIC_APP_ERROR
from tests.support.servers import GradioServer, generation_python, start_gradio

GENERATIONS = ["g3", "g4", "g5", "g6"]
PROTOCOL = {"g3": "ws", "g4": "sse_v3", "g5": "sse_v3", "g6": "sse_v3"}
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@pytest.fixture(scope="session", params=GENERATIONS)
def generation(request: pytest.FixtureRequest) -> Iterator[tuple[str, GradioServer]]:
    name: str = request.param
    if name == "g6":
        yield name, request.getfixturevalue("core_app")
        return
    python = generation_python(name)
    if python is None:
        pytest.skip(f"no {name} venv: run scripts/gradio_venvs.sh")
    server = start_gradio("core_app", python=python)
    yield name, server
    server.stop()


@pytest.fixture(scope="session")
def gen_client(generation: tuple[str, GradioServer]) -> Iterator[tuple[str, Client]]:
    name, server = generation
    with Client(server.url, verbose=False) as client:
        yield name, client


@pytest.fixture
def fresh(generation: tuple[str, GradioServer]) -> Iterator[tuple[str, Client]]:
    """A client of its own, for tests that need a quiet session."""
    name, server = generation
    with Client(server.url, verbose=False) as client:
        yield name, client


def wait_for(job: object, codes: set[Status], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while job.status().code not in codes:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, f"status never reached {codes}"
        time.sleep(0.005)


def test_protocol_is_chosen_from_the_config(gen_client: tuple[str, Client]) -> None:
    name, client = gen_client
    assert client.protocol == PROTOCOL[name]
    assert str(client.app_version).startswith(name[1])


def test_predict(gen_client: tuple[str, Client]) -> None:
    _, client = gen_client
    assert client.predict(3, "add", 4, api_name="/predict") == 7
    assert client.predict(5, "divide", 2, api_name="/predict") == 2.5
    assert client.predict("unicode ✓ ü 日本", api_name="/echo") == "unicode ✓ ü 日本"
    assert client.predict("abc", api_name="/two_outputs") == ("ABC", 3)


def test_initial_values_are_defaults(gen_client: tuple[str, Client]) -> None:
    """Today's rule on every generation: a component's initial value is the default
    (servers before ``parameter_has_default`` get it from the config)."""
    name, client = gen_client
    assert client.predict(api_name="/predict") == 7  # num1=3, "add", num2=4
    assert client.predict(10, api_name="/predict") == 14
    assert client.predict("a", api_name="/stream") == "a#1 a#2 a#3 a#4 a#5"  # steps=5
    params = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert [p["parameter_default"] for p in params["/predict"]["parameters"]] == [3, "add", 4]
    if name == "g3":  # 3.x configs give an empty text box the value ""
        assert client.predict(api_name="/echo") == ""
    else:  # later ones give it none: required
        with pytest.raises(TypeError):
            client.predict(api_name="/echo")


def test_unqueued_endpoint(gen_client: tuple[str, Client]) -> None:
    # queue=False: POST run/predict on 3.x, the queue on later servers.
    _, client = gen_client
    job = client.submit("direct", api_name="/echo_now")
    assert job.result(timeout=10) == "direct"
    assert job.outputs() == ["direct"]
    assert job.status().code == Status.FINISHED


@pytest.mark.parametrize("api", ["/request_headers", "/request_headers_now"])
def test_per_call_headers_reach_the_function(
    generation: tuple[str, GradioServer], api: str
) -> None:
    """On the websocket (3.x), ``run/predict`` and ``queue/join``: the call's own request."""
    _, server = generation
    with Client(server.url, verbose=False, headers={"x-team": "ctor", "x-both": "ctor"}) as c:
        seen = c.predict(
            "x-call,x-team,x-both", api_name=api, headers={"x-call": "1", "x-both": "call"}
        )
        assert json.loads(seen) == {"x-call": "1", "x-team": "ctor", "x-both": "call"}
        assert json.loads(c.predict("x-call,x-both", api_name=api)) == {
            "x-call": None,
            "x-both": "ctor",
        }


def test_streaming_outputs_without_a_repeated_final(gen_client: tuple[str, Client]) -> None:
    _, client = gen_client
    job = client.submit("hi", 4, api_name="/stream")
    assert job.result(timeout=10) == "hi#1 hi#2 hi#3 hi#4"
    # 3.x and 4.0-4.8 repeat the last value in process_completed: not an output.
    assert job.outputs() == ["hi#1", "hi#1 hi#2", "hi#1 hi#2 hi#3", "hi#1 hi#2 hi#3 hi#4"]
    codes = [u.code for u in job.async_job.updates if isinstance(u, StatusUpdate)]
    assert Status.ITERATING in codes and codes[-1] == Status.FINISHED
    assert list(client.submit("it", 2, api_name="/stream")) == ["it#1", "it#1 it#2"]


def test_progress_and_log_statuses(gen_client: tuple[str, Client]) -> None:
    _, client = gen_client
    job = client.submit(3, api_name="/progress")
    assert job.result(timeout=10) == "did 3 steps"
    updates = [u for u in job.async_job.updates if isinstance(u, StatusUpdate)]
    codes = [u.code for u in updates]
    assert Status.PROCESSING in codes and codes[-1] == Status.FINISHED
    progress = [u for u in updates if u.code == Status.PROGRESS]
    assert progress and progress[-1].progress_data
    assert progress[-1].progress_data[0].desc == "working"
    logs = [u.log for u in updates if u.code == Status.LOG]
    assert ("starting", "info") in logs and ("careful", "warning") in logs


def test_queue_rank(fresh: tuple[str, Client]) -> None:
    _, client = fresh
    jobs = [client.submit(0.3, api_name="/slow") for _ in range(3)]
    assert [j.result(timeout=20) for j in jobs] == ["slept 0.3"] * 3
    ranks = {
        u.rank
        for j in jobs
        for u in j.async_job.updates
        if isinstance(u, StatusUpdate) and u.code == Status.IN_QUEUE and u.rank is not None
    }
    assert max(ranks) >= 1  # one /slow at a time: someone waited behind another


def test_errors_are_typed_and_unquoted(gen_client: tuple[str, Client]) -> None:
    _, client = gen_client
    with pytest.raises(AppError) as err:
        client.predict("it's 'quoted' ✓", api_name="/error")
    assert err.value.message == "it's 'quoted' ✓"
    with pytest.raises(AppError, match="Cannot divide by zero!"):
        client.predict(1, "divide", 0, api_name="/predict")
    with pytest.raises(AppError) as err:
        client.predict("x", api_name="/crash")
    assert err.value.message == GENERIC_APP_ERROR


def test_state_lives_in_the_session(fresh: tuple[str, Client]) -> None:
    _, client = fresh
    assert client.predict("one", api_name="/stateful") == "one"
    assert client.predict("two", api_name="/stateful") == "one | two"
    client.reset_session()
    assert client.predict("three", api_name="/stateful") == "three"


def test_hidden_and_private_endpoints(gen_client: tuple[str, Client]) -> None:
    name, client = gen_client
    if name == "g3":
        # 3.x: api_name=None makes it unnamed, addressable by fn_index only.
        (hidden,) = [e for e in client.endpoints if e.api_name is None and e.parameters]
        assert client.predict("x", fn_index=hidden.fn_index) == "hidden:x"
    else:
        assert client.predict("x", api_name="/hidden") == "hidden:x"
    with pytest.raises(InvalidEndpointError):
        client.predict("x", api_name="/private")
    assert all(e.api_name != "/private" for e in client.endpoints)


def test_view_api(gen_client: tuple[str, Client]) -> None:
    name, client = gen_client
    text = client.view_api(print_info=False, return_format="str")
    assert isinstance(text, str)
    assert ' - predict(num1, operation, num2, api_name="/predict") -> result' in text
    api = client.view_api(print_info=False, return_format="dict")
    assert isinstance(api, dict)
    assert {"/predict", "/echo", "/stream", "/slow"} <= set(api["named_endpoints"])
    assert "/private" not in api["named_endpoints"]
    if name == "g3":
        # 3.x info has no parameter names: labels, and the 3.x-era line format
        assert "     - [Number] num1: int | float \n" in text
        assert "Unnamed API endpoints: 2, to view" in text
        full = client.view_api(all_endpoints=True, print_info=False, return_format="str")
        assert isinstance(full, str)
        assert "\nUnnamed API endpoints: 2\n" in full and "(fn_index=" in full
        assert set(api["unnamed_endpoints"]) == {
            str(e.fn_index) for e in client.endpoints if e.api_name is None
        }
    else:
        assert "     - [Number] num1: float (not required, defaults to:   3)  \n" in text
        assert api["unnamed_endpoints"] == {}


def test_keyword_arguments_need_parameter_names(gen_client: tuple[str, Client]) -> None:
    name, client = gen_client
    if name == "g3":
        with pytest.raises(
            ValueError,
            match=r"^This endpoint does not support key-word arguments: .* positionally\.$",
        ):
            client.predict(text="x", api_name="/echo")
    else:
        assert client.predict(text="x", api_name="/echo") == "x"


def test_files_up_and_down(gen_client: tuple[str, Client], tmp_path: Path) -> None:
    _, client = gen_client
    src = tmp_path / "hello.txt"
    src.write_bytes(b"hello from every generation\n")
    got = client.predict(handle_file(str(src)), api_name="/file")
    assert Path(got).read_bytes() == src.read_bytes()
    assert Path(got).name == "hello.txt"
    image = tmp_path / "dot.png"
    image.write_bytes(PNG_1X1)
    got = client.predict(str(image), api_name="/image")
    assert Path(got).is_file() and Path(got).read_bytes()[:8] == PNG_1X1[:8]
    # An image result has an image's extension, sent inline (3.x) or as a file.
    got = client.predict(str(image), api_name="/image_echo")
    assert Path(got).suffix in (".png", ".webp") and Path(got).is_file()


def test_chat_history_strings_are_text_not_files(
    gen_client: tuple[str, Client], generation: tuple[str, GradioServer], tmp_path: Path
) -> None:
    """A Chatbot input's schema holds files, but its strings are messages, even a path's."""
    name, client = gen_client
    existing = tmp_path / "notes.txt"
    existing.write_text("a file that must not be uploaded")
    if name == "g6":
        history: list[Any] = [  # 6.x: a message's content is a list of parts
            {"role": "user", "content": [{"type": "text", "text": "hi"}]},
            {"role": "assistant", "content": [{"type": "text", "text": str(existing)}]},
        ]
    else:
        history = [["hi", str(existing)], ["missing.txt", None]]
    got = json.loads(client.predict(history, api_name="/history_json"))
    assert str(existing) in json.dumps(got) and "hi" in json.dumps(got)
    assert "missing.txt" in json.dumps(got) or name == "g6"
    if name != "g3":  # the reference refuses 3.x servers
        gradio_client = pytest.importorskip("gradio_client")
        ref = gradio_client.Client(generation[1].url, verbose=False)
        try:
            assert got == json.loads(ref.predict(history, api_name="/history_json"))
        finally:
            ref.close()


def test_cancel_a_queued_job_leaves_the_others_alone(fresh: tuple[str, Client]) -> None:
    name, client = fresh
    running = client.submit(0.8, api_name="/slow")
    wait_for(running, {Status.PROCESSING})
    # 3.x takes it off the queue at once, which the clock checks below; later
    # generations hold the cancel back while the sibling runs (see the end).
    queued = client.submit(6.0 if name == "g3" else 1.5, api_name="/slow")
    after = client.submit(0.1, api_name="/slow")
    wait_for(queued, {Status.IN_QUEUE})
    t0 = time.monotonic()
    assert queued.cancel() is True
    assert queued.server_will_stop is True
    assert queued.status().code == Status.CANCELLED
    assert running.result(timeout=20) == "slept 0.8"
    assert after.result(timeout=20) == "slept 0.1"
    if name == "g3":
        # closing its socket took it out of the queue: it never ran in between
        # (had it run, this would take over 6 s)
        assert time.monotonic() - t0 < 4.5
    # (sse_v3: /cancel would also stop the running sibling, so it is held
    # back until no sibling of the same endpoint is in flight)


def test_cancel_a_running_generator(fresh: tuple[str, Client]) -> None:
    _, client = fresh
    job = client.submit(50, api_name="/long_stream")
    while len(job.outputs()) < 2:
        time.sleep(0.01)
    assert job.cancel() is True
    assert job.server_will_stop is True
    assert job.status().code == Status.CANCELLED
    n = len(job.outputs())
    other = client.submit("still fine", api_name="/echo")
    assert other.result(timeout=10) == "still fine"
    time.sleep(0.3)
    assert len(job.outputs()) == n


def test_cancel_a_running_function_frees_the_server(fresh: tuple[str, Client]) -> None:
    # /slow runs one at a time; the app's cancel event (3.x, 4.0-4.29) or
    # /cancel (4.31+) must free it, so the next call does not wait 5 s.
    _, client = fresh
    job = client.submit(5.0, api_name="/slow")
    wait_for(job, {Status.PROCESSING})
    assert job.cancel() is True
    assert job.server_will_stop is True
    t0 = time.monotonic()
    assert client.predict(0.1, api_name="/slow") == "slept 0.1"
    assert time.monotonic() - t0 < 3


def test_cancel_says_when_the_server_cannot_stop(fresh: tuple[str, Client]) -> None:
    name, client = fresh
    job = client.submit(12, api_name="/progress")  # ~0.6 s, no cancel event for it
    wait_for(job, {Status.PROCESSING, Status.PROGRESS, Status.LOG})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert job.cancel() is True
    assert job.status().code == Status.CANCELLED
    if name == "g3":
        assert job.server_will_stop is False
        assert any("keeps running" in str(w.message) for w in caught)
    else:
        assert job.server_will_stop is True
        assert not caught


def test_cancel_running_while_a_sibling_waits(fresh: tuple[str, Client]) -> None:
    # The cancel event hits every running /slow task of the session; the
    # waiting sibling has none yet, so it must survive and run afterwards.
    name, client = fresh
    first = client.submit(8.0 if name == "g3" else 2.0, api_name="/slow")
    wait_for(first, {Status.PROCESSING})
    second = client.submit(0.2, api_name="/slow")
    wait_for(second, {Status.IN_QUEUE})
    t0 = time.monotonic()
    assert first.cancel() is True
    assert second.result(timeout=10) == "slept 0.2"
    assert second.status().code == Status.FINISHED
    if name == "g3":
        assert time.monotonic() - t0 < 4.5  # the cancel event freed the worker at once


def test_3x_login_reaches_the_websocket() -> None:
    # The login cookie must go with the websocket handshake, or 3.x refuses it.
    python = generation_python("g3")
    if python is None:
        pytest.skip("no g3 venv: run scripts/gradio_venvs.sh")
    server = start_gradio("core_app", python=python, auth="user:pass")
    try:
        with Client(server.url, verbose=False, auth=("user", "pass")) as client:
            assert client.predict("queued", api_name="/echo") == "queued"
            assert client.predict("direct", api_name="/echo_now") == "direct"
    finally:
        server.stop()
