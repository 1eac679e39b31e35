"""Run the benchmark: our client vs gradio_client vs the bare protocol, one local app.

``python -m bench`` (see ``--help``). Starts ``apps/bench_app.py`` on
127.0.0.1, runs every measurement family in fresh worker processes (one per
client per family, never two at once: the machine has few cores and the
server shares them), prints a table of medians and ratios with the issue's
targets, and writes everything to ``bench/results/<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.bytecode import compile_ours
from bench.server import QUIET_ENV, BenchServer, start_server
from bench.worker import MARK

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
CLIENTS = ("ours", "ref")
FAMILY_NAMES = (
    "import",
    "cold",
    "connect",
    "view_api",
    "predict",
    "generator",
    "throughput",
    "file",
)
# Families run only when named with --only (the batch one takes minutes per client).
EXTRA_FAMILIES = ("batch",)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--runs", type=int, default=3, help="throughput runs per client (default 3)")
    ap.add_argument("--jobs", type=int, default=500, help="jobs per throughput run")
    ap.add_argument("--workers", type=int, default=40, help="max_workers for throughput")
    ap.add_argument("--predict-n", type=int, default=200, help="timed predict calls")
    ap.add_argument("--import-runs", type=int, default=10, help="fresh interpreters per client")
    ap.add_argument("--connect-n", type=int, default=11, help="connects per client (1st is cold)")
    ap.add_argument(
        "--cold-runs", type=int, default=7, help="fresh processes per client: import + 1st connect"
    )
    ap.add_argument("--gen-n", type=int, default=20, help="generator runs per client")
    ap.add_argument("--file-mb", type=int, default=50, help="size of the round-trip file")
    ap.add_argument("--file-runs", type=int, default=5, help="file round trips per client")
    ap.add_argument("--batch-rows", type=int, default=10_000, help="rows per batch run")
    ap.add_argument("--batch-runs", type=int, default=1, help="batch runs per client")
    ap.add_argument(
        "--only",
        default=",".join(FAMILY_NAMES),
        help=f"comma-separated families to run (default: {','.join(FAMILY_NAMES)}; "
        f"also: {','.join(EXTRA_FAMILIES)})",
    )
    ap.add_argument("--out", type=Path, default=None, help="JSON result path")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per worker process")
    return ap.parse_args(argv)


# -- running workers ----------------------------------------------------------------------


def client_env(temp_root: Path) -> dict[str, str]:
    env = {
        **os.environ,
        **QUIET_ENV,
        "GRADIO_TEMP_DIR": str(temp_root / "client-downloads"),
        "TMPDIR": str(temp_root),  # workers' temp folders go where the run cleans up
    }
    env.pop("HF_ENDPOINT", None)
    return env


def run_worker(
    family: str, kind: str, url: str, params: dict[str, Any], env: dict[str, str], timeout: float
) -> dict[str, Any]:
    """One worker process; its JSON result, or ``{"ok": False, "error": ...}``."""
    args = [sys.executable, "-m", "bench.worker", family, kind, url, json.dumps(params)]
    try:
        proc = subprocess.run(
            args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"worker timed out after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARK):
            return dict(json.loads(line[len(MARK) :]))
    tail = (proc.stderr or proc.stdout)[-500:].strip()
    return {"ok": False, "error": f"worker exited {proc.returncode} without a result: {tail}"}


def measure_import(kind: str, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """Fresh interpreters: the import alone (in-process clock) and the whole command."""
    stmt = "from gradio_tui import Client" if kind == "ours" else "from gradio_client import Client"
    code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
    inproc, wall = [], []
    subprocess.run([sys.executable, "-c", stmt], env=env, check=True)  # compile .pyc first
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        )
        wall.append(time.perf_counter() - t)
        inproc.append(float(out.stdout.strip().splitlines()[-1]))
    return {
        "ok": True,
        "import_s": inproc,
        "wall_s": wall,
        "import_median_s": statistics.median(inproc),
        "wall_median_s": statistics.median(wall),
    }


def python_startup(runs: int, env: dict[str, str]) -> float:
    """``python -c pass``: the part of the whole-command time that is not the import."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def make_file(path: Path, mb: int) -> None:
    """Incompressible bytes, written in chunks so the driver stays small."""
    with open(path, "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(2**20))


def fresh_server(temp_root: Path, log: Callable[[str], None]) -> BenchServer:
    """Start the benchmark app and warm it up: its first calls are slow (lazy imports)."""
    from bench.bare import BareSync, routes

    log("starting the benchmark app …")
    server = start_server(temp_root)
    warm = BareSync(routes(server.url, "/echo"))
    for i in range(20):
        warm.call([f"warm-{i}"])
    warm.close()
    return server


# -- machine ------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions = {}
    for pkg in ("gradio", "gradio_client", "gradio-tui", "httpx", "httpx-sse", "uvicorn"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain", "--", "gradio_tui"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "mem_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit + (" (+ uncommitted gradio_tui changes)" if dirty else ""),
        # Other work on the machine skews everything; say how busy it was.
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- the table ------------------------------------------------------------------------------


def _get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _median_of(runs: list[dict[str, Any]] | None, key: str) -> float | None:
    vals = [r[key] for r in runs or [] if r.get("ok") and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def _err(result: Any) -> str | None:
    if isinstance(result, dict) and not result.get("ok", True):
        return f"n/a (error: {result.get('error', '?')[:90]})"
    return None


def summarize(results: dict[str, Any], file_mb: int) -> dict[str, Any]:
    """Medians per metric per client, the ratios and the issue's targets."""
    f = results.get("families", {})
    rows: list[dict[str, Any]] = []

    def row(
        metric: str,
        unit: str,
        ours: float | None,
        ref: float | None,
        bare: float | None = None,
        *,
        errors: tuple[str | None, str | None] = (None, None),
    ) -> None:
        rows.append(
            {
                "metric": metric,
                "unit": unit,
                "ours": ours,
                "ref": ref,
                "bare": bare,
                "ours_ref": _ratio(ours, ref),
                "ours_bare": _ratio(ours, bare),
                "ours_error": errors[0],
                "ref_error": errors[1],
            }
        )

    imp = f.get("import", {})
    row(
        "import (in-process)",
        "ms",
        _ms(_get(imp, "ours", "import_median_s")),
        _ms(_get(imp, "ref", "import_median_s")),
    )
    row(
        "import (whole `python -c`)",
        "ms",
        _ms(_get(imp, "ours", "wall_median_s")),
        _ms(_get(imp, "ref", "wall_median_s")),
        _ms(_get(imp, "python_startup_s")),
    )
    con = f.get("connect", {})

    cold = f.get("cold", {})

    def first_connect(kind: str) -> float | None:
        if cold.get(kind):  # the median over fresh processes
            return _ms(_median_of(cold[kind], "cold_s"))
        return _ms(_get(con, kind, "cold_s"))

    def cold_start(kind: str) -> float | None:
        """What a script really waits for before its first call: import, then connect."""
        runs = [r for r in cold.get(kind) or [] if r.get("ok") and r.get("cold_s") is not None]
        if runs:  # each process's own import + first connect, then the median
            return _ms(statistics.median(r["import_s"] + r["cold_s"] for r in runs))
        a, b = _get(imp, kind, "import_median_s"), _get(con, kind, "cold_s")
        return None if a is None or b is None else _ms(a + b)

    def first_result(kind: str) -> float | None:
        """Import, connect and the first call's answer, each process's sum, then the median."""
        runs = [r for r in cold.get(kind) or [] if r.get("ok") and r.get("first_call_s")]
        if not runs:
            return None
        return _ms(statistics.median(r["import_s"] + r["cold_s"] + r["first_call_s"] for r in runs))

    cold_errors = (
        _err(next((r for r in cold.get("ours") or [] if not r.get("ok")), con.get("ours"))),
        _err(next((r for r in cold.get("ref") or [] if not r.get("ok")), con.get("ref"))),
    )
    row(
        "connect, first in process",
        "ms",
        first_connect("ours"),
        first_connect("ref"),
        errors=cold_errors,
    )
    row(
        "cold start: import + first connect",
        "ms",
        cold_start("ours"),
        cold_start("ref"),
        cold_start("bare"),  # httpx, asyncio, anyio and two requests: bench/bare_connect.py
    )
    row(
        "cold start to a first answer: import + connect + predict",
        "ms",
        first_result("ours"),
        first_result("ref"),
    )
    row(
        "connect, warm median",
        "ms",
        _ms(_get(con, "ours", "warm_median_s")),
        _ms(_get(con, "ref", "warm_median_s")),
    )
    pre = f.get("predict", {})
    for key, label in (("p50_s", "predict p50"), ("p95_s", "predict p95")):
        row(
            label,
            "ms",
            _ms(_get(pre, "ours", key)),
            _ms(_get(pre, "ref", key)),
            _ms(_get(pre, "bare", key)),
            errors=(_err(pre.get("ours")), _err(pre.get("ref"))),
        )
    row(
        "client CPU per predict",
        "ms",
        _ms(_get(pre, "ours", "cpu_per_call_s")),
        _ms(_get(pre, "ref", "cpu_per_call_s")),
        _ms(_get(pre, "bare", "cpu_per_call_s")),
    )
    gen = f.get("generator", {})
    row(
        "generator time to first output",
        "ms",
        _ms(_get(gen, "ours", "ttfo_median_s")),
        _ms(_get(gen, "ref", "ttfo_median_s")),
        _ms(_get(gen, "bare", "ttfo_median_s")),
        errors=(_err(gen.get("ours")), _err(gen.get("ref"))),
    )
    row(
        "generator total (10 steps)",
        "ms",
        _ms(_get(gen, "ours", "total_median_s")),
        _ms(_get(gen, "ref", "total_median_s")),
        _ms(_get(gen, "bare", "total_median_s")),
    )
    thr = f.get("throughput", {})
    n_runs = {k: len(thr.get(k, [])) for k in ("ours", "ref", "bare")}
    row(
        f"throughput ({n_runs['ours']} runs)",
        "jobs/s",
        _median_of(thr.get("ours"), "jobs_per_s"),
        _median_of(thr.get("ref"), "jobs_per_s"),
        _median_of(thr.get("bare"), "jobs_per_s"),
    )
    bad = {
        k: sum(r.get("failed", 0) + r.get("lost", 0) for r in thr.get(k, []) if r.get("ok"))
        + sum(1 for r in thr.get(k, []) if not r.get("ok")) * 10**6
        for k in ("ours", "ref", "bare")
    }
    failed_lost = {
        k: (
            sum(r.get("failed", 0) for r in thr.get(k, []) if r.get("ok")),
            sum(r.get("lost", 0) for r in thr.get(k, []) if r.get("ok")),
        )
        for k in ("ours", "ref", "bare")
    }
    rows.append(
        {
            "metric": "throughput failed / lost jobs (all runs)",
            "unit": "jobs",
            "text": {
                k: f"{failed_lost[k][0]} / {failed_lost[k][1]}"
                + (
                    f" (+{sum(1 for r in thr.get(k, []) if not r.get('ok'))} runs crashed)"
                    if any(not r.get("ok") for r in thr.get(k, []))
                    else ""
                )
                for k in ("ours", "ref", "bare")
            },
        }
    )
    row(
        "client CPU per job (throughput)",
        "ms",
        _ms(_median_of(thr.get("ours"), "cpu_per_job_s")),
        _ms(_median_of(thr.get("ref"), "cpu_per_job_s")),
        _ms(_median_of(thr.get("bare"), "cpu_per_job_s")),
    )
    row(
        "throughput peak RSS",
        "MB",
        _median_of(thr.get("ours"), "peak_rss_mb"),
        _median_of(thr.get("ref"), "peak_rss_mb"),
        _median_of(thr.get("bare"), "peak_rss_mb"),
    )
    fil = f.get("file", {})

    def first_error(kind: str) -> str | None:
        runs = fil.get(kind) or []
        if runs and all(not r.get("ok") for r in runs):
            return _err(runs[0])
        return None

    def max_of(kind: str, key: str) -> float | None:
        vals = [r[key] for r in fil.get(kind) or [] if r.get("ok")]
        return max(vals) if vals else None

    file_errors = (first_error("ours"), first_error("ref"))
    row(
        f"{file_mb} MB file round trip",
        "MB/s",
        _median_of(fil.get("ours"), "mb_per_s"),
        _median_of(fil.get("ref"), "mb_per_s"),
        errors=file_errors,
    )
    # Trips run in pairs (ours, then the reference) while the machine's load drifts:
    # the median of each pair's ratio is steadier than the ratio of the medians.
    pairs = [
        a["mb_per_s"] / b["mb_per_s"]
        for a, b in zip(fil.get("ours") or [], fil.get("ref") or [], strict=False)
        if a.get("ok") and b.get("ok") and b.get("mb_per_s")
    ]
    rows.append(
        {
            "metric": "file round trip, ours/ref of each pair (median)",
            "unit": "",
            "ours": None,
            "ref": None,
            "bare": None,
            "ours_ref": statistics.median(pairs) if pairs else None,
            "ours_bare": None,
            "ours_error": None,
            "ref_error": None,
        }
    )
    row(
        "file round trip peak RSS",
        "MB",
        _median_of(fil.get("ours"), "peak_rss_mb"),
        _median_of(fil.get("ref"), "peak_rss_mb"),
        errors=file_errors,
    )
    row(
        "file round trip RSS growth (max)",
        "MB",
        max_of("ours", "growth_mb"),
        max_of("ref", "growth_mb"),
        errors=file_errors,
    )
    bat = f.get("batch", {})
    if bat:
        n_rows = None
        for kind in ("ours", "ref"):
            for r in bat.get(kind) or []:
                n_rows = n_rows or r.get("rows")
        args_rows = f"{n_rows:,}" if n_rows else "?"
        row(
            f"batch: {args_rows} rows, echo app",
            "rows/s",
            _median_of(bat.get("ours"), "rows_per_s"),
            _median_of(bat.get("ref"), "rows_per_s"),
            _median_of(bat.get("bare"), "jobs_per_s"),
            errors=(_err((bat.get("ours") or [{}])[0]), _err((bat.get("ref") or [{}])[0])),
        )
        row(
            "batch client CPU per row",
            "ms",
            _ms(_median_of(bat.get("ours"), "cpu_per_row_s")),
            _ms(_median_of(bat.get("ref"), "cpu_per_row_s")),
            _ms(_median_of(bat.get("bare"), "cpu_per_job_s")),
        )
        row(
            "batch RSS growth, row 1,000 → last",
            "MB",
            _max_of(bat.get("ours"), "growth_mb"),
            _max_of(bat.get("ref"), "growth_mb"),
        )
        row(
            "batch peak RSS",
            "MB",
            _median_of(bat.get("ours"), "peak_rss_mb"),
            _median_of(bat.get("ref"), "peak_rss_mb"),
            _median_of(bat.get("bare"), "peak_rss_mb"),
        )
        rows.append(
            {
                "metric": "batch failed / wrong rows (all runs)",
                "unit": "rows",
                "text": {
                    k: " / ".join(
                        str(sum(r.get(key, 0) for r in bat.get(k, []) if r.get("ok")))
                        for key in ("failed", "wrong")
                    )
                    for k in ("ours", "ref", "bare")
                },
            }
        )
    vapi = f.get("view_api", {})
    row(
        "view_api (dict)",
        "ms",
        _ms(_get(vapi, "ours", "dict_median_s")),
        _ms(_get(vapi, "ref", "dict_median_s")),
    )
    row(
        "view_api (str)",
        "ms",
        _ms(_get(vapi, "ours", "str_median_s")),
        _ms(_get(vapi, "ref", "str_median_s")),
    )

    by = {r["metric"]: r for r in rows}

    def r_(metric: str, key: str) -> float | None:
        return by.get(metric, {}).get(key)

    thr_metric = f"throughput ({n_runs['ours']} runs)"
    file_metric = f"{file_mb} MB file round trip"
    growth = r_("file round trip RSS growth (max)", "ours")
    targets = [
        _target("predict p50 ≤ 1.3× bare floor", r_("predict p50", "ours_bare"), "<=", 1.3),
        _target("throughput ≥ 0.9× bare floor", r_(thr_metric, "ours_bare"), ">=", 0.9),
        _target("throughput ≥ 2× reference", r_(thr_metric, "ours_ref"), ">=", 2.0),
        {
            "target": f"0 failed/lost jobs in {n_runs['ours']} runs",
            "value": bad["ours"] if n_runs["ours"] else None,
            "met": (bad["ours"] == 0) if n_runs["ours"] else None,
        },
        _target(
            "throughput peak RSS ≤ 0.5× reference", r_("throughput peak RSS", "ours_ref"), "<=", 0.5
        ),
        _target(
            "import ≤ 0.3× gradio_client (in-process)",
            r_("import (in-process)", "ours_ref"),
            "<=",
            0.3,
        ),
        _target(
            "import ≤ 0.3× gradio_client (whole command)",
            r_("import (whole `python -c`)", "ours_ref"),
            "<=",
            0.3,
        ),
        _target(
            "connect ≤ 0.6× reference (warm)", r_("connect, warm median", "ours_ref"), "<=", 0.6
        ),
        _target(
            "connect ≤ 0.6× reference (first, incl. lazy imports)",
            r_("connect, first in process", "ours_ref"),
            "<=",
            0.6,
        ),
        _target("file round trip ≥ 1.0× reference MB/s", r_(file_metric, "ours_ref"), ">=", 1.0),
        _target(
            "cold start (import + first connect) ≤ 0.5× reference (issue #15)",
            r_("cold start: import + first connect", "ours_ref"),
            "<=",
            0.5,
        ),
        _target(
            "predict p50 ≤ 1.15× bare floor (issue #15)", r_("predict p50", "ours_bare"), "<=", 1.15
        ),
        _target(
            "file round trip ≥ 1.2× reference MB/s (issue #15)",
            r_(file_metric, "ours_ref"),
            ">=",
            1.2,
        ),
        _target(
            "file round trip ≥ 1.2× reference MB/s, median of pairs (issue #15)",
            r_("file round trip, ours/ref of each pair (median)", "ours_ref"),
            ">=",
            1.2,
        ),
        {
            "target": f"file round trip RSS growth ≤ 8 MB moving {file_mb} MB (issue #15)",
            "value": growth,
            "met": None if growth is None else growth <= 8,
        },
        {
            "target": f"file round trip flat memory (RSS growth ≤ 10 MB moving {file_mb} MB)",
            "value": growth,
            "met": None if growth is None else growth <= 10,
        },
    ]
    if bat:
        batch_metric = next(m for m in by if m.startswith("batch: "))
        batch_growth = r_("batch RSS growth, row 1,000 → last", "ours")
        targets += [
            _target("batch ≥ 0.9× throughput floor", r_(batch_metric, "ours_bare"), ">=", 0.9),
            {
                "target": "batch flat memory (RSS growth < 20 MB, row 1,000 → last)",
                "value": batch_growth,
                "met": None if batch_growth is None else batch_growth < 20,
            },
        ]
    return {"rows": rows, "targets": targets}


def _max_of(runs: list[dict[str, Any]] | None, key: str) -> float | None:
    vals = [r[key] for r in runs or [] if r.get("ok") and r.get(key) is not None]
    return max(vals) if vals else None


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _target(name: str, value: float | None, op: str, limit: float) -> dict[str, Any]:
    met = None if value is None else (value <= limit if op == "<=" else value >= limit)
    return {"target": name, "value": value, "met": met}


def _fmt(v: float | None) -> str:
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def _fmt_ratio(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}×"


def render(summary: dict[str, Any], machine: dict[str, Any]) -> str:
    """The Markdown table printed at the end and pasted into bench/README.md."""
    lines = [
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['mem_gb']} GB RAM, "
        f"{machine['os']}, Python {machine['python']}",
        f"- Date: {machine['date']}; gradio {machine['versions'].get('gradio')}, "
        f"gradio_client {machine['versions'].get('gradio_client')}, "
        f"gradio-tui {machine['versions'].get('gradio-tui')} @ {machine['commit']}, "
        f"httpx {machine['versions'].get('httpx')}",
        f"- Load average (1/5/15 min) at start {machine.get('loadavg_start')}, "
        f"at end {machine.get('loadavg_end')}",
        "",
        "| metric | unit | ours | gradio_client | bare floor | ours/ref | ours/floor |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in summary["rows"]:
        if "text" in r:
            t = r["text"]
            lines.append(
                f"| {r['metric']} | {r['unit']} | {t['ours']} | {t['ref']} | {t['bare']} | | |"
            )
            continue
        ours = r["ours_error"] or _fmt(r["ours"])
        ref = r["ref_error"] or _fmt(r["ref"])
        lines.append(
            f"| {r['metric']} | {r['unit']} | {ours} | {ref} | {_fmt(r['bare'])} | "
            f"{_fmt_ratio(r['ours_ref'])} | {_fmt_ratio(r['ours_bare'])} |"
        )
    lines += ["", "| target (issues #7, #14, #15) | value | met |", "|---|---:|---|"]
    for t in summary["targets"]:
        value = t["value"]
        shown = "–" if value is None else (f"{value:.2f}" if isinstance(value, float) else value)
        met = {True: "yes", False: "**NO**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {shown} | {met} |")
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - set(FAMILY_NAMES) - set(EXTRA_FAMILIES)
    if unknown:
        print(f"unknown families: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    temp_root = Path(tempfile.mkdtemp(prefix="gradio-tui-clientbench-"))
    env = client_env(temp_root)
    machine = machine_info()
    machine["bytecode"] = compile_ours()
    params = {k: v for k, v in vars(args).items() if k not in ("out",)}
    results: dict[str, Any] = {"machine": machine, "params": params, "families": {}}
    fams: dict[str, Any] = results["families"]

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def worker(family: str, kind: str, p: dict[str, Any]) -> dict[str, Any]:
        log(f"{family} / {kind} …")
        res = run_worker(family, kind, server.url, p, env, args.timeout)
        if not res.get("ok"):
            log(f"  {family} / {kind} failed: {res.get('error')}")
        return res

    server: BenchServer | None = None
    try:
        if "import" in only:
            log("import …")
            fams["import"] = {k: measure_import(k, args.import_runs, env) for k in CLIENTS}
            fams["import"]["python_startup_s"] = python_startup(args.import_runs, env)
        if only - {"import"}:
            server = fresh_server(temp_root, log)
        assert server is not None or not (only - {"import"})
        plan: list[tuple[str, tuple[str, ...], Callable[[], dict[str, Any]]]] = [
            ("connect", CLIENTS, lambda: {"n": args.connect_n}),
            ("view_api", CLIENTS, lambda: {"n": 50}),
            ("predict", ("bare", *CLIENTS), lambda: {"n": args.predict_n, "warmup": 20}),
            ("generator", ("bare", *CLIENTS), lambda: {"n": args.gen_n, "steps": 10}),
        ]
        for family, kinds, mkparams in plan:
            if family in only:
                fams[family] = {k: worker(family, k, mkparams()) for k in kinds}
        if "cold" in only:  # one fresh process per sample, interleaved like throughput
            cold_kinds = ("bare", *CLIENTS)
            cold_runs: dict[str, list[dict[str, Any]]] = {k: [] for k in cold_kinds}
            for _ in range(args.cold_runs):
                for kind in cold_kinds:
                    cold_runs[kind].append(worker("connect", kind, {"n": 1, "first_call": True}))
            fams["cold"] = cold_runs
        if "throughput" in only:
            thr: dict[str, list[dict[str, Any]]] = {"bare": [], "ours": [], "ref": []}
            p = {"n": args.jobs, "workers": args.workers, "stall_s": 30}
            kinds = ["bare", "ours", "ref"]
            for i in range(args.runs):
                # Each round gets a fresh server (it slows down a little as 500-job
                # sessions pile up), and each client goes first in turn.
                if server is not None:
                    server.stop()
                server = fresh_server(temp_root, log)
                for kind in kinds[i % 3 :] + kinds[: i % 3]:
                    res = worker("throughput", kind, p)
                    thr[kind].append(res)
                    if res.get("ok"):
                        log(
                            f"  run {i + 1}: {res['jobs_per_s']:.1f} jobs/s, "
                            f"{res['failed']} failed, {res['lost']} lost, "
                            f"peak RSS {res['peak_rss_mb']:.0f} MB"
                        )
            fams["throughput"] = thr
        if "file" in only:
            path = temp_root / f"payload-{args.file_mb}MB.bin"
            make_file(path, args.file_mb)
            warm = temp_root / "warm.txt"
            warm.write_bytes(b"warm-up\n")
            files: dict[str, list[dict[str, Any]]] = {k: [] for k in CLIENTS}
            p = {"path": str(path), "n": 1, "warm": str(warm)}
            for _ in range(args.file_runs):  # one process per trip, interleaved like throughput
                for kind in CLIENTS:
                    files[kind].append(worker("file", kind, p))
            fams["file"] = files
            path.unlink()
        if "batch" in only:
            rows = temp_root / "rows.jsonl"
            with open(rows, "w") as f:
                for i in range(args.batch_rows):
                    f.write(json.dumps({"text": f"row-{i}"}) + "\n")
            batch: dict[str, list[dict[str, Any]]] = {"bare": [], "ours": [], "ref": []}
            p_batch = {
                "input": str(rows),
                "rows": args.batch_rows,
                "workers": args.workers,
                "early": min(1000, args.batch_rows),
            }
            p_floor = {"n": args.batch_rows, "workers": args.workers, "stall_s": 30}
            kinds = ["bare", "ours", "ref"]
            for i in range(args.batch_runs):
                for kind in kinds[i % 3 :] + kinds[: i % 3]:
                    # A fresh server for every measurement: a Gradio server slows down
                    # as finished sessions pile up, which would favour whoever goes first.
                    if server is not None:
                        server.stop()
                    server = fresh_server(temp_root, log)
                    # The floor is the throughput floor over as many jobs as rows.
                    res = (
                        worker("throughput", "bare", p_floor)
                        if kind == "bare"
                        else worker("batch", kind, p_batch)
                    )
                    batch[kind].append(res)
                    if res.get("ok"):
                        rate = res.get("rows_per_s", res.get("jobs_per_s"))
                        log(f"  {kind}: {rate:.1f} rows/s, growth {res.get('growth_mb')} MB")
            fams["batch"] = batch
            rows.unlink()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(temp_root, ignore_errors=True)

    machine["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    summary = summarize(results, args.file_mb)
    results["summary"] = summary
    table = render(summary, machine)
    out = args.out or RESULTS / (dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(table)
    print(f"\nFull results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
