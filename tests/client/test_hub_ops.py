"""Client.duplicate and deploy_discord against a local Hub; the bot against a local chat app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from gradio_tui import Client
from gradio_tui.client import AuthenticationError, SpaceNotFoundError, SpaceNotRunningError
from gradio_tui.client import spaces as spaces_module
from gradio_tui.client.errors import TooManyRequestsError
from gradio_tui.client.hub import BillingError, PermissionDeniedError
from gradio_tui.discord_bot.bridge import ChatBridge
from tests.support.fake_gradio import FakeGradio
from tests.support.hub_stub import HubRequest, HubStub, Space
from tests.support.servers import GradioServer

from .test_auth_spaces import _echo_server

TOKEN = "hf_opstoken_abcdef"
BOT_TOKEN = "MTIzNDU2Nzg5.discord.bot-token-secret"
WRITES = ("POST", "PUT", "DELETE")


@pytest.fixture
def app() -> Iterator[FakeGradio]:
    with _echo_server() as fake:
        yield fake


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, app: FakeGradio) -> Iterator[HubStub]:
    with HubStub(token=TOKEN) as stub:
        stub.orgs = ["myorg"]
        stub.add_space(Space("abidlabs/whisper", host=app.url.rstrip("/"), hardware="cpu-basic"))
        monkeypatch.setenv("HF_ENDPOINT", stub.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        monkeypatch.setattr(spaces_module, "POLL_SECONDS", 0.01)
        import gradio_tui.client.hub as hub_module

        original = hub_module.wait_until_running

        def fast_wait(*args: Any, **kwargs: Any) -> None:
            kwargs["poll"] = 0.01
            original(*args, **kwargs)

        monkeypatch.setattr(hub_module, "wait_until_running", fast_wait)
        yield stub


def writes(hub: HubStub) -> list[tuple[str, str, Any]]:
    return [
        (r.method, r.path, r.json() if r.body and r.path != "/api/spaces/x" else None)
        for r in hub.requests
        if r.method in WRITES and "/preupload/" not in r.path and "/commit/" not in r.path
    ]


def test_duplicate_creates_waits_and_connects(
    hub: HubStub, capsys: pytest.CaptureFixture[str]
) -> None:
    client = Client.duplicate("abidlabs/whisper", secrets={"API_KEY": "k1"})
    try:
        assert client.space_id == "tester/whisper"
        assert client.predict("works", api_name="/echo") == "works"
    finally:
        client.close()
    assert writes(hub) == [
        (
            "POST",
            "/api/spaces/abidlabs/whisper/duplicate",
            {
                "repository": "tester/whisper",
                "visibility": "private",
                "hardware": "cpu-basic",
                "secrets": [{"key": "API_KEY", "value": "k1"}],
            },
        )
    ]
    assert all(r.auth == f"Bearer {TOKEN}" for r in hub.requests if r.path.startswith("/api/"))
    out = capsys.readouterr().out
    assert "Creating a duplicate of abidlabs/whisper" in out
    assert "tester/whisper: building" in out and "Step 2/3 : pip install" in out
    assert "k1" not in out and TOKEN not in out


def test_duplicate_into_an_organization_with_hardware(hub: HubStub) -> None:
    client = Client.duplicate(
        "abidlabs/whisper",
        to_id="myorg/whisper-gpu",
        hardware="t4-small",
        sleep_timeout=10,
        verbose=False,
    )
    client.close()
    assert writes(hub) == [
        (
            "POST",
            "/api/spaces/abidlabs/whisper/duplicate",
            {
                "repository": "myorg/whisper-gpu",
                "visibility": "private",
                "hardware": "t4-small",
                "sleepTimeSeconds": 600,
            },
        )
    ]
    assert hub.calls("GET", "/api/spaces/hardware")  # validated against the Hub's list


def test_existing_target_is_updated_not_duplicated(
    hub: HubStub, app: FakeGradio, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.add_space(Space("tester/whisper", host=app.url.rstrip("/"), hardware="cpu-basic"))
    client = Client.duplicate(
        "abidlabs/whisper", hardware="cpu-upgrade", secrets={"A": "1", "B": "2"}, sleep_timeout=15
    )
    client.close()
    assert writes(hub) == [
        ("POST", "/api/spaces/tester/whisper/hardware", {"flavor": "cpu-upgrade"}),
        ("POST", "/api/spaces/tester/whisper/secrets", {"key": "A", "value": "1"}),
        ("POST", "/api/spaces/tester/whisper/secrets", {"key": "B", "value": "2"}),
        ("POST", "/api/spaces/tester/whisper/sleeptime", {"seconds": 900}),
    ]
    out = capsys.readouterr().out
    assert "Using your existing Space" in out and "Requested hardware cpu-upgrade" in out
    assert "Updated 2 secret(s)" in out and "Sleep time" in out


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"hardware": "h100-imaginary"}, ValueError, "Unknown hardware 'h100-imaginary'.*t4-small"),
        ({"to_id": "not/a/valid/id"}, ValueError, "owner/name"),
        ({"to_id": "bad name!"}, ValueError, "not a valid Space name"),
        ({"secrets": {"": "x"}}, ValueError, "secrets"),
        ({"secrets": ["A=1"]}, ValueError, "secrets"),
        ({"sleep_timeout": -3}, ValueError, "sleep_timeout"),
    ],
)
def test_bad_duplicate_requests_change_nothing(
    hub: HubStub, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        Client.duplicate("abidlabs/whisper", verbose=False, **kwargs)
    assert writes(hub) == []


@pytest.mark.parametrize("from_id", ["", "whisper", "a/b/c", "../x"])
def test_malformed_source(hub: HubStub, from_id: str) -> None:
    with pytest.raises(ValueError, match="owner/name"):
        Client.duplicate(from_id, verbose=False)


def test_unknown_source(hub: HubStub) -> None:
    with pytest.raises(SpaceNotFoundError, match="Could not find Space: nobody/nothing"):
        Client.duplicate("nobody/nothing", verbose=False)


def test_no_or_bad_token(hub: HubStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(AuthenticationError, match="needs a Hugging Face token"):
        Client.duplicate("abidlabs/whisper", verbose=False)
    with pytest.raises(AuthenticationError, match="401"):
        Client.duplicate("abidlabs/whisper", hf_token="hf_wrong", verbose=False)


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (402, BillingError, "Payment method required"),
        (403, PermissionDeniedError, "not allowed"),
        (429, TooManyRequestsError, "slow down"),
    ],
)
def test_hub_refusals_are_typed_with_the_hubs_message(
    hub: HubStub, status: int, error: type[Exception], message: str
) -> None:
    hub.route(
        "POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate", lambda r: (status, {"error": message})
    )
    with pytest.raises(error, match=message):
        Client.duplicate("abidlabs/whisper", hardware="t4-small", verbose=False)


def test_organization_the_user_is_not_in(hub: HubStub) -> None:
    with pytest.raises(PermissionDeniedError, match="otherorg"):
        Client.duplicate("abidlabs/whisper", to_id="otherorg/copy", verbose=False)


def test_race_409_means_it_exists(hub: HubStub, app: FakeGradio) -> None:
    def conflict(request: HubRequest) -> tuple[int, Any]:
        hub.add_space(Space("tester/whisper", host=app.url.rstrip("/")))
        return 409, {"error": "You already created this space repo"}

    hub.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate", conflict)
    client = Client.duplicate("abidlabs/whisper", verbose=False)
    try:
        # The copy another request made is taken as ours: connected, and it works.
        assert client.space_id == "tester/whisper"
        assert client.predict("raced", api_name="/echo") == "raced"
    finally:
        client.close()
    duplicates = [w for w in writes(hub) if w[1].endswith("/duplicate")]
    assert len(duplicates) == 1, "a 409 is not retried as a second duplicate"


def test_build_error_is_reported_with_the_log(hub: HubStub, app: FakeGradio) -> None:
    original = hub._duplicate

    def broken(request: HubRequest) -> Any:
        reply = original(request)
        hub.spaces["tester/whisper"].stages = ["BUILDING", "BUILDING", "BUILDING", "BUILD_ERROR"]
        return reply

    hub.build_logs = ["Step 1/2 : pip install nope", "ERROR: No matching distribution for nope"]
    hub.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate", broken)
    with pytest.raises(SpaceNotRunningError) as err:
        Client.duplicate("abidlabs/whisper", verbose=False)
    assert err.value.stage == "BUILD_ERROR" and "build failed" in str(err.value)


# -- deploy_discord ---------------------------------------------------------------------


async def test_a_6x_chat_app_shows_words_not_translation_keys(chat_app: GradioServer) -> None:
    """Gradio 6 sends translatable labels and placeholders as keys; none reach users."""
    from gradio_tui.client.core import AsyncClient

    client = await AsyncClient.connect(chat_app.url, verbose=False)
    try:
        respond = client.endpoint("/respond")
        assert [(p.name, p.label) for p in respond.parameters] == [("message", "message")]
        shown = repr(
            [
                (p.label, p.props, r.label)
                for e in client.endpoints
                for p in e.parameters
                for r in e.returns
            ]
        )
        assert "i18n" not in shown and "translation_metadata" not in shown
        assert "Chatbot" in shown
    finally:
        await client.aclose()


def _commit_files(hub: HubStub) -> dict[str, str]:
    files: dict[str, str] = {}
    for commit in hub.commits:
        for line in commit.body.decode().splitlines():
            item = json.loads(line)
            if item.get("key") == "file":
                files[item["value"]["path"]] = item["value"].get("content", "")
    return files


def test_deploy_discord(
    hub: HubStub, chat_app: GradioServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with Client(chat_app.url) as client:
        url = client.deploy_discord(discord_bot_token=BOT_TOKEN, to_id="my-bot")
    assert url == f"{hub.url}/spaces/tester/my-bot"
    created = hub.calls("POST", "/api/repos/create")[0].json()
    assert created["name"] == "my-bot" and created["type"] == "space" and created["sdk"] == "gradio"
    secrets = {
        r.json()["key"]: r.json()["value"]
        for r in hub.calls("POST", "/api/spaces/tester/my-bot/secrets")
    }
    assert secrets == {
        "DISCORD_TOKEN": BOT_TOKEN,
        "GRADIO_APP": chat_app.url,
        "GRADIO_API_NAME": "/respond",
        "DISCORD_COMMAND": "respond",
    }
    files = _commit_files(hub)
    assert {
        "app.py",
        "requirements.txt",
        "README.md",
        "gradio_tui/client/core.py",
        "gradio_tui/discord_bot/bridge.py",
    } <= set(files)
    everything_written = b"".join(c.body for c in hub.commits)
    assert BOT_TOKEN.encode() not in everything_written
    out = capsys.readouterr().out
    assert BOT_TOKEN not in out and "See your discord bot here!" in out


def test_deploy_without_bot_token_explains(
    hub: HubStub, chat_app: GradioServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with Client(chat_app.url) as client:
        url = client.deploy_discord()
    assert "/spaces/tester/gradio-discord-bot-" in url
    keys = [
        r.json()["key"] for r in hub.calls("POST", "/api/spaces/") if r.path.endswith("/secrets")
    ]
    assert "DISCORD_TOKEN" not in keys
    assert "discord.com/developers/applications" in capsys.readouterr().out


def test_deploy_refuses_non_chat_apps_and_bad_names(hub: HubStub, app: FakeGradio) -> None:
    with Client(app.url, verbose=False) as client:
        with pytest.raises(ValueError, match="chat apps"):
            client.deploy_discord(BOT_TOKEN)
        with pytest.raises(ValueError, match="only one api_name"):
            client.deploy_discord(BOT_TOKEN, api_names=["/echo", "/other"])
        with pytest.raises(ValueError, match="Cannot find a function"):
            client.deploy_discord(BOT_TOKEN, api_names=["/nope"])
        with pytest.raises(ValueError, match="non-empty"):
            client.deploy_discord("   ")
    assert writes(hub) == []


# -- the bot's logic, against a local chat app -------------------------------------------


async def test_bridge_replies_per_conversation(chat_app: GradioServer) -> None:
    bridge = ChatBridge(chat_app.url, "respond")
    try:
        assert await bridge.reply("thread-1", "hi") == "echo #1: hi"
        assert await bridge.reply("thread-2", "hello") == "echo #1: hello"
        assert len(bridge._sessions) == 2
        first, second = bridge._sessions.values()
        assert first.session_hash != second.session_hash
        assert "/chat" in await bridge.reply("thread-1", "   ")
    finally:
        await bridge.aclose()


async def test_bridge_truncates_and_apologises(core_url: str) -> None:
    bridge = ChatBridge(core_url, "/echo")
    try:
        long = await bridge.reply("t", "x" * 5000)
        assert len(long) == 2000 and long.endswith("…")
    finally:
        await bridge.aclose()
    failing = ChatBridge(core_url, "/error")
    try:
        assert (await failing.reply("t", "boom")).startswith("Sorry, the app failed: boom")
    finally:
        await failing.aclose()
