"""A Gradio 3.x stand-in that replays websocket conversations captured from a real 3.50 server.

It serves ``GET /config`` and ``GET /info`` from ``tests/fixtures/gradio-3``
over plain HTTP and ``/queue/join`` as a websocket on the same port, like a
3.x server. Each socket replays one captured call: the queue prelude of the
first capture for the client's ``fn_index``, then, once the client sent its
inputs, the rest of the capture whose ``(fn_index, data)`` match. Every frame
a client sends is recorded so tests can assert what went over the wire.
"""

from __future__ import annotations

import asyncio
import http
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gradio-3"
# Interleaved sockets (one file, three calls) cannot be told apart on replay.
_SKIPPED = {"job_slow_queue.ws.jsonl"}


def _key(fn_index: Any, data: Any) -> str:
    return json.dumps([fn_index, data], sort_keys=True)


@dataclass
class Call:
    """One captured websocket call: what the server said before and after the inputs."""

    fn_index: int
    data: Any
    prelude: list[str] = field(default_factory=list)  # send_hash … send_data
    after: list[str] = field(default_factory=list)  # process_starts … process_completed


def load_calls(folder: Path = FIXTURES) -> list[Call]:
    calls: list[Call] = []
    for path in sorted(folder.glob("job_*.ws.jsonl")):
        if path.name in _SKIPPED:
            continue
        current: Call | None = None
        for line in path.read_text().splitlines()[1:]:
            frame = json.loads(line)
            text = frame["text"]
            if frame["dir"] == "recv":
                if json.loads(text).get("msg") == "send_hash":
                    current = Call(fn_index=frame["fn_index"], data=None)
                    calls.append(current)
                assert current is not None
                (current.after if current.data is not None else current.prelude).append(text)
            else:
                sent = json.loads(text)
                if "data" in sent and current is not None:
                    current.data = sent["data"]
    return calls


class WsReplay:
    """Run with ``with WsReplay() as server: Client(server.url)``."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        self.config = json.loads((FIXTURES / "config.json").read_text())
        self.info = json.loads((FIXTURES / "info_serialize_false.json").read_text())
        self.calls = load_calls()
        self.by_key = {_key(c.fn_index, c.data): c for c in self.calls}
        self.files = files or {}  # server path -> bytes, for GET /file=<path>
        self.received: list[dict[str, Any]] = []  # every frame clients sent
        self.http_paths: list[str] = []
        self.handshakes: list[dict[str, str]] = []  # headers of each websocket handshake
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, daemon=True)

    @property
    def url(self) -> str:
        assert self._server is not None
        port = next(iter(self._server.sockets)).getsockname()[1]
        return f"http://127.0.0.1:{port}/"

    def __enter__(self) -> WsReplay:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self._loop.close()

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await serve(self._handle, "127.0.0.1", 0, process_request=self._http)
            self._ready.set()

        self._loop.run_until_complete(start())
        self._loop.run_forever()

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path
        self.http_paths.append(path)
        if path.startswith("/queue/join"):
            self.handshakes.append({k.lower(): v for k, v in request.headers.raw_items()})
            return None  # the websocket handshake goes on
        if path == "/config":
            return _respond(http.HTTPStatus.OK, json.dumps(self.config).encode())
        if path.split("?")[0] == "/info":
            return _respond(http.HTTPStatus.OK, json.dumps(self.info).encode())
        if path.startswith("/file="):
            body = self.files.get(path[len("/file=") :])
            if body is not None:
                return _respond(http.HTTPStatus.OK, body, "application/octet-stream")
        return _respond(http.HTTPStatus.NOT_FOUND, b'{"detail":"Not Found"}')

    async def _handle(self, ws: ServerConnection) -> None:
        await ws.send(json.dumps({"msg": "send_hash"}))
        hello = json.loads(await ws.recv())
        self.received.append(hello)
        fn_index = hello.get("fn_index")
        prelude = next((c.prelude for c in self.calls if c.fn_index == fn_index), None)
        if prelude is None:
            await ws.close(1011, "no capture for this fn_index")
            return
        for text in prelude[1:]:  # send_hash already went out
            await ws.send(text)
        inputs = json.loads(await ws.recv())
        self.received.append(inputs)
        call = self.by_key.get(_key(inputs.get("fn_index"), inputs.get("data")))
        if call is None:
            error = {"error": f"no capture for {inputs.get('data')!r}"}
            await ws.send(json.dumps({"msg": "process_completed", "output": error}))
            await ws.close()
            return
        for text in call.after:
            await ws.send(text)
            await asyncio.sleep(0.005)
        await ws.close()


def _respond(status: http.HTTPStatus, body: bytes, ctype: str = "application/json") -> Response:
    headers = Headers(
        [("Content-Type", ctype), ("Content-Length", str(len(body))), ("Connection", "close")]
    )
    return Response(status.value, status.phrase, headers, body)


__all__ = ["Call", "WsReplay", "load_calls"]
