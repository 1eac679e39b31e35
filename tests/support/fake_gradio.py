"""A scriptable stand-in for a Gradio server, for replaying captured traffic and for garbage.

Real servers cover the happy paths; this one says exactly what the tests
need it to say, including things no healthy server says: bad JSON, unknown
message types, streams cut in the middle of a job. It records every request
it gets so tests can assert what the client sent.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# A copy of ../shared/fixtures (captured from real servers), so a clean clone has it.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Script:
    """What the server streams for one join: SSE chunks, with optional pauses."""

    event_id: str
    # float = sleep seconds; an Event = wait until the test sets it (at most 30 s)
    chunks: list[bytes | float | threading.Event] = field(default_factory=list)
    cut: bool = False  # drop the connection after the chunks instead of ending cleanly


# (status, body) or (status, body, content type, headers)
Answer = tuple[Any, ...]


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-request (as a client that gives up does) is not news."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeGradio:
    """``on_join(body) -> Script | (status, body)`` decides each job's fate.

    On ``sse`` (4.0–4.8) apps the join is ``GET queue/join`` and ``body`` is
    its query (``fn_index``, ``session_hash``); the script is that job's own
    stream. ``on_run`` answers ``POST run/predict`` (3.x unqueued calls and
    cancel events), ``on_reset`` answers ``POST reset``.
    """

    def __init__(
        self,
        config: dict[str, Any],
        info: dict[str, Any] | None,
        on_join: Callable[[dict[str, Any]], Script | Answer],
        *,
        on_run: Callable[[dict[str, Any]], Answer] | None = None,
        on_reset: Callable[[dict[str, Any]], Answer] | None = None,
        on_get: Callable[[Recorded], Answer | None] | None = None,
        hold_streams: bool = False,
        on_post: Callable[[Recorded], Answer | None] | None = None,
        on_stream: Callable[[Recorded], Answer | None] | None = None,
    ) -> None:
        self.config = config
        self.hold_streams = hold_streams
        """sse_v3: keep a session's stream open and deliver jobs that join later on it,
        as a real server does (otherwise each stream carries the jobs pending when it
        opened, then closes)."""
        self._closing = threading.Event()
        self.on_get = on_get  # any other GET: an answer, or None for 404
        self.on_post = on_post  # any other POST (upload…): an answer, or None for 404
        self.on_stream = on_stream  # GET queue/data: an answer refuses the stream
        self.config_answer: Answer | None = None  # set to refuse GET /config
        self.info = info
        self.on_join = on_join
        self.on_run = on_run
        self.on_reset = on_reset
        self.requests: list[Recorded] = []
        self._pending: dict[str, list[Script]] = {}
        self._lock = threading.Lock()
        self.prefix = (config.get("api_prefix") or "").strip("/")
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> FakeGradio:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self.server.shutdown()
        self.server.server_close()

    def api(self, route: str) -> str:
        return f"/{self.prefix}/{route}" if self.prefix else f"/{route}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _record(self) -> Recorded:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                rec = Recorded(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with fake._lock:
                    fake.requests.append(rec)
                return rec

            def _send(
                self,
                status: int,
                body: Any,
                ctype: str = "application/json",
                headers: dict[str, str] | None = None,
            ) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", ctype)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                rec = self._record()
                if rec.path == "/config":
                    self._send(*(fake.config_answer or (200, fake.config)))
                elif rec.path == fake.api("info"):
                    if fake.info is None:
                        self._send(404, {"detail": "Not Found"})
                    else:
                        self._send(200, fake.info)
                elif rec.path == fake.api("queue/data"):
                    refusal = fake.on_stream(rec) if fake.on_stream is not None else None
                    if refusal is not None:
                        self._send(*refusal)
                        return
                    sh = (rec.query.get("session_hash") or [""])[0]
                    time.sleep(0.05)  # let joins sent together land in one stream
                    with fake._lock:
                        scripts = fake._pending.pop(sh, [])
                    self._stream(scripts, sh)
                elif rec.path == fake.api("queue/join"):  # sse (4.0-4.8): a stream per job
                    query = {k: v[0] for k, v in rec.query.items()}
                    if "fn_index" in query:
                        query["fn_index"] = int(query["fn_index"])
                    outcome = fake.on_join(query)
                    if isinstance(outcome, Script):
                        self._stream([outcome])
                    else:
                        self._send(*outcome)
                else:
                    answer = fake.on_get(rec) if fake.on_get is not None else None
                    self._send(*(answer or (404, {"detail": "Not Found"})))

            def do_POST(self) -> None:
                rec = self._record()
                if rec.path == fake.api("queue/join"):
                    body = rec.json()
                    outcome = fake.on_join(body)
                    if isinstance(outcome, Script):
                        with fake._lock:
                            fake._pending.setdefault(body.get("session_hash", ""), []).append(
                                outcome
                            )
                        self._send(200, {"event_id": outcome.event_id})
                    else:
                        self._send(*outcome)
                elif rec.path == fake.api("queue/data"):  # sse (4.0-4.8): the inputs
                    self._send(200, None)
                elif rec.path.rstrip("/") in (fake.api("run/predict"), fake.api("api/predict")):
                    if fake.on_run is None:
                        self._send(404, {"detail": "Not Found"})
                    else:
                        self._send(*fake.on_run(rec.json()))
                elif rec.path == fake.api("reset") and fake.on_reset is not None:
                    self._send(*fake.on_reset(rec.json()))
                elif rec.path in (fake.api("cancel"), fake.api("reset")):
                    self._send(200, {"success": True})
                else:
                    answer = fake.on_post(rec) if fake.on_post is not None else None
                    self._send(*(answer or (404, {"detail": "Not Found"})))

            def _stream(self, scripts: list[Script], session: str | None = None) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream; charset=utf-8")
                self.send_header("connection", "close")
                self.end_headers()
                cut = False
                try:
                    for script in scripts:
                        for chunk in script.chunks:
                            if isinstance(chunk, float):
                                time.sleep(chunk)
                                continue
                            if isinstance(chunk, threading.Event):
                                chunk.wait(30)
                                continue
                            self.wfile.write(chunk)
                            self.wfile.flush()
                        cut = cut or script.cut
                    while session is not None and fake.hold_streams and not cut:
                        if fake._closing.wait(0.02):
                            break
                        with fake._lock:
                            later = fake._pending.pop(session, [])
                        for script in later:
                            for chunk in script.chunks:
                                if isinstance(chunk, bytes):
                                    self.wfile.write(chunk)
                            self.wfile.flush()
                    if not cut and fake.config.get("protocol") == "sse_v3":
                        self.wfile.write(b'data: {"msg":"close_stream","event_id":null}\n\n')
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        return Handler


def sse(*messages: dict[str, Any] | str) -> list[bytes | float]:
    """SSE chunks for messages (dicts are JSON-encoded; strings are sent raw)."""
    out: list[bytes | float] = []
    for m in messages:
        text = m if isinstance(m, str) else json.dumps(m)
        out.append(f"data: {text}\n\n".encode())
    return out


# -- replaying captures ------------------------------------------------------------------


@dataclass
class CapturedJob:
    name: str
    fn_index: int
    joins: list[dict[str, Any]]
    event_ids: list[str]
    stream: bytes


def load_captures(generation: str) -> tuple[dict[str, Any], dict[str, Any], list[CapturedJob]]:
    folder = FIXTURES / f"gradio-{generation}"
    config = json.loads((folder / "config.json").read_text())
    info = json.loads((folder / "info_all_endpoints.json").read_text())
    jobs = []
    for meta_path in sorted(folder.glob("job_*.meta.json")):
        meta = json.loads(meta_path.read_text())
        joins = meta["joins"]
        event_ids = [json.loads(j["response"]["body"])["event_id"] for j in joins]
        name = meta_path.name[len("job_") : -len(".meta.json")]
        jobs.append(
            CapturedJob(
                name=name,
                fn_index=joins[0]["request"]["json"]["fn_index"],
                joins=[j["request"]["json"] for j in joins],
                event_ids=event_ids,
                stream=(folder / f"job_{name}.sse").read_bytes(),
            )
        )
    return config, info, jobs


_CLOSE = re.compile(rb'data: \{"msg":\s*"close_stream"[^\n]*\n\n')


def replay_server(generation: str) -> tuple[FakeGradio, dict[str, CapturedJob]]:
    """A FakeGradio that answers each captured call with its captured stream."""
    config, info, jobs = load_captures(generation)
    by_name = {j.name: j for j in jobs}
    state: dict[str, int] = {}

    def on_join(body: dict[str, Any]) -> Script | tuple[int, Any]:
        for job in jobs:
            k = state.get(job.name, 0) % len(job.joins)
            join = job.joins[k]
            if join["fn_index"] == body.get("fn_index") and join["data"] == body.get("data"):
                state[job.name] = k + 1
                # The whole captured stream goes out with the job's first join;
                # later joins only get their event id (their messages were in it).
                chunks: list[bytes | float] = [_CLOSE.sub(b"", job.stream)] if k == 0 else []
                return Script(event_id=job.event_ids[k], chunks=chunks)
        return (400, {"detail": f"no capture for {body!r}"})

    return FakeGradio(config, info, on_join), by_name
