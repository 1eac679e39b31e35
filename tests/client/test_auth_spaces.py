"""Login, where the HF token may go, and Space ids resolved through a local Hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gradio_tui import Client
from gradio_tui.client import AuthenticationError, SpaceNotFoundError, SpaceNotRunningError
from gradio_tui.client import spaces as spaces_module
from gradio_tui.client.http import HfTokenAuth
from tests.support.fake_gradio import FakeGradio, Script, sse
from tests.support.hub_stub import HubStub, Space
from tests.support.servers import GradioServer, start_gradio

from .test_garbage import CONFIG, INFO

TOKEN = "hf_testtoken_0123456789"


# -- login ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def login_app() -> Iterator[GradioServer]:
    server = start_gradio("files_app", auth="alice:s3cret")
    yield server
    server.stop()


def test_login_keeps_cookies_for_queue_upload_and_download(
    login_app: GradioServer, tmp_path: Path
) -> None:
    src = tmp_path / "in.txt"
    src.write_text("behind a login")
    with Client(login_app.url, verbose=False, auth=("alice", "s3cret"), output_dir=tmp_path) as c:
        assert c.predict(str(src), api_name="/describe") == "in.txt:14"
        assert Path(c.predict(str(src), api_name="/file")).read_text() == "behind a login"


def test_wrong_password(login_app: GradioServer) -> None:
    with pytest.raises(AuthenticationError, match="Could not login"):
        Client(login_app.url, verbose=False, auth=("alice", "wrong"))


def test_login_needed_but_not_given(login_app: GradioServer) -> None:
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(login_app.url, verbose=False)


# -- the HF token ----------------------------------------------------------------------


def _echo_server() -> FakeGradio:
    def on_join(body: dict[str, Any]) -> Script:
        return Script(
            "e1",
            sse(
                {
                    "msg": "process_completed",
                    "event_id": "e1",
                    "output": {"data": [body["data"][0]]},
                    "success": True,
                }
            ),
        )

    return FakeGradio(CONFIG, INFO, on_join)


def _token_headers(fake: FakeGradio) -> list[str | None]:
    return [
        r.headers.get("x-hf-authorization") or r.headers.get("authorization") for r in fake.requests
    ]


def test_saved_token_never_goes_to_a_plain_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with _echo_server() as fake, Client(fake.url, verbose=False) as c:
        assert c.predict("x", api_name="/echo") == "x"
        assert fake.requests and set(_token_headers(fake)) == {None}


def test_explicit_token_goes_to_the_url_it_was_given_for() -> None:
    with _echo_server() as fake, Client(fake.url, hf_token=TOKEN, verbose=False) as c:
        assert c.predict("x", api_name="/echo") == "x"
        assert set(_token_headers(fake)) == {f"Bearer {TOKEN}"}
    with _echo_server() as fake, Client(fake.url, token=TOKEN, verbose=False) as c:
        c.predict("y", api_name="/echo")
        assert set(_token_headers(fake)) == {f"Bearer {TOKEN}"}


def test_token_policy_by_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    auth = HfTokenAuth(TOKEN, ["127.0.0.1:7860"])
    assert auth.allows("https://huggingface.co/api/spaces/a/b")
    assert auth.allows("https://abidlabs-whisper.hf.space/config")
    assert auth.allows("http://127.0.0.1:7860/gradio_api/queue/join")
    assert not auth.allows("http://127.0.0.1:7861/config")
    assert not auth.allows("https://evil.example.com/hf.space/config")
    assert not auth.allows("https://hf.space.evil.example.com/config")
    assert not auth.allows("https://huggingface.co.evil.example.com/")
    assert TOKEN not in repr(auth)


def test_token_is_never_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _echo_server() as fake, HubStub() as hub:
        hub.add_space(Space("owner/app", host=fake.url.rstrip("/")))
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        with Client("owner/app", hf_token=TOKEN) as c:
            c.predict("x", api_name="/echo")
            text = repr(c) + str(c) + repr(c.core.source) + repr(c.core.session.http.auth)
            c.view_api()
        with pytest.raises(SpaceNotFoundError) as err:
            Client("owner/missing", hf_token=TOKEN)
    captured = capsys.readouterr()
    for blob in (text, captured.out, captured.err, str(err.value)):
        assert TOKEN not in blob


# -- Space ids -------------------------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubStub]:
    with HubStub() as stub:
        monkeypatch.setenv("HF_ENDPOINT", stub.url)
        monkeypatch.setattr(spaces_module, "POLL_SECONDS", 0.02)
        yield stub


@pytest.fixture
def app() -> Iterator[FakeGradio]:
    with _echo_server() as fake:
        yield fake


def test_space_id_connects_to_the_host_the_hub_reports(
    hub: HubStub, app: FakeGradio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    hub.add_space(Space("gradio/calculator", host=app.url.rstrip("/")))
    with Client("gradio/calculator", verbose=False) as c:
        assert c.predict("hi", api_name="/echo") == "hi"
        assert c.space_id == "gradio/calculator"
        assert c.src == app.url
    info = hub.calls("GET", "/api/spaces/gradio/calculator")
    assert info and info[0].auth == f"Bearer {TOKEN}"  # the token reaches the Hub...
    assert set(_token_headers(app)) == {f"Bearer {TOKEN}"}  # ...and the Space's host


def test_hub_page_url_is_a_space_id(hub: HubStub, app: FakeGradio) -> None:
    hub.add_space(Space("abidlabs/en2fr", host=app.url.rstrip("/")))
    with Client("https://huggingface.co/spaces/abidlabs/en2fr", verbose=False) as c:
        assert c.predict("Hello", api_name="/echo") == "Hello"


@pytest.mark.parametrize(
    "stages",
    [["BUILDING", "BUILDING", "RUNNING"], ["APP_STARTING", "RUNNING_BUILDING", "RUNNING"]],
)
def test_waits_while_the_space_builds(
    hub: HubStub, app: FakeGradio, stages: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    hub.add_space(Space("o/building", host=app.url.rstrip("/"), stages=stages))
    with Client("o/building") as c:
        assert c.predict("ok", api_name="/echo") == "ok"
    out = capsys.readouterr().out
    assert "waiting for it to run" in out and "Loaded as API" in out


def test_wakes_a_sleeping_space(hub: HubStub, app: FakeGradio) -> None:
    hub.add_space(
        Space("o/sleepy", host=app.url.rstrip("/"), stages=["SLEEPING", "SLEEPING", "RUNNING"])
    )
    with Client("o/sleepy", verbose=False) as c:
        assert c.predict("awake", api_name="/echo") == "awake"
    # the wake-up request went to the Space host before the client connected
    assert sum(1 for r in app.requests if r.path == "/config") >= 2


@pytest.mark.parametrize(
    ("stage", "advice"),
    [
        ("PAUSED", "duplicate"),
        ("STOPPED", "owner"),
        ("BUILD_ERROR", "build failed"),
        ("RUNTIME_ERROR", "crashed"),
        ("NO_APP_FILE", "app file"),
        ("CONFIG_ERROR", "configuration"),
    ],
)
def test_dead_stages_raise_a_typed_error(
    hub: HubStub, app: FakeGradio, stage: str, advice: str
) -> None:
    hub.add_space(Space("o/dead", host=app.url.rstrip("/"), stages=[stage]))
    with pytest.raises(SpaceNotRunningError) as err:
        Client("o/dead", verbose=False)
    assert err.value.stage == stage and stage in str(err.value) and advice in str(err.value)
    assert not app.requests  # nothing was sent to the app


def test_build_that_never_finishes_times_out(hub: HubStub, app: FakeGradio) -> None:
    hub.add_space(Space("o/slow", host=app.url.rstrip("/"), stages=["BUILDING"]))
    with pytest.raises(SpaceNotRunningError, match="still BUILDING"):
        Client("o/slow", verbose=False, space_timeout=0.2)


def test_missing_or_private_space(hub: HubStub, app: FakeGradio) -> None:
    hub.token = TOKEN
    hub.add_space(Space("o/private", host=app.url.rstrip("/"), private=True))
    with pytest.raises(AuthenticationError, match="private Space"):
        Client("o/private", verbose=False)
    with pytest.raises(SpaceNotFoundError, match="not found"):
        Client("o/private", verbose=False, hf_token="hf_wrong")
    with Client("o/private", verbose=False, hf_token=TOKEN) as c:
        assert c.predict("in", api_name="/echo") == "in"
    with pytest.raises(AuthenticationError):
        Client("o/does-not-exist", verbose=False)
