"""The Duplicate and Deploy-to-Discord dialogs, driven by keys against a local Hub.

Each dialog is hosted in a bare test app (the main app is not needed to test
it). ``huggingface_hub`` talks to ``HubStub`` on 127.0.0.1 through
``HF_ENDPOINT``; the tests assert the exact requests it received. The copy's
"running" Space is a scripted fake Gradio app; the Discord upstream is a real
local ChatInterface. Waits poll conditions, never fixed sleeps.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from gradio_tui.client.core import AsyncClient
from gradio_tui.client.discord import NO_TOKEN_HELP
from gradio_tui.tui.screens.discord import DiscordDeployDialog
from gradio_tui.tui.screens.duplicate import DuplicateDialog, DuplicateResult, SecretRow
from tests.client.test_auth_spaces import _echo_server
from tests.support.fake_gradio import FakeGradio
from tests.support.hub_stub import HubRequest, HubStub, Space
from tests.support.servers import GradioServer

TOKEN = "hf_opstoken_abcdef"
SECRET = "s3cr3t-value-xyz"
BOT_TOKEN = "MTIzNDU2Nzg5.discord.bot-token-secret"
SIZE = (120, 36)
WRITES = ("POST", "PUT", "DELETE")


class Host(App[None]):
    """A bare app that shows one dialog and records what it is dismissed with."""

    def __init__(self, dialog: Screen[Any] | None = None) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []
        self.clients: list[AsyncClient] = []

    def on_mount(self) -> None:
        if self.dialog is not None:
            self.show(self.dialog)

    def show(self, dialog: Screen[Any]) -> None:
        self.dialog = dialog
        self.push_screen(dialog, callback=self.results.append)

    async def on_unmount(self) -> None:
        for client in self.clients:
            await client.aclose()


# -- fixtures and helpers ----------------------------------------------------------------


@pytest.fixture
def space_app() -> Iterator[FakeGradio]:
    """What the Spaces in the stub run: a tiny echo app."""
    with _echo_server() as fake:
        yield fake


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, space_app: FakeGradio) -> Iterator[HubStub]:
    with HubStub(token=TOKEN) as stub:
        stub.orgs = ["myorg"]
        stub.add_space(Space("abidlabs/whisper", host=space_app.url.rstrip("/")))
        monkeypatch.setenv("HF_ENDPOINT", stub.url)
        yield stub


@pytest.fixture
def logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token huggingface_hub "already has" (the dialogs' default)."""
    monkeypatch.setenv("HF_TOKEN", TOKEN)


def duplicate_dialog(from_id: str | None = "abidlabs/whisper", **kwargs: Any) -> DuplicateDialog:
    kwargs.setdefault("poll", 0.01)
    kwargs.setdefault("timeout", 30.0)
    return DuplicateDialog(from_id, **kwargs)


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], what: str, timeout: float = 20.0
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def hardware_ready(pilot: Pilot[None], dialog: DuplicateDialog) -> None:
    """Wait until the hardware list has loaded (or failed to)."""

    def settled() -> bool:
        return "Loading" not in text_of(dialog.query_one("#hardware-status", Static))

    await wait_for(pilot, settled, "the hardware list")
    await pilot.pause()


async def finished(pilot: Pilot[None], dialog: DuplicateDialog | DiscordDeployDialog) -> None:
    await wait_for(pilot, lambda: dialog.phase in ("done", "failed"), "the job to end")
    await pilot.pause()


async def type_into(pilot: Pilot[None], widget: Input, text: str) -> None:
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await pilot.press(*text)


async def add_secret(pilot: Pilot[None], dialog: DuplicateDialog, key: str, value: str) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()
    row = dialog.secret_rows[-1]
    assert row.query_one(".secret-key", Input).has_focus
    await pilot.press(*key, "tab", *value)


def text_of(widget: Static) -> str:
    return str(widget.render())


def screen_text(app: App[Any]) -> str:
    """Everything the terminal shows, as plain text (from the SVG export)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def field_error(dialog: Screen[Any], name: str) -> str:
    label = dialog.query_one(f"#{name}-error", Static)
    return text_of(label) if label.display else ""


def writes(hub: HubStub) -> list[tuple[str, str, Any]]:
    """Every request that changes something, with its JSON body (uploads left out)."""
    return [
        (r.method, r.path, r.json())
        for r in hub.requests
        if r.method in WRITES and "/preupload/" not in r.path and "/commit/" not in r.path
    ]


def hub_requests(hub: HubStub) -> list[HubRequest]:
    """The requests our code made (not huggingface_hub's own telemetry)."""
    return [
        r for r in hub.calls() if r.path.startswith(("/api/spaces", "/api/whoami", "/api/repos"))
    ]


def hold_building_until(hub: HubStub, space_id: str, condition: Callable[[], bool]) -> None:
    """Keep ``space_id`` BUILDING until ``condition()``: the build log has been shown, so
    the test does not race the log follower against the "running" poll."""
    original = hub._runtime

    def runtime(request: HubRequest) -> Any:
        assert request.match is not None
        space = hub.spaces.get(request.match.group("id"))
        if request.match.group("id") == space_id and space is not None and not condition():
            hardware = {"current": space.hardware, "requested": None}
            return 200, {"stage": "BUILDING", "hardware": hardware, "gcTimeout": None}
        return original(request)

    hub.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/runtime", runtime)


def phase_of(dialog: DuplicateDialog | DiscordDeployDialog) -> str:
    """The phase, read afresh (a key press changes it behind mypy's narrowing)."""
    return str(dialog.phase)


def build_lines(dialog: DuplicateDialog) -> list[str]:
    return [line for line in dialog.progress_lines if line.startswith("│ ")]


# -- duplicate: the happy paths -------------------------------------------------------


async def test_duplicate_sends_exactly_this_then_connects(
    hub: HubStub, logged_in: None, space_app: FakeGradio
) -> None:
    dialog = duplicate_dialog()
    hold_building_until(hub, "tester/whisper", lambda: len(build_lines(dialog)) >= 3)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        assert dialog.hardware_names == ["cpu-basic", "cpu-upgrade", "t4-small", "a10g-large"]
        assert dialog.query_one("#to-id", Input).has_focus  # from is prefilled
        before = len(hub.requests)
        await add_secret(pilot, dialog, "API_KEY", SECRET)
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines

        assert writes(hub) == [
            (
                "POST",
                "/api/spaces/abidlabs/whisper/duplicate",
                {
                    "repository": "tester/whisper",
                    "visibility": "private",
                    "hardware": "cpu-basic",
                    "secrets": [{"key": "API_KEY", "value": SECRET}],
                },
            )
        ]
        sent = [(r.method, r.path) for r in hub_requests(hub)[before:]]
        assert sent[:4] == [
            ("GET", "/api/whoami-v2"),
            ("GET", "/api/spaces/abidlabs/whisper/runtime"),
            ("GET", "/api/spaces/tester/whisper/runtime"),  # exists? (no: 404)
            ("POST", "/api/spaces/abidlabs/whisper/duplicate"),
        ]
        assert set(sent[4:]) == {
            ("GET", "/api/spaces/tester/whisper/runtime"),
            ("GET", "/api/spaces/tester/whisper/logs/build"),
        }
        assert {r.auth for r in hub_requests(hub)} == {f"Bearer {TOKEN}"}

        lines = dialog.progress_lines
        assert lines[0] == "Creating a duplicate of abidlabs/whisper for your own use... 🤗"
        assert f"Created new Space: {hub.url}/spaces/tester/whisper" in lines
        assert "tester/whisper: building" in lines
        assert build_lines(dialog) == [
            "│ Step 1/3 : FROM python",
            "│ Step 2/3 : pip install",
            "│ Step 3/3 : done",
        ]
        assert lines[-1] == "tester/whisper: running"
        assert "tester/whisper is running" in text_of(dialog.query_one("#outcome", Static))
        assert "tester/whisper (a new copy)" in text_of(dialog.query_one("#progress-title", Static))

        await pilot.press("ctrl+r")  # Connect
        await pilot.pause()
    assert app.results == [DuplicateResult("tester/whisper", TOKEN)]
    assert TOKEN not in repr(app.results[0])
    # The result is enough to connect to the copy.
    client = await AsyncClient.connect("tester/whisper", hf_token=TOKEN, verbose=False)
    try:
        assert client.space_id == "tester/whisper"
        assert client.src == space_app.url.rstrip("/") + "/"
    finally:
        await client.aclose()


async def test_without_a_token_the_hardware_list_says_why_then_loads_for_a_typed_token(
    hub: HubStub,
) -> None:
    dialog = duplicate_dialog()
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        status = text_of(dialog.query_one("#hardware-status", Static))
        assert "Could not load the Hub's hardware list" in status
        assert "needs a Hugging Face token" in status
        assert dialog.hardware_names is None
        assert not hub.requests  # nothing to ask without a token

        # A typed token: the list loads for it when the field is left.
        await type_into(pilot, dialog.query_one("#token", Input), TOKEN)
        await pilot.press("tab")
        await hardware_ready(pilot, dialog)
        assert dialog.hardware_names == ["cpu-basic", "cpu-upgrade", "t4-small", "a10g-large"]

        # Into an organization, on a GPU, sleeping after 10 minutes: all by keys.
        await type_into(pilot, dialog.query_one("#to-id", Input), "myorg/whisper-gpu")
        dialog.query_one("#hardware", Select).focus()
        await pilot.press("enter", "down", "down", "down", "enter")
        assert dialog.query_one("#hardware", Select).value == "t4-small"
        await type_into(pilot, dialog.query_one("#sleep", Input), "10")
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines
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
    # The typed token is the one used, everywhere; the plan re-checked the hardware.
    assert {r.auth for r in hub_requests(hub)} == {f"Bearer {TOKEN}"}
    assert len(hub.calls("GET", "/api/spaces/hardware")) == 2
    assert app.results == []  # not dismissed yet when the app closed


async def test_an_existing_target_is_updated_not_duplicated(
    hub: HubStub, logged_in: None, space_app: FakeGradio
) -> None:
    hub.add_space(Space("tester/whisper", host=space_app.url.rstrip("/")))
    dialog = duplicate_dialog()
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        dialog.query_one("#hardware", Select).value = "cpu-upgrade"
        await add_secret(pilot, dialog, "A", "first-secret")
        await add_secret(pilot, dialog, "B", "second-secret")
        await type_into(pilot, dialog.query_one("#sleep", Input), "15")
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines
        title = text_of(dialog.query_one("#progress-title", Static))
        assert "updating the existing Space" in title
        lines = dialog.progress_lines
        assert lines[0] == f"Using your existing Space: {hub.url}/spaces/tester/whisper 🤗"
        assert "Requested hardware cpu-upgrade for tester/whisper." in lines
        assert "Updated 2 secret(s) on tester/whisper: A, B." in lines
        assert "Sleep time of tester/whisper set to 15 minutes." in lines
    assert writes(hub) == [
        ("POST", "/api/spaces/tester/whisper/hardware", {"flavor": "cpu-upgrade"}),
        ("POST", "/api/spaces/tester/whisper/secrets", {"key": "A", "value": "first-secret"}),
        ("POST", "/api/spaces/tester/whisper/secrets", {"key": "B", "value": "second-secret"}),
        ("POST", "/api/spaces/tester/whisper/sleeptime", {"seconds": 900}),
    ]


# -- duplicate: secrets stay secret --------------------------------------------------


async def test_secret_values_and_the_token_are_never_rendered(hub: HubStub) -> None:
    dialog = duplicate_dialog(redact=True)
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        await add_secret(pilot, dialog, "API_KEY", SECRET)
        await type_into(pilot, dialog.query_one("#token", Input), TOKEN)
        await pilot.press("tab")
        await hardware_ready(pilot, dialog)
        shown = screen_text(app)
        assert "API_KEY" in shown and "•" * len(SECRET) in shown
        assert SECRET not in shown and TOKEN not in shown
        assert all(w.password for w in dialog.query(".secret-value, #token").results(Input))

        # A build log that echoes the secret and the token: masked in the dialog.
        hub.build_logs = [f"export API_KEY={SECRET}", f"login {TOKEN}"]
        hold_building_until(hub, "tester/whisper", lambda: len(build_lines(dialog)) >= 2)
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines
        assert "│ export API_KEY=••••••" in dialog.progress_lines
        assert "│ login ••••••" in dialog.progress_lines
        shown = screen_text(app)
        assert "export API_KEY=••••••" in shown
        assert SECRET not in shown and TOKEN not in shown
        assert not any(SECRET in line or TOKEN in line for line in dialog.progress_lines)
        # Local ports are hidden when the app redacts (stable screenshots).
        assert "Created new Space: http://127.0.0.1:PORT/spaces/tester/whisper" in shown
    # The secret went to the Hub, and only there.
    assert writes(hub)[0][2]["secrets"] == [{"key": "API_KEY", "value": SECRET}]


# -- duplicate: refused before anything is sent ---------------------------------------


BAD_INPUT: list[tuple[dict[str, Any], str, str]] = [
    ({"from-id": ""}, "from-id", "Type the Space to copy"),
    ({"from-id": "whisper"}, "from-id", "owner/name"),
    ({"from-id": "a/b/c"}, "from-id", "owner/name"),
    ({"from-id": "../x"}, "from-id", "owner/name"),
    ({"to-id": "bad name!"}, "to-id", "not a valid Space name"),
    ({"to-id": "org/a/b"}, "to-id", "owner/name"),
    ({"to-id": "abidlabs/whisper"}, "to-id", "being copied"),
    ({"sleep": "0"}, "sleep", "at least 1"),
    ({"sleep": "-3"}, "sleep", "at least 1"),
    ({"sleep": ""}, "sleep", "at least 1"),
    ({"secrets": [("", "orphan")]}, "secrets", "no name"),
    ({"secrets": [("A", "1111"), ("A", "2222")]}, "secrets", "A is given twice"),
    ({"secrets": [("1BAD", "xxxx")]}, "secrets", "cannot be a secret name"),
    ({"secrets": [("EMPTY", "")]}, "secrets", "EMPTY has no value"),
]
"""Each case is a good form with one bad field: (typed values, that field, its message)."""
CHECKED = ("from-id", "to-id", "hardware", "sleep", "secrets")


async def refused(
    pilot: Pilot[None], app: Host, dialog: DuplicateDialog, hub: HubStub, field: str, message: str
) -> None:
    """ctrl+r is refused with ``message`` under ``field`` (only), and the Hub hears nothing."""
    before = len(hub.requests)
    await pilot.press("ctrl+r")
    await pilot.pause()
    case = f"{field}: {message}"
    assert dialog.phase == "form", case
    assert message in field_error(dialog, field), case
    assert message in screen_text(app), case
    assert not [w for w in app.workers if w.group == "duplicate"], case
    assert len(hub.requests) == before, case  # not even a look-up
    assert all(field_error(dialog, n) == "" for n in CHECKED if n != field), case


async def test_bad_input_is_refused_inline_and_nothing_is_sent(
    hub: HubStub, logged_in: None
) -> None:
    # One dialog for every case (the form is reset in between): starting an app per
    # case would cost more than the cases.
    dialog = duplicate_dialog()
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        for given, field, message in BAD_INPUT:
            good = {"from-id": "abidlabs/whisper", "to-id": "", "sleep": "5"}
            # Values are set, not typed: the tests above cover typing, which costs ~20 key
            # presses per field.
            for name, value in {**good, **given}.items():
                if name in good:
                    dialog.query_one(f"#{name}", Input).value = value
            while dialog.secret_rows:
                await dialog.action_remove_secret()
            for key, value in given.get("secrets", []):
                await dialog.action_add_secret()
                row = dialog.secret_rows[-1]
                row.query_one(".secret-key", Input).value = key
                row.query_one(".secret-value", Input).value = value
            await refused(pilot, app, dialog, hub, field, message)
    assert writes(hub) == []


async def test_unknown_hardware_is_refused(hub: HubStub, logged_in: None) -> None:
    # A choice the Hub does not offer (say, remembered from before) stays visible, marked.
    dialog = duplicate_dialog(hardware="h100-imaginary")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        select = dialog.query_one("#hardware", Select)
        assert select.value == "h100-imaginary"
        assert "h100-imaginary (not offered by the Hub)" in screen_text(app)
        message = "Unknown hardware 'h100-imaginary'; the Hub offers: cpu-basic, cpu-upgrade"
        await refused(pilot, app, dialog, hub, "hardware", message)
    assert writes(hub) == []


async def test_secret_rows_are_added_and_removed_by_keys_and_clicks(
    hub: HubStub, logged_in: None
) -> None:
    dialog = duplicate_dialog(secrets={"KEEP": "kept-value"})
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        assert [r.pair for r in dialog.secret_rows] == [("KEEP", "kept-value")]
        await add_secret(pilot, dialog, "GONE", "gone-value")
        await pilot.press("ctrl+l")  # removes the row being edited
        await pilot.pause()
        assert [r.pair for r in dialog.secret_rows] == [("KEEP", "kept-value")]
        await add_secret(pilot, dialog, "CLICKED", "clicked-value")
        rows = dialog.query(SecretRow).results(SecretRow)
        second = list(rows)[1]
        await pilot.click(second.query_one(".secret-remove"))
        await pilot.pause()
        assert [r.pair for r in dialog.secret_rows] == [("KEEP", "kept-value")]


# -- duplicate: the Hub says no ---------------------------------------------------------


async def test_billing_refusal_is_shown_and_the_form_comes_back(
    hub: HubStub, logged_in: None
) -> None:
    hub.route(
        "POST",
        r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate",
        lambda r: (402, {"error": "Payment method required"}),
    )
    dialog = duplicate_dialog()
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        dialog.query_one("#hardware", Select).value = "t4-small"
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "failed"
        outcome = text_of(dialog.query_one("#outcome", Static))
        assert outcome.startswith("Billing: Duplicating abidlabs/whisper to tester/whisper")
        assert "Payment method required (HTTP 402" in outcome
        assert "Payment method required" in screen_text(app)
        await pilot.press("ctrl+r")  # Edit and retry: the values are still there
        await pilot.pause()
        assert phase_of(dialog) == "form"
        assert dialog.query_one("#from-id", Input).value == "abidlabs/whisper"
        assert dialog.query_one("#hardware", Select).value == "t4-small"
    assert [w[1] for w in writes(hub)] == ["/api/spaces/abidlabs/whisper/duplicate"]


async def test_permission_refusal_is_shown(hub: HubStub, logged_in: None) -> None:
    dialog = duplicate_dialog(to_id="otherorg/copy")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "failed"
        outcome = text_of(dialog.query_one("#outcome", Static))
        assert outcome.startswith("Permission denied: ")
        assert "You don't have the rights to create a repo under otherorg" in outcome
        assert "(HTTP 403: this token may not do that" in outcome
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_closing_while_it_builds_stops_the_waiting(hub: HubStub, logged_in: None) -> None:
    original = hub._duplicate

    def never_runs(request: HubRequest) -> Any:
        reply = original(request)
        hub.spaces["tester/whisper"].stages = ["BUILDING"]
        return reply

    hub.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate", never_runs)
    dialog = duplicate_dialog()
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await hardware_ready(pilot, dialog)
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: "tester/whisper: building" in dialog.progress_lines, "building"
        )
        job = dialog._job
        assert job is not None and job.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        assert job.is_cancelled

        def polls() -> int:
            return len(hub.calls("GET", "/api/spaces/tester/whisper/runtime"))

        # The thread notices at its next poll and asks the Hub nothing more.
        seen: list[int] = []

        def settled() -> bool:
            seen.append(polls())
            return len(seen) > 5 and len(set(seen[-5:])) == 1

        await wait_for(pilot, settled, "the polling to stop")


# -- Deploy to Discord --------------------------------------------------------------------


async def test_deploy_to_discord(hub: HubStub, logged_in: None, chat_app: GradioServer) -> None:
    client = await AsyncClient.connect(chat_app.url, verbose=False)
    dialog = DiscordDeployDialog(client, redact=True)
    app = Host(dialog)
    app.clients.append(client)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert dialog.query_one("#api-name", Input).value == "/respond"
        assert dialog.query_one("#bot-token", Input).has_focus
        await pilot.press(*BOT_TOKEN)
        assert BOT_TOKEN not in screen_text(app)
        await type_into(pilot, dialog.query_one("#target", Input), "my-bot")
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines
        url = f"{hub.url}/spaces/tester/my-bot"
        assert dialog.url == url
        assert dialog.progress_lines == [
            "Creating the bot Space tester/my-bot...",
            "See your discord bot here! http://127.0.0.1:PORT/spaces/tester/my-bot",
        ]
        shown = screen_text(app)
        assert "http://127.0.0.1:PORT/spaces/tester/my-bot" in shown
        assert BOT_TOKEN not in shown
        await pilot.press("c")  # Copy URL
        assert app.clipboard == url
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [url]

    created = hub.calls("POST", "/api/repos/create")
    assert len(created) == 1
    body = created[0].json()
    assert (body["name"], body["type"], body["sdk"], body["visibility"]) == (
        "my-bot",
        "space",
        "gradio",
        "public",
    )
    secrets = [
        (r.method, r.path, r.json()) for r in hub.calls("POST", "/api/spaces/tester/my-bot/secrets")
    ]
    assert secrets == [
        ("POST", "/api/spaces/tester/my-bot/secrets", {"key": k, "value": v})
        for k, v in [
            ("GRADIO_APP", chat_app.url),
            ("GRADIO_API_NAME", "/respond"),
            ("DISCORD_COMMAND", "respond"),
            ("DISCORD_TOKEN", BOT_TOKEN),
        ]
    ]
    assert hub.commits and len(hub.commits) == 1
    assert BOT_TOKEN.encode() not in b"".join(c.body for c in hub.commits)
    assert {r.auth for r in hub_requests(hub)} == {f"Bearer {TOKEN}"}


async def test_without_a_bot_token_the_dialog_explains_how_to_get_one(
    hub: HubStub, logged_in: None, chat_app: GradioServer
) -> None:
    client = await AsyncClient.connect(chat_app.url, verbose=False)
    dialog = DiscordDeployDialog(client)
    app = Host(dialog)
    app.clients.append(client)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        help_text = dialog.query_one("#bot-help", Static)
        assert help_text.display and text_of(help_text) == NO_TOKEN_HELP
        assert "discord.com/developers/applications" in screen_text(app)
        await pilot.press("x")
        assert not help_text.display  # a token is being typed: no need to explain
        await pilot.press("backspace")
        assert help_text.display
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines
        assert NO_TOKEN_HELP in dialog.progress_lines
        assert dialog.url is not None and "/spaces/tester/gradio-discord-bot-" in dialog.url
    keys = [r.json()["key"] for r in hub.calls("POST") if r.path.endswith("/secrets")]
    assert keys == ["GRADIO_APP", "GRADIO_API_NAME", "DISCORD_COMMAND"]


async def test_a_non_chat_app_is_refused_and_nothing_is_sent(
    hub: HubStub, logged_in: None, space_app: FakeGradio
) -> None:
    client = await AsyncClient.connect(space_app.url, verbose=False)
    dialog = DiscordDeployDialog(client)
    app = Host(dialog)
    app.clients.append(client)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert dialog.query_one("#api-name", Input).value == ""
        assert "no chat endpoint" in field_error(dialog, "api-name")
        assert "no chat endpoint" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert dialog.phase == "form"
        assert "no chat endpoint" in field_error(dialog, "api-name")
        # Naming an endpoint the app does not have is refused too.
        await type_into(pilot, dialog.query_one("#api-name", Input), "/nope")
        await type_into(pilot, dialog.query_one("#target", Input), "bad name!")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert dialog.phase == "form"
        assert "This app has no endpoint /nope; its endpoints: /echo" in field_error(
            dialog, "api-name"
        )
        assert "not a valid Space name" in field_error(dialog, "target")
    assert hub.requests == []


async def test_deploy_errors_are_shown_in_place(
    hub: HubStub, logged_in: None, chat_app: GradioServer
) -> None:
    client = await AsyncClient.connect(chat_app.url, verbose=False)
    dialog = DiscordDeployDialog(client)
    app = Host(dialog)
    app.clients.append(client)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_into(pilot, dialog.query_one("#target", Input), "otherorg/bot")
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "failed"
        outcome = text_of(dialog.query_one("#outcome", Static))
        assert outcome.startswith("Permission denied: Creating the Space otherorg/bot")
        assert "otherorg" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert phase_of(dialog) == "form"
        assert dialog.query_one("#target", Input).value == "otherorg/bot"
    assert writes(hub) == [
        ("POST", "/api/repos/create", hub.calls("POST", "/api/repos/create")[0].json())
    ]


# -- from the app: keys, palette, and what happens after ----------------------------------


async def test_f9_duplicates_the_connected_space_and_connects_to_the_copy(
    hub: HubStub, logged_in: None, space_app: FakeGradio
) -> None:
    from gradio_tui.tui.app import GradioTUI
    from tests.tui.conftest import make_app, until_main

    app: GradioTUI = make_app("abidlabs/whisper")
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        assert app.client is not None and app.client.space_id == "abidlabs/whisper"
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DuplicateDialog), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, DuplicateDialog)
        dialog.poll = 0.01
        assert dialog.query_one("#from-id", Input).value == "abidlabs/whisper"
        await hardware_ready(pilot, dialog)
        # One Hub dialog at a time: F9/F10 do nothing over it.
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen is dialog
        await type_into(pilot, dialog.query_one("#to-id", Input), "whisper-copy")
        await pilot.press("ctrl+r")
        await finished(pilot, dialog)
        assert dialog.phase == "done", dialog.progress_lines
        await pilot.press("ctrl+r")  # Connect
        await wait_for(
            pilot,
            lambda: app.client is not None and app.client.space_id == "tester/whisper-copy",
            "the connection to the copy",
        )
        await until_main(pilot, app)
        header = str(app.screen.query_one("#header", Static).render())
        assert header.startswith("gradio-tui  tester/whisper-copy (http://127.0.0.1:PORT/)")
    assert ("POST", "/api/spaces/abidlabs/whisper/duplicate") in [
        (r.method, r.path) for r in hub.requests
    ]


async def test_f10_and_the_palette_open_deploy_to_discord_only_when_connected(
    hub: HubStub, logged_in: None, chat_app: GradioServer
) -> None:
    from gradio_tui.tui.app import GradioTUI
    from tests.tui.conftest import make_app, until_main

    idle: GradioTUI = make_app()
    async with idle.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        assert not isinstance(idle.screen, DiscordDeployDialog)

    app: GradioTUI = make_app(chat_app.url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"discord")

        def first_hit() -> str:
            lists = app.screen.query("CommandList")
            if not lists or not lists.first().option_count:
                return ""
            return str(lists.first().get_option_at_index(0).prompt)

        await wait_for(pilot, lambda: "Deploy to Discord" in first_hit(), "the palette hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DiscordDeployDialog), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, DiscordDeployDialog)
        assert dialog.query_one("#api-name", Input).value == "/respond"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DiscordDeployDialog)
    assert hub.requests == []


# -- snapshots ------------------------------------------------------------------------


def quiet(app: App[Any]) -> None:
    """No blinking cursor, no notifications: the picture depends on nothing but the code."""
    for widget in app.screen.query(Input).results(Input):
        widget.cursor_blink = False
    app.clear_notifications()


class TestDialogSnapshots:
    def test_duplicate_form_with_a_secret_and_a_refused_name(
        self, snap_compare: Any, hub: HubStub, logged_in: None
    ) -> None:
        dialog = duplicate_dialog(secrets={"API_KEY": SECRET}, redact=True)
        app = Host(dialog)

        async def run_before(pilot: Pilot[None]) -> None:
            await hardware_ready(pilot, dialog)
            await type_into(pilot, dialog.query_one("#to-id", Input), "bad name!")
            await pilot.press("ctrl+r")
            await pilot.pause()
            quiet(app)
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_discord_deployed(
        self, snap_compare: Any, hub: HubStub, logged_in: None, chat_app: GradioServer
    ) -> None:
        app = Host()

        async def run_before(pilot: Pilot[None]) -> None:
            client = await AsyncClient.connect(chat_app.url, verbose=False)
            app.clients.append(client)
            dialog = DiscordDeployDialog(client, redact=True)
            app.show(dialog)
            await pilot.pause()
            dialog.query_one("#bot-token", Input).value = BOT_TOKEN  # typing: see above
            await type_into(pilot, dialog.query_one("#target", Input), "my-bot")
            await pilot.press("ctrl+r")
            await finished(pilot, dialog)
            assert dialog.phase == "done"
            quiet(app)
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
