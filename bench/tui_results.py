"""Results and history in the terminal app: the three numbers of issue 11.

    .venv/bin/python bench/tui_results.py [--runs 5] [--jobs 10000] [--rows 10000]

1. **history view, 10,000 stored jobs**: the demo app is started, its history
   file is filled with 10,000 jobs (``history_size`` raised to match), and the
   app runs headless against it. Reported: reading the file (done off the
   loop at connect), and from ctrl+n to the history view's first frame.
   Target ≤ 150 ms.
2. **a 1024×1024 image result, half-blocks**: a PNG of that size is shown as a
   result (the job view's own ``ResultPanel``); from ``show()`` to the frame
   that has the picture in it (decode and shrink in a thread, then drawing).
   Target ≤ 100 ms.
3. **a 10,000-row Dataframe result**: shown the same way, then scrolled as a
   person holding the keys would (page down ×40, down ×200, end, home; keys
   posted as the terminal driver does, ~30 a second) while a 5 ms timer
   measures how late the event loop runs it (loop lag). Target < 50 ms.

A benchmark, not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402

from gradio_tui.history import HistoryFile, JobEntry, StoredInput, StoredOutput  # noqa: E402
from gradio_tui.store import Paths, Settings, Store  # noqa: E402
from gradio_tui.tui import graphics, memory  # noqa: E402
from gradio_tui.tui.app import GradioTUI  # noqa: E402
from gradio_tui.tui.results.image import HalfBlockImage  # noqa: E402
from gradio_tui.tui.results.model import OutputItem  # noqa: E402
from gradio_tui.tui.results.panel import ResultPanel  # noqa: E402
from gradio_tui.tui.results.table import ResultTable  # noqa: E402
from gradio_tui.tui.screens.history import HistoryScreen  # noqa: E402
from gradio_tui.tui.screens.main import MainScreen  # noqa: E402
from gradio_tui.tui.session import ConnectRequest  # noqa: E402

SIZE = (120, 40)
KEY_REPEAT = 0.033


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def report(
    name: str, values: list[float], target: float | None = None, cpu: list[float] | None = None
) -> None:
    median = statistics.median(values)
    line = f"{name:<44} median {ms(median)}   max {ms(max(values))}   (n={len(values)})"
    if cpu:
        line += f"   CPU median {ms(statistics.median(cpu))}"
    if target is not None:
        line += f"   target ≤ {target * 1000:.0f} ms: {'met' if median <= target else 'NOT MET'}"
    print(line, flush=True)


async def frame(app: App[object]) -> None:
    """Wait until the next frame has been painted."""
    painted = asyncio.Event()
    app.call_after_refresh(painted.set)
    await painted.wait()


# -- 1. the history view --------------------------------------------------------------------


def fake_jobs(src: str, count: int) -> list[JobEntry]:
    endpoints = ["/predict", "/greet", "/story", "/word_stats", "/transform"]
    return [
        JobEntry(
            id=f"bench{n}",
            src=src,
            endpoint=endpoints[n % len(endpoints)],
            fn_index=None,
            status="finished" if n % 17 else "error",
            started=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00",
            duration=0.1 + (n % 50) / 10,
            inputs=[
                StoredInput("text", "textbox", f"input number {n} " + "lorem ipsum " * 4),
                StoredInput("count", "number", n),
            ],
            outputs=[StoredOutput("result", "textbox", f"output {n} " + "dolor sit amet " * 6)],
        )
        for n in range(count)
    ]


async def history_bench(url: str, jobs: int, runs: int) -> None:
    data = Path(tempfile.mkdtemp(prefix="gradio-tui-bench-"))
    paths = Paths(data, data, data / "settings.json", data / "recent.json", data / "h.json")
    store = Store(paths)
    settings = Settings(redact=True, history_size=jobs)
    store.save_settings(settings)
    HistoryFile.for_app(paths, url, jobs).append(*fake_jobs(url, jobs))
    size = HistoryFile.for_app(paths, url).path.stat().st_size
    print(f"history file: {jobs} jobs, {size / 1e6:.1f} MB", flush=True)

    loads: list[float] = []
    opens: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        app = GradioTUI(ConnectRequest(url), store=store, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            start = time.perf_counter()
            while not (isinstance(app.screen, MainScreen) and app.screen.form):
                await pilot.pause(0.01)
            while app.history.entries(url) is None:
                await asyncio.sleep(0.005)
            loads.append(time.perf_counter() - start)
            # A person opens the history after a moment; by then start-up has settled.
            await pilot.pause(1.5)
            # The key as the terminal driver posts it (not through the pilot, which
            # waits for idle and animations on its own).
            t0, c0 = time.perf_counter(), time.process_time()
            app.post_message(events.Key("ctrl+n", None))
            while not isinstance(app.screen, HistoryScreen) or not app.screen.is_mounted:
                await asyncio.sleep(0)
            await frame(app)
            opens.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            assert len(app.screen.all) == jobs
            await pilot.press("escape")
    report("connect → history in memory (off the loop)", loads)
    report(f"ctrl+n → history view painted ({jobs} jobs)", opens, 0.150, cpus)


# -- 2. an image, 3. a table ----------------------------------------------------------------


class Host(App[None]):
    """The job view's result panel alone, in a scroll view as the job view is; memory
    settled after start-up as the app does it (tui/memory.py)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="view"):
            yield ResultPanel(redact=True, id="panel")

    def on_mount(self) -> None:
        self.call_after_refresh(memory.settle)

    def on_unmount(self) -> None:
        memory.release()


def big_png(size: int) -> str:
    import numpy as np
    from PIL import Image

    x = np.linspace(0, 255, size)
    pixels = np.zeros((size, size, 3), dtype=np.uint8)
    pixels[..., 0] = x[None, :]
    pixels[..., 1] = x[:, None]
    pixels[..., 2] = (np.sin(x[:, None] / 9) * np.cos(x[None, :] / 13) * 120 + 128).astype(np.uint8)
    path = Path(tempfile.mkdtemp(prefix="gradio-tui-bench-")) / "big.png"
    Image.fromarray(pixels).save(path)
    return str(path)


async def image_bench(runs: int) -> None:
    graphics.set_mode("halfblocks")
    path = big_png(1024)
    times: list[float] = []
    cpus: list[float] = []
    for _ in range(runs + 1):  # the first run pays Pillow's and textual-image's imports
        app = Host()
        async with app.run_test(size=SIZE) as pilot:
            panel = app.query_one(ResultPanel)
            await pilot.pause()
            await pilot.pause(0.1)
            t0, c0 = time.perf_counter(), time.process_time()
            panel.show([OutputItem("picture", "image", path, is_file=True)])
            while not app.query(HalfBlockImage) or not app.query_one(HalfBlockImage).drawn:
                await asyncio.sleep(0.001)
            await frame(app)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    report("1024×1024 image, first draw (cold imports)", times[:1], cpu=cpus[:1])
    report("1024×1024 image result drawn (half-blocks)", times[1:], 0.100, cpus[1:])


async def ticker(late: list[float], stop: asyncio.Event) -> None:
    """How late a 5 ms timer fires, again and again, until ``stop``: the loop's lag."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.005)
        late.append(time.perf_counter() - start - 0.005)


async def table_bench(rows: int, runs: int) -> None:
    value = {
        "headers": ["id", "name", "score", "passed", "note"],
        "data": [
            [n, f"item {n}", round((n * 7919 % 1000) / 10, 2), n % 3 != 0, "x" * (n % 30)]
            for n in range(rows)
        ],
    }
    shows: list[float] = []
    lags: list[float] = []
    per_key: list[float] = []
    for _ in range(runs):
        app = Host()
        async with app.run_test(size=SIZE) as pilot:
            panel = app.query_one(ResultPanel)
            await pilot.pause()
            t0 = time.perf_counter()
            panel.show([OutputItem("scores", "dataframe", value)])
            while not app.query(ResultTable):
                await asyncio.sleep(0)
            await frame(app)
            shows.append(time.perf_counter() - t0)
            table = app.query_one(ResultTable)
            table.focus()
            late: list[float] = []
            stop = asyncio.Event()
            await pilot.pause(0.2)
            task = asyncio.create_task(ticker(late, stop))
            c0 = time.process_time()
            # Keys as the terminal sends them when held down (~30 a second).
            for key in ["pagedown"] * 40 + ["down"] * 200 + ["end", "home", "end"]:
                app.post_message(events.Key(key, None))
                await asyncio.sleep(KEY_REPEAT)
            await frame(app)
            per_key.append((time.process_time() - c0) / 243)
            stop.set()
            await task
            assert table.row == rows - 1
            lags.append(max(late))
    report(f"{rows}-row Dataframe shown", shows)
    report(f"{rows}-row Dataframe, worst loop lag scrolling", lags, 0.050)
    report(f"{rows}-row Dataframe, CPU per key while scrolling", per_key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--only", default="history,image,table")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if "image" in only:
        asyncio.run(image_bench(args.runs))
    if "table" in only:
        asyncio.run(table_bench(args.rows, args.runs))
    if "history" in only:
        from gradio_tui.demo.server import start_demo

        demo = start_demo()
        try:
            asyncio.run(history_bench(demo.url, args.jobs, args.runs))
        finally:
            demo.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
