"""Bad answers from a server: each is a clear, typed error on the affected job, in bounded time."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gradio_tui import Client
from gradio_tui.client import (
    AppConnectionError,
    AuthenticationError,
    NotAGradioAppError,
    QueueFullError,
    ServerResponseError,
    StreamInterruptedError,
    ValidationError,
)
from tests.support.fake_gradio import FakeGradio, Script, sse

CONFIG: dict[str, Any] = {
    "version": "6.31.0",
    "protocol": "sse_v3",
    "api_prefix": "/gradio_api",
    "mode": "blocks",
    "components": [
        {
            "id": 1,
            "type": "textbox",
            "props": {"label": "text"},
            "skip_api": False,
            "api_info": {"type": "string"},
        },
        {
            "id": 2,
            "type": "textbox",
            "props": {"label": "output"},
            "skip_api": False,
            "api_info": {"type": "string"},
        },
    ],
    "dependencies": [
        {
            "id": 0,
            "api_name": "echo",
            "inputs": [1],
            "outputs": [2],
            "backend_fn": True,
            "api_visibility": "public",
            "types": {"generator": False},
        },
    ],
}
INFO: dict[str, Any] = {
    "named_endpoints": {
        "/echo": {
            "parameters": [
                {
                    "label": "text",
                    "parameter_name": "text",
                    "parameter_has_default": False,
                    "parameter_default": None,
                    "type": {"type": "string"},
                    "python_type": {"type": "str", "description": ""},
                    "component": "Textbox",
                    "example_input": "Hello!!",
                }
            ],
            "returns": [
                {
                    "label": "output",
                    "type": {"type": "string"},
                    "python_type": {"type": "str", "description": ""},
                    "component": "Textbox",
                }
            ],
            "api_visibility": "public",
        }
    },
    "unnamed_endpoints": {},
}


def completed(event_id: str, value: Any) -> dict[str, Any]:
    return {
        "msg": "process_completed",
        "event_id": event_id,
        "output": {"data": [value]},
        "success": True,
    }


def scripted(behaviour: dict[str, Script | tuple[int, Any]]) -> FakeGradio:
    """The job whose text is a key gets that script; others echo normally."""
    counter = iter(range(10_000))

    def on_join(body: dict[str, Any]) -> Script | tuple[int, Any]:
        text = body["data"][0]
        if text in behaviour:
            return behaviour[text]
        eid = f"ok{next(counter)}"
        return Script(eid, sse({"msg": "process_starts", "event_id": eid}, completed(eid, text)))

    return FakeGradio(CONFIG, INFO, on_join)


@pytest.fixture
def bounded() -> Iterator[None]:
    t0 = time.monotonic()
    yield
    assert time.monotonic() - t0 < 20, "an error must surface in bounded time"


def test_bad_json_fails_only_its_job(bounded: None) -> None:
    bad = Script(
        "bad1",
        [
            *sse({"msg": "estimation", "event_id": "bad1", "rank": 0}),
            b'data: {"msg": "process_completed", "event_id": "bad1", "output": {\n\n',
        ],
    )
    with scripted({"bad": bad}) as fake, Client(fake.url, verbose=False) as c:
        good = c.submit("fine", api_name="/echo")
        broken = c.submit("bad", api_name="/echo")
        with pytest.raises(ServerResponseError, match="malformed"):
            broken.result(timeout=10)
        assert good.result(timeout=10) == "fine"


def test_unidentifiable_garbage_is_skipped_and_counted(bounded: None) -> None:
    junk = Script(
        "j1",
        [b"data: <html>oops</html>\n\n", b"data: 42\n\n", *sse(completed("j1", "fine"))],
    )
    with scripted({"junk": junk}) as fake, Client(fake.url, verbose=False) as c:
        assert c.predict("junk", api_name="/echo") == "fine"
        assert c.core.session.skipped_frames == 2
        assert c.predict("later", api_name="/echo") == "later"


def test_a_job_whose_completion_was_garbage_fails_in_bounded_time(bounded: None) -> None:
    junk = Script("j2", [b"data: <html>oops</html>\n\n"])
    with scripted({"junk": junk}) as fake, Client(fake.url, verbose=False) as c:
        with pytest.raises(StreamInterruptedError, match="without sending"):
            c.predict("junk", api_name="/echo")
        assert c.predict("later", api_name="/echo") == "later"


def test_unknown_message_types_are_ignored(bounded: None) -> None:
    odd = Script(
        "odd1",
        sse(
            {"msg": "brand_new_kind", "event_id": "odd1", "stuff": [1, 2]},
            {"msg": "heartbeat"},
            {"msg": "process_starts", "event_id": "odd1"},
            {"event_id": "odd1", "no_msg": True},
            completed("odd1", "survived"),
        ),
    )
    with scripted({"odd": odd}) as fake, Client(fake.url, verbose=False) as c:
        # a message without "msg" is malformed: that job fails, clearly
        with pytest.raises(ServerResponseError, match="without a 'msg'"):
            c.predict("odd", api_name="/echo")
    odd2 = Script(
        "odd2", sse({"msg": "brand_new_kind", "event_id": "odd2"}, completed("odd2", "ok"))
    )
    with scripted({"odd": odd2}) as fake, Client(fake.url, verbose=False) as c:
        assert c.predict("odd", api_name="/echo") == "ok"


def test_stream_cut_mid_job(bounded: None) -> None:
    cut = Script("cut1", sse({"msg": "process_starts", "event_id": "cut1"}), cut=True)
    with scripted({"cut": cut}) as fake, Client(fake.url, verbose=False) as c:
        with pytest.raises(StreamInterruptedError, match="ended before the job finished"):
            c.predict("cut", api_name="/echo")
        assert c.predict("again", api_name="/echo") == "again"


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (
            {"msg": "process_completed", "event_id": "m1", "success": True, "output": "nope"},
            "malformed output",
        ),
        (
            {
                "msg": "process_completed",
                "event_id": "m1",
                "success": True,
                "output": {"data": "notalist"},
            },
            "no data list",
        ),
        ({"msg": "process_generating", "event_id": "m1", "output": None}, "without an output"),
    ],
)
def test_malformed_messages(message: dict[str, Any], error: str, bounded: None) -> None:
    with scripted({"m": Script("m1", sse(message))}) as fake, Client(fake.url, verbose=False) as c:
        with pytest.raises(ServerResponseError, match=error):
            c.predict("m", api_name="/echo")


def test_server_side_unexpected_error_reaches_every_pending_job(bounded: None) -> None:
    boom = Script(
        "u1",
        sse(
            {
                "msg": "unexpected_error",
                "event_id": None,
                "message": "Server stopped unexpectedly.",
                "success": False,
            }
        ),
    )
    with scripted({"u": boom}) as fake, Client(fake.url, verbose=False) as c:
        with pytest.raises(AppConnectionError) as caught:
            c.predict("u", api_name="/echo")
    assert str(caught.value) == (
        "The server gave up on this job's events: Server stopped unexpectedly."
    )


@pytest.mark.parametrize(
    ("outcome", "error", "match"),
    [
        (
            (503, {"detail": "Queue is full. Max size is 1 and size is 1."}),
            QueueFullError,
            "Queue is full",
        ),
        (
            (
                422,
                {
                    "detail": [
                        {
                            "__type__": "validate",
                            "is_valid": False,
                            "message": "too short",
                            "parameter_name": "text",
                        }
                    ]
                },
            ),
            ValidationError,
            "text: too short",
        ),
        ((401, {"detail": "Not authenticated"}), AuthenticationError, "needs a login"),
        ((500, b"<html>Internal Server Error</html>"), ServerResponseError, "HTTP 500"),
        ((200, {"no": "event id"}), ServerResponseError, "without an event_id"),
        ((200, b"not json at all"), ServerResponseError, "not JSON"),
    ],
)
def test_join_refusals(
    outcome: tuple[int, Any], error: type[Exception], match: str, bounded: None
) -> None:
    with scripted({"x": outcome}) as fake, Client(fake.url, verbose=False) as c:
        with pytest.raises(error, match=match):
            c.predict("x", api_name="/echo")
        assert c.predict("fine", api_name="/echo") == "fine"


def test_silent_stream_times_out(bounded: None) -> None:
    silent = Script("s1", [*sse({"msg": "process_starts", "event_id": "s1"}), 5.0])
    with scripted({"s": silent}) as fake, Client(fake.url, verbose=False) as c:
        c.core.session.stream_timeout = 0.5
        with pytest.raises(StreamInterruptedError):
            c.predict("s", api_name="/echo")


def test_info_failure_still_connects_with_positional_arguments() -> None:
    fake = FakeGradio(CONFIG, None, lambda body: Script("i1", sse(completed("i1", "pos"))))
    with fake, Client(fake.url, verbose=False) as c:
        assert c.core.info_error
        assert c.predict("x", api_name="/echo") == "pos"
        with pytest.raises(ValueError, match="does not support key-word arguments"):
            c.predict(text="x", api_name="/echo")


class _Plain(BaseHTTPRequestHandler):
    body = b"<html><body>just a web page</body></html>"
    status = 200
    ctype = "text/html"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("content-type", self.ctype)
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


@pytest.mark.parametrize(
    ("status", "body", "ctype"),
    [
        (200, b"<html><body>just a web page</body></html>", "text/html"),
        (404, b"not found", "text/plain"),
        (200, json.dumps([1, 2, 3]).encode(), "application/json"),
        (200, json.dumps({"version": "6.0"}).encode(), "application/json"),
    ],
)
def test_not_a_gradio_app(status: int, body: bytes, ctype: str) -> None:
    handler = type("H", (_Plain,), {"status": status, "body": body, "ctype": ctype})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with pytest.raises(NotAGradioAppError, match="Gradio"):
            Client(url, verbose=False)
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_listening() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    with pytest.raises(AppConnectionError, match="down or unreachable"):
        Client(f"http://127.0.0.1:{port}/", verbose=False)
    assert time.monotonic() - t0 < 10


@pytest.mark.parametrize(
    "src", ["", "   ", "not a url or space", "ftp://example.com/x", "a/b/c", "http://"]
)
def test_bad_src(src: str) -> None:
    with pytest.raises(ValueError):
        Client(src, verbose=False)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_workers": 0}, {"max_workers": "4"}, {"auth": ("only-user",)}, {"auth": "user:pw"}],
)
def test_bad_constructor_arguments(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Client("http://127.0.0.1:9/", verbose=False, **kwargs)


def test_hostile_configs_connect_or_say_why(bounded: None) -> None:
    hostile = json.loads(json.dumps(CONFIG))
    hostile["dependencies"][0]["outputs"] = 5  # the TypeError
    hostile["dependencies"].append({"id": "x", "inputs": {"a": 1}, "api_name": 7})
    hostile["components"].append({"id": 3, "type": ["not", "a", "name"], "props": 5})
    fake = FakeGradio(hostile, INFO, lambda body: Script("h1", sse(completed("h1", "ok"))))
    with fake, Client(fake.url, verbose=False) as c:
        assert "/echo" in str(c.view_api(print_info=False, return_format="str"))
        assert c.predict("x", api_name="/echo") == "ok"

    deep = b'{"dependencies": [], "version": "6.0.0", "x": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    fake = FakeGradio(CONFIG, INFO, lambda body: (500, {}))
    fake.config_answer = (200, deep)
    with fake, pytest.raises(ServerResponseError, match="nested too deeply"):
        Client(fake.url, verbose=False)
    shallow_but_deep_enough = {**CONFIG, "x": json.loads("[" * 500 + "]" * 500)}
    fake = FakeGradio(shallow_but_deep_enough, INFO, lambda body: (500, {}))
    with fake, pytest.raises(ServerResponseError, match="nested too deeply"):
        Client(fake.url, verbose=False)


def test_an_unknown_queue_protocol_is_refused_at_connect(bounded: None) -> None:
    """The transport is made with the first job, but the check stays at connect."""
    fake = FakeGradio({**CONFIG, "protocol": "sse_v9"}, INFO, lambda body: (500, {}))
    with fake, pytest.raises(ServerResponseError, match=r"'sse_v9'.*does not support"):
        Client(fake.url, verbose=False)
    assert [r.method for r in fake.requests] == ["GET", "GET"]  # config and info, no job


def test_a_heartbeating_stream_is_bounded_by_result_timeout_and_cancel(bounded: None) -> None:
    """Heartbeats every 0.1 s keep a 1 s read timeout from firing; the caller's own
    bounds, ``result(timeout)`` and ``cancel()``, still end the wait on time."""
    beat = [0.1, *sse({"msg": "heartbeat"})]
    beats = Script("hb1", [*sse({"msg": "process_starts", "event_id": "hb1"}), *beat * 80])
    with (
        scripted({"beat": beats}) as fake,
        Client(fake.url, verbose=False, httpx_kwargs={"timeout": 1}) as c,
    ):
        job = c.submit("beat", api_name="/echo")
        t0 = time.monotonic()
        with pytest.raises(TimeoutError):
            job.result(timeout=2.5)
        assert 2.4 < time.monotonic() - t0 < 6
        assert not job.done(), "the read timeout fired although heartbeats kept coming"
        assert job.cancel()
        assert job.cancelled()
