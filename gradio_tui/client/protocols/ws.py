"""The Gradio 3.x queue: one websocket per job (``protocol`` absent from the config).

Per job the server says ``send_hash`` (we answer with fn_index and session
hash), then ``estimation`` while the job waits, ``send_data`` when a worker
takes it (we answer with the inputs), then ``process_starts``, ``progress``
and ``log``, ``process_generating`` with full values, and
``process_completed``, after which it closes the socket. Dependencies that
are not queued (``queue: false``, or an app that never called ``.queue()``)
go through ``POST run/predict`` instead.

``websockets`` is imported here only, and this module only when a 3.x app is
used, so ``from gradio_tui import Client`` stays cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING, Any

import httpx
from packaging.version import Version

from ..errors import (
    AppConnectionError,
    AuthenticationError,
    ServerResponseError,
    StreamInterruptedError,
    TooManyRequestsError,
)
from ..filedata import FileRef, PreparedFile
from ..http import decode_json, raise_for_join, transport_error
from ..messages import (
    Completed,
    ProcessStarts,
    QueueFull,
    SendData,
    SendHash,
    StreamError,
    app_error,
    parse_message,
)
from ..untrusted import brief
from .base import Transport
from .perjob import JobConnection, PerJobConnections

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

    from ..jobs import AsyncJob
    from .base import Session

# What the reference allows per frame: inline base64 media can be large.
_MAX_FRAME = 1 << 30
_OPEN_TIMEOUT = 10.0
# The 3.x queue appeared in 3.2; before it only the HTTP route exists.
_FIRST_QUEUED = Version("3.2")


def ws_url(http_url: str) -> str:
    """``http(s)://…`` → ``ws(s)://…`` for the same address."""
    if http_url.startswith("https://"):
        return "wss://" + http_url[len("https://") :]
    if http_url.startswith("http://"):
        return "ws://" + http_url[len("http://") :]
    return http_url


def handshake_headers(
    http: httpx.AsyncClient, http_url: str, extra: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """The headers httpx would send to ``http_url``: user agent, extras, cookies, token.

    The request goes through the client's own ``httpx.Auth`` so the HF token
    reaches exactly the hosts it would reach over HTTP, and the login cookie
    comes from the same jar the ``/login`` call filled.
    """
    request = http.build_request("GET", http_url, headers=extra)
    auth = http.auth
    if auth is not None:
        flow = auth.auth_flow(request)
        with contextlib.suppress(StopIteration):
            request = next(flow)
    skip = {"host", "connection", "upgrade", "accept-encoding", "content-length"}
    return [(k, v) for k, v in request.headers.multi_items() if k.lower() not in skip]


class WsTransport(Transport):
    """Gradio 3.x: websocket queue, or ``run/predict`` for unqueued events."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._conns = PerJobConnections(session)
        raw = session.config.raw
        self._queue_enabled = bool(raw.get("enable_queue")) and (
            session.config.version >= _FIRST_QUEUED
        )

    def _queued(self, job: AsyncJob) -> bool:
        return self._queue_enabled and job.endpoint.dependency.queue is not False

    async def run(self, job: AsyncJob) -> None:
        job.session_hash = self.session.session_hash
        if self._queued(job):
            await self._run_queued(job)
        else:
            await self._run_http(job)

    # -- not queued: POST run/predict ------------------------------------------------------

    async def _run_http(self, job: AsyncJob) -> None:
        url = self.config.url("run/predict")
        body = {
            "data": job.wire_data,
            "fn_index": job.endpoint.fn_index,
            "session_hash": job.session_hash,
        }
        job.started = True
        await job.handle(ProcessStarts(eta=None))
        try:
            # The function runs while the request is open: no read timeout.
            response = await self.session.http.post(
                url,
                json=body,
                headers=job.headers,
                timeout=self.session.timeout(httpx.Timeout(30.0, read=None)),
            )
        except httpx.TransportError as exc:
            raise transport_error(exc, url) from exc
        if response.status_code == 500:
            payload = decode_json(response, f"POST {url}")
            if isinstance(payload, dict) and "error" in payload:
                await job.handle(
                    Completed(None, app_error(payload, quoted=self.config.quotes_errors), False)
                )
                return
        raise_for_join(response, url)
        payload = decode_json(response, f"POST {url}")
        data = payload.get("data") if isinstance(payload, dict) else None
        if isinstance(payload, dict) and "error" in payload and data is None:
            await job.handle(
                Completed(None, app_error(payload, quoted=self.config.quotes_errors), False)
            )
            return
        if not isinstance(data, list):
            raise ServerResponseError(
                f"POST {url} answered without a data list: {brief(payload)}", body=payload
            )
        await job.handle(Completed(data, None, False))

    # -- queued: the websocket ---------------------------------------------------------------

    async def _connect(self, job: AsyncJob) -> ClientConnection:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI

        http_url = self.config.url("queue/join")
        url = ws_url(http_url)
        try:
            return await connect(
                url,
                additional_headers=handshake_headers(self.session.http, http_url, job.headers),
                open_timeout=_OPEN_TIMEOUT,
                max_size=_MAX_FRAME,
                user_agent_header=None,  # httpx's user agent is among the headers
            )
        except InvalidStatus as exc:
            code = exc.response.status_code
            if code in (401, 403):
                raise AuthenticationError(
                    f"{url} refused the websocket with HTTP {code}: the app needs a login "
                    "(pass auth=(username, password))."
                ) from exc
            if code == 429:
                raise TooManyRequestsError(
                    f"{url} is rate limiting this client (HTTP 429)."
                ) from exc
            raise ServerResponseError(
                f"{url} refused the websocket with HTTP {code}.", status_code=code
            ) from exc
        except InvalidURI as exc:
            raise AppConnectionError(f"{url} is not a websocket address: {exc}") from exc
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            raise AppConnectionError(
                f"Could not open the websocket {url}: {type(exc).__name__}: {exc}"
            ) from exc

    async def _run_queued(self, job: AsyncJob) -> None:
        from websockets.exceptions import ConnectionClosed, ConnectionClosedOK

        assert job.session_hash is not None
        conn = self._conns.open(job, job.session_hash)
        try:
            socket = await self._connect(job)
            conn.closer = socket.close
            conn.aborter = socket.transport.abort
            job.started = True
            if job.cancel_requested:
                return  # cancelled while connecting: closing the socket is all it takes
            silence = self.session.user_timeout.read if self.session.user_timeout else None
            try:
                while True:
                    try:
                        frame = await asyncio.wait_for(socket.recv(), silence)
                    except asyncio.TimeoutError as exc:
                        raise StreamInterruptedError(
                            f"The websocket of {job.endpoint.name} was silent for "
                            f"{silence:g} s (the timeout set in httpx_kwargs)."
                        ) from exc
                    if await self._on_frame(conn, socket, frame):
                        return
            except ConnectionClosedOK:
                pass
            except ConnectionClosed as exc:
                if job.cancel_requested:
                    return
                raise StreamInterruptedError(
                    f"The websocket broke before {job.endpoint.name} finished: {exc}"
                ) from exc
            if job.cancel_requested or job.done():
                return
            code = socket.close_code
            if code == 1008:
                raise AuthenticationError("The app closed the websocket: it needs a login.")
            raise StreamInterruptedError(
                f"The server closed the websocket (code {code}) before "
                f"{job.endpoint.name} finished."
            )
        finally:
            await self._conns.finished(job)

    async def _on_frame(
        self, conn: JobConnection, socket: ClientConnection, frame: str | bytes
    ) -> bool:
        """Handle one server frame; True when the job is over."""
        job = conn.job
        try:
            raw = json.loads(frame)
        except (ValueError, RecursionError) as exc:
            raise ServerResponseError(
                f"The server sent a malformed queue message: {str(frame)[:200]!r}"
            ) from exc
        event = parse_message(raw, quoted_errors=self.config.quotes_errors)
        if isinstance(event, SendHash):
            await socket.send(
                json.dumps({"fn_index": job.endpoint.fn_index, "session_hash": conn.session_hash})
            )
        elif isinstance(event, SendData):
            conn.dequeued = True
            await socket.send(
                json.dumps(
                    {
                        "data": job.wire_data,
                        "event_data": None,
                        "fn_index": job.endpoint.fn_index,
                        "session_hash": conn.session_hash,
                    }
                )
            )
        ended = await job.handle(event)
        return ended or isinstance(event, Completed | QueueFull | StreamError)

    async def cancel(self, job: AsyncJob) -> bool:
        """Stop ``job`` on the server; True unless the server keeps running the function.

        A ``run/predict`` call cannot be taken back; on the websocket the
        rules of ``PerJobConnections.cancel`` apply.
        """
        return await self._conns.cancel(job)

    async def aclose(self) -> None:
        await self._conns.aclose()

    # -- 3.x file values (protocol §9.4) ----------------------------------------------------

    def wants_data_url(self, component: str) -> bool:
        """3.x images travel inline: the server asserts a base64 string for them."""
        return component == "image"

    def file_payload(self, prepared: PreparedFile, component: str) -> Any:
        if prepared.data_url is not None:
            return prepared.data_url
        name = prepared.server_path if prepared.server_path is not None else prepared.url
        value: dict[str, Any] = {
            "name": name,
            "data": None,
            "is_file": True,
            "orig_name": prepared.orig_name,
        }
        if prepared.size is not None:
            value["size"] = prepared.size
        return value

    def output_file(self, value: Any) -> FileRef | None:
        """3.x file dicts, and inline base64 media (images come back as data URLs)."""
        if isinstance(value, str):
            head = value[:64]
            if head.startswith(("data:image/", "data:audio/", "data:video/")) and (
                ";base64," in head
            ):
                return FileRef(server_path=None, url=None, orig_name=None, data_url=value)
            return None
        if not isinstance(value, dict) or "is_file" not in value:
            return None
        name = value.get("name")
        orig = value.get("orig_name") if isinstance(value.get("orig_name"), str) else None
        data = value.get("data")
        if value.get("is_file") and isinstance(name, str) and name:
            return FileRef(server_path=name, url=None, orig_name=orig)
        if isinstance(data, str) and data.startswith("data:"):
            base = name.replace("\\", "/").split("/")[-1] if isinstance(name, str) else None
            return FileRef(server_path=None, url=None, orig_name=orig or base, data_url=data)
        return None


__all__ = ["WsTransport", "handshake_headers", "ws_url"]
