"""Cold start of the terminal app on the demo: process start → interactive main screen.

    .venv/bin/python bench/tui_startup.py [--runs 5]

Starts the bundled demo Gradio app once (its own start-up is reported
separately: it is Gradio's, not ours), then launches a fresh interpreter per
run that imports the app and runs it headless against the demo. "Interactive"
means: connected, main screen mounted, the first endpoint's form built and
painted. The clock starts before the child interpreter is spawned, so Python's
own start-up and every import are included. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

CHILD = r"""
import os, sys, time
t0 = float(os.environ["GRADIO_TUI_T0"])
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.screens.main import MainScreen
from gradio_tui.tui.session import ConnectRequest
from gradio_tui.tui.widgets.form import Field

marks = {"imported": time.time() - t0}

class Probe(GradioTUI):
    def on_mount(self) -> None:
        # Textual also runs GradioTUI.on_mount (handlers run for every class).
        self.set_interval(0.002, self._probe)

    def _probe(self) -> None:
        screen = self.screen
        if "main" not in marks and isinstance(screen, MainScreen) and screen.query(Field):
            if all(f.query(".field--editor") for f in screen.query(Field)):
                marks["main"] = -1.0
                self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        marks["main"] = time.time() - t0
        self.exit()

Probe(ConnectRequest(sys.argv[1])).run(headless=True, size=(120, 36))
print(f"{marks['imported']:.4f} {marks['main']:.4f}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from gradio_tui.demo.server import start_demo

    demo = start_demo()
    print(f"demo Gradio server start-up (not ours): {demo.started_in:.2f} s", flush=True)
    imported: list[float] = []
    interactive: list[float] = []
    cpu: list[float] = []
    try:
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            env = {**os.environ, "GRADIO_TUI_T0": repr(time.time())}
            out = subprocess.run(
                [sys.executable, "-c", CHILD, demo.url],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            if out.returncode != 0:
                print(out.stderr[-3000:], file=sys.stderr)
                return 1
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            fields = out.stdout.split()
            imported.append(float(fields[-2]))
            interactive.append(float(fields[-1]))
    finally:
        demo.stop()
    print(f"runs: {args.runs}")
    print(
        f"imports done:        median {statistics.median(imported) * 1000:.0f} ms "
        f"(min {min(imported) * 1000:.0f})"
    )
    print(
        f"interactive main:    median {statistics.median(interactive) * 1000:.0f} ms "
        f"(min {min(interactive) * 1000:.0f}, max {max(interactive) * 1000:.0f})"
    )
    print(
        f"CPU time of the app:  median {statistics.median(cpu) * 1000:.0f} ms "
        f"(min {min(cpu) * 1000:.0f}; whole child process, exit included; wall time waits "
        f"on the demo server and on other processes of a busy machine)"
    )
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    verdict = "within" if statistics.median(interactive) <= 1.0 else "OVER"
    print(f"target 1 s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
