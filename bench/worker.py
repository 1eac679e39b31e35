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
    if kind == "bare":  # the cold-start floor: config and info, no client (bench/bare_connect.py)
        from bench import bare_connect

        return bare_connect.connect(url)
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
    first_call_s = None
    for i in range(p["n"]):
        t = time.perf_counter()
        client = make_client(kind, url, out)
        times.append(time.perf_counter() - t)
        if i == 0 and p.get("first_call") and kind != "bare":
            # A script's next step: its first call, with whatever the client left to load.
            t = time.perf_counter()
            client.predict("hi", api_name="/echo")
            first_call_s = time.perf_counter() - t
        close_quietly(client)
    return {
        "import_s": import_s,
        "cold_s": times[0],
        "first_call_s": first_call_s,
        "warm_s": times[1:],
        "warm_median_s": statistics.median(times[1:]) if len(times) > 1 else None,
    }


def make_client_import(kind: str) -> None:
    if kind == "ours":
        from gradio_tui import Client
    elif kind == "bare":
        from bench.bare_connect import import_libraries

        import_libraries()
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


class RowSampler:
    """Samples this process's RSS while a batch writes its output, by output line count.

    A thread polls the output file every 50 ms (reading only what is new) and
    records the RSS when the count first reaches ``mark`` and the largest RSS
    seen from then on: growth is that maximum minus the RSS at the mark.
    """

    def __init__(self, path: Path, mark: int) -> None:
        import threading

        self.path = path
        self.mark = mark
        self.lines = 0
        self.at_mark: float | None = None
        self.max_after: float | None = None
        self._offset = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return
        self._offset += len(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines >= self.mark:
            rss = rss_mb()
            if self.at_mark is None:
                self.at_mark = rss
            self.max_after = max(self.max_after or rss, rss)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self._poll()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._poll()


def fam_batch(kind: str, url: str, p: dict[str, Any]) -> dict[str, Any]:
    """Every row of a JSONL file through the echo endpoint, written as JSONL.

    ``ours`` is the ``gradio-tui batch`` command itself (``cli.main`` in this
    process, so its memory is sampled here); ``ref`` is what people write
    around ``gradio_client``: a 40-thread pool over the rows, each thread
    calling ``predict``, results written in order as they come. Rows/s is the
    whole run, connect included; growth is RSS from row ``early`` to the end.
    """
    rows, n, workers = p["input"], p["rows"], p["workers"]
    out = Path(tempfile.mkdtemp(prefix=f"bench-batch-{kind}-")) / "out.jsonl"
    sampler = RowSampler(out, p["early"])
    cpu0 = time.process_time()
    start = time.perf_counter()
    if kind == "ours":
        from gradio_tui.cli import main as gradio_tui

        status = gradio_tui(
            ["batch", url, "/echo", "--input", rows, "--output", str(out),
             "--concurrency", str(workers)]
        )  # fmt: skip
        if status not in (0, 1):
            raise RuntimeError(f"gradio-tui batch exited {status}")
    else:
        from gradio_client import Client as RefClient

        client = RefClient(
            url, verbose=False, download_files=str(out.parent), analytics_enabled=False
        )

        def call(line: str) -> dict[str, Any]:
            row = json.loads(line)
            try:
                return {"ok": True, "output": client.predict(row["text"], api_name="/echo")}
            except Exception as exc:
                return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}

        with (
            open(rows) as source,
            open(out, "w") as sink,
            concurrent.futures.ThreadPoolExecutor(workers) as pool,
        ):
            for line_no, result in enumerate(pool.map(call, source), start=1):
                sink.write(json.dumps({"line": line_no, **result}) + "\n")
                sink.flush()
        close_quietly(client)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    sampler.stop()
    ok = wrong = 0
    with open(rows) as source, open(out) as results:
        expected = {i: json.loads(line)["text"] for i, line in enumerate(source, start=1)}
        for line in results:
            record = json.loads(line)
            if not record.get("ok"):
                continue
            if record.get("output") == expected.get(record["line"]):
                ok += 1
            else:
                wrong += 1
    growth = (
        sampler.max_after - sampler.at_mark
        if sampler.at_mark is not None and sampler.max_after is not None
        else None
    )
    return {
        "rows": n,
        "written": sampler.lines,
        "succeeded": ok,
        "failed": n - ok - wrong,
        "wrong": wrong,
        "rows_per_s": ok / wall,
        "wall_s": wall,
        "cpu_per_row_s": cpu / n,
        "rss_at_early_mb": sampler.at_mark,
        "rss_max_after_mb": sampler.max_after,
        "growth_mb": growth,
        "peak_rss_mb": peak_rss_mb(),
    }


FAMILIES: dict[str, Callable[[str, str, dict[str, Any]], dict[str, Any]]] = {
    "connect": fam_connect,
    "view_api": fam_view_api,
    "predict": fam_predict,
    "generator": fam_generator,
    "throughput": fam_throughput,
    "file": fam_file,
    "batch": fam_batch,
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
