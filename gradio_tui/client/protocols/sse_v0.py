"""The Gradio 4.0–4.8 queue (``protocol: "sse"``): one event stream per job.

``GET queue/join?fn_index&session_hash`` opens the job's stream; when a
worker takes the job the server sends ``send_data`` with an ``event_id`` and
waits (about 5 s) for ``POST queue/data`` carrying the inputs. Values are
full (no diffs); a generator's ``process_completed`` repeats its last value.
The server ends the stream after ``process_completed``; a client closing it
removes the job from the queue, like closing a 3.x websocket.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

import httpx

from ..errors import ServerResponseError, StreamInterruptedError
from ..http import raise_for_join, transport_error
from ..messages import Completed, QueueFull, SendData, StreamError, parse_message
from .base import Transport
from .perjob import JobConnection, PerJobConnections
from .sse import sse_data

if TYPE_CHECKING:
    from ..jobs import AsyncJob
    from .base import Session


class SseV0Transport(Transport):
    """``sse``: per-job stream, inputs posted when the server asks for them."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._conns = PerJobConnections(session)

    async def run(self, job: AsyncJob) -> None:
        job.session_hash = self.session.session_hash
        conn = self._conns.open(job, job.session_hash)
        reader = asyncio.get_running_loop().create_task(self._read(conn))

        async def close() -> None:
            reader.cancel()

        conn.closer = close
        job.started = True
        try:
            await reader
        except asyncio.CancelledError:
            if not conn.closed:
                raise  # the client itself is closing, not a cancel of this job
        finally:
            if not reader.done():
                reader.cancel()
            await self._conns.finished(job)

    async def _read(self, conn: JobConnection) -> None:
        job = conn.job
        url = self.config.url("queue/join")
        params: dict[str, str | int] = {
            "fn_index": job.endpoint.fn_index,
            "session_hash": conn.session_hash,
        }
        try:
            async with self.session.http.stream(
                "GET",
                url,
                params=params,
                headers={**job.headers, "accept": "text/event-stream"},
                # 4.0.x stops its idle heartbeat after the first one (a clock mix-up), so
                # silence on a long job is normal here: no read timeout unless asked for.
                timeout=self.session.timeout(httpx.Timeout(10.0, read=None)),
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise_for_join(response, url)  # this stream is the job's join
                async for text in sse_data(response):
                    try:
                        raw = json.loads(text)
                    except ValueError as exc:
                        raise ServerResponseError(
                            f"The server sent a malformed queue message: {text[:200]!r}"
                        ) from exc
                    if isinstance(raw, dict) and raw.get("msg") == "heartbeat":
                        continue
                    event = parse_message(raw, quoted_errors=self.config.quotes_errors)
                    if isinstance(event, SendData):
                        conn.dequeued = True
                        await self._send_data(conn, event.event_id)
                    ended = await job.handle(event)
                    if ended or isinstance(event, Completed | QueueFull | StreamError):
                        return
        except (httpx.TransportError, httpx.StreamError) as exc:
            if job.cancel_requested:
                return
            raise StreamInterruptedError(
                f"The event stream broke before {job.endpoint.name} finished: "
                f"{transport_error(exc, url)}"
            ) from exc
        if not job.done() and not job.cancel_requested:
            raise StreamInterruptedError(
                f"The event stream from {url} ended before {job.endpoint.name} finished."
            )

    async def _send_data(self, conn: JobConnection, event_id: str | None) -> None:
        if not event_id:
            raise ServerResponseError("The server asked for the inputs without an event_id.")
        conn.job.event_id = event_id
        url = self.config.url("queue/data")
        body = {
            "data": conn.job.wire_data,
            "event_data": None,
            "fn_index": conn.job.endpoint.fn_index,
            "session_hash": conn.session_hash,
            "event_id": event_id,
        }
        try:
            response = await self.session.http.post(url, json=body, headers=conn.job.headers)
        except httpx.TransportError as exc:
            raise transport_error(exc, url) from exc
        raise_for_join(response, url)

    async def cancel(self, job: AsyncJob) -> bool:
        """Closing the job's stream, plus the app's cancel event for a running function."""
        return await self._conns.cancel(job)

    async def aclose(self) -> None:
        await self._conns.aclose()


__all__ = ["SseV0Transport"]
