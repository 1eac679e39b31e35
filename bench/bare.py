"""The bare-protocol floor: the least a client can do to run a job on Gradio 6.

No client library, no status objects, no threads beyond what httpx needs:
``POST queue/join`` and read the session's ``queue/data`` SSE stream until
the job's ``process_completed`` (then to ``close_stream``, so the keep-alive
connection can be reused). Whatever our client spends above this is its own
overhead; the issue's targets are ratios to these numbers.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Routes:
    """The URLs and fn_index one bare call needs, read once from ``/config``."""

    join: str
    data: str
    fn_index: int


def routes(url: str, api_name: str) -> Routes:
    """Look up ``api_name``'s fn_index and the queue routes (not part of any timing)."""
    config = httpx.get(url + "config", timeout=10).json()
    prefix = (config.get("api_prefix") or "").strip("/")
    base = url + (prefix + "/" if prefix else "")
    for dep in config["dependencies"]:
        if dep.get("api_name") == api_name.lstrip("/"):
            return Routes(base + "queue/join", base + "queue/data", int(dep["id"]))
    raise LookupError(f"No endpoint {api_name} in the app's config")


def _payload(routes: Routes, data: list[Any], session_hash: str) -> dict[str, Any]:
    return {"data": data, "fn_index": routes.fn_index, "session_hash": session_hash}


class BareSync:
    """One keep-alive ``httpx.Client``; one call at a time (the latency floor)."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self.http = httpx.Client(timeout=httpx.Timeout(30.0))
        self.session_hash = uuid.uuid4().hex[:11]

    def call(self, data: list[Any]) -> Any:
        """Run one job; the final ``data`` list."""
        return self.timed_call(data)[0]

    def timed_call(self, data: list[Any]) -> tuple[Any, float | None]:
        """Run one job; its final ``data`` and when its first streamed output came."""
        first: float | None = None
        response = self.http.post(
            self.routes.join,
            json=_payload(self.routes, data, self.session_hash),
            headers={"x-gradio-user": "api"},
        )
        response.raise_for_status()
        event_id = response.json()["event_id"]
        result: Any = None
        with self.http.stream(
            "GET", self.routes.data, params={"session_hash": self.session_hash}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                # No break on close_stream: the server ends the body right after
                # it, and a body read to its end keeps the connection alive.
                if msg.get("event_id") != event_id:
                    continue
                if first is None and msg.get("msg") == "process_generating":
                    first = time.perf_counter()
                if msg.get("msg") == "process_completed":
                    if not msg.get("success"):
                        raise RuntimeError(f"job failed: {msg.get('output')}")
                    result = msg["output"]["data"]
        return result, first

    def close(self) -> None:
        self.http.close()


async def bare_throughput(
    routes: Routes, n_jobs: int, concurrency: int, stall_s: float
) -> dict[str, Any]:
    """``n_jobs`` echo jobs, ``concurrency`` joins at a time, one shared session stream.

    This is the floor for ``submit()`` throughput: one ``AsyncClient`` pool, one
    reader demultiplexing by ``event_id``, reopened whenever the server ends
    the stream while jobs are still pending.
    """
    session_hash = uuid.uuid4().hex[:11]
    limits = httpx.Limits(
        max_connections=concurrency + 8, max_keepalive_connections=concurrency + 8
    )
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, read=None), limits=limits)
    waiting: dict[str, asyncio.Future[Any]] = {}
    early: dict[str, dict[str, Any]] = {}
    have_pending = asyncio.Event()
    finished = False
    loop = asyncio.get_running_loop()

    def deliver(msg: dict[str, Any]) -> None:
        fut = waiting.pop(msg["event_id"], None)
        if fut is None:
            early[msg["event_id"]] = msg
        elif not fut.done():
            fut.set_result(msg)

    async def reader() -> None:
        while not finished:
            if not waiting:
                have_pending.clear()
                await have_pending.wait()
                continue
            async with http.stream(
                "GET", routes.data, params={"session_hash": session_hash}
            ) as stream:
                async for line in stream.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    msg = json.loads(line[5:])
                    if msg.get("msg") == "process_completed":
                        deliver(msg)  # read on past close_stream: keeps the connection

    slots = asyncio.Semaphore(concurrency)
    done_times: list[float] = []
    failures: list[str] = []

    async def one(i: int) -> None:
        async with slots:
            try:
                response = await http.post(
                    routes.join,
                    json=_payload(routes, [f"job-{i}"], session_hash),
                    headers={"x-gradio-user": "api"},
                )
                response.raise_for_status()
                event_id = response.json()["event_id"]
                fut: asyncio.Future[Any] = loop.create_future()
                if event_id in early:
                    fut.set_result(early.pop(event_id))
                else:
                    waiting[event_id] = fut
                    have_pending.set()
                msg = await fut
                if not msg.get("success") or msg["output"]["data"] != [f"job-{i}"]:
                    failures.append(f"job {i}: {msg.get('output')!r:.120}")
                    return
                done_times.append(time.perf_counter())
            except Exception as exc:
                failures.append(f"job {i}: {type(exc).__name__}: {exc}")

    reader_task = asyncio.create_task(reader())
    start = time.perf_counter()
    tasks = [asyncio.create_task(one(i)) for i in range(n_jobs)]
    _, not_done = await asyncio.wait(tasks, timeout=stall_s * 10)
    for task in not_done:
        task.cancel()
    finished = True
    have_pending.set()
    reader_task.cancel()
    try:
        await reader_task
    except (asyncio.CancelledError, Exception):
        pass
    await http.aclose()
    return {
        "start": start,
        "done_times": done_times,
        "failed": len(failures),
        "lost": len(not_done),
        "errors": failures[:5],
    }
