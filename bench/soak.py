"""Soak: many jobs, several clients at once, a keep-alive-dropping proxy in front.

``python -m bench.soak`` (defaults: 100,000 jobs in batches of 2,000, three
clients at once) starts ``apps/soak_app.py`` on 127.0.0.1, puts a
``FaultProxy`` in front of it that drops every pooled connection left idle
longer than ``--drop-idle`` seconds when its next request arrives, and runs
``--clients`` worker processes (``bench/soak_worker.py``) through the proxy.
Batches are dealt round-robin to the clients; between its batches each client
pauses ``--pause`` seconds, so every batch starts on connections the proxy is
about to drop. At the end it asks the server how often each tag ran and prints:

- failed: jobs that raised or returned a wrong value;
- lost: jobs that never finished (nothing finished for ``--stall`` seconds);
- never ran / ran twice: from the server's own count of every tag;
- RSS and OS thread count of each client process after its first and last
  batch (flat means no leak), and the proxy's drops.

Not a test (pytest never collects bench/). ``--client ref`` runs gradio_client
instead, for comparison. Everything is also written as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.server import QUIET_ENV, start_server
from bench.soak_worker import MARK

REPO = Path(__file__).resolve().parent.parent
APP = Path(__file__).resolve().parent / "apps" / "soak_app.py"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    ap.add_argument("--jobs", type=int, default=100_000, help="jobs in all (default 100,000)")
    ap.add_argument("--batch", type=int, default=2_000, help="jobs per batch (default 2,000)")
    ap.add_argument("--clients", type=int, default=3, help="client processes at once (3)")
    ap.add_argument("--client", choices=("ours", "ref"), default="ours")
    ap.add_argument("--drop-idle", type=float, default=1.0, help="proxy drops idle > this (s)")
    ap.add_argument("--pause", type=float, default=1.3, help="pause between a client's batches")
    ap.add_argument("--stall", type=float, default=120.0, help="no progress for this long: lost")
    ap.add_argument("--out", type=Path, default=None, help="JSON result path")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO))
    from tests.support.faults import FaultProxy

    batches = -(-args.jobs // args.batch)
    shares = [len(range(c, batches, args.clients)) for c in range(args.clients)]
    root = Path(tempfile.mkdtemp(prefix="gradio-tui-soak-"))
    server = start_server(root, app=APP)
    started = time.monotonic()
    results: dict[str, Any] = {"args": {k: str(v) for k, v in vars(args).items()}, "clients": []}
    try:
        with FaultProxy(int(server.url.rsplit(":", 1)[1].strip("/"))) as proxy:
            proxy.drop_idle_reused = args.drop_idle
            procs = []
            for c, share in enumerate(shares):
                params = {
                    "client": args.client,
                    "url": proxy.url,
                    "prefix": f"c{c}",
                    "batches": share,
                    "batch": args.batch,
                    "pause": args.pause,
                    "stall_s": args.stall,
                }
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "bench.soak_worker", json.dumps(params)],
                        cwd=REPO,
                        env={**QUIET_ENV, **_env()},
                        stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL,
                        text=True,
                    )
                )
            for c, proc in enumerate(procs):
                records = [
                    json.loads(line[len(MARK) :])
                    for line in proc.stdout or []
                    if line.startswith(MARK)
                ]
                proc.wait()
                results["clients"].append({"client": c, "records": records})
            results["proxy"] = {"dropped": proxy.dropped, "connections": len(proxy.connections)}
        results["server"] = [_server_counts(server.url, f"c{c}-") for c in range(args.clients)]
    finally:
        server.stop()
    results["seconds"] = time.monotonic() - started
    report(args, shares, results)
    out = args.out or REPO / "bench" / "results" / f"soak-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"\nfull results: {out}")
    return 0


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("HF_ENDPOINT", None)
    return env


def _server_counts(url: str, prefix: str) -> dict[str, Any]:
    from gradio_tui import Client

    with Client(url, verbose=False) as c:
        answer: dict[str, Any] = json.loads(c.predict(prefix, api_name="/runs"))
        return answer


def report(args: argparse.Namespace, shares: list[int], results: dict[str, Any]) -> None:
    total = failed = lost = 0
    print(
        f"\nsoak: {args.client}, {args.jobs} jobs in batches of {args.batch}, "
        f"{args.clients} clients, proxy drops connections idle > {args.drop_idle} s"
    )
    print(
        "| client | jobs | failed | lost | never ran | ran twice | RSS first→last (max) MB "
        "| threads first→last (max) | jobs/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---|---:|")
    for c, client in enumerate(results["clients"]):
        batches = [r for r in client["records"] if r["event"] == "batch"]
        jobs = sum(r["jobs"] for r in batches)
        f = sum(r["failed"] for r in batches)
        lo = sum(r["lost"] for r in batches)
        total, failed, lost = total + jobs, failed + f, lost + lo
        server = results["server"][c]
        repeated = sum(n - 1 for n in server["repeated"].values() if n > 1)
        never = jobs - server["distinct"]
        rss = [r["rss_mb"] for r in batches] or [0.0]
        threads = [r["threads"] for r in batches] or [0]
        seconds = sum(r["seconds"] for r in batches) or 1.0
        print(
            f"| {c} | {jobs} | {f} | {lo} | {never} | {repeated} "
            f"| {rss[0]:.1f}→{rss[-1]:.1f} ({max(rss):.1f}) "
            f"| {threads[0]}→{threads[-1]} ({max(threads)}) | {jobs / seconds:.0f} |"
        )
        errors = [e for r in batches for e in r.get("errors", [])]
        for e in errors[:3]:
            print(f"    e.g. {e}")
        if batches and "stats" in batches[-1]:
            print(f"    client stats: {batches[-1]['stats']}")
    if len(shares) and total != args.jobs:
        print(f"(ran {total} of {args.jobs} jobs)")
    print(
        f"\nall: {total} jobs, {failed} failed, {lost} lost; "
        f"proxy dropped {results['proxy']['dropped']} requests on idle connections; "
        f"{results['seconds']:.0f} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
