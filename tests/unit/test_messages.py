"""Parsing queue messages of every generation into typed events."""

from __future__ import annotations

from typing import Any

import pytest

from gradio_tui.client.errors import GENERIC_APP_ERROR, ServerResponseError
from gradio_tui.client.messages import (
    CloseStream,
    Completed,
    Estimation,
    Generating,
    Heartbeat,
    Log,
    ProcessStarts,
    Progress,
    QueueFull,
    StreamError,
    Unknown,
    parse_message,
    unquote_error,
)


def parse(raw: Any, quoted: bool = False) -> Any:
    return parse_message(raw, quoted_errors=quoted)


def test_estimation_and_starts() -> None:
    e = parse({"msg": "estimation", "rank": 2, "queue_size": 5, "rank_eta": 1.5})
    assert e == Estimation(rank=2, queue_size=5, eta=1.5)
    assert parse({"msg": "estimation", "rank": "x", "queue_size": None}) == Estimation(
        None, None, None
    )
    assert parse({"msg": "process_starts", "eta": 0.2}) == ProcessStarts(0.2)


def test_progress_and_log() -> None:
    p = parse(
        {
            "msg": "progress",
            "progress_data": [
                {"index": 1, "length": 3, "unit": "steps", "progress": None, "desc": "working"},
                "junk",
            ],
        }
    )
    assert (
        isinstance(p, Progress)
        and len(p.units) == 1
        and p.units[0].fraction == pytest.approx(1 / 3)
    )
    assert parse({"msg": "progress", "progress_data": "junk"}) == Progress([])
    log = parse({"msg": "log", "log": "hi", "level": "warning", "title": "Warning"})
    assert log == Log("hi", "warning", "Warning")


def test_completed_variants() -> None:
    assert parse(
        {"msg": "process_completed", "output": {"data": [1]}, "success": True}
    ) == Completed([1], None, False)
    cancelled = parse({"msg": "process_completed", "output": {}, "success": True})
    assert isinstance(cancelled, Completed) and cancelled.cancelled
    err = parse({"msg": "process_completed", "output": {"error": None}, "success": False})
    assert (
        isinstance(err, Completed)
        and err.error is not None
        and err.error.message == GENERIC_APP_ERROR
    )
    err = parse(
        {"msg": "process_completed", "output": {"error": "'quoted'"}, "success": False}, quoted=True
    )
    assert err.error.message == "quoted"
    err = parse(
        {"msg": "process_completed", "output": {"error": "'kept'", "title": "Oops", "duration": 5}},
        quoted=False,
    )
    assert err.error.message == "'kept'" and err.error.title == "Oops" and err.error.duration == 5
    # an error key wins even when success says true
    err = parse({"msg": "process_completed", "output": {"error": "x"}, "success": True})
    assert err.error is not None


def test_generating_and_control_messages() -> None:
    assert parse({"msg": "process_generating", "output": {"data": ["a"]}}) == Generating(["a"])
    assert parse({"msg": "process_streaming", "output": {"data": ["a"]}}) == Generating(["a"])
    assert parse({"msg": "heartbeat"}) == Heartbeat()
    assert parse({"msg": "close_stream", "event_id": None}) == CloseStream()
    assert parse({"msg": "queue_full"}) == QueueFull(None)
    assert parse({"msg": "server_stopped", "success": False}) == StreamError(
        "The Gradio server stopped."
    )
    assert parse({"msg": "something_new"}) == Unknown("something_new")


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        "text",
        5,
        {},
        {"msg": 3},
        {"msg": "process_completed", "output": []},
        {"msg": "process_completed", "output": {"data": {}}, "success": True},
        {"msg": "process_generating"},
        {"msg": "process_generating", "output": {"data": 1}},
    ],
)
def test_malformed_messages_raise_a_clear_error(raw: Any) -> None:
    with pytest.raises(ServerResponseError):
        parse(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'a'", "a"),
        ('"b"', "b"),
        ("'it\\'s'", "it's"),
        ("plain", "plain"),
        ("'", "'"),
        ("'unterminated", "'unterminated"),
        ("'a' and 'b'", "a' and 'b"),
    ],
)
def test_unquote(text: str, expected: str) -> None:
    assert unquote_error(text) == expected
