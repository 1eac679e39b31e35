"""Keep-alive connections that never cost a job, and never run one twice.

A pooled connection can die while it sits idle: servers close idle
connections after a few seconds (uvicorn, hypercorn, Node and Apache after
5 s), proxies sooner. A request sent on one in the instant the other end
closes it fails before any byte of an answer comes back, and nothing in HTTP
says whether the server saw it. Three rules make that harmless:

1. Idle connections are dropped after ``KEEPALIVE_EXPIRY_S`` (3 s), before the
   common 5 s server limit, so the client is not the one racing the close.
2. A request that is safe to repeat (GETs: config, info, the event stream,
   files, the heartbeat; and POSTs that only upload a file or stop a job)
   and that fails on a *reused* connection before any response byte is sent
   again on another connection, as browsers do. Each attempt uses up one
   pooled connection, so this ends at the first fresh connection at the latest.
3. A request that starts a job (``queue/join``, ``run/predict``, the inputs of
   a 4.0–4.8 job) is never sent twice: the server may have run it even if
   its answer was lost. Instead it only goes out on a connection that carried
   traffic within the last ``FRESH_S`` (0.25 s) or on a new one, so it is not
   the request that finds out a connection went stale. That window allows
   for the client's own delays: while job starts are being sent, the event
   loop's lag is measured, and a loop that runs late (a busy machine) makes
   the window shorter, down to a new connection for every job start.

   Which fresh connection a job start takes matters as much: httpcore takes
   the first free one in the order they were opened, so the first few carry
   every request and the rest go stale between bursts, to be replaced by new
   ones (a 4,000-row batch opened ~250 connections, and the pool's own
   bookkeeping grows with the square of its size). A job start takes the
   fresh connection idle the longest instead, which keeps as many of them
   fresh as the rate of job starts can (40–90 for that batch).

The pool is httpx's own (httpcore's); connections are wrapped as the pool
creates them, and a context variable tells them, while the pool picks one,
whether the request being placed needs a fresh one.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

KEEPALIVE_EXPIRY_S = 3.0
FRESH_S = 0.25
# How often the loop's lag is sampled while job starts are being sent, and for
# how long after the last one.
_LAG_SAMPLE_S = 0.02
_LAG_WATCH_S = 2.0
# Request extension that marks a non-GET request as safe to send twice.
REPLAYABLE = "gradio_tui.replayable"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_STALE_ERRORS = (httpcore.ReadError, httpcore.WriteError, httpcore.RemoteProtocolError)
# httpcore reads a response 64 KB at a time (``READ_NUM_BYTES`` of its HTTP/1.1
# connection), while asyncio takes up to 256 KB off the socket at once, which
# anyio then hands out in 64 KB slices. Every read is a trip through httpcore,
# h11 and anyio, so a big file body costs 4 times as many trips as it needs:
# reading up to 256 KB cuts a 200 MB download's CPU time by about a fifth. A
# read returns what has arrived, so small answers and event streams see no change.
_READ_BYTES = 256 * 1024

# True while the pool places a request that must not meet a stale connection.
_FRESH_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gradio_tui_fresh_only", default=False
)


@dataclass
class KeepAliveStats:
    """What the guard did, for tests, the soak run and the curious."""

    lag: float = 0.0  # the event loop's recent lateness, in seconds (decaying maximum)
    resent: int = 0  # safe requests sent again after a stale connection failed them
    avoided: int = 0  # job-starting requests steered off a connection idle too long
    failures: int = 0  # requests that failed at the connection level all the same


def replayable(method: str | bytes, extensions: Mapping[str, Any]) -> bool:
    """Whether sending this request twice cannot do anything twice on the server."""
    if isinstance(method, bytes):
        method = method.decode("ascii", "replace")
    return method.upper() in _SAFE_METHODS or bool(extensions.get(REPLAYABLE))


class _GuardedConnection(httpcore.AsyncConnectionInterface):
    """One pooled connection that knows how long it has been idle and whether it was used."""

    def __init__(self, inner: httpcore.AsyncConnectionInterface, stats: KeepAliveStats) -> None:
        self._inner = inner
        self._stats = stats
        self._used = 0  # requests started on it
        self._reads_tuned = False
        self._active = 0  # requests whose response is not closed yet
        self._idle_since = time.monotonic()

    def _idle_for(self) -> float:
        return 0.0 if self._active else time.monotonic() - self._idle_since

    def job_start_rank(self) -> tuple[bool, float]:
        """Sorts first the connection a job start should take: fresh, idle the longest."""
        return self._stale_for_jobs(), -self._idle_for()

    def _stale_for_jobs(self) -> bool:
        # The server saw the connection idle for longer than we did by the time
        # it took us to read its last answer, and will see our request later
        # than we send it: allow for the loop's lag twice.
        return self._used > 0 and self._idle_for() + 2 * self._stats.lag > FRESH_S

    def _release(self) -> None:
        self._active = max(0, self._active - 1)
        self._idle_since = time.monotonic()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        safe = replayable(request.method, request.extensions)
        if not safe and self._stale_for_jobs():
            # Placed here by another task's pass over the pool: let the pool
            # place it again, now in this request's own context.
            self._stats.avoided += 1
            raise httpcore.ConnectionNotAvailable()
        reused = self._used > 0
        self._used += 1
        self._active += 1
        try:
            response = await self._inner.handle_async_request(request)
        except _STALE_ERRORS:
            self._release()
            if reused and safe:
                self._stats.resent += 1
                await self._inner.aclose()
                raise httpcore.ConnectionNotAvailable() from None  # the pool tries again
            raise
        except BaseException:
            self._release()
            raise
        if not self._reads_tuned:
            self._reads_tuned = True
            _read_more_at_once(self._inner)
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_ReleasingStream(response.stream, self),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()

    def info(self) -> str:
        return self._inner.info()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return self._inner.can_handle_request(origin)

    def is_available(self) -> bool:
        if _FRESH_ONLY.get() and self._stale_for_jobs():
            return False
        return self._inner.is_available()

    def has_expired(self) -> bool:
        return self._inner.has_expired()

    def is_idle(self) -> bool:
        return self._inner.is_idle()

    def is_closed(self) -> bool:
        return self._inner.is_closed()

    def __repr__(self) -> str:
        return f"<guarded {self._inner!r}>"


def _job_start_rank(connection: Any) -> tuple[bool, float]:
    if isinstance(connection, _GuardedConnection):
        return connection.job_start_rank()
    return True, 0.0


def _read_more_at_once(connection: Any) -> None:
    """Let an HTTP/1.1 connection read up to ``_READ_BYTES`` per read (see above).

    ``connection`` is httpcore's pooled connection; its protocol connection exists
    once a request went through it. Anything else (HTTP/2, another httpcore) is
    left as it is.
    """
    protocol: Any = getattr(connection, "_connection", None)
    size = getattr(protocol, "READ_NUM_BYTES", None)
    if isinstance(size, int) and size < _READ_BYTES:
        protocol.READ_NUM_BYTES = _READ_BYTES


class _ReleasingStream:
    """A response body that marks its connection idle again when it is closed."""

    def __init__(self, stream: Any, connection: _GuardedConnection) -> None:
        self._stream = stream
        self._connection = connection
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._connection._release()
        if hasattr(self._stream, "aclose"):
            await self._stream.aclose()


class KeepAliveTransport(httpx.AsyncBaseTransport):
    """httpx's transport, with the pool's connections guarded as described above."""

    def __init__(self, inner: httpx.AsyncHTTPTransport, stats: KeepAliveStats) -> None:
        self._inner = inner
        self.stats = stats
        self._lag_task: asyncio.Task[None] | None = None
        self._watch_until = 0.0
        pool = getattr(inner, "_pool", None)
        # The pool's connections, in the order it looks for a free one (httpcore's
        # own list; anything else is left in its order).
        connections = getattr(pool, "_connections", None)
        self._connections: list[Any] | None = connections if isinstance(connections, list) else None
        create = getattr(pool, "create_connection", None)
        if create is not None:  # httpx's pool; anything else is used as it is

            def create_connection(origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
                return _GuardedConnection(create(origin), stats)

            pool.create_connection = create_connection  # type: ignore[union-attr]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        starts_job = not replayable(request.method, request.extensions)
        if starts_job:
            self._watch_lag()
            if self._connections is not None and len(self._connections) > 1:
                self._connections.sort(key=_job_start_rank)
        token = _FRESH_ONLY.set(starts_job)
        try:
            return await self._inner.handle_async_request(request)
        except httpx.TransportError as exc:
            if not isinstance(exc, httpx.PoolTimeout):
                self.stats.failures += 1
            raise
        finally:
            _FRESH_ONLY.reset(token)

    def _watch_lag(self) -> None:
        """Keep measuring the loop's lag until job starts stop for ``_LAG_WATCH_S``."""
        loop = asyncio.get_running_loop()
        self._watch_until = loop.time() + _LAG_WATCH_S
        if self._lag_task is None or self._lag_task.done():
            self._lag_task = loop.create_task(self._measure_lag(), name="gradio-tui-lag")

    async def _measure_lag(self) -> None:
        loop = asyncio.get_running_loop()
        stats = self.stats
        while loop.time() < self._watch_until:
            before = loop.time()
            await asyncio.sleep(_LAG_SAMPLE_S)
            late = loop.time() - before - _LAG_SAMPLE_S
            stats.lag = max(late, stats.lag * 0.95)
        stats.lag = 0.0

    async def aclose(self) -> None:
        if self._lag_task is not None:
            self._lag_task.cancel()
        await self._inner.aclose()


class GuardedAsyncClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` whose own transports (direct and proxied) are guarded.

    A transport the caller passes in (``transport=``, ``mounts=``) is used as it is.
    """

    def __init__(self, *, keepalive_stats: KeepAliveStats, **kwargs: Any) -> None:
        self.keepalive_stats = keepalive_stats
        super().__init__(**kwargs)

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.AsyncBaseTransport:
        transport = super()._init_transport(*args, **kwargs)
        if kwargs.get("transport") is None and isinstance(transport, httpx.AsyncHTTPTransport):
            return KeepAliveTransport(transport, self.keepalive_stats)
        return transport

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.AsyncBaseTransport:
        transport = super()._init_proxy_transport(*args, **kwargs)
        if isinstance(transport, httpx.AsyncHTTPTransport):
            return KeepAliveTransport(transport, self.keepalive_stats)
        return transport


__all__ = [
    "FRESH_S",
    "KEEPALIVE_EXPIRY_S",
    "REPLAYABLE",
    "GuardedAsyncClient",
    "KeepAliveStats",
    "KeepAliveTransport",
    "replayable",
]
