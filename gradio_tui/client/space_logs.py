"""A Space's build or run log as an async iterator of lines.

The Hub serves both logs as a server-sent event stream
(``GET /api/spaces/{id}/logs/{build|run}``, one ``data: {"data": …,
"timestamp": …}`` event per line, empty ``data:`` keep-alives). This reads
it with an ``httpx.AsyncClient`` on the caller's loop rather than through
``HfApi.fetch_space_logs``: that generator is synchronous with a 120 s read
timeout, so a thread following it cannot be stopped until a line or the
timeout comes, while an ``async for`` over this one stops the moment its
task is cancelled (or the loop ``break``s and the iterator is closed), and
the connection goes with it.

``follow=False`` gives what the Hub has now and ends (the Hub keeps the
stream open, so "now" is: until a line stamped after the server's ``Date``,
or a short silence). ``follow=True`` goes on until the Hub closes the
stream, reconnecting (and skipping the lines already given) if the
connection drops. ``tail=N`` keeps only the last N lines of a non-follow read.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from ._httpx_import import import_httpx_without_cli

RECONNECTS = 5
"""Dropped connections a follow survives in a row (a line received resets the count)."""
DRAIN_SECONDS = 3.0
"""Silence that ends a non-follow read: the Hub has sent what it had."""
YIELD_EVERY = 64
"""Lines given between two returns to the event loop. One network read can hold
thousands of lines, all available without waiting: without these breaks a burst
would hold the caller's loop (a terminal app's) for tens of milliseconds."""


def _timestamp(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=timezone.utc)


def parse_event(line: str) -> dict[str, Any] | None:
    """One SSE ``data:`` line as the Hub's log event; None for keep-alives and garbage."""
    if not line.startswith("data:"):
        return None  # blank separators, comments, other fields: most lines of a stream
    payload = line[5:].strip()
    if not payload.startswith("{"):
        return None
    try:
        event = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("data"), str):
        return None
    return event


async def space_log_lines(
    space_id: str,
    *,
    token: str | None,
    build: bool = False,
    follow: bool = False,
    tail: int | None = None,
    http: Any = None,
    endpoint: str | None = None,
    drain_seconds: float = DRAIN_SECONDS,
) -> AsyncGenerator[str, None]:
    """Yield the log's lines (without their line ends), as the Hub sends them.

    ``http`` is an ``httpx.AsyncClient`` to use (one is made, and closed, if
    not given); ``token`` goes to the Hub only. Refusals raise the same typed
    errors as every other Hub call (:func:`gradio_tui.client.hub.status_error`).
    Close the iterator when leaving early (``contextlib.aclosing``) so the
    connection closes at once rather than when the iterator is collected.
    """
    if tail is not None and (follow or tail < 0):
        raise ValueError("tail=N takes the last N lines of what the Hub has now: not with follow.")
    import_httpx_without_cli()
    import httpx

    own = http is None
    client: httpx.AsyncClient = http or httpx.AsyncClient()
    lines = _stream(
        client,
        space_id,
        token=token,
        build=build,
        follow=follow,
        endpoint=endpoint,
        drain_seconds=drain_seconds,
    )
    try:
        async with aclosing(lines):
            if tail is None:
                async for line in lines:
                    yield line
            else:
                kept: deque[str] = deque(maxlen=tail)
                async for line in lines:
                    kept.append(line)
                for line in kept:
                    yield line
    finally:
        if own:
            await client.aclose()


async def _stream(
    client: Any,
    space_id: str,
    *,
    token: str | None,
    build: bool,
    follow: bool,
    endpoint: str | None,
    drain_seconds: float,
) -> AsyncGenerator[str, None]:
    import httpx

    from .hub import hub_endpoint, hub_error

    kind = "build" if build else "run"
    doing = f"Reading the {kind} log of {space_id}"
    url = f"{(endpoint or hub_endpoint()).rstrip('/')}/api/spaces/{space_id}/logs/{kind}"
    headers = {"accept": "text/event-stream"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    timeout = httpx.Timeout(30.0, read=None if follow else drain_seconds)
    seen = 0  # lines given so far: a reconnect replays the log from its start
    failures = 0
    while True:
        try:
            async with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise _refusal(response, doing)
                replay_end = _replay_end(response) if not follow else None
                index = -1
                async for raw in response.aiter_lines():
                    event = parse_event(raw)
                    if event is None:
                        continue
                    index += 1
                    if index < seen:
                        continue  # replayed after a reconnect
                    if replay_end is not None:
                        stamp = _timestamp(event.get("timestamp"))
                        if stamp is not None and stamp > replay_end:
                            return  # logged after we asked: "now" is over
                    seen += 1
                    failures = 0
                    yield event["data"].rstrip("\r\n")
                    if seen % YIELD_EVERY == 0:
                        await asyncio.sleep(0)
            return  # the Hub closed the stream: the log is complete
        except httpx.ReadTimeout:
            if not follow:
                return  # drained: the Hub has sent what it had
            failures += 1
        except httpx.TransportError as exc:
            failures += 1
            if not follow or failures > RECONNECTS:
                raise hub_error(exc, doing) from exc
        if failures > RECONNECTS:
            return
        await asyncio.sleep(min(8.0, 0.25 * 2**failures))


def _replay_end(response: Any) -> datetime | None:
    """Lines stamped after this were logged after the request (the Hub's clock, +1 s)."""
    date = response.headers.get("date")
    if not date:
        return None
    try:
        end = parsedate_to_datetime(date) + timedelta(seconds=1)
    except (TypeError, ValueError):
        return None
    return end if end.tzinfo is not None else None


def _refusal(response: Any, doing: str) -> Exception:
    """A non-200 answer as the typed error every Hub call raises."""
    from .hub import status_error

    message = ""
    try:
        body = json.loads(response.content)
        if isinstance(body, dict):
            message = str(body.get("error") or body.get("message") or "")
    except (ValueError, UnicodeDecodeError):
        message = response.text[:300].strip()
    return status_error(response.status_code, message or response.reason_phrase, doing)
