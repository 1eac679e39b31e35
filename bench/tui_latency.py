"""Input latency of the terminal app with 200 endpoints and 500 jobs streaming.

    .venv/bin/python bench/tui_latency.py [--jobs 500] [--endpoints 200] [--keys 60]

Starts ``bench/apps/many_endpoints.py`` (200 async-generator endpoints, no
queue limit) on 127.0.0.1, runs the app headless in this process, submits
the jobs through the app's own path (form values → ``AsyncClient.submit`` →
jobs panel), and while they stream types keys into the form and moves the
sidebar cursor. Reported per key: time from the key event being posted to
the widget having handled it (``Input.Changed``), and to the next frame
painted after it; plus how late a 10 ms timer fires (event-loop lag).
A benchmark, not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.widgets import Input

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gradio_tui.demo.server import start_app  # noqa: E402
from gradio_tui.store import Settings, Store  # noqa: E402
from gradio_tui.tui.app import GradioTUI  # noqa: E402
from gradio_tui.tui.screens.main import MainScreen  # noqa: E402
from gradio_tui.tui.session import ConnectRequest  # noqa: E402
from gradio_tui.tui.widgets.jobs import JobList  # noqa: E402
from gradio_tui.tui.widgets.sidebar import EndpointTree  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def show(name: str, values: list[float]) -> None:
    ms = [v * 1000 for v in values]
    print(
        f"{name:<28} n={len(ms):<4} median {statistics.median(ms):6.1f} ms   "
        f"p90 {pct(ms, 0.9):6.1f} ms   max {max(ms):6.1f} ms"
    )


async def measure_keys(
    app: GradioTUI, count: int, key: str, done: Callable[[int], bool]
) -> list[tuple[float, float]]:
    """Post ``key`` ``count`` times, 50 ms apart (a fast typist), as the terminal would.

    For each key: seconds until ``done(n)`` holds (the widget handled it) and
    until the first frame painted after that.
    """
    results: list[tuple[float, float]] = []
    loop = asyncio.get_running_loop()
    for n in range(1, count + 1):
        sent = time.perf_counter()
        app.post_message(events.Key(key, key if len(key) == 1 else None))
        while not done(n):
            await asyncio.sleep(0.0005)
        handled = time.perf_counter()
        painted: asyncio.Future[float] = loop.create_future()
        app.call_after_refresh(lambda f=painted: f.done() or f.set_result(time.perf_counter()))
        paint_time = await asyncio.wait_for(painted, 10)
        results.append((handled - sent, paint_time - sent))
        await asyncio.sleep(max(0.0, 0.05 - (time.perf_counter() - sent)))
    return results


async def run(url: str, jobs: int, keys: int, steps: int, interval: float) -> None:
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="gradio-tui-bench-"))
    from gradio_tui.store import Paths

    paths = Paths(tmp, tmp, tmp / "settings.json", tmp / "recent.json", tmp / "history.json")
    app = GradioTUI(
        ConnectRequest(url),
        store=Store(paths),
        settings=Settings(max_workers=jobs + 10, history_size=1000),
    )
    async with app.run_test(size=(120, 36)) as pilot:
        t0 = time.perf_counter()
        while not (isinstance(app.screen, MainScreen) and app.screen.form is not None):
            await pilot.pause(0.01)
            if time.perf_counter() - t0 > 60:
                raise RuntimeError("no main screen")
        screen = app.screen
        await pilot.pause(0.3)
        endpoints = [e for e in screen.client.endpoints if e.api_name]
        print(f"connected: {len(endpoints)} endpoints in the sidebar")

        # Submit through the same path as ctrl+r, spread over the endpoints.
        t_submit = time.perf_counter()
        for i in range(jobs):
            endpoint = endpoints[i % len(endpoints)]
            values = ["x", steps, interval]
            job = screen.client.submit(*values, fn_index=endpoint.fn_index)
            screen.track(job, values)
        print(f"submitted {jobs} jobs in {time.perf_counter() - t_submit:.2f} s")
        table = screen.query_one(JobList)

        # Event-loop lag: how late does a 10 ms timer fire while all this streams?
        lags: list[float] = []
        stop = False

        async def lag_probe() -> None:
            while not stop:
                t = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append(time.perf_counter() - t - 0.01)

        probe = asyncio.create_task(lag_probe())

        # Wait until the flood is on, then type.
        while sum(r.steps for r in table.records.values()) < jobs:
            await pilot.pause(0.05)
        form = screen.form
        assert form is not None
        target = form.query_one(Input)
        target.focus()
        target.value = ""
        await pilot.pause(0.05)
        outputs_before, t_window = sum(r.steps for r in table.records.values()), time.perf_counter()
        typing = await measure_keys(app, keys, "a", lambda n: len(target.value) >= n)

        # Sidebar navigation with 200 endpoints while streaming.
        tree = screen.query_one(EndpointTree)
        tree.focus()
        await pilot.pause(0.05)
        start_line = tree.cursor_line
        moving = await measure_keys(app, 20, "down", lambda n: tree.cursor_line >= start_line + n)
        window = time.perf_counter() - t_window
        rate = (sum(r.steps for r in table.records.values()) - outputs_before) / window

        streamed = sum(r.steps for r in table.records.values())
        running = sum(1 for r in table.records.values() if not r.done)
        stop = True
        await probe
        print(f"while typing: {running} jobs still running, {streamed} partial outputs so far")
        print(f"streaming while measured: {rate:.0f} partial outputs/s reached the app")
        show("typing: key → handled", [h for h, _p in typing])
        show("typing: key → painted", [p for _h, p in typing])
        show("sidebar ↓: key → handled", [h for h, _p in moving])
        show("sidebar ↓: key → painted", [p for _h, p in moving])
        show("event-loop lag (10 ms timer)", lags)
        for record in table.records.values():
            if not record.done:
                await record.job.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--steps", type=int, default=80, help="outputs per job")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between outputs")
    args = parser.parse_args()
    app_file = ROOT / "bench" / "apps" / "many_endpoints.py"
    server = start_app(
        [sys.executable, str(app_file), "--endpoints", str(args.endpoints)], timeout=120
    )
    print(f"benchmark app up in {server.started_in:.1f} s at {server.url}")
    try:
        asyncio.run(run(server.url, args.jobs, args.keys, args.steps, args.interval))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
