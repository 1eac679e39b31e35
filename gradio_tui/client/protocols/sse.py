"""The session-stream queue of Gradio 4.9+ (``sse_v1``, ``sse_v2``, ``sse_v2.1``, ``sse_v3``).

Jobs are joined with ``POST queue/join``; the messages of *all* the session's
jobs arrive on one ``GET queue/data?session_hash=…`` stream, tagged with
their ``event_id``. One reader per session demultiplexes them into per-job
queues, buffering messages that arrive before their job registered. On v3 the
server ends the stream with ``close_stream`` when the session has nothing
pending; earlier versions just end it. A later job opens a new stream.

Before 4.31 there is no ``/cancel`` route: a generator is stopped with
``POST reset {event_id}`` and a running function through the app's cancel
event (``cancel.py``). Neither makes the server send ``process_completed``,
so the client stops waiting for such a job once the stop is sent.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from httpx_sse import EventSource, SSEError
from packaging.version import Version

from ..diff import DiffState
from ..errors import (
    AppConnectionError,
    ServerResponseError,
    StreamInterruptedError,
)
from ..http import SAFE_TO_RESEND, decode_json, raise_for_join, status_error, transport_error
from ..messages import (
    Completed,
    Generating,
    Log,
    ProcessStarts,
    Progress,
    QueueFull,
    StreamError,
    parse_message,
)
from ..untrusted import brief
from .base import Session, Transport
from .cancel import cancel_dependency, siblings_at_risk, trigger_cancel_dependency

if TYPE_CHECKING:
    from ..config import Dependency
    from ..jobs import AsyncJob

_EVENT_ID = re.compile(r'"event_id"\s*:\s*"([0-9A-Za-z_-]+)"')
# Reopening a stream that brings nothing for our pending jobs more than this
# many times in a row means the server lost them.
_MAX_IDLE_REOPENS = 3
# After close_stream the server ends the body at once; reading it to its end
# (instead of dropping it) puts the connection back in the pool, saving a TCP
# connect and close per call. A server that does not end it is given up on.
_DRAIN_S = 0.5
# Put in a job's queue when the client stops waiting for a job the server
# will never complete (stopped without a /cancel route).
_LOCAL_END = object()


class SessionStream:
    """The one ``queue/data`` reader of a session, shared by all its jobs.

    A stream is opened (or reopened after the server ended one) only while
    some registered job still waits for its completion message: a job that
    has its completion and is still downloading its files keeps no stream
    open. An open stream is read to the server's end, never hung up on. A
    frame that cannot be decoded and names no job of ours is skipped and
    counted (``Session.skipped_frames``): it must not fail the
    jobs whose own messages are fine.
    """

    def __init__(self, session: Session, session_hash: str, *, closes_explicitly: bool) -> None:
        self.session = session
        self.session_hash = session_hash
        self.closes_explicitly = closes_explicitly  # v3: close_stream ends a healthy stream
        self._queues: dict[str, asyncio.Queue[Any]] = {}
        self._waiting: set[str] = set()  # registered jobs whose completion has not come
        # Messages for event ids no job registered (yet): a join's answer can
        # come after its first messages. Both maps keep their newest entries.
        self._buffer: dict[str, list[Any]] = {}
        # Jobs given up on before their completion came: late messages are dropped.
        self._retired: dict[str, None] = {}
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    def register(self, event_id: str) -> asyncio.Queue[Any]:
        queue: asyncio.Queue[Any] = asyncio.Queue()
        buffered = self._buffer.pop(event_id, [])
        for item in buffered:
            queue.put_nowait(item)
        self._queues[event_id] = queue
        if not any(_ends_job(item) for item in buffered):
            self._waiting.add(event_id)
            self._ensure_reading()
        return queue

    def unregister(self, event_id: str) -> None:
        self._queues.pop(event_id, None)
        if event_id in self._waiting:  # its completion may still come: ignore it then
            self._waiting.discard(event_id)
            _remember(self._retired, event_id, None)

    def queue(self, event_id: str) -> asyncio.Queue[Any] | None:
        """The queue of a registered job's messages, or None."""
        return self._queues.get(event_id)

    def _ensure_reading(self) -> None:
        if self._closed:
            return
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._read(), name=f"gradio-tui-stream-{self.session_hash[:8]}"
            )

    def _fail_all(self, exc: BaseException) -> None:
        for event_id in list(self._waiting):
            queue = self._queues.get(event_id)
            if queue is not None:
                queue.put_nowait(exc)
        self._waiting.clear()

    def _skip(self) -> None:
        self.session.skipped_frames += 1

    def _dispatch(self, raw: Any) -> bool:
        """Route one decoded message; True if it ended a job we were waiting for."""
        if not isinstance(raw, dict):
            self._skip()
            return False
        event_id = raw.get("event_id")
        if isinstance(event_id, str) and event_id:
            queue = self._queues.get(event_id)
            if queue is None:
                if event_id not in self._retired:
                    if event_id in self._buffer:
                        self._buffer[event_id].append(raw)
                    else:
                        _remember(self._buffer, event_id, [raw])
                return False
            queue.put_nowait(raw)
            if _ends_job(raw) and event_id in self._waiting:
                self._waiting.discard(event_id)
                return True
            return False
        if raw.get("msg") in ("unexpected_error", "server_stopped"):
            # Without an event id these say the stream itself failed: no
            # waiting job's completion can come on it.
            for waiting in list(self._waiting):
                self._queues[waiting].put_nowait(raw)
            self._waiting.clear()
            return True
        return False

    def _garbage(self, text: str) -> bool:
        """A frame that is not JSON: its job fails if it names one of ours, else it is skipped.

        True when that ended a job we were waiting for."""
        match = _EVENT_ID.search(text)
        event_id = match.group(1) if match else None
        if event_id is not None and event_id in self._waiting:
            self._queues[event_id].put_nowait(
                ServerResponseError(f"The server sent a malformed queue message: {text[:200]!r}")
            )
            self._waiting.discard(event_id)
            return True
        self._skip()
        return False

    async def _read(self) -> None:
        url = self.session.config.url("queue/data")
        idle_reopens = 0
        while self._waiting and not self._closed:
            # Whether a job we wait for ended on this stream: a stream that ends
            # while we still wait, again and again with no job ending on it, will
            # not bring the rest (whatever else it carried).
            progressed = False
            closed_by_server = False
            try:
                async with self.session.http.stream(
                    "GET",
                    url,
                    params={"session_hash": self.session_hash},
                    headers={"accept": "text/event-stream"},
                    timeout=self.session.stream_timeouts(),
                ) as response:
                    if response.status_code != 200:
                        await response.aread()
                        self._fail_all(_stream_refused(response, url))
                        return
                    # Read to the server's end of the stream even when no job
                    # waits any more: a client that hangs up makes the server
                    # drop every pending event of the session (a job whose
                    # join answer is still on its way included).
                    events = sse_data(response)
                    async for text in events:
                        try:
                            raw = json.loads(text)
                        except (ValueError, RecursionError):
                            progressed = self._garbage(text) or progressed
                            continue
                        if isinstance(raw, dict):
                            msg = raw.get("msg")
                            if msg == "close_stream":
                                closed_by_server = True
                                await _drain(events)
                                break
                            if msg == "heartbeat":
                                continue
                        if self._dispatch(raw):
                            progressed = True
            except (httpx.TransportError, httpx.StreamError) as exc:
                if self._waiting:
                    if isinstance(exc, httpx.ReadTimeout):
                        silence = self.session.stream_timeouts().read
                        text = (
                            f"The event stream from {url} was silent for {silence:g} s (its "
                            "read timeout) before the job finished."
                        )
                    else:
                        text = "The event stream broke before the job finished: " + str(
                            transport_error(exc, url)
                        )
                    self._fail_all(StreamInterruptedError(text))
                return
            except ServerResponseError as exc:
                self._fail_all(exc)
                return
            except Exception as exc:  # never let a reader die silently: jobs would hang
                self._fail_all(
                    ServerResponseError(
                        f"Reading the event stream failed: {type(exc).__name__}: {exc}"
                    )
                )
                return
            if not self._waiting:
                return
            if self.closes_explicitly and not closed_by_server:
                self._fail_all(
                    StreamInterruptedError(
                        f"The event stream from {url} ended before the job finished."
                    )
                )
                return
            idle_reopens = 0 if progressed else idle_reopens + 1
            if idle_reopens > _MAX_IDLE_REOPENS:
                self._fail_all(
                    StreamInterruptedError(
                        "The server closed the event stream repeatedly without sending the "
                        "pending jobs' results."
                    )
                )
                return

    async def aclose(self) -> None:
        self._closed = True
        self._fail_all(AppConnectionError("The client was closed."))
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass


# How many event ids ``_buffer`` and ``_retired`` keep: a long-lived client runs
# millions of jobs, and only recent ones can still get messages.
_KEEP_IDS = 4096


def _remember(ids: dict[str, Any], event_id: str, value: Any) -> None:
    """Add to a bounded map of event ids, forgetting the oldest beyond ``_KEEP_IDS``."""
    ids[event_id] = value
    while len(ids) > _KEEP_IDS:
        del ids[next(iter(ids))]


def _ends_job(message: Any) -> bool:
    """Whether a routed message is the last one its job gets."""
    return isinstance(message, dict) and message.get("msg") in (
        "process_completed",
        "queue_full",
        "unexpected_error",
        "server_stopped",
    )


async def _drain(events: AsyncIterator[str]) -> None:
    """Read a stream's remaining events (ignored) until the body ends, for ``_DRAIN_S`` at most."""

    async def rest() -> None:
        async for _ in events:
            pass

    try:
        await asyncio.wait_for(rest(), _DRAIN_S)
    except Exception:  # timed out or broke: the connection is closed instead of reused
        pass


async def sse_data(response: httpx.Response) -> AsyncIterator[str]:
    """The ``data`` payload of each event of an SSE body."""
    try:
        async for event in EventSource(response).aiter_sse():
            if event.data:
                yield event.data
    except SSEError as exc:
        raise ServerResponseError(
            f"{response.url} did not answer with an event stream: {exc}",
            status_code=response.status_code,
        ) from exc


def _stream_refused(response: httpx.Response, url: str) -> Exception:
    return status_error(response, url, "Opening the event stream")


@dataclass
class _LegacyStop:
    """A cancelled job on a server without ``/cancel``: what is still owed to stop it."""

    reset: bool  # a generator: POST reset once the server has its iterator
    dependency: Dependency | None  # a plain function: fire the cancel event once it runs
    running: bool = False  # the server has started it


class SseTransport(Transport):
    """``sse_v1`` … ``sse_v3``: join by POST, read the shared session stream."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._streams: dict[str, SessionStream] = {}
        self._inflight: dict[str, AsyncJob] = {}
        self._deferred_cancels: set[AsyncJob] = set()
        self._legacy: dict[AsyncJob, _LegacyStop] = {}
        protocol = session.config.protocol
        self._diffs = protocol not in ("sse_v1",)
        self._closes_explicitly = protocol not in ("sse_v1", "sse_v2", "sse_v2.1")
        self._legacy_deletes = session.config.version < Version("5.29.1")

    def _stream(self) -> SessionStream:
        sh = self.session.session_hash
        stream = self._streams.get(sh)
        if stream is None:
            stream = SessionStream(self.session, sh, closes_explicitly=self._closes_explicitly)
            self._streams[sh] = stream
        return stream

    async def _join(self, job: AsyncJob) -> str:
        url = self.config.url("queue/join")
        payload: dict[str, Any] = {
            "data": job.wire_data,
            "fn_index": job.endpoint.fn_index,
            "session_hash": self.session.session_hash,
        }
        if self.session.oauth_token and job.endpoint.info.get("oauth_token"):
            # Only endpoints that act on the caller's behalf get it (newest 6.x).
            payload["oauth_token"] = self.session.oauth_token
        try:
            # The call's own headers, then the mark the reference always sets.
            headers = {**job.headers, "x-gradio-user": "api"}
            response = await self.session.http.post(url, json=payload, headers=headers)
        except httpx.TransportError as exc:
            raise transport_error(exc, url) from exc
        raise_for_join(response, url)
        body = decode_json(response, f"POST {url}")
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if not isinstance(event_id, str) or not event_id:
            raise ServerResponseError(
                f"POST {url} answered without an event_id: {brief(body)}", body=body
            )
        return event_id

    async def run(self, job: AsyncJob) -> None:
        stream = self._stream()
        event_id = await self._join(job)
        job.event_id = event_id
        job.session_hash = stream.session_hash
        job.started = True
        queue = stream.register(event_id)
        self._inflight[event_id] = job
        diffs = DiffState(legacy_deletes=self._legacy_deletes) if self._diffs else None
        quoted = self.config.quotes_errors
        try:
            if job.cancel_requested:
                await self.cancel(job)
            while True:
                item = await queue.get()
                if item is _LOCAL_END:
                    return
                if isinstance(item, BaseException):
                    raise item
                event = parse_message(item, quoted_errors=quoted)
                if job in self._legacy and not isinstance(event, Completed):
                    if isinstance(event, ProcessStarts | Progress | Log | Generating):
                        self._legacy[job].running = True
                    await self._advance_legacy(job, queue)
                if isinstance(event, Generating) and diffs is not None:
                    full = diffs.apply(event.data)
                    if full is None:
                        continue  # a diff that does not apply: skip this step
                    event = Generating(full)
                await job.handle(event)
                if isinstance(event, Completed | QueueFull | StreamError):
                    return
        finally:
            stream.unregister(event_id)
            self._inflight.pop(event_id, None)
            self._deferred_cancels.discard(job)
            self._legacy.pop(job, None)
            await self._retry_deferred(job.endpoint.fn_index)

    def _live_siblings(self, job: AsyncJob) -> bool:
        fn = job.endpoint.fn_index
        return any(
            other is not job and other.endpoint.fn_index == fn and not other.cancel_requested
            for other in self._inflight.values()
        )

    async def cancel(self, job: AsyncJob) -> bool:
        """Cancel on the server unless that would hit a sibling job.

        The server's ``/cancel`` stops every running task of the same
        ``(session, fn_index)``; while another live job of the same endpoint is
        in flight the request is deferred until none is, and the job stays
        cancelled locally meanwhile.
        """
        if job.event_id is None or job.event_id not in self._inflight:
            return False
        if not self.config.has_cancel_route:
            return await self._legacy_cancel(job)
        if self._live_siblings(job):
            self._deferred_cancels.add(job)
            return True
        return await self._post_cancel(job)

    async def _retry_deferred(self, fn_index: int) -> None:
        for job in [j for j in self._deferred_cancels if j.endpoint.fn_index == fn_index]:
            if not self._live_siblings(job):
                self._deferred_cancels.discard(job)
                await self._post_cancel(job)
        for job, stop in list(self._legacy.items()):
            if stop.dependency is not None and fn_index in stop.dependency.cancels:
                queue = self._queue_of(job)
                if queue is not None:
                    await self._advance_legacy(job, queue)

    def _queue_of(self, job: AsyncJob) -> asyncio.Queue[Any] | None:
        stream = self._streams.get(job.session_hash or "")
        return stream.queue(job.event_id or "") if stream else None

    async def _legacy_cancel(self, job: AsyncJob) -> bool:
        """4.9–4.29: reset for a generator, the app's cancel event for a plain function.

        A job still waiting in the queue cannot be removed (closing the shared
        stream would drop the siblings too), so the stop is sent once it runs.
        """
        generator = job.endpoint.is_generator
        dependency = None if generator else cancel_dependency(self.config, job.endpoint.fn_index)
        stop = _LegacyStop(reset=generator, dependency=dependency, running=job.server_running)
        self._legacy[job] = stop
        queue = self._queue_of(job)
        if queue is not None:
            await self._advance_legacy(job, queue)
        return generator or dependency is not None

    async def _advance_legacy(self, job: AsyncJob, queue: asyncio.Queue[Any]) -> None:
        """Send what is owed to stop ``job`` now; stop waiting once nothing is."""
        stop = self._legacy.get(job)
        if stop is None:
            return
        if stop.reset and stop.running:
            try:
                response = await self.session.http.post(
                    self.config.url("reset"),
                    json={"event_id": job.event_id},
                    extensions=SAFE_TO_RESEND,
                )
                body = response.json() if response.status_code == 200 else None
            except (httpx.TransportError, ValueError):
                body = None
            # success false: the iterator does not exist yet; retried on the next message
            if isinstance(body, dict) and body.get("success"):
                stop.reset = False
        if stop.dependency is not None and stop.running:
            sh = job.session_hash or self.session.session_hash
            others = list(self._inflight.values())
            if not siblings_at_risk(job, others, sh, stop.dependency.cancels):
                await trigger_cancel_dependency(self.session, stop.dependency, sh)
                stop.dependency = None
        if not stop.reset and stop.dependency is None:
            queue.put_nowait(_LOCAL_END)

    async def _post_cancel(self, job: AsyncJob) -> bool:
        """``POST cancel`` (4.30+: only called once ``cancel`` saw the route)."""
        body = {
            "fn_index": job.endpoint.fn_index,
            "session_hash": job.session_hash or self.session.session_hash,
            "event_id": job.event_id,
        }
        try:
            response = await self.session.http.post(
                self.config.url("cancel"), json=body, extensions=SAFE_TO_RESEND
            )
            return response.status_code < 300
        except httpx.TransportError:
            return False

    def reset_session(self) -> None:
        pass  # streams are keyed by session hash; the next job opens the new one

    async def aclose(self) -> None:
        for stream in list(self._streams.values()):
            await stream.aclose()
        self._streams.clear()
