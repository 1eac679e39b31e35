"""Cold start of the terminal app on the demo: process start → interactive main screen.

    .venv/bin/python bench/tui_startup.py [--runs 5]
    .venv/bin/python bench/tui_startup.py --demo-cli [--runs 5]

Starts the bundled demo Gradio app once (its own start-up is reported
separately: it is Gradio's, not ours), then launches a fresh interpreter per
run that imports the app and runs it headless against the demo. "Interactive"
means: connected, main screen mounted, the first endpoint's form built and
painted. The clock starts before the child interpreter is spawned, so Python's
own start-up and every import are included. A benchmark, not a test.

``--demo-cli`` times what ``gradio-tui --demo`` users wait for instead: each
run is the real command (``cli.main(["--demo"])``, headless), which starts
its own demo app; this script polls that app's ``/config`` every 10 ms from
its own process and reports the time from the app's first answer to the
interactive main screen (issue 15's target: ≤ 500 ms), and the whole run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bytecode import compile_ours

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

# The real ``gradio-tui --demo``: the app class is swapped for the probe (run
# headless) and the demo gets the port this script watches.
CLI_CHILD = r"""
import os, sys, time
t0 = float(os.environ["GRADIO_TUI_T0"])
marks = {}
import gradio_tui.serving as serving

serving.free_port = lambda: int(os.environ["GRADIO_TUI_BENCH_PORT"])

def probe_class():
    from gradio_tui.tui.app import GradioTUI
    from gradio_tui.tui.screens.main import MainScreen
    from gradio_tui.tui.widgets.form import Field

    class Probe(GradioTUI):
        def on_mount(self) -> None:
            self.set_interval(0.002, self._probe)

        def _probe(self) -> None:
            screen = self.screen
            if "main" not in marks and isinstance(screen, MainScreen) and screen.query(Field):
                if all(f.query(".field--editor") for f in screen.query(Field)):
                    marks["main"] = -1.0
                    self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            marks["main"] = time.time()
            self.exit()

        def run(self, *args, **kwargs):
            return super().run(headless=True, size=(120, 36))

    return Probe

import gradio_tui.cli as cli
_run_app = cli.run_app

def run_app(*args, **kwargs):
    import gradio_tui.tui.app as app_module
    app_module.GradioTUI = probe_class()
    return _run_app(*args, **kwargs)

cli.run_app = run_app
code = cli.main(["--demo"])
print(f"{code} {marks['main']:.4f}")
"""


def first_answer(url: str, proc: subprocess.Popen[str], timeout: float = 120.0) -> float | None:
    """``time.time()`` of the first 200 from ``url`` (polled every 10 ms), or None."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=1)
        try:
            conn.request("GET", parts.path + "config")
            if conn.getresponse().status == 200:
                return time.time()
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.01)
    return None


def demo_cli(runs: int) -> int:
    """Time ``gradio-tui --demo`` from the demo's first answer to the interactive screen."""
    from gradio_tui.serving import free_port

    after_answer: list[float] = []
    whole: list[float] = []
    for _ in range(runs):
        port = free_port()
        t0 = time.time()
        env = {**os.environ, "GRADIO_TUI_T0": repr(t0), "GRADIO_TUI_BENCH_PORT": str(port)}
        proc = subprocess.Popen(
            [sys.executable, "-c", CLI_CHILD],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        answered = first_answer(f"http://127.0.0.1:{port}/", proc)
        out, err = proc.communicate(timeout=120)
        if proc.returncode != 0 or answered is None:
            print(err[-3000:], file=sys.stderr)
            return 1
        main_at = float(out.split()[-1])
        after_answer.append(main_at - answered)
        whole.append(main_at - t0)
    print(f"runs: {runs} (gradio-tui --demo, headless)")
    print(
        f"demo answers → interactive main: median {statistics.median(after_answer) * 1000:.0f} ms "
        f"(min {min(after_answer) * 1000:.0f}, max {max(after_answer) * 1000:.0f})"
    )
    print(
        f"whole command → interactive main: median {statistics.median(whole) * 1000:.0f} ms "
        f"(the demo's own Gradio start-up included)"
    )
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    verdict = "within" if statistics.median(after_answer) <= 0.5 else "OVER"
    print(f"target 500 ms after the demo answers: {verdict}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--demo-cli", action="store_true", help="time `gradio-tui --demo` after the demo answers"
    )
    args = parser.parse_args()
    compile_ours()  # as an installed copy has it: see bench/bytecode.py
    if args.demo_cli:
        return demo_cli(args.runs)

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
