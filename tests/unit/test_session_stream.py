"""The session stream's bookkeeping stays bounded however many jobs a client runs."""

from __future__ import annotations

from typing import Any

from gradio_tui.client.protocols.base import Session
from gradio_tui.client.protocols.sse import SessionStream


def stream() -> SessionStream:
    s = SessionStream(Session(http=None, config=None), "session", closes_explicitly=True)  # type: ignore[arg-type]
    s._closed = True  # no reader task: messages are handed in directly
    return s


def completed(event_id: str) -> dict[str, Any]:
    return {"msg": "process_completed", "event_id": event_id, "output": {"data": [1]}}


def test_finished_jobs_leave_nothing_behind() -> None:
    s = stream()
    for i in range(10_000):
        s.register(f"e{i}")
        s._dispatch({"msg": "estimation", "event_id": f"e{i}", "rank": 0})
        s._dispatch(completed(f"e{i}"))
        s.unregister(f"e{i}")
    assert not s._waiting and not s._retired and not s._buffer and not s._queues


def test_jobs_given_up_on_and_unclaimed_messages_are_remembered_boundedly() -> None:
    s = stream()
    for i in range(6_000):
        s.register(f"g{i}")
        s.unregister(f"g{i}")  # given up on before its completion came
    assert len(s._retired) == 4096
    s._dispatch(completed("g5999"))  # a late completion of a retired job: dropped
    assert "g5999" not in s._buffer
    for i in range(6_000):
        s._dispatch({"msg": "estimation", "event_id": f"u{i}"})  # nobody registered these
    assert len(s._buffer) == 4096
    assert "u5999" in s._buffer and "u0" not in s._buffer  # the newest are kept


def test_session_hashes_are_random_version_4_uuids() -> None:
    import uuid

    from gradio_tui.client.protocols.base import new_session_hash

    hashes = {new_session_hash() for _ in range(2000)}
    assert len(hashes) == 2000
    for h in hashes:
        parsed = uuid.UUID(h)  # raises on anything but the 8-4-4-4-12 hex form
        assert str(parsed) == h
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
