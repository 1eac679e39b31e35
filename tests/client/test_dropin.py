"""Scripts written for gradio_client keep working: headers, ZeroGPU, errors, statuses, imports.

Against the real core app (its ``/request_headers`` endpoints report what the
server saw of a call's headers), side by side with the reference client where
both should agree.
"""

from __future__ import annotations

import json
import pickle
import platform
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest

gradio_client = pytest.importorskip("gradio_client")
ref_exceptions = pytest.importorskip("gradio_client.exceptions")
ref_utils = pytest.importorskip("gradio_client.utils")

import gradio_tui  # noqa: E402
from gradio_tui import Client  # noqa: E402
from gradio_tui.client import (  # noqa: E402
    AppError,
    AuthenticationError,
    InvalidAPIEndpointError,
    QueueError,
    QueueFullError,
    Status,
)
from gradio_tui.client import spaces as spaces_module  # noqa: E402
from tests.support.fake_gradio import FakeGradio  # noqa: E402
from tests.support.hub_stub import HubStub, Space  # noqa: E402
from tests.support.request_log import RequestLog  # noqa: E402
from tests.support.servers import GradioServer, start_gradio  # noqa: E402

from .test_garbage import CONFIG, INFO  # noqa: E402

NAMES = "x-call,x-team,x-gradio-user,x-hf-authorization,x-ip-token"


def seen(client: Any, names: str = NAMES, **kwargs: Any) -> dict[str, str | None]:
    """The named headers the server saw on one call (either client)."""
    return dict(json.loads(client.predict(names, api_name="/request_headers", **kwargs)))


@pytest.fixture(scope="module")
def ref(core_url: str) -> Iterator[Any]:
    client = gradio_client.Client(core_url, verbose=False)
    yield client
    client.close()


@pytest.fixture(scope="module")
def ours(core_url: str) -> Iterator[Client]:
    with Client(core_url, verbose=False) as client:
        yield client


# -- per-call headers -----------------------------------------------------------------------


def test_per_call_headers_reach_the_server_as_the_references_do(ours: Client, ref: Any) -> None:
    for client in (ours, ref):
        # x-gradio-user is the reference's mark for API calls: a caller's value never wins
        got = seen(client, headers={"x-call": "1", "x-gradio-user": "me"})
        assert got["x-call"] == "1" and got["x-gradio-user"] == "api"
        job = client.submit("x-call", api_name="/request_headers", headers={"x-call": "2"})
        assert json.loads(job.result(timeout=30)) == {"x-call": "2"}
        assert seen(client)["x-call"] is None  # for that call only
    mine = {"x-call": "3"}
    seen(ours, headers=mine)
    assert mine == {"x-call": "3"}  # the caller's dict is left alone (the reference adds to it)


def test_per_call_headers_override_the_clients_own(core_url: str) -> None:
    with Client(core_url, verbose=False, headers={"x-team": "ctor", "x-call": "ctor"}) as c:
        got = seen(c, headers={"x-call": "call"})
        assert (got["x-team"], got["x-call"]) == ("ctor", "call")
        assert seen(c)["x-call"] == "ctor"


@pytest.mark.parametrize(
    ("headers", "error", "match"),
    [
        ("x-call: 1", TypeError, "must be a dict of header names"),
        ([("x-call", "1")], TypeError, "must be a dict of header names"),
        ({"x-call": 1}, TypeError, r"headers\['x-call'\] must be a string, not int"),
        ({"x call": "1"}, ValueError, "'x call' is not a valid HTTP header name"),
        ({"": "1"}, ValueError, "not a valid HTTP header name"),
        ({b"x-call": "1"}, ValueError, "not a valid HTTP header name"),
        ({"x-call": "a\r\nx-evil: 1"}, ValueError, "printable ASCII on one line"),
        ({"x-call": "caf\u00e9"}, ValueError, "printable ASCII on one line"),
        ({"x-call": "\x1b]0;t\x07"}, ValueError, "printable ASCII on one line"),
    ],
)
def test_bad_per_call_headers_are_refused_before_anything_is_sent(
    core_url: str, headers: Any, error: type[Exception], match: str
) -> None:
    sent = RequestLog()
    with Client(core_url, verbose=False, httpx_kwargs=sent.httpx_kwargs()) as c:
        sent.clear()
        with pytest.raises(error, match=match) as caught:
            c.predict("x-call", api_name="/request_headers", headers=headers)
        assert "x-evil" not in str(caught.value) and "café" not in str(caught.value)
        assert sent == []
        assert seen(c, "x-call") == {"x-call": None}  # the client still works


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ("x-team: 1", TypeError),
        ({"x-team": 1}, TypeError),
        ({"x team": "1"}, ValueError),
        ({"x-team": "secret\nx-evil: 1"}, ValueError),
        ({"x-team": "caf\u00e9"}, ValueError),
    ],
)
def test_bad_client_headers_are_refused_before_connecting(
    headers: Any, error: type[Exception]
) -> None:
    # No server: the check comes before any connection is tried.
    with pytest.raises(error, match="headers") as caught:
        Client("http://127.0.0.1:9/", verbose=False, headers=headers)
    assert "secret" not in str(caught.value) and "café" not in str(caught.value)


# -- client.headers -------------------------------------------------------------------------


def test_client_headers_show_what_requests_carry(core_url: str) -> None:
    with Client(core_url, verbose=False, hf_token="hf_given_for_this_url") as c:
        ref = gradio_client.Client(core_url, verbose=False, token="hf_given_for_this_url")
        try:
            for h in (c.headers, ref.headers):
                assert h["x-hf-authorization"] == "Bearer hf_given_for_this_url"
                assert "user-agent" in h
        finally:
            ref.close()
        assert c.headers["user-agent"] == (
            f"gradio-tui/{gradio_tui.__version__}; python/{platform.python_version()}"
        )
        assert seen(c)["x-hf-authorization"] == "Bearer hf_given_for_this_url"
        assert dict(c.headers) == c.headers.copy() and isinstance(c.headers.copy(), dict)
        assert "hf_given" not in repr(c.headers) and "<hidden>" in repr(c.headers)
    with Client(core_url, verbose=False, headers={"X-Team": "tui"}) as c:
        assert {"x-team": "tui"}.items() <= c.headers.items()
        assert c.headers["X-TEAM"] == "tui"  # names are case-insensitive
        assert "x-hf-authorization" not in c.headers


def test_a_saved_token_is_not_in_the_headers_of_a_plain_url(
    core_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_saved_on_this_machine")
    with Client(core_url, verbose=False) as c:
        assert "x-hf-authorization" not in c.headers
        assert seen(c)["x-hf-authorization"] is None
    # The reference shows (and sends) it to any URL: on purpose, not copied.
    ref = gradio_client.Client(core_url, verbose=False)
    try:
        assert ref.headers["x-hf-authorization"] == "Bearer hf_saved_on_this_machine"
    finally:
        ref.close()


def test_changing_client_headers_changes_later_requests(core_url: str) -> None:
    ref = gradio_client.Client(core_url, verbose=False)
    try:
        with Client(core_url, verbose=False, hf_token="hf_first") as c:
            for client in (c, ref):
                client.headers["x-team"] = "later"
                assert seen(client)["x-team"] == "later"
                del client.headers["x-team"]
                assert seen(client)["x-team"] is None
            c.headers["x-hf-authorization"] = "Bearer hf_second"
            assert c.headers["x-hf-authorization"] == "Bearer hf_second"
            assert seen(c)["x-hf-authorization"] == "Bearer hf_second"
            del c.headers["x-hf-authorization"]
            assert "x-hf-authorization" not in c.headers
            assert seen(c)["x-hf-authorization"] is None
            with pytest.raises(KeyError):
                del c.headers["x-never-set"]
    finally:
        ref.close()


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("x bad", "1", ValueError),
        ("x-team", 1, TypeError),
        ("x-team", "a\nb", ValueError),
        ("x-team", "\u65e5\u672c", ValueError),
    ],
)
def test_bad_client_headers_are_refused(
    ours: Client, name: str, value: Any, error: type[Exception]
) -> None:
    before = ours.headers.copy()
    with pytest.raises(error):
        ours.headers[name] = value
    assert ours.headers.copy() == before
    assert seen(ours)["x-team"] is None


# -- ZeroGPU: the caller's x-ip-token --------------------------------------------------------


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, core_url: str) -> Iterator[HubStub]:
    with HubStub() as stub:
        monkeypatch.setenv("HF_ENDPOINT", stub.url)
        monkeypatch.setattr(spaces_module, "POLL_SECONDS", 0.02)
        stub.add_space(Space("zero/gpu", host=core_url.rstrip("/")))
        yield stub


@pytest.fixture
def in_gradio_request() -> Iterator[Any]:
    """Code running inside a Gradio request whose visitor has a ZeroGPU token."""
    gr = pytest.importorskip("gradio")
    from gradio.context import LocalContext

    token = LocalContext.request.set(gr.Request(headers={"x-ip-token": "visitor-token"}))
    yield
    LocalContext.request.reset(token)


def test_zero_gpu_token_is_forwarded_to_spaces_inside_a_gradio_request(
    hub: HubStub, in_gradio_request: None
) -> None:
    with Client("zero/gpu", verbose=False) as c:
        headers = {"existing": "header"}
        assert c.add_zero_gpu_headers(headers) is headers  # in place, as the reference
        assert headers == {"existing": "header", "x-ip-token": "visitor-token"}
        assert seen(c)["x-ip-token"] == "visitor-token"
        assert seen(c, headers={"x-ip-token": "mine"})["x-ip-token"] == "mine"
        assert "x-ip-token" not in c.headers  # per call, never kept


def test_zero_gpu_token_stays_home_outside_requests_and_for_plain_urls(
    hub: HubStub, core_url: str, request: pytest.FixtureRequest
) -> None:
    with Client("zero/gpu", verbose=False) as c:
        assert c.add_zero_gpu_headers({"existing": "header"}) == {"existing": "header"}
        assert seen(c)["x-ip-token"] is None
    request.getfixturevalue("in_gradio_request")
    with Client(core_url, verbose=False) as c:  # not a Space: the token is not for it
        assert c.add_zero_gpu_headers({}) == {}
        assert seen(c)["x-ip-token"] is None


@pytest.mark.parametrize(
    "request_object",
    [None, object(), {"headers": "x-ip-token"}, "garbage"],
)
def test_zero_gpu_lookup_ignores_what_is_not_a_request(hub: HubStub, request_object: Any) -> None:
    pytest.importorskip("gradio")
    from gradio.context import LocalContext

    class Odd:
        headers = {"x-ip-token": 42}  # not a string: nothing to forward

    with Client("zero/gpu", verbose=False) as c:
        for value in (request_object, Odd()):
            token = LocalContext.request.set(value)
            try:
                assert c.add_zero_gpu_headers({}) == {}
                assert seen(c)["x-ip-token"] is None
            finally:
                LocalContext.request.reset(token)


@pytest.fixture(scope="module")
def relay_app() -> Iterator[GradioServer]:
    # Its function connects to a Space through the test's Hub stub, so the Hub
    # client in that server must not be in offline mode.
    server = start_gradio("relay_app", env={"HF_HUB_OFFLINE": "0"})
    yield server
    server.stop()


def test_a_gradio_app_calling_a_space_forwards_its_visitors_token(
    hub: HubStub, relay_app: GradioServer
) -> None:
    with Client(relay_app.url, verbose=False) as visitor:
        out = json.loads(
            visitor.predict(
                "zero/gpu", hub.url, api_name="/relay", headers={"x-ip-token": "visitor-token"}
            )
        )
        assert out == {
            "seen": {"x-ip-token": "visitor-token"},
            "added": {"x-ip-token": "visitor-token"},
        }
        out = json.loads(visitor.predict("zero/gpu", hub.url, api_name="/relay"))
        assert out == {"seen": {"x-ip-token": None}, "added": {}}


# -- errors: gradio_client's except clauses -------------------------------------------------


def test_reference_except_clauses_catch_our_errors(ours: Client, core_url: str) -> None:
    try:
        ours.predict("boom", api_name="/error")
    except ref_exceptions.AppError as exc:
        assert isinstance(exc, AppError) and exc.message == "boom"
        assert type(exc).__name__ == "AppError"
    else:
        pytest.fail("AppError was not raised")
    job = ours.submit("boom", api_name="/error")
    assert isinstance(job.exception(timeout=30), ref_exceptions.AppError)
    with pytest.raises(ref_utils.InvalidAPIEndpointError):
        ours.predict(api_name="/no_such_endpoint")
    # our own classes and the builtins keep catching them too
    with pytest.raises(AppError):
        ours.predict("boom", api_name="/error")
    with pytest.raises(ValueError):
        ours.predict("boom", api_name="/error")


def test_reference_queue_error_catches_a_full_queue() -> None:
    with FakeGradio(CONFIG, INFO, lambda body: (503, {"detail": "Queue is full."})) as fake:
        with Client(fake.url, verbose=False) as c:
            with pytest.raises(ref_utils.QueueError) as caught:
                c.predict("x", api_name="/echo")
            assert isinstance(caught.value, QueueFullError)


def test_reference_authentication_error_catches_a_refused_space(hub: HubStub) -> None:
    with pytest.raises(ref_exceptions.AuthenticationError) as caught:
        Client("someone/private-space", verbose=False)
    assert isinstance(caught.value, AuthenticationError)


def test_bridged_errors_pickle_as_our_own(ours: Client) -> None:
    with pytest.raises(AppError) as caught:
        ours.predict("boom", api_name="/error")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is AppError and copy.message == "boom"
    invalid = pickle.loads(pickle.dumps(InvalidAPIEndpointError("no", ["/a"])))
    assert invalid.available == ["/a"]


def test_without_gradio_client_errors_are_ours_and_it_is_never_imported(core_url: str) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from gradio_tui import Client
        from gradio_tui.client import AppError
        from gradio_tui.client.exceptions import AppError as AppErrorToo
        from gradio_tui.client.utils import Status, QueueError
        from gradio_tui.client.client import DEFAULT_TEMP_DIR
        assert AppErrorToo is AppError
        with Client({core_url!r}, verbose=False) as c:
            job = c.submit("boom", api_name="/error")
            try:
                job.result(timeout=30)
            except AppError as exc:
                assert type(exc) is AppError, type(exc).__mro__
            assert job.status().code == Status.FINISHED
        assert not any(m.startswith("gradio_client") for m in sys.modules), "imported"
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr


# -- Status ---------------------------------------------------------------------------------


def test_our_status_equals_the_references() -> None:
    theirs = ref_utils.Status
    assert [s.name for s in Status] == [s.name for s in theirs]
    for ours_, ref_ in zip(Status, theirs, strict=True):
        assert ours_ == ref_ and ref_ == ours_
        assert (ours_ != ref_) is False and (ref_ != ours_) is False
        assert hash(ours_) == hash(ref_)
        assert {ref_: "found"}[ours_] == "found" and ours_ in {ref_}
    assert Status.FINISHED != theirs.CANCELLED and theirs.FINISHED != Status.CANCELLED
    assert Status.PROCESSING < theirs.FINISHED and theirs.PROCESSING < Status.FINISHED
    assert theirs.FINISHED > Status.IN_QUEUE and Status.ordering(theirs.IN_QUEUE) == 3
    with pytest.raises(ValueError):
        assert Status.LOG < theirs.FINISHED  # outside the ordering, as in the reference


def test_status_does_not_equal_lookalikes() -> None:
    class Status2(Enum):
        FINISHED = "FINISHED"

    lookalike = Enum("Status", {"FINISHED": "FINISHED"})  # same name, another module
    assert Status.FINISHED != Status2.FINISHED
    assert Status.FINISHED != lookalike.FINISHED
    assert Status.FINISHED != "FINISHED"
    assert Status("FINISHED") is Status.FINISHED


def test_job_status_compares_with_the_references(ours: Client) -> None:
    job = ours.submit("a", 3, api_name="/stream")
    job.result(timeout=30)
    assert job.status().code == ref_utils.Status.FINISHED
    codes = {u.code for u in job.async_job.updates if hasattr(u, "code")}
    assert ref_utils.Status.ITERATING in codes


def test_a_job_has_the_references_public_attributes(ours: Client, ref: Any) -> None:
    mine, theirs = ours.submit("a", api_name="/echo"), ref.submit("a", api_name="/echo")
    assert mine.result(timeout=30) == theirs.result(timeout=30)
    for name in ("verbose", "space_id"):
        assert getattr(mine, name) == getattr(theirs, name), name


# -- import paths shaped like the reference's -------------------------------------------------


def test_reference_import_paths_exist_with_our_classes() -> None:
    from gradio_tui.client import client as client_module
    from gradio_tui.client import exceptions, utils
    from gradio_tui.client.discovery import default_output_dir

    for name in exceptions.__all__:
        assert hasattr(ref_exceptions, name), name
        assert getattr(exceptions, name).__module__ == "gradio_tui.client.errors"
    assert set(exceptions.__all__) == {
        n
        for n, v in vars(ref_exceptions).items()
        if isinstance(v, type) and issubclass(v, Exception) and v.__module__.startswith("gradio")
    }
    for name in utils.__all__:
        assert hasattr(ref_utils, name), name
    assert utils.QueueError is QueueError and utils.Status is Status
    assert default_output_dir() == client_module.DEFAULT_TEMP_DIR
    assert client_module.Job.__module__ == "gradio_tui.client.jobs"
    with pytest.raises(AttributeError):
        client_module.Communicator  # noqa: B018 - the reference's internals are not here
