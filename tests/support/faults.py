"""Fault injection between a client and a real server: a TCP proxy that misbehaves on cue.

``FaultProxy`` listens on 127.0.0.1 and relays bytes to a target port, on an
asyncio loop of its own (a daemon thread), so synchronous tests and clients
use it like any server. It knows just enough HTTP/1.1 to act at the right
moment: where a request starts, and where a server-sent event (an SSE frame
in a chunk of a chunked body) ends. Faults, each settable while it runs:

- ``delay``: seconds added before every relayed chunk, both ways;
- ``drop_idle_reused``: a connection that has carried a request and then sat
  idle longer than this is closed (FIN, or RST with ``drop_with_reset``) when
  its next request arrives, which is *not* relayed: what a server or proxy
  closing idle keep-alive connections looks like from the client. Like
  uvicorn's keep-alive timer, the limit is a timer armed when an answer has
  been sent: a request already waiting on the socket when it fires (the
  proxy's own loop running late) counts as arriving in time;
- ``stall_after(marker)``: server→client bytes stop after the SSE frame that
  holds ``marker`` (the connection stays open) until the returned event is set;
- ``cut_after(marker, reset=...)``: the connection is closed after that frame;
- ``cut_response_to(request_marker)``: a request holding the marker is relayed
  to the server, and the connection is closed the moment the server starts
  answering it: the server did the work, the client never hears of it;
- ``inject_after(marker, payload)``: an extra chunk (an SSE frame) is slipped
  into the body after the frame that holds ``marker``;
- ``kill_all()``: every open connection is cut at once.

It records what it saw (connections, request lines, drops, cuts) so tests can
assert on it, and ``open_streams()`` names the event streams still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) (\S+) HTTP/1\.[01]\r\n")
_CHUNK_END = b"\r\n0\r\n\r\n"
_READ = 65536


@dataclass
class _Trigger:
    """One armed fault: where it fires and what it does."""

    marker: bytes
    action: str  # "stall" | "cut" | "reset" | "inject"
    payload: bytes = b""
    times: int = 1
    release: threading.Event = field(default_factory=threading.Event)
    fired: threading.Event = field(default_factory=threading.Event)


@dataclass
class _RequestTrigger:
    """Cut the answer to a request holding ``marker`` (after the server got it)."""

    marker: bytes
    reset: bool
    times: int
    fired: threading.Event = field(default_factory=threading.Event)


@dataclass
class ConnectionState:
    """What the proxy knows about one client connection."""

    id: int
    requests: list[str] = field(default_factory=list)  # "METHOD path", in order
    last_activity: float = field(default_factory=time.monotonic)
    open: bool = True
    response_done: bool = True  # the last response's chunked body has ended
    tail: bytes = b""  # the last bytes sent down, where a chunk end may have begun
    expired: bool = False  # idle past drop_idle_reused: the next request is refused
    idle_timer: asyncio.TimerHandle | None = field(default=None, repr=False)
    waiting: Callable[[], bool] | None = field(default=None, repr=False)  # a request is pending
    doomed: _RequestTrigger | None = None  # cut when the server starts answering
    closer: Callable[[bool], None] | None = field(default=None, repr=False)


class FaultProxy:
    """A misbehaving TCP relay in front of ``127.0.0.1:<target_port>``."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.delay = 0.0
        self.drop_idle_reused: float | None = None
        self.drop_with_reset = False
        self.connections: list[ConnectionState] = []
        self.dropped = 0  # requests refused by drop_idle_reused
        self.cut = 0  # connections cut by a trigger or kill_all
        self._triggers: list[_Trigger] = []
        self._request_triggers: list[_RequestTrigger] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._ready = threading.Event()
        self.port = 0

    # -- life ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> FaultProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def serve() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            self._ready.set()

        self._loop.run_until_complete(serve())
        self._loop.run_forever()

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self.clear()  # releases stalls parked on executor threads

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            self._close_all(reset=False)
            for task in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
                task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self._loop.close()  # its self-pipe sockets too (a ResourceWarning otherwise)

    # -- faults ------------------------------------------------------------------------

    def stall_after(self, marker: bytes, times: int = 1) -> threading.Event:
        """Hold server→client bytes after the frame holding ``marker``; set the event to go on."""
        trigger = _Trigger(marker, "stall", times=times)
        with self._lock:
            self._triggers.append(trigger)
        return trigger.release

    def cut_after(self, marker: bytes, *, reset: bool = False, times: int = 1) -> threading.Event:
        """Close the connection after the frame holding ``marker``; the event says it fired."""
        trigger = _Trigger(marker, "reset" if reset else "cut", times=times)
        with self._lock:
            self._triggers.append(trigger)
        return trigger.fired

    def inject_after(self, marker: bytes, payload: bytes, times: int = 1) -> threading.Event:
        """Slip ``payload`` (one SSE frame) into the body after the frame holding ``marker``."""
        trigger = _Trigger(marker, "inject", payload=payload, times=times)
        with self._lock:
            self._triggers.append(trigger)
        return trigger.fired

    def cut_response_to(
        self, request_marker: bytes, *, reset: bool = False, times: int = 1
    ) -> threading.Event:
        """Relay a request holding the marker, then close before any of the answer."""
        trigger = _RequestTrigger(request_marker, reset, times)
        with self._lock:
            self._request_triggers.append(trigger)
        return trigger.fired

    def clear(self) -> None:
        """Disarm every trigger and release every stall."""
        with self._lock:
            for trigger in self._triggers:
                trigger.release.set()
            self._triggers.clear()
            self._request_triggers.clear()
        self.delay = 0.0
        self.drop_idle_reused = None

    def kill_all(self, *, reset: bool = False) -> None:
        """Cut every open connection now."""
        done = threading.Event()

        def run() -> None:
            self._close_all(reset=reset)
            # asyncio closes an aborted socket on the loop's next turn: return only
            # once it is closed, so the client's kernel has seen the cut.
            self._loop.call_soon(done.set)

        self._loop.call_soon_threadsafe(run)
        done.wait(10)

    def _close_all(self, *, reset: bool) -> None:
        for conn in list(self.connections):
            if conn.open and conn.closer is not None:
                self.cut += 1
                conn.closer(reset)

    # -- observations ----------------------------------------------------------------------

    def requests(self, contains: str = "") -> list[str]:
        with self._lock:
            return [r for c in self.connections for r in c.requests if contains in r]

    def open_streams(self) -> list[str]:
        """Request lines of open connections still inside an event-stream response."""
        with self._lock:
            return [
                c.requests[-1]
                for c in self.connections
                if c.open and c.requests and not c.response_done and "queue/data" in c.requests[-1]
            ]

    def wait_idle(self, seconds: float, timeout: float = 30.0) -> None:
        """Wait until every open connection has been silent for ``seconds``."""

        def idle() -> bool:
            now = time.monotonic()
            with self._lock:
                return all(now - c.last_activity > seconds for c in self.connections if c.open)

        if not self.wait_for(idle, timeout):
            raise TimeoutError(f"connections did not go idle for {seconds} s")

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Poll ``predicate`` until true (10 ms steps); False when ``timeout`` passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    # -- relaying --------------------------------------------------------------------------

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        with self._lock:
            conn = ConnectionState(id=len(self.connections))
            self.connections.append(conn)
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            _abort(client_w, reset=True)
            conn.open = False
            return

        def close(reset: bool) -> None:
            conn.open = False
            _abort(client_w, reset=reset)
            _abort(server_w, reset=False)

        conn.closer = close
        conn.waiting = lambda: _pending(client_r, client_w)
        up = asyncio.ensure_future(self._pump_up(conn, client_r, server_w))
        down = asyncio.ensure_future(self._pump_down(conn, server_r, client_w))
        try:
            await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            pass  # the proxy is stopping; ending quietly keeps asyncio from logging it
        finally:
            for task in (up, down):
                task.cancel()
            conn.open = False
            _abort(client_w, reset=False)
            _abort(server_w, reset=False)

    async def _pump_up(
        self, conn: ConnectionState, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Client → server: spot request lines, refuse requests on idle reused connections."""
        tail = b""
        while True:
            data = await reader.read(_READ)
            if not data:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            now = time.monotonic()
            if conn.idle_timer is not None:
                conn.idle_timer.cancel()
                conn.idle_timer = None
            if (
                self.drop_idle_reused is not None
                and conn.expired
                and conn.requests
                and conn.response_done
            ):
                self.dropped += 1
                self._close(conn, self.drop_with_reset)
                return
            conn.expired = False
            conn.last_activity = now
            window = tail + data
            for match in _REQUEST_LINE.finditer(window):
                if match.end() <= len(tail):
                    continue  # seen with the previous read
                line = f"{match.group(1).decode()} {match.group(2).decode(errors='replace')}"
                with self._lock:
                    conn.requests.append(line)
                conn.response_done = False
            with self._lock:
                for trigger in self._request_triggers:
                    if trigger.times > 0 and trigger.marker in window:
                        trigger.times -= 1
                        conn.doomed = trigger
                        break
            tail = window[-256:]
            if self.delay:
                await asyncio.sleep(self.delay)
            writer.write(data)
            await writer.drain()

    async def _pump_down(
        self, conn: ConnectionState, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Server → client: act on triggers at SSE frame ends, spot ends of chunked bodies."""
        armed: list[tuple[_Trigger, int]] = []  # (trigger, where in the next data to look)
        tail = b""
        while True:
            data = await reader.read(_READ)
            if not data:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            if conn.doomed is not None:
                doomed, conn.doomed = conn.doomed, None
                self.cut += 1
                doomed.fired.set()
                self._close(conn, doomed.reset)
                return
            window = tail + data
            with self._lock:
                for trigger in self._triggers:
                    pos = _find_new(window, trigger.marker, len(tail))
                    if trigger.times > 0 and pos >= 0:
                        trigger.times -= 1
                        armed.append((trigger, max(0, pos - len(tail))))
            tail = window[-256:]
            out, shift, waiting = data, 0, []
            for trigger, start in sorted(armed, key=lambda entry: entry[1]):
                end = _frame_end(out, start + shift)
                if end is None:
                    waiting.append((trigger, 0))  # the frame ends in a later read
                    continue
                trigger.fired.set()
                if trigger.action == "inject":
                    chunk = f"{len(trigger.payload):x}\r\n".encode() + trigger.payload + b"\r\n"
                    out = out[:end] + chunk + out[end:]
                    shift += len(chunk)
                    continue
                await self._send(conn, writer, out[:end])
                if trigger.action == "stall":
                    await asyncio.get_running_loop().run_in_executor(None, trigger.release.wait)
                    out, shift = out[end:], shift - end
                    continue
                self.cut += 1
                self._close(conn, trigger.action == "reset")
                return
            armed = waiting
            await self._send(conn, writer, out)

    def _close(self, conn: ConnectionState, reset: bool) -> None:
        if conn.closer is not None:
            conn.closer(reset)

    async def _send(self, conn: ConnectionState, writer: asyncio.StreamWriter, data: bytes) -> None:
        if not data:
            return
        if self.delay:
            await asyncio.sleep(self.delay)
        conn.last_activity = time.monotonic()
        # The end of a chunked body may come split over two reads ("…\r\n", then
        # "0\r\n\r\n"): look for it across the previous read's tail too.
        window = conn.tail + data
        conn.tail = window[-(len(_CHUNK_END) - 1) :]
        if _CHUNK_END in window or (
            data.startswith(b"HTTP/1.1") and b"content-length" in data[:2048].lower()
        ):
            # The end of a chunked body, or a plain answer with a length: the
            # response is (about to be) complete; precise enough for idle tracking.
            conn.response_done = True
        writer.write(data)
        await writer.drain()
        conn.last_activity = time.monotonic()
        limit = self.drop_idle_reused
        if conn.response_done and limit is not None:
            if conn.idle_timer is not None:
                conn.idle_timer.cancel()
            conn.idle_timer = asyncio.get_running_loop().call_later(limit, self._expire, conn)

    def _expire(self, conn: ConnectionState) -> None:
        conn.idle_timer = None
        if conn.open and not (conn.waiting is not None and conn.waiting()):
            conn.expired = True


def _pending(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Whether client bytes wait to be read: in asyncio's buffer or in the kernel's."""
    if getattr(reader, "_buffer", b""):
        return True
    sock: Any = writer.get_extra_info("socket")
    if sock is None:
        return False
    try:
        peek = socket.socket(fileno=os.dup(sock.fileno()))
    except OSError:
        return False
    try:
        return bool(peek.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except OSError:
        return False
    finally:
        peek.close()


def _find_new(window: bytes, marker: bytes, seen: int) -> int:
    """Where ``marker`` first ends past ``seen`` (bytes already searched), or -1."""
    pos = window.find(marker)
    while pos >= 0 and pos + len(marker) <= seen:
        pos = window.find(marker, pos + 1)
    return pos


def _frame_end(data: bytes, start: int) -> int | None:
    """Offset just past the SSE frame (and its chunk's CRLF) that starts before ``start``."""
    j = data.find(b"\n\n", start)
    if j < 0:
        return None
    end = j + 2
    if data[end : end + 2] == b"\r\n":
        end += 2
    return end


def _abort(writer: asyncio.StreamWriter, *, reset: bool) -> None:
    """Close a connection: FIN, or RST (linger 0) when ``reset``."""
    if writer.is_closing():
        return
    if reset:
        sock: Any = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return
    writer.close()


def idle_pooled_connections(client: Any) -> int:
    """How many idle connections the pool of a ``gradio_tui`` client holds (test-only peek)."""
    transport = client.core.session.http._transport
    pool = getattr(getattr(transport, "_inner", transport), "_pool", None)
    return sum(1 for conn in getattr(pool, "connections", []) if conn.is_idle())


__all__ = ["ConnectionState", "FaultProxy", "idle_pooled_connections"]
