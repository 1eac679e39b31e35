"""SpaceOps, the Spaces console's Hub side, against the local Hub stub.

Every test asserts the exact requests the stub received (method, path,
query, body, auth header) and the stub's state afterwards; refusals are
checked for their type and their words. Nothing here sleeps: waits are on
the Hub's answers, and the one deliberate wait (a 429's ``Retry-After: 1``)
is measured, not assumed.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from typing import Any

import pytest

from gradio_tui.client.bulk import BulkReport, Outcome
from gradio_tui.client.errors import (
    AuthenticationError,
    HubUnreachableError,
    SpaceNotFoundError,
    SpaceNotRunningError,
    TooManyRequestsError,
)
from gradio_tui.client.hub import ConflictError, HubServerError, PermissionDeniedError
from gradio_tui.client.space_ops import SpaceOps, retry_after
from gradio_tui.client.space_rows import LIST_EXPAND, HardwareOption
from tests.support.hub_stub import HubRequest, HubStub

TOKEN = "hf_consoletoken_0123456789"
AUTH = f"Bearer {TOKEN}"
SECRET = "sk-live-very-secret-value"
WRITES = ("POST", "PUT", "DELETE")


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubStub]:
    with HubStub(token=TOKEN) as stub:
        stub.orgs = ["myorg"]
        monkeypatch.setenv("HF_ENDPOINT", stub.url)
        yield stub


@pytest.fixture
async def ops(hub: HubStub) -> AsyncIterator[SpaceOps]:
    async with await SpaceOps.open(TOKEN) as opened:
        yield opened


def api_calls(hub: HubStub, start: int = 0) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in hub.requests[start:] if r.path.startswith("/api/")]


def writes(hub: HubStub) -> list[tuple[str, str, dict[str, list[str]], Any]]:
    return [(r.method, r.path, r.query, r.json()) for r in hub.requests if r.method in WRITES]


def stages(hub: HubStub, *ids: str) -> list[str]:
    return [hub.spaces[i].stage(advance=False) for i in ids]


# -- reading --------------------------------------------------------------------------


async def test_open_lists_yours_and_your_orgs_in_one_request_each(
    hub: HubStub, ops: SpaceOps
) -> None:
    hub.add("tester/chat", likes=3, sdk_version="5.1.0", hardware="t4-small", sleep_time=3600)
    hub.add("tester/docs", sdk="static", sdk_version=None, stages=["SLEEPING"])
    hub.add("myorg/bot", private=True, stages=["RUNTIME_ERROR"], error_message="exit code 1")
    hub.add("someone/else")
    start = len(hub.requests)
    rows = await ops.list_spaces()

    assert ops.user == "tester" and ops.orgs == ["myorg"] and ops.owners == ["tester", "myorg"]
    assert [r.id for r in rows] == ["tester/chat", "tester/docs", "myorg/bot"]
    listed = [r for r in hub.requests[start:] if r.path == "/api/spaces"]
    assert sorted(r.query["author"][0] for r in listed) == ["myorg", "tester"]
    assert all(r.query["expand"] == LIST_EXPAND for r in listed)
    assert api_calls(hub, start) == [("GET", "/api/spaces")] * 2
    assert {r.auth for r in hub.requests} == {AUTH}

    chat, docs, bot = rows
    assert (chat.sdk, chat.sdk_version, chat.stage, chat.hardware) == (
        "gradio",
        "5.1.0",
        "RUNNING",
        "t4-small",
    )
    assert (chat.likes, chat.sleep_time, chat.private, chat.connectable) == (3, 3600, False, True)
    assert chat.last_modified is not None and chat.last_modified.year == 2026
    assert (docs.sdk, docs.sdk_version, docs.stage, docs.connectable) == (
        "static",
        None,
        "SLEEPING",
        False,
    )
    assert (bot.private, bot.stage, bot.error_message) == (True, "RUNTIME_ERROR", "exit code 1")


async def test_any_owner_without_a_token_and_pages_followed(
    hub: HubStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        hub.add(f"gradio/demo-{i}")
    hub.add("gradio/hidden", private=True)
    hub.page_size = 2
    async with await SpaceOps.open() as anonymous:
        assert anonymous.user is None and anonymous.token is None
        rows = await anonymous.list_spaces("gradio")
        with pytest.raises(AuthenticationError, match="Listing your Spaces needs a Hugging Face"):
            await anonymous.list_spaces()
        with pytest.raises(AuthenticationError, match="Restarting gradio/demo-0 needs a"):
            await anonymous.restart("gradio/demo-0")
    assert [r.id for r in rows] == [f"gradio/demo-{i}" for i in range(5)]
    assert [r.query.get("cursor") for r in hub.requests] == [None, ["2"], ["4"]]
    assert all(r.auth is None for r in hub.requests)  # no token anywhere, not even a saved one
    assert writes(hub) == []


async def test_search_with_an_sdk_filter_gives_the_same_rows(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("a/whisper-small")
    hub.add("b/whisper-docker", sdk="docker")
    hub.add("c/llama")
    start = len(hub.requests)
    rows = await ops.search("Whisper", sdk="gradio", limit=50)
    assert [r.id for r in rows] == ["a/whisper-small"]
    (request,) = hub.requests[start:]
    assert (request.method, request.path) == ("GET", "/api/spaces")
    assert request.query == {
        "search": ["Whisper"],
        "filter": ["gradio"],
        "limit": ["50"],
        "expand": LIST_EXPAND,
    }
    assert [r.id for r in await ops.search("whisper")] == ["a/whisper-small", "b/whisper-docker"]
    with pytest.raises(ValueError, match="Type something"):
        await ops.search("   ")


async def test_hardware_list_with_prices_per_hour(hub: HubStub, ops: SpaceOps) -> None:
    options = await ops.hardware()
    assert [(o.name, o.price_per_hour) for o in options] == [
        ("cpu-basic", 0.0),
        ("cpu-upgrade", 0.03),
        ("t4-small", 0.40002),
        ("a10g-large", 3.0),
    ]
    t4 = options[2]
    assert t4.price_text == "$0.40/hour"
    assert t4.cost_text(3) == "t4-small costs $0.40/hour per running Space: $1.20/hour for all 3"
    assert options[0].cost_text(5) == "cpu-basic is free"
    assert "T4-SMALL" in t4.label and "$0.40/hour" in t4.label
    await ops.hardware()
    assert len(hub.calls("GET", "/api/spaces/hardware")) == 1  # asked once per session
    assert HardwareOption("x", "X", price_per_hour=0).free


async def test_details_secret_names_only_and_variables(hub: HubStub, ops: SpaceOps) -> None:
    hub.add(
        "tester/app", secrets={"OPENAI_KEY": SECRET, "DB_URL": SECRET}, variables={"MODE": "prod"}
    )
    rows = await ops.list_spaces()
    details = await ops.details(rows[0])
    assert details.secret_names == ["DB_URL", "OPENAI_KEY"]
    assert details.variables == {"MODE": "prod"}
    assert details.notes == []
    assert SECRET not in repr(details)
    # Someone else's Space: the parts the token may not read are notes, not a failure.
    hub.add("other/app", variables={"X": "1"})
    other = await ops.space("other/app")
    details = await ops.details(other)
    assert details.secret_names is None and details.variables == {"X": "1"}
    assert len(details.notes) == 1 and details.notes[0].startswith("secrets: Listing the secrets")


# -- acting -------------------------------------------------------------------------------


async def test_bulk_restart_of_20_where_3_fail_reports_17_done_and_3_failed(
    hub: HubStub, ops: SpaceOps
) -> None:
    ids = [f"tester/space-{i:02d}" for i in range(20)]
    for space_id in ids:
        hub.add(space_id)
    hub.fail(
        "POST", "/api/spaces/tester/space-03/restart", 409, {"error": "Space is being deleted"}
    )
    hub.fail("POST", "/api/spaces/tester/space-11/restart", 403, {"error": "Space is disabled"})
    hub.fail("POST", "/api/spaces/tester/space-17/restart", 503, {"error": "Try again"})
    seen: list[Outcome] = []

    report = await ops.restart_many(ids, on_outcome=seen.append).wait()

    assert report.summary() == "restart: 17 done, 3 failed"
    assert [o.space_id for o in report.outcomes] == ids  # in the order given
    assert len(report.done) == 17 and all(o.message == "now APP_STARTING" for o in report.done)
    failed = {o.space_id: o for o in report.failed}
    assert set(failed) == {"tester/space-03", "tester/space-11", "tester/space-17"}
    assert isinstance(failed["tester/space-03"].error, ConflictError)
    assert failed["tester/space-03"].message.startswith(
        "Restarting tester/space-03: Space is being deleted (HTTP 409"
    )
    assert isinstance(failed["tester/space-11"].error, PermissionDeniedError)
    assert "Space is disabled (HTTP 403" in failed["tester/space-11"].message
    assert isinstance(failed["tester/space-17"].error, HubServerError)
    assert "Try again (HTTP 503: the Hub failed on its side" in failed["tester/space-17"].message
    # Every Space was asked once, with the token; the progress saw each start and end.
    restarts = [r for r in hub.requests if r.method == "POST"]
    assert sorted(r.path for r in restarts) == [f"/api/spaces/{i}/restart" for i in ids]
    assert all(r.auth == AUTH and r.query == {} and r.body == b"" for r in restarts)
    assert [o.state for o in seen].count("running") == 20
    assert len([o for o in seen if o.finished]) == 20
    # The stub's state: the 17 restart, the 3 did not.
    ok = [o.space_id for o in report.done]
    assert set(stages(hub, *ok)) == {"APP_STARTING"}
    assert stages(hub, *failed) == ["RUNNING"] * 3


async def test_factory_rebuild_pause_wake_and_dev_mode(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/a")
    hub.add("tester/b")
    hub.add("tester/sleepy", stages=["SLEEPING"])
    hub.add("tester/paused", stages=["PAUSED"])

    report = await ops.restart_many(["tester/a"], factory=True).wait()
    assert report.summary() == "factory rebuild: 1 done"
    assert stages(hub, "tester/a") == ["BUILDING"]
    await ops.pause("tester/b")
    assert stages(hub, "tester/b") == ["PAUSED"]
    start = len(hub.requests)
    await ops.wake("tester/sleepy")
    woke = hub.requests[start:]
    assert [(r.method, r.path) for r in woke] == [
        ("GET", "/api/spaces/tester/sleepy"),
        ("GET", "/_space/tester/sleepy/"),
    ]
    # The token goes to the app host the Hub named, in the header Spaces' proxy reads.
    assert woke[1].headers.get("x-hf-authorization") == AUTH and woke[1].auth is None
    assert hub.spaces["tester/sleepy"].wakes == 1
    assert stages(hub, "tester/sleepy") == ["APP_STARTING"]
    with pytest.raises(SpaceNotRunningError, match="paused: visitors do not wake it"):
        await ops.wake("tester/paused")
    assert hub.spaces["tester/paused"].wakes == 0
    await ops.set_dev_mode("tester/a", True)
    assert hub.spaces["tester/a"].dev_mode
    await ops.set_dev_mode("tester/a", False)
    assert writes(hub) == [
        ("POST", "/api/spaces/tester/a/restart", {"factory": ["true"]}, None),
        ("POST", "/api/spaces/tester/b/pause", {}, None),
        ("POST", "/api/spaces/tester/a/dev-mode", {}, {"enabled": True}),
        ("POST", "/api/spaces/tester/a/dev-mode", {}, {"enabled": False}),
    ]
    assert not hub.spaces["tester/a"].dev_mode


async def test_hardware_is_validated_before_any_space_is_touched(
    hub: HubStub, ops: SpaceOps
) -> None:
    hub.add("tester/a")
    hub.add("myorg/b")
    with pytest.raises(ValueError, match=r"Unknown hardware 'h100-imaginary'.*t4-small"):
        await ops.set_hardware_many(["tester/a", "myorg/b"], "h100-imaginary")
    assert writes(hub) == []
    report = await (await ops.set_hardware_many(["tester/a", "myorg/b"], "t4-small")).wait()
    assert report.summary() == "hardware t4-small: 2 done"
    assert sorted(writes(hub), key=str) == [
        ("POST", "/api/spaces/myorg/b/hardware", {}, {"flavor": "t4-small"}),
        ("POST", "/api/spaces/tester/a/hardware", {}, {"flavor": "t4-small"}),
    ]
    assert [hub.spaces[i].hardware for i in ("tester/a", "myorg/b")] == ["t4-small"] * 2
    assert [hub.spaces[i].requested_hardware for i in ("tester/a", "myorg/b")] == ["t4-small"] * 2
    assert stages(hub, "tester/a", "myorg/b") == ["APP_STARTING"] * 2


async def test_sleep_time_on_many_and_garbage_refused(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/a", hardware="t4-small")
    hub.add("tester/b", hardware="t4-small")
    for bad in (0, -5, 1.5, "600", True, None):
        with pytest.raises(ValueError, match="Sleep time is a whole number of seconds"):
            ops.set_sleep_time_many(["tester/a"], bad)  # type: ignore[arg-type]
    report = await ops.set_sleep_time_many(["tester/a", "tester/b"], 600).wait()
    assert report.ok
    report = await ops.set_sleep_time_many(["tester/b"], -1).wait()
    assert report.ok
    assert sorted((w[1], w[3]["seconds"]) for w in writes(hub)) == [
        ("/api/spaces/tester/a/sleeptime", 600),
        ("/api/spaces/tester/b/sleeptime", -1),
        ("/api/spaces/tester/b/sleeptime", 600),
    ]
    assert (hub.spaces["tester/a"].sleep_time, hub.spaces["tester/b"].sleep_time) == (600, -1)


async def test_delete_needs_each_id_typed_back(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/old-1")
    hub.add("myorg/old-2")
    hub.add("tester/keep")
    with pytest.raises(ValueError, match="type its id exactly; nothing was deleted"):
        await ops.delete("tester/old-1", typed="tester/old")
    with pytest.raises(ValueError, match=r"not matching: myorg/old-2\. Nothing was deleted"):
        ops.delete_many({"tester/old-1": "tester/old-1", "myorg/old-2": "old-2"})
    assert writes(hub) == [] and len(hub.spaces) == 3
    report = await ops.delete_many(
        {"tester/old-1": " tester/old-1 ", "myorg/old-2": "myorg/old-2"}
    ).wait()
    assert report.summary() == "delete: 2 done"
    assert sorted(writes(hub), key=str) == [
        (
            "DELETE",
            "/api/repos/delete",
            {},
            {"name": "old-1", "organization": "tester", "type": "space"},
        ),
        (
            "DELETE",
            "/api/repos/delete",
            {},
            {"name": "old-2", "organization": "myorg", "type": "space"},
        ),
    ]
    assert list(hub.spaces) == ["tester/keep"]


async def test_duplicate_many_with_a_name_pattern_and_secrets(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("abidlabs/whisper")
    hub.add("gradio/chat")
    hub.add("myorg/chat-copy")  # already there: that one fails with the Hub's reason
    with pytest.raises(ValueError, match="only duplicate into your account or your organizations"):
        await ops.plan_duplicates(["abidlabs/whisper"], owner="otherorg")
    with pytest.raises(ValueError, match=r"may use \{name\} and \{owner\} only"):
        await ops.plan_duplicates(["abidlabs/whisper"], owner="myorg", pattern="{nme}")
    with pytest.raises(ValueError, match="Two Spaces would both be copied to myorg/same"):
        await ops.plan_duplicates(
            ["abidlabs/whisper", "gradio/chat"], owner="myorg", pattern="same"
        )
    with pytest.raises(ValueError, match="is not a valid Space name"):
        await ops.plan_duplicates(["abidlabs/whisper"], owner="myorg", pattern="{name} copy!")
    with pytest.raises(ValueError, match="Unknown hardware"):
        await ops.plan_duplicates(["abidlabs/whisper"], owner="myorg", hardware="gpu-9000")
    assert writes(hub) == []

    plan = await ops.plan_duplicates(
        ["abidlabs/whisper", "gradio/chat"],
        owner="myorg",
        pattern="{name}-copy",
        hardware="t4-small",
        sleep_time=900,
    )
    assert plan.targets == {
        "abidlabs/whisper": "myorg/whisper-copy",
        "gradio/chat": "myorg/chat-copy",
    }
    report = await ops.duplicate_many(plan, secrets={"API_KEY": SECRET}).wait()
    assert report.summary() == "duplicate: 1 done, 1 failed"
    assert report.done[0].message == "copied to myorg/whisper-copy"
    assert "(HTTP 409" in report.failed[0].message and "myorg/chat-copy" in report.failed[0].message
    body = {
        "visibility": "private",
        "hardware": "t4-small",
        "sleepTimeSeconds": 900,
        "secrets": [{"key": "API_KEY", "value": SECRET}],
    }
    assert sorted(writes(hub), key=str) == [
        (
            "POST",
            "/api/spaces/abidlabs/whisper/duplicate",
            {},
            {"repository": "myorg/whisper-copy", **body},
        ),
        (
            "POST",
            "/api/spaces/gradio/chat/duplicate",
            {},
            {"repository": "myorg/chat-copy", **body},
        ),
    ]
    copy = hub.spaces["myorg/whisper-copy"]
    assert (copy.hardware, copy.private, copy.secrets, copy.sleep_time) == (
        "t4-small",
        True,
        {"API_KEY": SECRET},
        900,
    )
    assert SECRET not in repr(report)  # the report never carries a secret


async def test_secrets_are_write_only(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/app", secrets={"OLD": "old-value"})
    await ops.set_secret("tester/app", "NEW_KEY", SECRET)
    await ops.delete_secret("tester/app", "OLD")
    assert await ops.secret_names("tester/app") == ["NEW_KEY"]
    assert hub.spaces["tester/app"].secrets == {"NEW_KEY": SECRET}
    # What the Hub answered never had a value in it; what was sent is exactly this.
    assert writes(hub) == [
        ("POST", "/api/spaces/tester/app/secrets", {}, {"key": "NEW_KEY", "value": SECRET}),
        ("DELETE", "/api/spaces/tester/app/secrets", {}, {"key": "OLD"}),
    ]
    for bad_key in ("", "1ABC", "has space", "a-b"):
        with pytest.raises(ValueError, match="cannot be a secret name"):
            await ops.set_secret("tester/app", bad_key, "x")
    with pytest.raises(ValueError, match="has no value"):
        await ops.set_secret("tester/app", "EMPTY", "")
    with pytest.raises(SpaceNotFoundError, match=r"Secret GONE not found \(HTTP 404"):
        await ops.delete_secret("tester/app", "GONE")
    report = await ops.set_secrets_many({"SHARED": SECRET}, ["tester/app"]).wait()
    assert report.ok and SECRET not in repr(report)
    assert writes(hub)[-1] == (
        "POST",
        "/api/spaces/tester/app/secrets",
        {},
        {"key": "SHARED", "value": SECRET},
    )


async def test_variables_and_copying_a_set_to_many(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/src", variables={"MODE": "prod", "REGION": "eu"})
    for i in range(3):
        hub.add(f"tester/t{i}", variables={"MODE": "dev"})
    source = await ops.variables("tester/src")
    assert source == {"MODE": "prod", "REGION": "eu"}
    report = await ops.copy_variables(source, [f"tester/t{i}" for i in range(3)]).wait()
    assert report.summary() == "copy 2 variable(s): 3 done"
    assert all(hub.spaces[f"tester/t{i}"].variables == source for i in range(3))
    assert len([w for w in writes(hub) if w[0] == "POST"]) == 6
    await ops.delete_variable("tester/t0", "REGION")
    assert hub.spaces["tester/t0"].variables == {"MODE": "prod"}
    with pytest.raises(ValueError, match="no variables to copy"):
        ops.copy_variables({}, ["tester/t1"])


async def test_bad_ids_are_refused_before_anything_is_sent(hub: HubStub, ops: SpaceOps) -> None:
    start = len(hub.requests)
    for bad in ("", "noslash", "a/b/c", "../x", "a/ b"):
        with pytest.raises(ValueError, match="owner/name"):
            await ops.restart(bad)
        with pytest.raises(ValueError, match="owner/name"):
            ops.pause_many(["tester/ok", bad])
    with pytest.raises(ValueError, match="is not a user or organization name"):
        await ops.list_spaces("bad owner")
    assert hub.requests[start:] == []


# -- refusals, each in its own words ----------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, AuthenticationError, "(HTTP 401: check your Hugging Face token)"),
        (403, PermissionDeniedError, "(HTTP 403: this token may not do that"),
        (404, SpaceNotFoundError, "(HTTP 404: no such Space, or your token cannot see it)"),
        (409, ConflictError, "(HTTP 409: it clashes with the Space's current state"),
        (500, HubServerError, "(HTTP 500: the Hub failed on its side; try again later)"),
        (503, HubServerError, "(HTTP 503: the Hub failed on its side; try again later)"),
    ],
)
async def test_each_refusal_has_its_own_clear_message(
    hub: HubStub, ops: SpaceOps, status: int, error: type[Exception], words: str
) -> None:
    hub.add("tester/app")
    hub.fail("POST", "/api/spaces/tester/app/restart", status, {"error": "the Hub's own reason"})
    with pytest.raises(error) as caught:
        await ops.restart("tester/app")
    assert str(caught.value).startswith("Restarting tester/app: the Hub's own reason (HTTP")
    assert words in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert len(hub.calls("POST")) == 1  # refusals other than 429 are not retried


async def test_429_is_retried_after_retry_after(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/app")
    hub.fail(
        "POST", "/api/spaces/tester/app/pause", 429, {"error": "slow down"}, {"Retry-After": "1"}
    )
    await ops.pause("tester/app")
    first, second = hub.calls("POST")
    assert second.at - first.at >= 0.95  # waited what the Hub asked, not less
    assert stages(hub, "tester/app") == ["PAUSED"]


async def test_429_gives_up_after_the_retries(hub: HubStub) -> None:
    hub.add("tester/app")
    hub.fail(
        "POST",
        "/api/spaces/tester/app/pause",
        429,
        {"error": "slow down"},
        {"Retry-After": "0"},
        times=None,
    )
    async with await SpaceOps.open(TOKEN, retries=2) as ops:
        with pytest.raises(TooManyRequestsError, match=r"slow down \(HTTP 429.*Gave up after 2"):
            await ops.pause("tester/app")
    assert len(hub.calls("POST")) == 3


def test_retry_after_reads_seconds_and_dates_and_caps() -> None:
    class Answer:
        def __init__(self, value: str | None) -> None:
            self.headers = {"retry-after": value} if value is not None else {}

    class Refusal(Exception):
        def __init__(self, value: str | None) -> None:
            self.response = Answer(value)

    assert retry_after(Refusal("7"), 1) == 7
    assert retry_after(Refusal("1000"), 1, cap=60) == 60
    assert retry_after(Refusal(None), 3) == 4  # 1, 2, 4… without a header
    assert retry_after(Refusal("garbage"), 1) == 1
    assert retry_after(Refusal("Wed, 21 Oct 2015 07:28:00 GMT"), 1) == 0  # in the past
    assert retry_after(Refusal("-3"), 1) == 0


async def test_an_unreachable_hub_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(HubUnreachableError, match=r"cannot reach the Hugging Face Hub at http"):
        await SpaceOps.open(TOKEN)
    async with SpaceOps(TOKEN, user="tester") as ops:
        with pytest.raises(HubUnreachableError, match="Restarting tester/a: cannot reach") as c:
            await ops.restart("tester/a")
        assert "Check the network, or HF_ENDPOINT" in str(c.value)
        report = await ops.restart_many(["tester/a", "tester/b"]).wait()
        assert report.summary() == "restart: 0 done, 2 failed"
        with pytest.raises(HubUnreachableError, match="Reading the build log of tester/a"):
            async with aclosing(ops.logs("tester/a", build=True)) as lines:
                async for _ in lines:
                    pass


async def test_a_bad_token_is_refused_when_opening(hub: HubStub) -> None:
    with pytest.raises(AuthenticationError, match="HTTP 401"):
        await SpaceOps.open("hf_wrong_token")
    with pytest.raises(ValueError, match="non-empty string"):
        await SpaceOps.open("  ")


async def test_the_token_is_never_in_a_repr(hub: HubStub, ops: SpaceOps) -> None:
    assert TOKEN not in repr(ops) and "<hidden>" in repr(ops)
    assert ops.token == TOKEN


# -- cancelling a bulk run ---------------------------------------------------------------


async def test_cancelling_a_bulk_run_stops_what_has_not_started(
    hub: HubStub, ops: SpaceOps
) -> None:
    ids = [f"tester/s{i}" for i in range(12)]
    for space_id in ids:
        hub.add(space_id)
    release = threading.Event()
    arrived: list[str] = []
    original = hub._pause

    def slow_pause(request: HubRequest) -> Any:
        assert request.match is not None
        arrived.append(request.match.group("id"))
        release.wait(10)
        return original(request)

    hub.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/pause", slow_pause)
    run = ops.pause_many(ids)  # 8 at a time
    while len(arrived) < ops.concurrency:
        await asyncio.sleep(0.01)
    run.cancel()
    release.set()
    report = await run.wait()
    assert report.summary() == "pause: 0 done, 12 cancelled"
    in_flight = [o for o in report.cancelled if o.space_id in arrived]
    assert len(in_flight) == 8 and all("may still carry it out" in o.message for o in in_flight)
    assert all(o.message == "not started" for o in report.cancelled if o.space_id not in arrived)
    await asyncio.sleep(0)  # nothing more goes out after the cancel
    assert len(hub.calls("POST")) == 8


async def test_a_progress_callback_that_raises_changes_nothing(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/a")

    def broken(outcome: Outcome) -> None:
        raise RuntimeError("display bug")

    report: BulkReport = await ops.restart_many(["tester/a"], on_outcome=broken).wait()
    assert report.ok


# -- logs -----------------------------------------------------------------------------------


async def collect(lines: Any) -> list[str]:
    async with aclosing(lines) as stream:
        return [line async for line in stream]


async def test_build_and_run_logs_tail_and_garbage(hub: HubStub, ops: SpaceOps) -> None:
    hub.add("tester/app", run_logs=[f"run {i}" for i in range(30)])
    assert await collect(ops.logs("tester/app", build=True)) == [
        "Step 1/3 : FROM python",
        "Step 2/3 : pip install",
        "Step 3/3 : done",
    ]
    assert await collect(ops.logs("tester/app", tail=3)) == ["run 27", "run 28", "run 29"]
    assert len(await collect(ops.logs("tester/app", follow=True))) == 30
    logs = [r for r in hub.requests if "/logs/" in r.path]
    assert [r.path for r in logs] == [
        "/api/spaces/tester/app/logs/build",
        "/api/spaces/tester/app/logs/run",
        "/api/spaces/tester/app/logs/run",
    ]
    assert {r.auth for r in logs} == {AUTH}
    with pytest.raises(ValueError, match="not with follow"):
        ops.logs("tester/app", follow=True, tail=5)
    with pytest.raises(SpaceNotFoundError, match=r"Reading the run log of tester/nope.*HTTP 404"):
        await collect(ops.logs("tester/nope"))


async def test_now_means_before_the_request_and_follow_survives_a_cut(
    hub: HubStub, ops: SpaceOps
) -> None:
    space = hub.add("tester/app", run_logs=["old 1", "old 2"], late_logs=["new 1"])
    # Without follow: what was logged before the request (the Hub keeps streaming after).
    assert await collect(ops.logs("tester/app")) == ["old 1", "old 2"]
    assert await collect(ops.logs("tester/app", follow=True)) == ["old 1", "old 2", "new 1"]
    # A connection cut after one line: reconnected, the log goes on without repeats.
    space.log_drop_after = 1
    start = len(hub.requests)
    assert await collect(ops.logs("tester/app", follow=True)) == ["old 1", "old 2", "new 1"]
    assert [r.path for r in hub.requests[start:]] == ["/api/spaces/tester/app/logs/run"] * 2


async def test_log_garbage_is_skipped(hub: HubStub, ops: SpaceOps) -> None:
    from gradio_tui.client.space_logs import parse_event

    assert parse_event('data: {"data": "ok\\n", "timestamp": "x"}') == {
        "data": "ok\n",
        "timestamp": "x",
    }
    for junk in (
        "",
        "data:",
        "data: ",
        "data: [1]",
        "data: {bad json",
        'data: {"data": 5}',
        ": ping",
    ):
        assert parse_event(junk) is None
    space = hub.add("tester/app")

    def messy(request: HubRequest) -> Any:
        body = (
            ': comment\n\ndata: \n\ndata: {not json\n\nevent: x\ndata: {"data": 3}\n\n'
            'data: {"data": "real line\\n", "timestamp": "2026-11-28T00:00:00Z"}\n\n'
        )
        return 200, body, {"content-type": "text/event-stream"}

    hub.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/logs/(?P<kind>build|run)", messy)
    assert await collect(ops.logs(space.id)) == ["real line"]


async def test_following_10000_lines_then_cancelling_closes_the_stream(
    hub: HubStub, ops: SpaceOps
) -> None:
    hub.add("tester/app", build_logs=[f"line {i}" for i in range(10_000)])
    hub.log_gate = threading.Event()  # the stream stays open after the lines, as a live log does
    got: list[str] = []
    all_in = asyncio.Event()

    async def follow() -> None:
        async with aclosing(ops.logs("tester/app", build=True, follow=True)) as lines:
            async for line in lines:
                got.append(line)
                if len(got) == 10_000:
                    all_in.set()

    task = asyncio.create_task(follow())
    await asyncio.wait_for(all_in.wait(), 30)
    assert got[0] == "line 0" and got[-1] == "line 9999"
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 1.0  # stopped at once, not at a read timeout
    deadline = time.monotonic() + 10
    while hub.log_streams_closed < 1:  # the connection went with it
        assert time.monotonic() < deadline, "the stub never saw the stream close"
        await asyncio.sleep(0.02)
    hub.log_gate.set()


def test_space_ops_loads_no_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import gradio_tui.client.space_ops, gradio_tui.client.space_logs; "
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    assert out.stdout.strip() == "[]"
