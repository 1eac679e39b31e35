"""One status code, one error type, on every route, with the server's own words.

A scripted server refuses one route at a time (config, upload, queue join,
event stream, file download) with 429 or 503; the client must raise the same
typed error wherever it happens and quote what the server said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gradio_tui import Client
from gradio_tui.client import (
    QueueFullError,
    ServerResponseError,
    TooManyRequestsError,
    handle_file,
)
from tests.support.fake_gradio import Answer, FakeGradio, Recorded, Script, sse

from .test_garbage import CONFIG, INFO, completed

ROUTES = ["config", "upload", "join", "stream", "download"]
RATE_LIMITED: Answer = (
    429,
    {"detail": "Slow down: 12 requests a minute"},
    "application/json",
    {"retry-after": "7"},
)


def refusing(route: str, answer: Answer) -> FakeGradio:
    """An echo app whose ``route`` answers ``answer``; everything else works."""
    counter = iter(range(1000))

    def on_join(body: dict[str, Any]) -> Script | Answer:
        if route == "join":
            return answer
        eid = f"e{next(counter)}"
        value = body["data"][0]
        if route == "download":
            value = {
                "path": "/tmp/result.txt",
                "url": f"{fake.url}gradio_api/file=/tmp/result.txt",
                "orig_name": "result.txt",
                "meta": {"_type": "gradio.FileData"},
            }
        return Script(eid, sse({"msg": "process_starts", "event_id": eid}, completed(eid, value)))

    def on_post(rec: Recorded) -> Answer | None:
        if rec.path == "/gradio_api/upload":
            return answer if route == "upload" else (200, ["/tmp/uploaded.txt"])
        return None

    def on_get(rec: Recorded) -> Answer | None:
        if rec.path.startswith("/gradio_api/file=") and route == "download":
            return answer
        return None

    def on_stream(rec: Recorded) -> Answer | None:
        return answer if route == "stream" else None

    fake = FakeGradio(CONFIG, INFO, on_join, on_get=on_get, on_post=on_post, on_stream=on_stream)
    return fake


def run(route: str, answer: Answer, tmp_path: Path) -> Any:
    fake = refusing(route, answer)
    if route == "config":
        fake.config_answer = answer
    with fake, Client(fake.url, verbose=False, output_dir=tmp_path / "out") as c:
        value: Any = "text"
        if route == "upload":
            source = tmp_path / "in.txt"
            source.write_text("hello")
            value = handle_file(source)
        return c.predict(value, api_name="/echo")


@pytest.mark.parametrize("route", ROUTES)
def test_429_is_too_many_requests_everywhere(route: str, tmp_path: Path) -> None:
    with pytest.raises(TooManyRequestsError, match="Slow down: 12 requests a minute") as err:
        run(route, RATE_LIMITED, tmp_path)
    assert err.value.retry_after == 7.0


@pytest.mark.parametrize(
    "detail",
    ["Queue is stopped.", "Queue is full. Max size is 10 and size is 10."],
)
def test_503_on_join_is_queue_full_with_the_servers_reason(detail: str, tmp_path: Path) -> None:
    with pytest.raises(QueueFullError) as err:
        run("join", (503, {"detail": detail}), tmp_path)
    assert str(err.value) == detail


@pytest.mark.parametrize("route", ["config", "upload", "stream", "download"])
def test_503_elsewhere_says_what_the_server_said(route: str, tmp_path: Path) -> None:
    with pytest.raises(ServerResponseError, match="Space is restarting") as err:
        run(route, (503, {"detail": "Space is restarting"}), tmp_path)
    assert err.value.status_code == 503


def test_an_html_503_is_quoted_short_and_plain(tmp_path: Path) -> None:
    page = b"<html><body>" + b"Service Unavailable " * 200 + b"</body></html>"
    with pytest.raises(QueueFullError) as err:
        run("join", (503, page, "text/html"), tmp_path)
    assert "Service Unavailable" in str(err.value)
    assert len(str(err.value)) < 400
