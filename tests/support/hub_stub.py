"""A small local server speaking the Hugging Face Hub routes the client uses.

``huggingface_hub`` is pointed at it through ``HF_ENDPOINT``; tests program
its answers per route and assert the exact requests it received (method,
path, body, auth header). Nothing leaves 127.0.0.1.

The Spaces console's routes keep state the way the Hub does: a restart moves
a Space through ``APP_STARTING`` to ``RUNNING`` (one stage per time its
runtime is reported: listed, read or polled), a factory rebuild through
``BUILDING``, pause leaves it ``PAUSED``, a request to its app host wakes it
from ``SLEEPING``; secrets are write-only (their values are never sent back);
logs are server-sent event streams, sent in chunks as they would be.
:meth:`HubStub.fail` makes a route refuse (with a status, a message and
headers such as ``Retry-After``) for the next N requests.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]


class ConnectionDropped(Exception):
    """Raised by a streamed body to cut the connection in the middle of it."""


Handler = Callable[["HubRequest"], Reply]


@dataclass
class HubRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: re.Match[str] | None = field(default=None, repr=False)
    at: float = field(default_factory=time.monotonic, repr=False)
    """When the stub received it (``time.monotonic``)."""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def auth(self) -> str | None:
        return self.headers.get("authorization")


@dataclass
class Space:
    """A Space the stub knows: its host and a scripted list of runtime stages."""

    id: str
    host: str
    stages: list[str] = field(default_factory=lambda: ["RUNNING"])
    private: bool = False
    hardware: str = "cpu-basic"
    requested_hardware: str | None = None
    sdk: str = "gradio"
    secrets: dict[str, str] = field(default_factory=dict)
    sleep_time: int | None = None
    polls: int = 0
    variables: dict[str, str] = field(default_factory=dict)
    likes: int = 0
    last_modified: str = "2026-01-02T03:04:05.000Z"
    sdk_version: str | None = "5.9.1"
    dev_mode: bool = False
    error_message: str | None = None
    run_logs: list[str] | None = None
    build_logs: list[str] | None = None
    """This Space's own logs; None uses the stub's shared ``build_logs`` / ``run_logs``."""
    wakes: int = 0
    """Requests its app host received (each wakes it if it sleeps)."""
    late_logs: list[str] = field(default_factory=list)
    """Log lines stamped after the request (logged while it streams)."""
    log_drop_after: int | None = None
    """Cut the next log stream after this many lines (once), as a dropped connection does."""

    def stage(self, advance: bool = True) -> str:
        stage = self.stages[min(self.polls, len(self.stages) - 1)]
        if advance:
            self.polls += 1
        return stage

    def move(self, *stages: str) -> None:
        """From now on, report these stages, one per report, the last one for good."""
        self.stages = list(stages)
        self.polls = 0

    def runtime(self, advance: bool = True) -> dict[str, Any]:
        runtime: dict[str, Any] = {
            "stage": self.stage(advance),
            "hardware": {"current": self.hardware, "requested": self.requested_hardware},
            "gcTimeout": self.sleep_time,
            "storage": None,
            "devMode": self.dev_mode,
        }
        if self.error_message:
            runtime["errorMessage"] = self.error_message
        return runtime

    def listed(self) -> dict[str, Any]:
        """What ``GET /api/spaces`` (with the console's ``expand``) says about this Space."""
        card: dict[str, Any] = {"sdk": self.sdk}
        if self.sdk_version:
            card["sdk_version"] = self.sdk_version
        return {
            "_id": self.id.replace("/", "-"),
            "id": self.id,
            "author": self.id.split("/")[0],
            "sdk": self.sdk,
            "cardData": card,
            "runtime": self.runtime(),
            "private": self.private,
            "likes": self.likes,
            "lastModified": self.last_modified,
            "subdomain": self.id.replace("/", "-").lower(),
        }


class HubStub:
    """Routes: spaces by id (info, runtime), whoami; tests add more with ``route``."""

    def __init__(self, token: str | None = None, user: str = "tester") -> None:
        self.token = token  # when set, requests without it get 401 on private Spaces
        self.user = user
        self.orgs: list[str] = []
        self.spaces: dict[str, Space] = {}
        self.requests: list[HubRequest] = []
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.hardware = [
            {
                "name": name,
                "prettyName": name.upper(),
                "cpu": "2 vCPU",
                "ram": "16 GB",
                "unitCostMicroUSD": cost,
                "unitCostUSD": cost / 1e6,
                "unitLabel": "minute",
            }
            for name, cost in [
                ("cpu-basic", 0),
                ("cpu-upgrade", 500),
                ("t4-small", 6667),
                ("a10g-large", 50000),
            ]
        ]
        self.build_logs: list[str] = [
            "Step 1/3 : FROM python",
            "Step 2/3 : pip install",
            "Step 3/3 : done",
        ]
        self.run_logs: list[str] = ["Running on local URL:  http://0.0.0.0:7860"]
        self.log_chunk = 500
        """Log lines per chunk written to a log stream."""
        self.log_gate: threading.Event | None = None
        """When set, a log stream stays open after its lines until the gate opens."""
        self.log_streams_closed = 0
        """Log streams that ended because the client went away (not by their end)."""
        self.page_size = 1000
        self.commits: list[HubRequest] = []
        self._failures: list[tuple[str, re.Pattern[str], int, Any, dict[str, str], list[int]]] = []
        self.route("GET", r"/api/whoami-v2", self._whoami)
        self.route("GET", r"/api/spaces/hardware", lambda r: (200, self.hardware))
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate", self._duplicate)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/hardware", self._set_hardware)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/secrets", self._add_secret)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/sleeptime", self._sleeptime)
        self.route("POST", r"/api/repos/create", self._create_repo)
        self.route("POST", r"/api/validate-yaml", lambda r: (200, {"errors": [], "warnings": []}))
        self.route(
            "POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/preupload/(?P<rev>[^/]+)", self._preupload
        )
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/commit/(?P<rev>[^/]+)", self._commit)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/runtime", self._runtime)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)", self._space_info)
        # The Spaces console's routes.
        self.route("GET", r"/api/spaces", self._list)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/restart", self._restart)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/pause", self._pause)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/dev-mode", self._dev_mode)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/secrets", self._secrets)
        self.route("DELETE", r"/api/spaces/(?P<id>[^/]+/[^/]+)/secrets", self._delete_secret)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/variables", self._variables)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/variables", self._add_variable)
        self.route("DELETE", r"/api/spaces/(?P<id>[^/]+/[^/]+)/variables", self._delete_variable)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/logs/(?P<kind>build|run)", self._logs)
        self.route("DELETE", r"/api/repos/delete", self._delete_repo)
        self.route("GET", r"/_space/(?P<id>[^/]+/[^/]+)(?:/.*)?", self._space_host)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HubStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Add a route; later routes win over earlier ones for the same path."""
        self._routes.insert(0, (method, re.compile(pattern + r"$"), handler))

    def add_space(self, space: Space) -> Space:
        self.spaces[space.id] = space
        return space

    def add(self, space_id: str, **fields: Any) -> Space:
        """A Space whose app host is this stub (``/_space/<id>``): requests to it wake it."""
        fields.setdefault("host", self.space_host(space_id))
        return self.add_space(Space(space_id, **fields))

    def add_console_demo(self) -> list[Space]:
        """A small, plausible ops account (``ops`` and the org ``acme``): the Spaces
        console's snapshot test and the README screenshot show this."""
        self.user, self.orgs = "ops", ["acme"]
        run_log = [
            "===== Application Startup at 2026-01-02 03:04:05 =====",
            "Loading model llama-3-8b ...",
            "Model loaded in 12.3 s",
            "* Running on local URL:  http://0.0.0.0:7860",
            "To create a public link, set `share=True` in `launch()`.",
        ]
        specs: list[tuple[str, str, str, int | None, int]] = [
            ("ops/chat-assistant", "RUNNING", "a10g-large", 3600, 128),
            ("ops/whisper-large", "SLEEPING", "t4-small", 900, 57),
            ("ops/docs-site", "RUNNING", "cpu-basic", None, 31),
            ("ops/old-experiment", "STOPPED", "cpu-basic", None, 1),
            ("acme/image-gen", "BUILDING", "a10g-large", -1, 412),
            ("acme/ocr-demo", "RUNTIME_ERROR", "cpu-upgrade", 1800, 21),
            ("acme/internal-tool", "PAUSED", "cpu-basic", None, 0),
            ("acme/summarizer", "RUNNING", "t4-small", 3600, 88),
        ]
        added = []
        for space_id, stage, hardware, sleep, likes in specs:
            space = self.add(
                space_id,
                stages=[stage],
                hardware=hardware,
                sleep_time=sleep,
                likes=likes,
                private=likes < 25,
                run_logs=run_log,
            )
            added.append(space)
        chat = self.spaces["ops/chat-assistant"]
        chat.secrets = {"OPENAI_API_KEY": "sk-demo-not-shown", "HF_TOKEN": "hf_demo_not_shown"}
        chat.variables = {"MODEL": "llama-3-8b", "MAX_TOKENS": "1024"}
        self.spaces["ops/docs-site"].sdk = "static"
        self.spaces["ops/docs-site"].sdk_version = None
        self.spaces[
            "acme/ocr-demo"
        ].error_message = "Exit code: 1. Reason: ModuleNotFoundError: No module named 'torch'"
        return added

    def space_host(self, space_id: str) -> str:
        return f"{self.url}/_space/{space_id}"

    def fail(
        self,
        method: str,
        pattern: str,
        status: int,
        payload: Any = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Refuse the next ``times`` requests (None: all) matching ``method`` and ``pattern``."""
        body = payload if payload is not None else {"error": f"stubbed HTTP {status}"}
        left = [times if times is not None else -1]
        with self._lock:
            self._failures.append(
                (method, re.compile(pattern + r"$"), status, body, dict(headers or {}), left)
            )

    def _failure(self, method: str, path: str) -> Reply | None:
        with self._lock:
            for m, pattern, status, body, headers, left in self._failures:
                if m == method and pattern.match(path) and left[0] != 0:
                    left[0] -= 1
                    return status, body, dict(headers)
        return None

    def calls(self, method: str | None = None, path_prefix: str = "") -> list[HubRequest]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method) and r.path.startswith(path_prefix)
            ]

    # -- default routes ---------------------------------------------------------------

    def _authorized(self, request: HubRequest) -> bool:
        return self.token is None or request.auth == f"Bearer {self.token}"

    def _whoami(self, request: HubRequest) -> Reply:
        if request.auth is None or not self._authorized(request):
            return 401, {"error": "Invalid credentials in Authorization header"}
        return 200, {
            "type": "user",
            "name": self.user,
            "orgs": [{"name": o, "type": "org"} for o in self.orgs],
            "auth": {"type": "access_token", "accessToken": {"role": "write"}},
        }

    def _lookup(self, request: HubRequest) -> Space | Reply:
        assert request.match is not None
        space = self.spaces.get(request.match.group("id"))
        if space is None or (space.private and not self._authorized(request)):
            return 404, {"error": "Repository not found"}, {"x-error-code": "RepoNotFound"}
        return space

    def _space_info(self, request: HubRequest) -> Reply:
        space = self._lookup(request)
        if not isinstance(space, Space):
            return space
        return 200, {
            "id": space.id,
            "author": space.id.split("/")[0],
            "private": space.private,
            "sdk": space.sdk,
            "host": space.host,
            "subdomain": space.id.replace("/", "-"),
            "runtime": space.runtime(),
            "tags": [],
        }

    def _runtime(self, request: HubRequest) -> Reply:
        space = self._lookup(request)
        if not isinstance(space, Space):
            return space
        return 200, space.runtime()

    def _writable(self, request: HubRequest, space_id: str) -> Reply | None:
        if request.auth is None or not self._authorized(request):
            return 401, {"error": "Invalid credentials in Authorization header"}
        owner = space_id.split("/")[0]
        if owner != self.user and owner not in self.orgs:
            return 403, {"error": f"You don't have the rights to create a repo under {owner}"}
        return None

    def _duplicate(self, request: HubRequest) -> Reply:
        source = self._lookup(request)
        if not isinstance(source, Space):
            return source
        body = request.json() or {}
        target = str(body.get("repository", ""))
        refused = self._writable(request, target)
        if refused:
            return refused
        if target in self.spaces:
            return 409, {"error": "You already created this space repo"}
        hardware = body.get("hardware") or "cpu-basic"
        copy = Space(
            target,
            host=source.host,
            stages=["BUILDING", "BUILDING", "RUNNING"],
            private=body.get("visibility", "private") == "private" or body.get("private") is True,
            hardware=hardware,
        )
        for item in body.get("secrets") or []:
            copy.secrets[item["key"]] = item["value"]
        copy.sleep_time = body.get("sleepTimeSeconds")
        self.spaces[target] = copy
        return 200, {"url": f"{self.url}/spaces/{target}"}

    def _space_for_write(self, request: HubRequest) -> Space | Reply:
        space = self._lookup(request)
        if not isinstance(space, Space):
            return space
        return self._writable(request, space.id) or space

    def _set_hardware(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        body = request.json() or {}
        flavor = body.get("flavor", space.hardware)
        if flavor not in [h["name"] for h in self.hardware]:
            return 400, {"error": f"Invalid hardware flavor {flavor}"}
        space.hardware = flavor
        space.requested_hardware = flavor
        if "sleepTimeSeconds" in body:
            space.sleep_time = body["sleepTimeSeconds"]
        if space.stage(advance=False) not in ("PAUSED", "SLEEPING"):
            space.move("APP_STARTING", "RUNNING")  # new hardware: the app starts again on it
        return 200, space.runtime(advance=False)

    def _add_secret(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        body = request.json() or {}
        space.secrets[body["key"]] = body["value"]
        return 200, {}

    def _sleeptime(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        space.sleep_time = (request.json() or {}).get("seconds")
        return 200, space.runtime(advance=False)

    def _logs(self, request: HubRequest) -> Reply:
        assert request.match is not None
        kind = request.match.groupdict().get("kind") or "build"
        space = self.spaces.get(request.match.group("id"))
        if space is None or (space.private and not self._authorized(request)):
            return 404, {"error": "Repository not found"}, {"x-error-code": "RepoNotFound"}
        own = space.build_logs if kind == "build" else space.run_logs
        lines = own if own is not None else (self.build_logs if kind == "build" else self.run_logs)
        drop = space.log_drop_after
        space.log_drop_after = None  # once: the next connection gets the whole log
        return (
            200,
            self._log_chunks(list(lines), list(space.late_logs), drop),
            {"content-type": "text/event-stream"},
        )

    def _log_chunks(
        self, lines: list[str], late: list[str], drop_after: int | None
    ) -> Iterator[bytes]:
        # Stamped as the Hub does: lines logged before the request carry earlier times,
        # ``late`` ones later times (a non-follow read must stop before those).
        now = datetime.now(timezone.utc)
        before = (now - timedelta(seconds=5)).isoformat().replace("+00:00", "Z")
        after = (now + timedelta(seconds=30)).isoformat().replace("+00:00", "Z")

        def event(line: str, stamp: str) -> str:
            return "data: " + json.dumps({"data": line + "\n", "timestamp": stamp}) + "\n\n"

        stamped = [(line, before) for line in lines] + [(line, after) for line in late]
        if drop_after is not None:
            yield "".join(event(*item) for item in stamped[:drop_after]).encode()
            raise ConnectionDropped
        for start in range(0, len(stamped), self.log_chunk):
            chunk = stamped[start : start + self.log_chunk]
            yield "".join(event(*item) for item in chunk).encode()
        gate = self.log_gate
        while gate is not None and not gate.wait(0.05):
            yield b"data: \n\n"  # a keep-alive, as the Hub sends: finds a closed client

    def _list(self, request: HubRequest) -> Reply:
        author = (request.query.get("author") or [None])[0]
        search = ((request.query.get("search") or [""])[0]).lower()
        wanted = request.query.get("filter") or []
        limit = int((request.query.get("limit") or ["0"])[0] or 0)
        start = int((request.query.get("cursor") or ["0"])[0] or 0)
        found = [
            space
            for space in list(self.spaces.values())
            if (author is None or space.id.split("/")[0] == author)
            and search in space.id.lower()
            and all(tag in (space.sdk,) for tag in wanted)
            and (not space.private or (self._authorized(request) and request.auth is not None))
        ]
        if limit:
            found = found[:limit]
        page = found[start : start + self.page_size]
        headers: dict[str, str] = {}
        if start + self.page_size < len(found):
            query = "&".join(
                f"{k}={v}" for k, values in request.query.items() if k != "cursor" for v in values
            )
            nxt = f"{self.url}/api/spaces?{query}&cursor={start + self.page_size}"
            headers["link"] = f'<{nxt}>; rel="next"'
        return 200, [space.listed() for space in page], headers

    def _restart(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        if request.query.get("factory") == ["true"]:
            space.move("BUILDING", "BUILDING", "APP_STARTING", "RUNNING")
        else:
            space.move("APP_STARTING", "APP_STARTING", "RUNNING")
        space.error_message = None
        return 200, space.runtime(advance=False)

    def _pause(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        space.move("PAUSED")
        return 200, space.runtime(advance=False)

    def _dev_mode(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        space.dev_mode = bool((request.json() or {}).get("enabled"))
        return 200, space.runtime(advance=False)

    def _secrets(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        # Write-only, as on the Hub: names and dates, never a value.
        return 200, {
            key: {"key": key, "updatedAt": "2026-01-01T00:00:00.000Z"} for key in space.secrets
        }

    def _delete_secret(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        key = (request.json() or {}).get("key")
        if key not in space.secrets:
            return 404, {"error": f"Secret {key} not found"}
        del space.secrets[key]
        return 200, {}

    def _variables(self, request: HubRequest) -> Reply:
        space = self._lookup(request)
        if not isinstance(space, Space):
            return space
        return 200, {
            key: {"value": value, "updatedAt": "2026-01-01T00:00:00.000Z"}
            for key, value in space.variables.items()
        }

    def _add_variable(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        body = request.json() or {}
        space.variables[body["key"]] = body["value"]
        return self._variables(request)

    def _delete_variable(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        key = (request.json() or {}).get("key")
        if key not in space.variables:
            return 404, {"error": f"Variable {key} not found"}
        del space.variables[key]
        return self._variables(request)

    def _delete_repo(self, request: HubRequest) -> Reply:
        body = request.json() or {}
        space_id = f"{body.get('organization') or self.user}/{body.get('name')}"
        refused = self._writable(request, space_id)
        if refused:
            return refused
        if body.get("type") != "space" or space_id not in self.spaces:
            return 404, {"error": "Repository not found"}, {"x-error-code": "RepoNotFound"}
        del self.spaces[space_id]
        return 200, {}

    def _space_host(self, request: HubRequest) -> Reply:
        """The Space's app itself: any request wakes a sleeping Space."""
        assert request.match is not None
        space = self.spaces.get(request.match.group("id"))
        if space is None:
            return 404, "no such Space"
        space.wakes += 1
        if space.stage(advance=False) == "SLEEPING":
            space.move("APP_STARTING", "RUNNING")
        return 200, "<html>waking up</html>", {"content-type": "text/html"}

    def _create_repo(self, request: HubRequest) -> Reply:
        body = request.json() or {}
        owner = body.get("organization") or self.user
        space_id = f"{owner}/{body.get('name')}"
        refused = self._writable(request, space_id)
        if refused:
            return refused
        if space_id in self.spaces:
            return 409, {
                "error": "You already created this space repo",
                "url": f"{self.url}/spaces/{space_id}",
            }
        self.spaces[space_id] = Space(
            space_id,
            host="",
            private=body.get("visibility") == "private" or body.get("private") is True,
            sdk=body.get("sdk") or "gradio",
        )
        return 200, {"url": f"{self.url}/spaces/{space_id}", "name": space_id}

    def _preupload(self, request: HubRequest) -> Reply:
        files = (request.json() or {}).get("files") or []
        return 200, {
            "files": [
                {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
            ]
        }

    def _commit(self, request: HubRequest) -> Reply:
        space = self._space_for_write(request)
        if not isinstance(space, Space):
            return space
        self.commits.append(request)
        return 200, {
            "success": True,
            "commitOid": "0" * 40,
            "commitUrl": f"{self.url}/spaces/{space.id}/commit/{'0' * 40}",
        }

    # -- plumbing ---------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = HubRequest(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with stub._lock:
                    stub.requests.append(request)
                reply: Reply = (404, {"error": f"no route for {self.command} {parts.path}"})
                failure = stub._failure(self.command, parts.path)
                for method, pattern, handler in [] if failure else stub._routes:
                    if method != self.command:
                        continue
                    match = pattern.match(parts.path)
                    if match:
                        request.match = match
                        reply = handler(request)
                        break
                if failure:
                    reply = failure
                status, payload = reply[0], reply[1]
                headers = reply[2] if len(reply) > 2 else {}  # type: ignore[misc]
                if isinstance(payload, Iterator):
                    self._stream(status, payload, headers)
                    return
                if isinstance(payload, bytes | str):
                    data = payload.encode() if isinstance(payload, str) else payload
                    ctype = headers.pop("content-type", "text/plain")
                else:
                    data = json.dumps(payload).encode()
                    ctype = "application/json"
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _stream(
                self, status: int, chunks: Iterable[bytes], headers: dict[str, str]
            ) -> None:
                self.send_response(status)
                self.send_header("content-type", headers.pop("content-type", "text/plain"))
                self.send_header("transfer-encoding", "chunked")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    for chunk in chunks:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except ConnectionDropped:
                    self.close_connection = True  # mid-body: the client sees a cut stream
                except OSError:
                    with stub._lock:
                        stub.log_streams_closed += 1
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler
