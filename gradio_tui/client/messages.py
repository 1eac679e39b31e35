"""Queue messages, from every protocol generation, as typed events.

Transports hand raw message dicts to :func:`parse_message`; the job logic only
ever sees these events. Anything malformed becomes a :class:`ServerResponseError`
for the affected job, never a ``KeyError`` from deep inside.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from .errors import GENERIC_APP_ERROR, AppError, ServerResponseError
from .status import ProgressUnit
from .untrusted import brief, json_int


@dataclass
class Estimation:
    rank: int | None
    queue_size: int | None
    eta: float | None


@dataclass
class SendHash:
    pass


@dataclass
class SendData:
    event_id: str | None


@dataclass
class ProcessStarts:
    eta: float | None


@dataclass
class Progress:
    units: list[ProgressUnit]


@dataclass
class Log:
    text: str
    level: str
    title: str | None


@dataclass
class Generating:
    data: list[Any]  # raw: full values, or diffs on sse_v2+ (the transport resolves them)


@dataclass
class Completed:
    data: list[Any] | None
    error: AppError | None
    cancelled: bool


@dataclass
class QueueFull:
    message: str | None


@dataclass
class StreamError:
    """``unexpected_error`` / ``server_stopped``: the server gave up on the event."""

    message: str
    session_not_found: bool = False


@dataclass
class Heartbeat:
    pass


@dataclass
class CloseStream:
    pass


@dataclass
class Unknown:
    msg: str


Event = (
    Estimation
    | SendHash
    | SendData
    | ProcessStarts
    | Progress
    | Log
    | Generating
    | Completed
    | QueueFull
    | StreamError
    | Heartbeat
    | CloseStream
    | Unknown
)


def unquote_error(text: str) -> str:
    """Undo the ``repr()`` older servers wrap ``gr.Error`` messages in."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text[1:-1]
        if isinstance(value, str):
            return value
    return text


def app_error(output: dict[str, Any], *, quoted: bool, title: Any = None) -> AppError:
    """The ``AppError`` for an error payload ``{"error": ..., "duration": ..., ...}``."""
    message = output.get("error")
    if message is None or message == "":
        return AppError(GENERIC_APP_ERROR)
    if not isinstance(message, str):
        message = str(message)
    elif quoted:
        message = unquote_error(message)
    duration = output.get("duration", 10)
    if not isinstance(duration, int | float) or isinstance(duration, bool):
        duration = 10
    title = output.get("title", title)
    return AppError(
        message,
        duration=duration,
        visible=bool(output.get("visible", True)),
        title=title if isinstance(title, str) else "Error",
    )


def _num(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def parse_message(raw: Any, *, quoted_errors: bool) -> Event:
    """One decoded message → an event. Raises ``ServerResponseError`` when malformed."""
    if not isinstance(raw, dict):
        raise ServerResponseError(
            f"expected a message object, got {type(raw).__name__}: {brief(raw)}"
        )
    msg = raw.get("msg")
    if not isinstance(msg, str):
        raise ServerResponseError(f"message without a 'msg' field: {brief(raw)}")
    if msg == "estimation":
        return Estimation(
            rank=json_int(raw.get("rank")),
            queue_size=json_int(raw.get("queue_size")),
            eta=_num(raw.get("rank_eta")),
        )
    if msg == "process_starts":
        return ProcessStarts(eta=_num(raw.get("eta")))
    if msg in ("process_generating", "process_streaming"):
        output = raw.get("output")
        if not isinstance(output, dict):
            raise ServerResponseError(f"{msg} without an output: {brief(raw)}")
        if "error" in output:
            return Completed(None, app_error(output, quoted=quoted_errors), False)
        data = output.get("data")
        if not isinstance(data, list):
            raise ServerResponseError(f"{msg} output has no data list: {brief(raw)}")
        return Generating(data)
    if msg == "process_completed":
        output = raw.get("output")
        if output is None:
            output = {}
        if not isinstance(output, dict):
            raise ServerResponseError(f"process_completed with a malformed output: {brief(raw)}")
        if "error" in output:
            return Completed(
                None, app_error(output, quoted=quoted_errors, title=raw.get("title")), False
            )
        if raw.get("success") is False:
            return Completed(None, AppError(GENERIC_APP_ERROR), False)
        if not output:
            return Completed(None, None, True)
        data = output.get("data")
        if not isinstance(data, list):
            raise ServerResponseError(f"process_completed output has no data list: {brief(raw)}")
        return Completed(data, None, False)
    if msg == "progress":
        units = raw.get("progress_data")
        return Progress(ProgressUnit.from_msg(units if isinstance(units, list) else []))
    if msg == "log":
        text = raw.get("log")
        level = raw.get("level")
        title = raw.get("title")
        return Log(
            text=text if isinstance(text, str) else str(text),
            level=level if isinstance(level, str) else "info",
            title=title if isinstance(title, str) else None,
        )
    if msg == "send_hash":
        return SendHash()
    if msg == "send_data":
        eid = raw.get("event_id")
        return SendData(eid if isinstance(eid, str) else None)
    if msg == "queue_full":
        return QueueFull(None)
    if msg == "heartbeat":
        return Heartbeat()
    if msg == "close_stream":
        return CloseStream()
    if msg == "unexpected_error":
        text = raw.get("message")
        return StreamError(
            text if isinstance(text, str) and text else "The server reported an unexpected error.",
            session_not_found=bool(raw.get("session_not_found")),
        )
    if msg == "server_stopped":
        return StreamError("The Gradio server stopped.")
    return Unknown(msg)
