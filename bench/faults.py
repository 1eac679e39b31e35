"""What each fault does to a client, and in how long: ours beside gradio_client.

``python -m bench.faults`` starts the fault-test app (``tests/apps/fault_app.py``,
Gradio 6 on 127.0.0.1) and, for each fault, runs the same calls through each
client with ``tests/support/faults.py`` (a misbehaving TCP proxy) or a scripted
server in between, then prints a Markdown table: what the caller saw, and
after how long. This is where README's "Reliability" table comes from. A few
faults make one client wait forever; those waits are cut at ``--cap`` seconds
and reported as such. ``--only`` picks faults by name.

Not a test (pytest never collects bench/): outcomes are described, not asserted;
tests/client/test_faults.py asserts ours.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import json
import os
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

from tests.support.fake_gradio import FakeGradio, Script, sse  # noqa: E402
from tests.support.faults import FaultProxy  # noqa: E402
from tests.support.servers import GradioServer, start_gradio  # noqa: E402

CLIENTS = ("ours", "ref")
Outcome = tuple[str, float | None]  # (what the caller saw, seconds)


def client(kind: str, url: str, **kwargs: Any) -> Any:
    if kind == "ours":
        from gradio_tui import Client

        return Client(url, verbose=False, **kwargs)
    from gradio_client import Client as RefClient

    return RefClient(url, verbose=False, analytics_enabled=False, **kwargs)


def close(c: Any) -> None:
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        pool.submit(c.close).result(10)  # the reference can hang in close()
    except Exception:
        pass
    pool.shutdown(wait=False)


def said(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ").replace("|", "/")
    return f"`{type(exc).__name__}`" + (f": {text[:90]}" if text else "")


def timed(fn: Callable[[], Any], cap: float) -> Outcome:
    """Run ``fn`` in a thread; what it returned or raised, and when (or that it hung)."""
    pool = concurrent.futures.ThreadPoolExecutor(1)
    t0 = time.monotonic()
    fut = pool.submit(fn)
    concurrent.futures.wait([fut], timeout=cap)
    if not fut.done():  # (not fut.result(cap): a TimeoutError the call raised looks the same)
        pool.shutdown(wait=False)
        return f"still waiting after {cap:g} s", None
    try:
        value = fut.result()
        outcome = f"ok: {str(value)[:60]!r}" if not isinstance(value, str) else value
    except BaseException as exc:
        outcome = said(exc)
    pool.shutdown(wait=False)
    return outcome, time.monotonic() - t0


def run_counts(server: GradioServer, prefix: str) -> dict[str, int]:
    from gradio_tui import Client

    with Client(server.url, verbose=False) as c:
        text = c.predict(prefix, api_name="/runs")
    return {t: int(n) for t, _, n in (line.partition("=") for line in str(text).splitlines())}


# -- the faults ------------------------------------------------------------------------------


def idle_drops(kind: str, server: GradioServer, cap: float) -> Outcome:
    """A proxy drops pooled connections idle > 1 s when their next request arrives;
    60 jobs in 6 bursts of 10, 1.3 s of silence before each burst."""
    with FaultProxy(server.port) as proxy:
        proxy.drop_idle_reused = 1.0
        c = client(kind, proxy.url)
        prefix = uuid.uuid4().hex[:8]

        def go() -> str:
            failed = 0
            for burst in range(6):
                proxy.wait_idle(1.3)
                jobs = [c.submit(f"{prefix}-{burst}-{i}", api_name="/tick") for i in range(10)]
                for i, job in enumerate(jobs):
                    try:
                        failed += job.result(timeout=cap) != f"{prefix}-{burst}-{i}"
                    except Exception:
                        failed += 1
            counts = run_counts(server, prefix)
            twice = sum(1 for n in counts.values() if n > 1)
            return f"{failed} of 60 failed, {twice} ran twice ({proxy.dropped} requests dropped)"

        outcome = timed(go, cap * 6)
        close(c)
        return outcome


def uvicorn_idle(kind: str, server: GradioServer, cap: float) -> Outcome:
    """No proxy: uvicorn itself closes connections idle 5 s. 10 bursts of 20 jobs,
    each after 5.0 s of silence (the edge of uvicorn's limit)."""
    c = client(kind, server.url)
    prefix = uuid.uuid4().hex[:8]

    def go() -> str:
        failed = 0
        for burst in range(10):
            time.sleep(5.0)  # the fault itself: a pool as old as the server's limit
            jobs = [c.submit(f"{prefix}-{burst}-{i}", api_name="/tick") for i in range(20)]
            for job in jobs:
                try:
                    job.result(timeout=cap)
                except Exception:
                    failed += 1
        twice = sum(1 for n in run_counts(server, prefix).values() if n > 1)
        return f"{failed} of 200 failed, {twice} ran twice"

    outcome = timed(go, cap * 10)
    close(c)
    return outcome


def lost_join_answer(kind: str, server: GradioServer, cap: float) -> Outcome:
    """The join reaches the server, which runs the job; its answer never comes back."""
    with FaultProxy(server.port) as proxy:
        c = client(kind, proxy.url)
        c.predict("warm", api_name="/tick")
        proxy.cut_response_to(b"POST /gradio_api/queue/join")
        tag = uuid.uuid4().hex[:8]
        outcome, seconds = timed(lambda: c.predict(tag, api_name="/tick"), cap)
        close(c)
        runs = run_counts(server, tag).get(tag, 0)
        return f"{outcome}; the server ran it {runs}×", seconds


def silent_stream_httpx_timeout(kind: str, server: GradioServer, cap: float) -> Outcome:
    """``httpx_kwargs={"timeout": 3}``; the job runs 20 s without a word."""
    c = client(kind, server.url, httpx_kwargs={"timeout": 3})
    outcome = timed(lambda: c.predict(20, api_name="/sleep"), cap)
    close(c)
    return outcome


def stalled_stream(kind: str, server: GradioServer, cap: float) -> Outcome:
    """The event stream stops mid-job (heartbeats too): default settings."""
    with FaultProxy(server.port) as proxy:
        release = proxy.stall_after(b'"msg":"process_starts"')
        c = client(kind, proxy.url)
        outcome = timed(lambda: c.predict(1, api_name="/sleep"), cap)
        release.set()
        close(c)
        return outcome


def stalled_stream_job_timeout(kind: str, server: GradioServer, cap: float) -> Outcome:
    """The same stalled stream, the call bounded: ``job_timeout=5`` (ours) /
    ``job.result(timeout=5)`` (both)."""
    with FaultProxy(server.port) as proxy:
        release = proxy.stall_after(b'"msg":"process_starts"')
        c = client(kind, proxy.url)
        if kind == "ours":
            outcome = timed(lambda: c.predict(1, api_name="/sleep", job_timeout=5), cap)
        else:
            outcome = timed(lambda: c.submit(1, api_name="/sleep").result(timeout=5), cap)
        release.set()
        close(c)
        return outcome


def garbage_frame(kind: str, server: GradioServer, cap: float) -> Outcome:
    """One undecodable frame without an event id arrives while 5 jobs are in flight."""
    with FaultProxy(server.port) as proxy:
        proxy.inject_after(b'"msg":"process_starts"', b"data: {oops, not json\n\n")
        c = client(kind, proxy.url)

        def go() -> str:
            jobs = [c.submit(0.5, api_name="/sleep") for _ in range(5)]
            errors = []
            for job in jobs:
                try:
                    job.result(timeout=cap)
                except Exception as exc:
                    errors.append(exc)
            first = f" ({said(errors[0])})" if errors else ""
            return f"{len(errors)} of 5 jobs failed{first}"

        outcome = timed(go, cap)
        close(c)
        return outcome


def file_job_stream(kind: str, server: GradioServer, cap: float) -> Outcome:
    """After a job that returns a file: event streams still open 3 s later."""
    with FaultProxy(server.port) as proxy:
        c = client(kind, proxy.url)

        def go() -> str:
            c.predict("hello", api_name="/file")
            proxy.wait_for(lambda: not proxy.open_streams(), 3)
            return f"{len(proxy.open_streams())} event stream(s) open"

        outcome = timed(go, cap)
        close(c)
        return outcome


def server_killed(kind: str, server: GradioServer, cap: float) -> Outcome:
    """Every connection is cut (RST) while a job runs, as when the server dies."""
    with FaultProxy(server.port) as proxy:
        c = client(kind, proxy.url)

        def go() -> Any:
            job = c.submit(3, api_name="/sleep")
            proxy.wait_for(lambda: bool(proxy.open_streams()), 10)
            proxy.kill_all(reset=True)
            return job.result(timeout=cap)

        outcome = timed(go, cap)
        close(c)
        return outcome


def restart_with_state(kind: str, server: GradioServer, cap: float) -> Outcome:
    """The server restarts between two calls of a chat-like endpoint that reads State."""
    own = start_gradio("fault_app")
    try:
        c = client(kind, own.url)
        c.predict("a", api_name="/remember")
        own.stop()
        own = start_gradio("fault_app", port=own.port)

        def go() -> str:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                value = c.predict("b", api_name="/remember")
            said_so = [w for w in seen if "restarted" in str(w.message)]
            return f"{value!r}, " + ("a warning says so" if said_so else "no word of it")

        outcome = timed(go, cap)
        close(c)
        return outcome
    finally:
        own.stop()


def restart_with_state_strict(kind: str, server: GradioServer, cap: float) -> Outcome:
    if kind != "ours":
        return "(no such option)", None
    own = start_gradio("fault_app")
    try:
        c = client(kind, own.url, strict_session=True)
        c.predict("a", api_name="/remember")
        own.stop()
        own = start_gradio("fault_app", port=own.port)
        outcome = timed(lambda: c.predict("b", api_name="/remember"), cap)
        close(c)
        return outcome
    finally:
        own.stop()


# -- scripted servers (no real Gradio says these things) -------------------------------------

CONFIG: dict[str, Any] = json.loads(
    (REPO / "tests" / "fixtures" / "gradio-6" / "config.json").read_text()
)
INFO: dict[str, Any] = json.loads(
    (REPO / "tests" / "fixtures" / "gradio-6" / "info_all_endpoints.json").read_text()
)


def _scripted(config: Any, join: tuple[Any, ...] | None = None, **hooks: Any) -> FakeGradio:
    def on_join(body: dict[str, Any]) -> Any:
        if join is not None:
            return join
        eid = uuid.uuid4().hex
        done = {"msg": "process_completed", "event_id": eid, "success": True,
                "output": {"data": [body["data"][0]]}}  # fmt: skip
        return Script(eid, sse({"msg": "process_starts", "event_id": eid}, done))

    return FakeGradio(config, INFO, on_join, **hooks)


def hostile_config(kind: str, server: GradioServer, cap: float) -> Outcome:
    """A dependency's ``outputs`` is ``5`` instead of a list."""
    config = copy.deepcopy(CONFIG)
    config["dependencies"][1]["outputs"] = 5
    with _scripted(config) as fake:
        return timed(lambda: _connect_and_close(kind, fake.url), cap)


def deep_config(kind: str, server: GradioServer, cap: float) -> Outcome:
    """The config holds a value nested 3,000 levels deep."""
    body = json.dumps({**CONFIG, "extra": "<DEEP>"}).replace('"<DEEP>"', "[" * 3000 + "]" * 3000)
    with _scripted(CONFIG, on_get=None) as fake:
        fake.config_answer = (200, body.encode())
        return timed(lambda: _connect_and_close(kind, fake.url), cap)


def _connect_and_close(kind: str, url: str) -> str:
    c = client(kind, url)
    close(c)
    return "connects"


def rate_limited_upload(kind: str, server: GradioServer, cap: float) -> Outcome:
    """``POST upload`` answers 429 ``{"detail": "Slow down"}``."""

    def on_post(rec: Any) -> Any:
        return (429, {"detail": "Slow down"}) if rec.path.endswith("/upload") else None

    with _scripted(CONFIG, on_post=on_post) as fake:
        c = client(kind, fake.url)
        path = Path(tempfile.mkdtemp()) / "in.txt"
        path.write_text("hi")
        if kind == "ours":
            from gradio_tui import handle_file
        else:
            from gradio_client import handle_file
        outcome = timed(lambda: c.predict(handle_file(str(path)), api_name="/file"), cap)
        close(c)
        return outcome


def rate_limited_join(kind: str, server: GradioServer, cap: float) -> Outcome:
    """``POST queue/join`` answers 429 ``{"detail": "Slow down"}``."""
    with _scripted(CONFIG, join=(429, {"detail": "Slow down"})) as fake:
        c = client(kind, fake.url)
        outcome = timed(lambda: c.predict("x", api_name="/echo"), cap)
        close(c)
        return outcome


def queue_stopped(kind: str, server: GradioServer, cap: float) -> Outcome:
    """``POST queue/join`` answers 503 ``{"detail": "Queue is stopped."}``."""
    with _scripted(CONFIG, join=(503, {"detail": "Queue is stopped."})) as fake:
        c = client(kind, fake.url)
        outcome = timed(lambda: c.predict("x", api_name="/echo"), cap)
        close(c)
        return outcome


FAULTS: dict[str, tuple[str, Callable[[str, GradioServer, float], Outcome]]] = {
    "idle_drops": ("Pooled connections dropped when idle > 1 s (60 jobs, 6 bursts)", idle_drops),
    "uvicorn_idle": ("uvicorn's own 5 s keep-alive limit (200 jobs, 10 bursts)", uvicorn_idle),
    "lost_join_answer": ("A job's join reaches the server, its answer is lost", lost_join_answer),
    "silent_timeout": (
        "Job silent 20 s, `httpx_kwargs={'timeout': 3}`",
        silent_stream_httpx_timeout,
    ),
    "stalled": ("Event stream stalls mid-job (heartbeats too), defaults", stalled_stream),
    "stalled_bound": ("Same, call bounded at 5 s", stalled_stream_job_timeout),
    "garbage_frame": ("Undecodable frame without event id, 5 jobs in flight", garbage_frame),
    "file_stream": ("Event streams open 3 s after a file-returning job", file_job_stream),
    "killed": ("All connections reset mid-job (server dies)", server_killed),
    "restart": ("Server restarts between two calls that read State", restart_with_state),
    "restart_strict": ("Same, `strict_session=True`", restart_with_state_strict),
    "hostile_config": ("Config with `outputs: 5`", hostile_config),
    "deep_config": ("Config nested 3,000 deep", deep_config),
    "upload_429": ("Upload answered 429", rate_limited_upload),
    "join_429": ("Join answered 429", rate_limited_join),
    "join_503": ("Join answered 503 'Queue is stopped.'", queue_stopped),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    ap.add_argument("--only", default=",".join(FAULTS), help="comma-separated fault names")
    ap.add_argument("--cap", type=float, default=90.0, help="longest wait per call (s)")
    ap.add_argument("--clients", default=",".join(CLIENTS))
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    kinds = [k for k in args.clients.split(",") if k]
    server = start_gradio("fault_app")
    rows = []
    try:
        for name in names:
            title, fn = FAULTS[name]
            cells = []
            for kind in kinds:
                try:
                    outcome, seconds = fn(kind, server, args.cap)
                except Exception as exc:  # the harness itself must go on
                    outcome, seconds = f"harness error: {said(exc)}", None
                when = f" ({seconds:.1f} s)" if seconds is not None else ""
                cells.append(outcome + when)
                print(f"{name} [{kind}]: {outcome}{when}", file=sys.stderr, flush=True)
            rows.append((title, cells))
    finally:
        server.stop()
    header = " | ".join({"ours": "gradio-tui", "ref": "gradio_client"}[k] for k in kinds)
    print(f"\n| fault | {header} |")
    print("|---" * (len(kinds) + 1) + "|")
    for title, cells in rows:
        print(f"| {title} | " + " | ".join(cells) + " |")
    sys.stdout.flush()
    os._exit(0)  # the reference leaves threads behind that would hold the exit


if __name__ == "__main__":
    raise SystemExit(main())
