"""The session heartbeat against a real app: closing a client, or starting a new
session, ends the old session on the server as closing a browser tab does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from gradio_tui import Client
from tests.support.fake_gradio import Answer, FakeGradio, Recorded, Script, sse
from tests.support.request_log import RequestLog
from tests.support.servers import GradioServer, start_gradio

from .test_garbage import CONFIG, INFO


@pytest.fixture(scope="module")
def unload_app() -> Iterator[GradioServer]:
    server = start_gradio("unload_app")
    yield server
    server.stop()


def unloaded(observer: Client) -> list[str]:
    text = observer.predict(api_name="/unloads")
    return [s for s in str(text).split(",") if s]


def wait_for_unload(observer: Client, session: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while session not in unloaded(observer):
        assert time.monotonic() < deadline, f"the server never unloaded session {session}"
        time.sleep(0.1)


def test_closing_the_client_ends_its_session(unload_app: GradioServer) -> None:
    paths = RequestLog()

    with Client(unload_app.url, verbose=False) as observer:
        client = Client(
            unload_app.url,
            verbose=False,
            httpx_kwargs=paths.httpx_kwargs(),
        )
        session = client.session_hash
        assert client.predict("a", api_name="/remember") == "a"
        assert session not in unloaded(observer)  # alive while the client is
        assert f"/gradio_api/heartbeat/{session}" in paths
        client.close()
        wait_for_unload(observer, session)


def test_a_new_session_ends_the_old_one_and_beats_for_the_new(unload_app: GradioServer) -> None:
    with (
        Client(unload_app.url, verbose=False) as observer,
        Client(unload_app.url, verbose=False) as client,
    ):
        first = client.session_hash
        client.predict("a", api_name="/remember")
        client.reset_session()
        second = client.session_hash
        assert second != first
        wait_for_unload(observer, first)
        assert client.predict("b", api_name="/remember") == "b"
        time.sleep(0.5)
        assert second not in unloaded(observer)


def test_no_heartbeat_for_apps_that_do_not_ask(files_app: GradioServer) -> None:
    """No State, no unload: the app's config says ``connect_heartbeat: false``."""
    paths = RequestLog()

    with Client(files_app.url, verbose=False, httpx_kwargs=paths.httpx_kwargs()) as client:
        assert client.config["connect_heartbeat"] is False
        client.predict("x", api_name="/hostile")
    assert paths and not any("/heartbeat/" in p for p in paths)


# -- garbage and refusals on the heartbeat route ------------------------------------------


def _heartbeat_server(answer: Answer | None) -> FakeGradio:
    """A scripted app that asks for a heartbeat and answers it with ``answer``."""
    config = {**CONFIG, "connect_heartbeat": True}

    def on_join(body: dict[str, Any]) -> Script:
        done = {"msg": "process_completed", "event_id": "e1", "success": True}
        return Script("e1", sse({**done, "output": {"data": [body["data"][0]]}}))

    def on_get(request: Recorded) -> Answer | None:
        return answer if "/heartbeat/" in request.path else None

    return FakeGradio(config, INFO, on_join, on_get=on_get)


def _beats(fake: FakeGradio) -> int:
    return sum("/heartbeat/" in r.path for r in fake.requests)


@pytest.mark.parametrize("answer", [None, (401, {"detail": "Not authenticated"})])
def test_a_refused_heartbeat_is_not_asked_again(answer: Answer | None) -> None:
    with _heartbeat_server(answer) as fake, Client(fake.url, verbose=False) as client:
        assert client.predict("x", api_name="/echo") == "x"
        heartbeat = client.core._heartbeat
        assert heartbeat is not None
        deadline = time.monotonic() + 10
        while not heartbeat.ended:  # a beat that would retry never ends by itself
            assert time.monotonic() < deadline, "the refused heartbeat keeps being retried"
            time.sleep(0.02)
        assert _beats(fake) == 1


@pytest.mark.parametrize(
    "answer", [(200, b"\x00garbage, not a stream"), (500, b"<html>boom</html>")]
)
def test_a_cut_or_failing_heartbeat_is_reopened_and_jobs_are_untouched(answer: Answer) -> None:
    with _heartbeat_server(answer) as fake, Client(fake.url, verbose=False) as client:
        deadline = time.monotonic() + 10
        while _beats(fake) < 2:
            assert time.monotonic() < deadline, "the heartbeat was not reopened"
            time.sleep(0.05)
        assert client.predict("still fine", api_name="/echo") == "still fine"
