"""One soak client, in a process of its own: ``python -m bench.soak_worker PARAMS_JSON``.

Runs ``batches`` batches of ``batch`` jobs on ``/tick`` (every job a tag of its
own), each batch submitted at once and awaited, with a pause between batches
long enough for the proxy to drop the idle connections. After every batch it
prints one JSON line: what failed (raised or came back wrong), what was lost
(never finished), and the process's RSS and OS thread count. The controller
(``bench/soak.py``) reads the lines and asks the server what it ran.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import sys
import time
from typing import Any

MARK = "SOAK "


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def os_threads() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return -1


def make_client(kind: str, url: str) -> Any:
    if kind == "ours":
        from gradio_tui import Client

        return Client(url, verbose=False)
    from gradio_client import Client as RefClient

    return RefClient(url, verbose=False, analytics_enabled=False)


def future_of(job: Any) -> concurrent.futures.Future[Any]:
    inner = getattr(job, "future", None)
    return inner if isinstance(inner, concurrent.futures.Future) else job


def emit(record: dict[str, Any]) -> None:
    print(MARK + json.dumps(record), flush=True)


def main() -> None:
    p = json.loads(sys.argv[1])
    client = make_client(p["client"], p["url"])
    emit({"event": "connected", "rss_mb": rss_mb(), "threads": os_threads()})
    for b in range(p["batches"]):
        if b:
            time.sleep(p["pause"])  # idle long enough for the proxy to drop connections
        t0 = time.monotonic()
        tags = [f"{p['prefix']}-{b}-{i}" for i in range(p["batch"])]
        jobs = {future_of(client.submit(tag, api_name="/tick")): tag for tag in tags}
        failed, errors = 0, []
        pending = set(jobs)
        while pending:
            done, pending = concurrent.futures.wait(
                pending, timeout=p["stall_s"], return_when=concurrent.futures.FIRST_COMPLETED
            )
            if not done:
                break  # nothing finished for stall_s: the rest is lost
            for fut in done:
                try:
                    ok = fut.result() == jobs[fut]
                except BaseException as exc:
                    ok = False
                    if len(errors) < 5:
                        errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                failed += not ok
        for fut in pending:
            fut.cancel()
        record: dict[str, Any] = {
            "event": "batch",
            "batch": b,
            "jobs": len(tags),
            "failed": failed,
            "lost": len(pending),
            "seconds": time.monotonic() - t0,
            "rss_mb": rss_mb(),
            "threads": os_threads(),
            "errors": errors,
        }
        core = getattr(client, "core", None)
        if core is not None:
            record["stats"] = core.stats
        emit(record)
    try:
        client.close()
    except Exception:
        pass
    emit({"event": "closed", "rss_mb": rss_mb(), "threads": os_threads()})
    sys.stdout.flush()
    os._exit(0)  # a client with stuck threads must not hold the soak at exit


if __name__ == "__main__":
    main()
