"""One table turns every client error into words; each class has its own entry."""

from __future__ import annotations

import inspect
import socket

import httpx
import pytest

from gradio_tui.client import errors, hub
from gradio_tui.client.explain import TABLE, explain, network_reason
from gradio_tui.client.spaces import describe_hub_error, is_network_failure
from gradio_tui.tui.app import connect_error_text
from gradio_tui.tui.screens.hub_dialog import hub_error_text
from gradio_tui.tui.widgets.result import error_text


def error_classes() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module in (errors, hub):
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, errors.GradioTuiError)
                and value.__module__ == module.__name__
            ):
                found[value.__name__] = value
    return sorted(found.values(), key=lambda c: c.__name__)


def make(cls: type[BaseException]) -> BaseException:
    """An instance with a message, whatever the class's constructor wants."""
    message = f"the server said no to {cls.__name__}"
    params = list(inspect.signature(cls.__init__).parameters)[1:]
    args: list[object] = [message]
    for name in params[1:]:
        if name in ("space_id",):
            args.append("owner/space")
        elif name in ("stage",):
            args.append("BUILDING")
        elif name in ("status_code",):
            args.append(None)
        else:
            break
    return cls(*args)


CLASSES = error_classes()


def test_every_error_class_is_found() -> None:
    names = {c.__name__ for c in CLASSES}
    assert {"AppError", "AppConnectionError", "HubUnreachableError", "BillingError"} <= names
    assert len(CLASSES) >= 20


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_each_error_class_has_its_own_words(cls: type[BaseException]) -> None:
    exc = make(cls)
    said = explain(exc)
    # A row of the table, not the fallback for unknown errors.
    assert any(isinstance(exc, row) for row, _say in TABLE)
    assert said.title and said.title != cls.__name__
    assert said.title != "Error" or cls is errors.GradioTuiError or cls is errors.AppError
    # The server's message is kept.
    assert f"the server said no to {cls.__name__}" in said.message
    # Same error, same words, everywhere in the app.
    assert error_text(exc) == (said.title, said.message)
    assert connect_error_text(exc) == f"{said.title}.\n{said.message}"
    assert hub_error_text(exc) == f"{said.title}: {said.message}"
    assert explain(exc) == said


@pytest.mark.parametrize(
    ("cls", "kind"),
    [
        (errors.AppConnectionError, "unreachable"),
        (errors.HubUnreachableError, "unreachable"),
        (errors.StreamInterruptedError, "unreachable"),
        (errors.AuthenticationError, "refused"),
        (errors.TooManyRequestsError, "refused"),
        (errors.QueueFullError, "refused"),
        (hub.BillingError, "refused"),
        (hub.PermissionDeniedError, "refused"),
        (hub.ConflictError, "refused"),
        (hub.HubRefusedError, "refused"),
        (errors.SpaceNotFoundError, "refused"),
        (errors.SpaceNotRunningError, "not-running"),
        (errors.AppError, "app-error"),
        (errors.ValidationError, "invalid"),
        (errors.FileTooLargeError, "invalid"),
        (errors.InvalidAPIEndpointError, "invalid"),
        (errors.NotAGradioAppError, "bad-answer"),
        (errors.ServerResponseError, "bad-answer"),
    ],
)
def test_three_different_things_are_told_apart(cls: type[BaseException], kind: str) -> None:
    assert explain(make(cls)).kind == kind


def test_a_refusal_names_its_status_once() -> None:
    said = explain(hub.HubRefusedError("Creating the Space: nope", 503))
    assert said.title == "The Hub refused (HTTP 503)"
    said = explain(hub.BillingError("Duplicating: pay (HTTP 402: add a payment method)", 402))
    assert said.title == "Billing"
    said = explain(errors.ServerResponseError("Bad gateway", status_code=502))
    assert (said.kind, said.title) == ("refused", "The app answered HTTP 502")


def test_a_space_that_is_not_running_says_its_stage() -> None:
    said = explain(errors.SpaceNotRunningError("Space a/b is PAUSED.", "a/b", "PAUSED"))
    assert said.title == "a/b is not running (PAUSED)"


def test_the_app_error_keeps_the_apps_title_and_message() -> None:
    said = explain(errors.AppError("Cannot divide by zero!", title="Math"))
    assert (said.kind, said.title, said.message) == ("app-error", "Math", "Cannot divide by zero!")


def test_unknown_errors_say_what_they_are() -> None:
    said = explain(KeyError("x"))
    assert (said.kind, said.title) == ("internal", "KeyError")


def test_no_network_is_not_a_refusal() -> None:
    """Offline, looking up a Space used to say it 'is not running'; nothing was refused."""
    try:
        httpx.get("http://does-not-exist.invalid/", timeout=5)
    except httpx.HTTPError as exc:
        lookup = exc
    assert is_network_failure(lookup)
    err = describe_hub_error("abidlabs/whisper", lookup, None)
    assert isinstance(err, errors.HubUnreachableError)
    said = explain(err)
    assert said.kind == "unreachable"
    assert said.title == "Cannot reach the Hub"
    assert "nothing was refused" in said.message
    assert "DNS" in said.message


def test_network_reasons() -> None:
    refused = errors.AppConnectionError("x")
    refused.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert network_reason(refused) == "the connection was refused"
    dns = errors.AppConnectionError("x")
    dns.__cause__ = socket.gaierror(-2, "Name or service not known")
    assert "DNS" in network_reason(dns)
    slow = errors.AppConnectionError("x")
    slow.__cause__ = httpx.ReadTimeout("read timed out")
    assert network_reason(slow) == "it timed out"
    assert network_reason(errors.AppConnectionError("x")) == "the network failed"


def test_an_answer_is_never_a_network_failure() -> None:
    response = httpx.Response(403, request=httpx.Request("GET", "http://hub/api"))
    refusal = httpx.HTTPStatusError("403", request=response.request, response=response)
    assert not is_network_failure(refusal)
