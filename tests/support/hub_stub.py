"""A small local server speaking the Hugging Face Hub routes the client uses.

``huggingface_hub`` is pointed at it through ``HF_ENDPOINT``; tests program
its answers per route and assert the exact requests it received (method,
path, body, auth header). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]
Handler = Callable[["HubRequest"], Reply]


@dataclass
class HubRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: re.Match[str] | None = field(default=None, repr=False)

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

    def stage(self) -> str:
        stage = self.stages[min(self.polls, len(self.stages) - 1)]
        self.polls += 1
        return stage

    def runtime(self) -> dict[str, Any]:
        return {
            "stage": self.stage(),
            "hardware": {"current": self.hardware, "requested": self.requested_hardware},
            "gcTimeout": self.sleep_time,
            "storage": None,
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
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
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
        self.commits: list[HubRequest] = []
        self.route("GET", r"/api/whoami-v2", self._whoami)
        self.route("GET", r"/api/spaces/hardware", lambda r: (200, self.hardware))
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/duplicate", self._duplicate)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/hardware", self._set_hardware)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/secrets", self._add_secret)
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/sleeptime", self._sleeptime)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/logs/build", self._logs)
        self.route("POST", r"/api/repos/create", self._create_repo)
        self.route("POST", r"/api/validate-yaml", lambda r: (200, {"errors": [], "warnings": []}))
        self.route(
            "POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/preupload/(?P<rev>[^/]+)", self._preupload
        )
        self.route("POST", r"/api/spaces/(?P<id>[^/]+/[^/]+)/commit/(?P<rev>[^/]+)", self._commit)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)/runtime", self._runtime)
        self.route("GET", r"/api/spaces/(?P<id>[^/]+/[^/]+)", self._space_info)

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
        space.hardware = (request.json() or {}).get("flavor", space.hardware)
        return 200, space.runtime()

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
        return 200, space.runtime()

    def _logs(self, request: HubRequest) -> Reply:
        lines = "".join(
            "data: "
            + json.dumps({"data": line + "\n", "timestamp": "2026-11-28T00:00:00Z"})
            + "\n\n"
            for line in self.build_logs
        )
        return 200, lines, {"content-type": "text/event-stream"}

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
                for method, pattern, handler in stub._routes:
                    if method != self.command:
                        continue
                    match = pattern.match(parts.path)
                    if match:
                        request.match = match
                        reply = handler(request)
                        break
                status, payload = reply[0], reply[1]
                headers = reply[2] if len(reply) > 2 else {}  # type: ignore[misc]
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

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler
