"""Generations with no real server here: 3.x replayed from captures, 4.0–4.21 from built streams.

The 3.x conversations are the websocket frames a real 3.50.2 server sent
(``tests/fixtures/gradio-3``). ``sse`` (4.0–4.8), ``sse_v1`` (4.9–4.16) and
``sse_v2`` (4.17–4.20) are streams written after the protocol reference and
what 4.0.2, 4.16.0 and 4.20.1 servers were seen sending: spaced JSON, full
values before v2, diffs from v2, no ``close_stream``, quoted ``gr.Error``
text, and no ``/cancel`` route.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gradio_tui import Client
from gradio_tui.client import (
    AppConnectionError,
    AppError,
    QueueFullError,
    Status,
    StatusUpdate,
    StreamInterruptedError,
)
from gradio_tui.client.errors import GENERIC_APP_ERROR
from gradio_tui.client.info_local import local_api_info
from tests.support.fake_gradio import FIXTURES, FakeGradio, Script, sse
from tests.support.ws_replay import WsReplay

# -- 3.x, replayed ----------------------------------------------------------------------------

G3 = FIXTURES / "gradio-3"


@pytest.fixture(scope="module")
def replay3() -> Iterator[WsReplay]:
    image_out = "/tmp/gradio/g3/2892e21f6719362cdf1450be41b0a44d124e1add/image.png"
    with WsReplay(files={image_out: b"\x89PNG replayed"}) as server:
        yield server


@pytest.fixture
def client3(replay3: WsReplay, tmp_path: Path) -> Iterator[Client]:
    with Client(replay3.url, verbose=False, output_dir=tmp_path / "out") as c:
        yield c


def test_3x_is_the_websocket_protocol(client3: Client, replay3: WsReplay) -> None:
    assert client3.protocol == "ws"
    assert str(client3.app_version) == "3.50.2"
    assert "/info?serialize=False" in replay3.http_paths


def test_3x_frames_sent(client3: Client, replay3: WsReplay) -> None:
    replay3.received.clear()
    assert client3.predict(3, "add", 4, api_name="/predict") == 7.0
    sh = client3.session_hash
    assert replay3.received == [
        {"fn_index": 0, "session_hash": sh},
        {"data": [3, "add", 4], "event_data": None, "fn_index": 0, "session_hash": sh},
    ]


def test_3x_handshake_carries_what_http_requests_carry(
    replay3: WsReplay, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Client(replay3.url, verbose=False, headers={"x-team": "tui"}, hf_token="hf_given") as c:
        # what a login leaves in the jar must reach the websocket too
        c.core.session.http.cookies.set("access-token-x", "tok", domain="127.0.0.1")
        replay3.handshakes.clear()
        assert c.predict("h", fn_index=5) == "hidden:h"
        (headers,) = replay3.handshakes
        assert headers["x-team"] == "tui"
        assert headers["user-agent"].startswith("gradio-tui/")
        assert "access-token-x=tok" in headers["cookie"]
        # the token was given for this very URL, so it goes where httpx sends it
        assert headers["x-hf-authorization"] == "Bearer hf_given"
    monkeypatch.setenv("HF_TOKEN", "hf_ambient")
    with Client(replay3.url, verbose=False) as c:
        replay3.handshakes.clear()
        assert c.predict("h", fn_index=5) == "hidden:h"
        (headers,) = replay3.handshakes
        # an ambient token never goes to a host that is not the Hub's
        assert not any("hf_ambient" in v for v in headers.values())


def test_3x_statuses_and_stream(client3: Client) -> None:
    job = client3.submit("hi", api_name="/stream")
    assert job.result(timeout=10) == "hi#1 hi#2 hi#3 hi#4 hi#5"
    # process_completed repeats the last value (is_generating: true): no sixth output
    assert job.outputs() == [
        "hi#1",
        "hi#1 hi#2",
        "hi#1 hi#2 hi#3",
        "hi#1 hi#2 hi#3 hi#4",
        "hi#1 hi#2 hi#3 hi#4 hi#5",
    ]
    codes = [u.code for u in job.async_job.updates if isinstance(u, StatusUpdate)]
    for code in (Status.JOINING_QUEUE, Status.IN_QUEUE, Status.SENDING_DATA, Status.PROCESSING):
        assert code in codes
    assert codes.index(Status.JOINING_QUEUE) < codes.index(Status.SENDING_DATA)
    assert Status.ITERATING in codes and codes[-1] == Status.FINISHED


def test_3x_errors_are_unquoted(client3: Client) -> None:
    with pytest.raises(AppError) as err:
        client3.predict(1, "divide", 0, api_name="/predict")
    assert err.value.message == "Cannot divide by zero!"
    with pytest.raises(AppError) as err:
        client3.predict("boom from fixtures", api_name="/error")
    assert err.value.message == "boom from fixtures"
    with pytest.raises(AppError) as err:
        client3.predict("x", api_name="/crash")
    assert err.value.message == GENERIC_APP_ERROR


def test_3x_state_and_unnamed(client3: Client) -> None:
    assert client3.predict("one", api_name="/stateful") == "one"
    assert client3.predict("two", api_name="/stateful") == "one | two"
    assert client3.predict("h", fn_index=5) == "hidden:h"
    api = client3.view_api(print_info=False, return_format="dict")
    assert isinstance(api, dict) and list(api["unnamed_endpoints"]) == ["5"]


def test_3x_image_goes_inline_and_file_comes_back(client3: Client, tmp_path: Path) -> None:
    sent = json.loads(
        next(
            json.loads(line)["text"]
            for line in (G3 / "job_image.ws.jsonl").read_text().splitlines()[1:]
            if '\\"data\\"' in line and json.loads(line)["dir"] == "send"
        )
    )["data"][0]
    png = tmp_path / "dot.png"
    png.write_bytes(base64.b64decode(sent.split(",", 1)[1]))
    got = client3.predict(str(png), api_name="/image")  # sent as the same data URL
    assert Path(got).name == "image.png"
    assert Path(got).read_bytes() == b"\x89PNG replayed"


def test_3x_before_337_info_is_computed_locally() -> None:
    config = json.loads((G3 / "config.json").read_text())
    config["version"] = "3.30.0"
    expected = json.loads((G3 / "info_serialize_false.json").read_text())
    assert local_api_info(copy.deepcopy(config)) == expected
    with FakeGradio(config, None, lambda body: (400, {})) as fake:
        c = Client(fake.url, verbose=False)
        api = c.view_api(print_info=False, return_format="dict")
        assert isinstance(api, dict)
        assert set(api["named_endpoints"]) == set(expected["named_endpoints"])
        assert "/info" not in [r.path for r in fake.requests]  # no 3.37+ route asked for
        c.close()


def test_3x_unqueued_app_uses_run_predict() -> None:
    config = json.loads((G3 / "config.json").read_text())
    config["enable_queue"] = False
    bodies: list[dict[str, Any]] = []

    def on_run(body: dict[str, Any]) -> tuple[int, Any]:
        bodies.append(body)
        if body["data"] == ["bad"]:
            return 500, {"error": "'bad input'"}
        if body["data"] == ["crash"]:
            return 500, {"error": None}
        return 200, {"data": body["data"], "is_generating": False, "duration": 0.1}

    info = json.loads((G3 / "info_serialize_false.json").read_text())
    with FakeGradio(config, info, lambda body: (400, {}), on_run=on_run) as fake:
        with Client(fake.url, verbose=False) as c:
            assert c.predict("hello", api_name="/echo") == "hello"
            with pytest.raises(AppError, match=r"^bad input$"):
                c.predict("bad", api_name="/echo")
            with pytest.raises(AppError, match="show_error=True"):
                c.predict("crash", api_name="/echo")
            assert bodies[0] == {"data": ["hello"], "fn_index": 1, "session_hash": c.session_hash}


# -- 4.0 to 4.20, built streams -----------------------------------------------------------------

G4_CONFIG = json.loads((FIXTURES / "gradio-4" / "config.json").read_text())
G4_INFO = json.loads((FIXTURES / "gradio-4" / "info_all_endpoints.json").read_text())
SLOW, ECHO, STREAM, CANCEL_SLOW = 10, 1, 2, 11
RAN = {"data": [], "is_generating": False, "duration": 0.0}


def legacy_config(version: str, protocol: str) -> dict[str, Any]:
    """The 4.x capture app as an older server reports it, plus a cancel event for /slow."""
    config = copy.deepcopy(G4_CONFIG)
    config["version"], config["protocol"] = version, protocol
    cancel = copy.deepcopy(config["dependencies"][SLOW])
    cancel.update(
        id=CANCEL_SLOW, api_name="cancel", show_api=False, queue=False, cancels=[SLOW], inputs=[]
    )
    cancel["outputs"] = []
    config["dependencies"].append(cancel)
    return config


def msg(kind: str, event_id: str | None = None, **fields: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"msg": kind}
    if event_id is not None:
        m["event_id"] = event_id
    m.update(fields)
    return m


def done(event_id: str | None, *data: Any, generating: bool = False) -> dict[str, Any]:
    output = {"data": list(data), "is_generating": generating, "duration": 0.1}
    return msg("process_completed", event_id, output=output, success=True)


def gen(event_id: str | None, *data: Any) -> dict[str, Any]:
    output = {"data": list(data), "is_generating": True, "duration": 0.05}
    return msg("process_generating", event_id, output=output, success=True)


def paths(fake: FakeGradio, route: str) -> list[Any]:
    return [r.json() for r in fake.requests if r.method == "POST" and r.path == "/" + route]


# sse (4.0-4.8): one stream per job, inputs posted on send_data


def test_sse_v0_job() -> None:
    def on_join(query: dict[str, Any]) -> Script:
        return Script(
            "-",
            [
                *sse(
                    msg("estimation", rank=1, queue_size=2, rank_eta=0.5, queue_eta=1.0),
                    msg("estimation", rank=0, queue_size=1, rank_eta=0.2, queue_eta=1.0),
                    msg("send_data", event_id="ev0"),
                ),
                0.05,
                *sse(
                    msg("process_starts"),
                    msg("progress", progress_data=[{"index": 1, "length": 3, "unit": "steps"}]),
                    msg("log", log="starting", level="info"),
                    gen(None, "hi#1"),
                    gen(None, "hi#1 hi#2"),
                    done(None, "hi#1 hi#2", generating=True),  # the repeated final value
                ),
            ],
        )

    with FakeGradio(legacy_config("4.0.2", "sse"), G4_INFO, on_join) as fake:
        with Client(fake.url, verbose=False) as c:
            job = c.submit("hi", api_name="/stream")
            assert job.result(timeout=10) == "hi#1 hi#2"
            assert job.outputs() == ["hi#1", "hi#1 hi#2"]
            updates = [u for u in job.async_job.updates if isinstance(u, StatusUpdate)]
            ranks = [u.rank for u in updates if u.code == Status.IN_QUEUE]
            assert ranks == [1, 0]
            codes = [u.code for u in updates]
            for code in (Status.SENDING_DATA, Status.PROCESSING, Status.PROGRESS, Status.LOG):
                assert code in codes
            join = next(r for r in fake.requests if r.path == "/queue/join")
            assert join.method == "GET"
            assert join.query == {"fn_index": ["2"], "session_hash": [c.session_hash]}
            assert paths(fake, "queue/data") == [
                {
                    "data": ["hi"],
                    "event_data": None,
                    "fn_index": STREAM,
                    "session_hash": c.session_hash,
                    "event_id": "ev0",
                }
            ]


def test_sse_v0_per_call_headers_go_with_the_jobs_own_requests() -> None:
    def on_join(query: dict[str, Any]) -> Script:
        return Script("-", sse(msg("send_data", event_id="ev0"), done(None, "hi")))

    def job_requests(fake: FakeGradio) -> list[Any]:
        requests = [r for r in fake.requests if r.path in ("/queue/join", "/queue/data")]
        fake.requests.clear()
        return requests

    with FakeGradio(legacy_config("4.0.2", "sse"), G4_INFO, on_join) as fake:
        with Client(fake.url, verbose=False, headers={"x-team": "ctor"}) as c:
            fake.requests.clear()
            assert c.predict("hi", api_name="/echo", headers={"x-call": "1"}) == "hi"
            first = job_requests(fake)
            assert c.predict("hi", api_name="/echo") == "hi"
            second = job_requests(fake)
    # GET queue/join (the job's stream), then POST queue/data (its inputs)
    assert [(r.method, r.path) for r in first] == [("GET", "/queue/join"), ("POST", "/queue/data")]
    assert [(r.headers["x-call"], r.headers["x-team"]) for r in first] == [("1", "ctor")] * 2
    assert [r.path for r in second] == ["/queue/join", "/queue/data"]
    assert all("x-call" not in r.headers and r.headers["x-team"] == "ctor" for r in second)


def test_sse_v0_errors() -> None:
    def on_join(query: dict[str, Any]) -> Script:
        if query["fn_index"] == 3:
            error = {"error": repr("it's quoted")}
            return Script(
                "-",
                sse(
                    msg("send_data", event_id="e"),
                    msg("process_completed", output=error, success=False),
                ),
            )
        if query["fn_index"] == 4:
            return Script("-", sse(msg("queue_full")))
        return Script("-", sse(msg("send_data", event_id="e"), msg("process_starts")))

    with FakeGradio(legacy_config("4.0.2", "sse"), G4_INFO, on_join) as fake:
        with Client(fake.url, verbose=False) as c:
            with pytest.raises(AppError, match=r"^it's quoted$"):
                c.predict("x", api_name="/error")
            with pytest.raises(QueueFullError):
                c.predict("x", api_name="/crash")
            with pytest.raises(StreamInterruptedError):
                c.predict("x", api_name="/echo")


def test_sse_v0_cancel() -> None:
    def on_join(query: dict[str, Any]) -> Script:
        if query["fn_index"] == SLOW:  # running, then silence
            return Script(
                "-", [*sse(msg("send_data", event_id="run"), msg("process_starts")), 3.0], cut=True
            )
        return Script("-", [*sse(msg("estimation", rank=0, queue_size=1)), 3.0], cut=True)

    config = legacy_config("4.0.2", "sse")
    with FakeGradio(config, G4_INFO, on_join, on_run=lambda body: (200, RAN)) as fake:
        with Client(fake.url, verbose=False) as c:
            queued = c.submit("x", api_name="/echo")
            running = c.submit(9, api_name="/slow")
            wait(lambda: queued.status().code == Status.IN_QUEUE)
            wait(lambda: running.status().code == Status.PROCESSING)
            assert queued.cancel() and queued.server_will_stop is True
            assert running.cancel() and running.server_will_stop is True
            cancel_event = {"data": [], "fn_index": CANCEL_SLOW, "session_hash": c.session_hash}
            assert paths(fake, "run/predict") == [cancel_event]


# sse_v1 (4.9-4.16): shared session stream, full values, the server ends the stream


@pytest.mark.parametrize(("version", "protocol"), [("4.12.0", "sse_v1"), ("4.20.1", "sse_v2")])
def test_session_stream_without_close_stream(version: str, protocol: str) -> None:
    count = iter(range(100))

    def on_join(body: dict[str, Any]) -> Script:
        eid = f"ev{next(count)}"
        if body["fn_index"] == STREAM:
            later = (
                [gen(eid, "hi#1 hi#2"), gen(eid, "hi#1 hi#2 hi#3")]
                if protocol == "sse_v1"
                else [gen(eid, [["append", [], " hi#2"]]), gen(eid, [["append", [], " hi#3"]])]
            )
            return Script(
                eid,
                sse(
                    msg("process_starts", eid),
                    gen(eid, "hi#1"),
                    *later,
                    done(eid, "hi#1 hi#2 hi#3"),
                ),
            )
        return Script(
            eid,
            sse(
                msg("estimation", eid, rank=0, queue_size=1),
                msg("process_starts", eid),
                done(eid, body["data"][0]),
            ),
        )

    with FakeGradio(legacy_config(version, protocol), G4_INFO, on_join) as fake:
        with Client(fake.url, verbose=False) as c:
            job = c.submit("hi", api_name="/stream")
            assert job.result(timeout=10) == "hi#1 hi#2 hi#3"
            assert job.outputs() == ["hi#1", "hi#1 hi#2", "hi#1 hi#2 hi#3"]
            # the server ended the stream; the next job opens a new one
            assert c.predict("again", api_name="/echo") == "again"
            streams = [r for r in fake.requests if r.path == "/queue/data"]
            assert len(streams) == 2


def test_sse_v1_v2_stream_errors() -> None:
    def on_join(body: dict[str, Any]) -> Script:
        if body["fn_index"] == 3:
            error = {"error": "'visible error'"}
            return Script("e", sse(msg("process_completed", "e", output=error, success=False)))
        return Script("s", sse(msg("process_starts", "s"), msg("server_stopped", success=False)))

    with FakeGradio(legacy_config("4.12.0", "sse_v1"), G4_INFO, on_join) as fake:
        with Client(fake.url, verbose=False) as c:
            with pytest.raises(AppError, match=r"^visible error$"):
                c.predict("x", api_name="/error")
            with pytest.raises(AppConnectionError):
                c.predict("x", api_name="/echo")


# 4.9-4.29 cancel: reset for generators, the app's cancel event for functions


def legacy_cancel_server(
    running: dict[int, list[Any]],
) -> tuple[FakeGradio, list[dict[str, Any]]]:
    resets: list[dict[str, Any]] = []
    count = iter(range(100))

    def on_join(body: dict[str, Any]) -> Script:
        eid = f"ev{next(count)}"
        chunks = [
            c
            if isinstance(c, float)
            else f"data: {json.dumps({**c, 'event_id': eid})}\n\n".encode()
            for c in running[body["fn_index"]]
        ]
        return Script(eid, chunks)

    def on_reset(body: dict[str, Any]) -> tuple[int, Any]:
        resets.append(body)
        return 200, {"success": True}

    config = legacy_config("4.20.1", "sse_v2")
    fake = FakeGradio(config, G4_INFO, on_join, on_reset=on_reset, on_run=lambda b: (200, RAN))
    return fake, resets


def test_legacy_cancel_generator_resets_it() -> None:
    streams = {STREAM: [msg("process_starts"), gen(None, "hi#1"), 2.0]}
    fake, resets = legacy_cancel_server(streams)
    with fake, Client(fake.url, verbose=False) as c:
        job = c.submit("hi", api_name="/stream")
        wait(lambda: len(job.outputs()) == 1)
        assert job.cancel() and job.server_will_stop is True
        assert resets == [{"event_id": job.async_job.event_id}]
        assert paths(fake, "run/predict") == []
        wait(lambda: not c.core.jobs)  # nothing left waiting for a completion that never comes


def test_legacy_cancel_function_fires_the_cancel_event() -> None:
    streams = {
        SLOW: [msg("estimation", rank=0, queue_size=1), 0.3, msg("process_starts"), 2.0],
        ECHO: [msg("process_starts"), 2.0],
    }
    fake, resets = legacy_cancel_server(streams)
    with fake, Client(fake.url, verbose=False) as c:
        slow = c.submit(5, api_name="/slow")
        wait(lambda: slow.status().code == Status.IN_QUEUE)
        assert slow.cancel() and slow.server_will_stop is True
        assert paths(fake, "run/predict") == []  # still waiting: nothing to cancel yet
        cancel_event = {"data": [], "fn_index": CANCEL_SLOW, "session_hash": c.session_hash}
        wait(lambda: paths(fake, "run/predict") == [cancel_event])  # sent once it started
        echo = c.submit("x", api_name="/echo")
        wait(lambda: echo.status().code == Status.PROCESSING)
        with pytest.warns(UserWarning, match="keeps running"):
            assert echo.cancel()
        assert echo.server_will_stop is False
        assert resets == []
        wait(lambda: not c.core.jobs)


def test_legacy_cancel_event_waits_for_a_running_sibling() -> None:
    sibling_may_end = threading.Event()

    def on_join(body: dict[str, Any]) -> Script:
        if body["data"] == [1]:  # both jobs start; only the second ever finishes
            chunks = sse(msg("process_starts", "ev0"), msg("process_starts", "ev1"))
            return Script("ev0", [*chunks, sibling_may_end, *sse(done("ev1", "slept")), 2.0])
        return Script("ev1", [])

    config = legacy_config("4.20.1", "sse_v2")
    fake = FakeGradio(config, G4_INFO, on_join, on_run=lambda body: (200, RAN))
    with fake, Client(fake.url, verbose=False) as c:
        first = c.submit(1, api_name="/slow")
        wait(lambda: first.status().code == Status.PROCESSING)
        second = c.submit(2, api_name="/slow")
        wait(lambda: second.status().code == Status.PROCESSING)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert first.cancel() and first.server_will_stop is True
        time.sleep(0.1)
        assert paths(fake, "run/predict") == []  # it would stop the running sibling too
        sibling_may_end.set()
        assert second.result(timeout=5) == "slept"
        cancel_event = {"data": [], "fn_index": CANCEL_SLOW, "session_hash": c.session_hash}
        wait(lambda: paths(fake, "run/predict") == [cancel_event])  # once the sibling ended


def wait(predicate: Any, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)
