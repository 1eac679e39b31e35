"""The Spaces console with 1,000 Spaces: from the Hub's answer to a table on screen.

    .venv/bin/python bench/spaces_table.py [--spaces 1000] [--runs 5]

Runs the local Hub stub (``tests/support/hub_stub.py``, 127.0.0.1) with
``--spaces`` Spaces in one account, opens the console headless
(``run_test(size=(120, 36))``) and times, per run:

- **answer → rows**: from the moment the stub has its answer to the list
  request (after ``--hub-latency``, 1 s by default, as the real Hub takes to
  list that many: the app has drawn its screens and waits, as it would) until
  the console holds the parsed rows (the HTTP transfer of ~400 kB,
  ``huggingface_hub``'s parsing into ``SpaceInfo`` objects, our ``SpaceRow``s);
- **rows → table**: the model, the ``DataTable`` filled, and the first frame
  painted after it;
- **answer → ready** (the target of issue 13: ≤ 300 ms): the two together;
- **filter keystroke**: one key event posted to the filter field (as the
  terminal driver posts it) until the table is rebuilt (1,000 rows → the
  matching ones) and the next frame is painted.

A benchmark, not a test: numbers depend on the machine and its load; the
first run pays one-time imports and is reported apart.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402

from gradio_tui.store import Paths, Settings, Store  # noqa: E402
from gradio_tui.tui.app import GradioTUI  # noqa: E402
from gradio_tui.tui.screens import spaces as spaces_screen  # noqa: E402
from gradio_tui.tui.screens.spaces import SpacesScreen  # noqa: E402
from gradio_tui.tui.session import SpacesRequest  # noqa: E402
from gradio_tui.tui.widgets.spaces_table import SpacesTable  # noqa: E402
from tests.support.hub_stub import HubRequest, HubStub  # noqa: E402

TOKEN = "hf_bench_token_0000000000"
STAGES = ["RUNNING", "SLEEPING", "BUILDING", "RUNTIME_ERROR", "PAUSED"]
HARDWARE = ["cpu-basic", "cpu-upgrade", "t4-small", "a10g-large"]


def temp_store() -> Store:
    tmp = Path(tempfile.mkdtemp(prefix="gradio-tui-bench-"))
    return Store(Paths(tmp, tmp, tmp / "settings.json", tmp / "recent.json", tmp / "h.json"))


async def wait_for(condition: Callable[[], object], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the console did not get there in time")
        await asyncio.sleep(0.001)


async def one_run(hub: HubStub, answered: list[float]) -> dict[str, float]:
    marks: dict[str, float] = {}
    original_fetch = SpacesScreen.fetch
    original_rebuild = SpacesScreen.rebuild

    async def fetch(self: SpacesScreen) -> Any:
        rows = await original_fetch(self)
        marks.setdefault("rows", time.perf_counter())
        return rows

    def rebuild(self: SpacesScreen) -> None:
        start = time.perf_counter()
        original_rebuild(self)
        if "rows" in marks and "table" not in marks:
            marks["table"] = time.perf_counter()
            marks["rebuild"] = marks["table"] - start
            self.call_after_refresh(lambda: marks.setdefault("painted", time.perf_counter()))

    SpacesScreen.fetch = fetch  # type: ignore[method-assign]
    SpacesScreen.rebuild = rebuild  # type: ignore[method-assign]
    answered.clear()
    try:
        app = GradioTUI(
            None, console=SpacesRequest(), store=temp_store(), settings=Settings(redact=True)
        )
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(lambda: "painted" in marks)
            screen = app.screen
            assert isinstance(screen, SpacesScreen)
            table = screen.query_one(SpacesTable)
            assert len(table.shown) == len(hub.spaces), (len(table.shown), len(hub.spaces))
            # One keystroke in the filter: 1,000 rows filtered, the table rebuilt.
            await pilot.press("slash")
            await pilot.pause(0.2)
            field = screen.query_one("#spaces-filter")
            start = time.perf_counter()
            # Posted as the terminal driver does (pilot.press adds its own idle waits).
            field.post_message(events.Key("7", "7"))
            await wait_for(lambda: screen.model.filter == "7")
            done: list[float] = []
            screen.call_after_refresh(lambda: done.append(time.perf_counter()))
            await wait_for(lambda: bool(done))
            marks["filter"] = done[0] - start
    finally:
        SpacesScreen.fetch = original_fetch  # type: ignore[method-assign]
        SpacesScreen.rebuild = original_rebuild  # type: ignore[method-assign]
    answer = answered[0]
    return {
        "answer → rows": marks["rows"] - answer,
        "rows → table": marks["painted"] - marks["rows"],
        "  of which rebuild": marks["rebuild"],
        "answer → ready": marks["painted"] - answer,
        "filter keystroke": marks["filter"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spaces", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    parser.add_argument(
        "--hub-latency", type=float, default=1.0, help="seconds the stub takes to list (1.0)"
    )
    args = parser.parse_args()
    spaces_screen.POLL_SECONDS = 3600.0  # one list per run: what is timed is the first
    with HubStub(token=TOKEN) as hub:
        os.environ["HF_ENDPOINT"] = hub.url
        os.environ["HF_TOKEN"] = TOKEN
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        for i in range(args.spaces):
            hub.add(
                f"tester/space-{i:04d}",
                stages=[STAGES[i % len(STAGES)]],
                hardware=HARDWARE[i % len(HARDWARE)],
                likes=(i * 37) % 500,
                private=i % 3 == 0,
                sleep_time=[None, 3600, -1][i % 3],
            )
        answered: list[float] = []
        listing = hub._list

        def timed_list(request: HubRequest) -> Any:
            # The Hub takes its time to list 1,000 Spaces (about a second): by the time it
            # answers, the app has drawn its screens and waits, as it does for real.
            time.sleep(args.hub_latency)
            status, rows, headers = listing(request)
            body = json.dumps(rows).encode()  # the stub's own encoding is not timed
            answered.append(time.perf_counter())  # the Hub has its answer: the clock starts
            return status, body, {**headers, "content-type": "application/json"}

        hub.route("GET", r"/api/spaces", timed_list)
        results = []
        for _ in range(args.runs + 1):
            gc.collect()  # the previous run's app is garbage: not this run's cost
            results.append(asyncio.run(one_run(hub, answered)))
            if args.verbose:
                print({k: round(v * 1000, 1) for k, v in results[-1].items()})
    first, rest = results[0], results[1:]
    print(f"Spaces console, {args.spaces} Spaces, {args.runs} runs (+1 first run, apart)\n")
    print(f"{'':<20} {'first run':>10} {'median':>10} {'max':>10}")
    for key in first:
        values = [r[key] * 1000 for r in rest]
        print(
            f"{key:<20} {first[key] * 1000:8.1f} ms {statistics.median(values):7.1f} ms "
            f"{max(values):7.1f} ms"
        )
    ready = statistics.median(r["answer → ready"] for r in rest)
    print(f"\ntarget: answer → ready ≤ 300 ms: {'met' if ready <= 0.3 else 'NOT met'} (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
