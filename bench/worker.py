"""One measurement family for one client, in a process of its own.

``python -m bench.worker FAMILY CLIENT URL PARAMS_JSON`` where CLIENT is
``ours`` (gradio_tui), ``ref`` (gradio_client) or ``bare`` (the protocol
floor). Each run is a fresh interpreter so that the two clients' imports,
threads and memory never mix, and so that peak RSS (``ru_maxrss``) is the
client's own. The result is one JSON object on the last stdout line, after
``BENCH-RESULT ``; the process then leaves with ``os._exit`` so that a client
with stuck worker threads (lost jobs) cannot hang the benchmark at exit.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

MARK = "BENCH-RESULT "


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident memory, to tell what a measurement added to the baseline."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile: no interpolation between two samples."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


# -- the two clients behind one small surface ------------------------------------------


def make_client(kind: str, url: str, output_dir: str) -> Any:
    """A connected client; both quiet, both told not to phone home."""
    if kind == "ours":
        from gradio_tui import Client

        return Client(url, verbose=False, output_dir=output_dir)
    if kind == "ref":
        from gradio_client import Client as RefClient

        return RefClient(url, verbose=False, download_files=output_dir, analytics_enabled=False)
    raise ValueError(f"not a client: {kind}")


def file_arg(kind: str, path: str) -> Any:
    if kind == "ours":
        from gradio_tui import handle_file
    else:
        from gradio_client import handle_file
    return handle_file(path)


def future_of(job: Any) -> concurrent.futures.Future[Any]:
    """The real Future: the reference's ``Job`` delegates to an inner one."""
    inner = getattr(job, "future", None)
    return inner if isinstance(inner, concurrent.futures.Future) else job


def close_quietly(client: Any) -> None:
    try:
        client.close()
    except Exception:
        pass


# -- families ----------------------------------------------------------------------------


def fam_connect(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """Import once, then connect ``n`` times: the first is cold (lazy imports), the rest warm."""
    out = tempfile.mkdtemp(prefix=f"bench-{kind}-")
    t = time.perf_counter()
    make_client_import(kind)
    import_s = time.perf_counter() - t
    times = []
    for _ in range(p["n"]):
        t = time.perf_counter()
        client = make_client(kind, url, out)
        times.append(time.perf_counter() - t)
        close_quietly(client)
    return {
        "import_s": import_s,
        "cold_s": times[0],
        "warm_s": times[1:],
        "warm_median_s": statistics.median(times[1:]),
    }


def make_client_import(kind: str) -> None:
    if kind == "ours":
        from gradio_tui import Client
    else:
        from gradio_client import Client  # noqa: F401


def fam_view_api(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """``view_api`` as dict and as text, from an already connected client."""
    client = make_client(kind, url, tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    res: dict[str, Any] = {}
    for fmt in ("dict", "str"):
        times = []
        for _ in range(p["n"]):
            t = time.perf_counter()
            client.view_api(print_info=False, return_format=fmt)
            times.append(time.perf_counter() - t)
        res[f"{fmt}_median_s"] = statistics.median(times)
    close_quietly(client)
    return res


def fam_predict(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """Sequential ``predict`` on the echo endpoint: wall per call and process CPU per call."""
    if kind == "bare":
        from bench.bare import BareSync, routes

        bare = BareSync(routes(url, "/echo"))

        def call(text: str) -> Any:
            return bare.call([text])[0]

        closer: Callable[[], None] = bare.close
    else:
        client = make_client(kind, url, tempfile.mkdtemp(prefix=f"bench-{kind}-"))

        def call(text: str) -> Any:
            return client.predict(text, api_name="/echo")

        def closer() -> None:
            close_quietly(client)

    for i in range(p["warmup"]):
        call(f"warm-{i}")
    times = []
    wrong = 0
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    for i in range(p["n"]):
        text = f"call-{i}"
        t = time.perf_counter()
        value = call(text)
        times.append(time.perf_counter() - t)
        wrong += value != text
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    closer()
    return {
        "n": p["n"],
        "p50_s": statistics.median(times),
        "p95_s": pct(times, 95),
        "mean_s": wall / p["n"],
        "cpu_per_call_s": cpu / p["n"],
        "wrong": wrong,
    }


def fam_generator(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """Time from ``submit`` to the first streamed output, and to the result."""
    steps = p["steps"]
    expected = "".join(f"tok{i} " for i in range(steps))
    ttfo: list[float] = []
    total: list[float] = []
    wrong = 0
    if kind == "bare":
        from bench.bare import BareSync, routes

        bare = BareSync(routes(url, "/count"))
        bare.call([1])  # warm the connection
        for _ in range(p["n"]):
            t = time.perf_counter()
            data, first = bare.timed_call([steps])
            total.append(time.perf_counter() - t)
            ttfo.append((first or time.perf_counter()) - t)
            wrong += data[0] != expected
        bare.close()
    else:
        client = make_client(kind, url, tempfile.mkdtemp(prefix=f"bench-{kind}-"))
        client.predict(1, api_name="/count")  # warm
        for _ in range(p["n"]):
            t = time.perf_counter()
            job = client.submit(steps, api_name="/count")
            next(iter(job))
            ttfo.append(time.perf_counter() - t)
            value = job.result(timeout=60)
            total.append(time.perf_counter() - t)
            wrong += value != expected
        close_quietly(client)
    return {
        "n": p["n"],
        "ttfo_median_s": statistics.median(ttfo),
        "total_median_s": statistics.median(total),
        "wrong": wrong,
    }


def fam_throughput(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """``n`` echo jobs submitted at once with ``max_workers``; failures and lost jobs counted.

    A job is *failed* if it raised or returned the wrong value, *lost* if it
    never finished: the run gives up once no job has finished for ``stall_s``
    seconds. jobs/s is successful jobs over the time until every job had ended.
    """
    n, workers, stall = p["n"], p["workers"], p["stall_s"]
    rss_before = 0.0
    if kind == "bare":
        import asyncio

        from bench.bare import bare_throughput, routes

        r = routes(url, "/echo")
        rss_before = rss_mb()
        cpu0 = time.process_time()
        raw = asyncio.run(bare_throughput(r, n, workers, stall))
        cpu = time.process_time() - cpu0
        ok = len(raw["done_times"])
        span = (max(raw["done_times"]) - raw["start"]) if ok else float("nan")
        return {
            "n": n,
            "succeeded": ok,
            "failed": raw["failed"],
            "lost": raw["lost"],
            "jobs_per_s": ok / span if ok else 0.0,
            "wall_s": span,
            "cpu_per_job_s": cpu / n,
            "rss_before_mb": rss_before,
            "peak_rss_mb": peak_rss_mb(),
            "errors": raw["errors"],
        }
    if kind == "ours":
        from gradio_tui import Client
    else:
        from gradio_client import Client
    out = tempfile.mkdtemp(prefix=f"bench-{kind}-")
    kwargs = {"output_dir": out} if kind == "ours" else {"download_files": out}
    client = Client(url, verbose=False, max_workers=workers, **kwargs)
    client.predict("warm", api_name="/echo")
    rss_before = rss_mb()
    cpu0 = time.process_time()
    start = time.perf_counter()
    jobs = [client.submit(f"job-{i}", api_name="/echo") for i in range(n)]
    submitted_s = time.perf_counter() - start
    # No done-callbacks: ours would run them on its callback threads, which is
    # user-code machinery, not the client. wait() returns the moment all are done.
    futures = [future_of(j) for j in jobs]
    last_progress, last_count = time.perf_counter(), 0
    while True:
        done, pending = concurrent.futures.wait(futures, timeout=1.0)
        now = time.perf_counter()
        if not pending:
            end = now
            break
        if len(done) != last_count:
            last_progress, last_count = now, len(done)
        elif now - last_progress > stall:
            end = last_progress  # lost jobs: count time up to the last progress seen
            break
    cpu = time.process_time() - cpu0
    ok, failed, errors = 0, 0, []
    for i, job in enumerate(jobs):
        fut = futures[i]
        if not fut.done():
            continue
        try:
            value = job.result(timeout=0)
        except BaseException as exc:
            failed += 1
            if len(errors) < 5:
                errors.append(f"job {i}: {type(exc).__name__}: {exc}"[:300])
            continue
        if value != f"job-{i}":
            failed += 1
            if len(errors) < 5:
                errors.append(f"job {i}: wrong value {value!r:.80}")
            continue
        ok += 1
    lost = sum(not f.done() for f in futures)
    span = end - start
    return {
        "n": n,
        "succeeded": ok,
        "failed": failed,
        "lost": lost,
        "jobs_per_s": ok / span if ok else 0.0,
        "wall_s": span,
        "cpu_per_job_s": cpu / n,
        "submit_all_s": submitted_s,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "errors": errors,
    }


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _result_path(value: Any) -> str:
    """A downloaded file's local path, whatever shape the client returned it in."""
    if isinstance(value, str | Path):
        return str(value)
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        return value["path"]
    path = getattr(value, "path", None)
    if isinstance(path, str):
        return path
    raise TypeError(f"returned {type(value).__name__}: {value!r:.120}")


def fam_file(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """A File-in/File-out round trip of the given file: MB/s and memory growth.

    MB/s is the file's size over the whole round trip (upload, server, download);
    memory growth is peak RSS over the RSS before the first transfer, so a
    client that holds the file in memory shows it here.
    """
    src = p["path"]
    size = os.path.getsize(src)
    want = _sha256(src)
    client = make_client(kind, url, tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    if p.get("warm"):  # a tiny round trip first: lazy imports and connections are not timed
        os.unlink(_result_path(client.predict(file_arg(kind, p["warm"]), api_name="/file_echo")))
    rss_before = rss_mb()
    times = []
    for _ in range(p["n"]):
        t = time.perf_counter()
        value = client.predict(file_arg(kind, src), api_name="/file_echo")
        times.append(time.perf_counter() - t)
        got = _result_path(value)
        if os.path.getsize(got) != size or _sha256(got) != want:
            raise RuntimeError(f"the returned file {got} differs from the one sent")
        os.unlink(got)
    peak = peak_rss_mb()
    close_quietly(client)
    med = statistics.median(times)
    return {
        "n": p["n"],
        "size_mb": size / 2**20,
        "median_s": med,
        "mb_per_s": size / 2**20 / med,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "growth_mb": peak - rss_before,
    }


FAMILIES: dict[str, Callable[[str, str, dict[str, Any]], dict[str, Any]]] = {
    "connect": fam_connect,
    "view_api": fam_view_api,
    "predict": fam_predict,
    "generator": fam_generator,
    "throughput": fam_throughput,
    "file": fam_file,
}


def main() -> None:
    family, kind, url, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    try:
        result: dict[str, Any] = {"ok": True, **FAMILIES[family](kind, url, params)}
    except BaseException as exc:
        result = {
            "ok": False,
            "error": f"{type(exc).__name__}: {exc}"[:500],
            "traceback": traceback.format_exc()[-3000:],
        }
    sys.stdout.write("\n" + MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
