"""One run of ``gradio-tui batch``: copies of the app, the rows, the output, the progress.

``commands/batch.py`` holds the command line (so ``--help`` imports nothing
heavy); this module holds what happens once it runs, on one asyncio loop: the
copies are connected, rows are read by ``rows.RowReader`` on the map's input
thread, ``client.mapping`` runs them, and each result becomes one output line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .common import connect, dumps, endpoint_ref, error_json, error_text, fail, say
from .exits import Exit

if TYPE_CHECKING:
    from ..client.core import AsyncClient
    from ..client.mapping import Call, MapResult, MapRun
    from ..client.retry import RetryPolicy
    from .progress import StatusLine
    from .rows import Row

# Failed rows reported on stderr one by one before only counting them.
_REPORT_MALFORMED = 20
_REPORT_FAILED = 3
_REFRESH_S = 0.25
_FLUSH_S = 0.1


class BatchRun:
    """One run of the command: copies of the app, the reader, the writer, the progress."""

    def __init__(
        self,
        args: argparse.Namespace,
        auth: tuple[str, str] | None,
        shard: tuple[int, int],
        policy: RetryPolicy,
    ) -> None:
        self.args = args
        self.auth = auth
        self.shard = shard
        self.policy = policy
        self.by_line = args.id_column is None
        self.cores: list[AsyncClient] = []
        self.line: StatusLine | None = None
        self.interrupts = 0
        self.reported_malformed = 0
        self.reported_failed = 0
        self.failures: dict[str, int] = {}
        self.expected: int | None = None
        self.files_dir = self._files_dir()
        self._files_root = str(self.files_dir) + os.sep  # joined per row: a str is cheapest
        self._flushed = 0.0
        self._flush_timer: asyncio.TimerHandle | None = None

    def _files_dir(self) -> Path:
        if self.args.files_dir:
            return Path(self.args.files_dir)
        if self.args.output == "-":
            from ..client.discovery import default_output_dir

            return Path(default_output_dir()) / "batch"
        out = Path(self.args.output)
        return out.with_name(out.stem + ".files")

    # -- the run ------------------------------------------------------------------------

    async def main(self) -> int:
        try:
            code = await self._connect()
            if code is not None:
                return code
            return await self._run()
        finally:
            for core in self.cores:
                await core.aclose()

    async def _connect(self) -> int | None:
        srcs = [self.args.src, *self.args.more_src]
        workers = self.args.concurrency or 40
        outcomes = await asyncio.gather(
            *(
                connect(src, hf_token=self.args.hf_token, auth=self.auth, max_workers=workers)
                for src in srcs
            ),
            return_exceptions=True,
        )
        errors: list[BaseException] = []
        for src, outcome in zip(srcs, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                if not isinstance(outcome, Exception):
                    raise outcome
                errors.append(outcome)
                if len(srcs) > 1:
                    from ..client.untrusted import visible

                    say(f"gradio-tui: leaving out {visible(src)}: {error_text(outcome)}")
            else:
                self.cores.append(outcome)
        if not self.cores:
            return fail(errors[0])
        return None

    async def _run(self) -> int:
        from ..client.mapping import start_map
        from .rows import MalformedRowError, RowReader, csv_header_problem, input_format, read_done

        args = self.args
        try:
            api_name, fn_index = endpoint_ref(args.api_name)
            endpoint = self.cores[0].endpoint(api_name, fn_index)
        except Exception as exc:
            return fail(exc)
        done = read_done(Path(args.output), self._warn) if args.resume else None
        reader = RowReader(
            args.input,
            input_format(args.input, args.format),
            endpoint,
            id_column=args.id_column,
            shard=self.shard,
            done=done,
        )
        try:
            header = reader.open()
        except (OSError, MalformedRowError) as exc:
            say(f"gradio-tui: {args.input}: {error_text(exc)}")
            return int(Exit.USAGE)
        if header is not None:
            problem = csv_header_problem(header, endpoint, args.id_column)
            if problem:
                reader.close()
                say(f"gradio-tui: {args.input}: {problem}")
                return int(Exit.USAGE)
        try:
            run = start_map(
                [(core, None) for core in self.cores],
                (self._call(row) for row in reader),
                api_name=api_name,
                fn_index=fn_index,
                concurrency=args.concurrency,
                ordered=args.ordered,
                policy=self.policy,
            )
        except Exception as exc:
            reader.close()
            return fail(exc)
        if sys.stderr.isatty():
            from .progress import StatusLine

            self.line = StatusLine(sys.stderr)
            if args.input != "-":
                self.expected = await asyncio.to_thread(
                    _count_rows, args.input, header is not None, self.shard[1], len(done or ())
                )
        out = self._open_output()
        self._install_signals(run)
        progress = asyncio.get_running_loop().create_task(self._progress(run))
        try:
            async for result in run:
                self._write(out, result)
        finally:
            progress.cancel()
            self._remove_signals()
            if self.line is not None:
                self.line.clear()
            self._flush(out)
            if out is not sys.stdout:
                out.close()
        self._summary(run, reader.skipped)
        if self.interrupts:
            return int(Exit.INTERRUPTED)
        return int(Exit.FAILED) if run.stats.failed else int(Exit.OK)

    def _call(self, row: Row) -> Call:
        from ..client.mapping import Call

        return Call(
            args=tuple(row.args or ()),
            kwargs=row.kwargs or {},
            key=row,
            output_dir=self._files_root + self._folder(row),
            error=row.error,
        )

    def _folder(self, row: Row) -> str:
        """A row's files folder: its line, or its id when that is a safe, plain name."""
        if self.by_line or row.id is None:
            return f"line-{row.line}"
        import hashlib

        from ..client.files import safe_filename

        text = str(row.id)
        safe = safe_filename(text, fallback="row")
        if safe == text:
            return safe
        return f"{safe}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"

    # -- output ---------------------------------------------------------------------------

    def _open_output(self) -> IO[str]:
        if self.args.output == "-":
            return sys.stdout
        mode = "a" if self.args.resume else "w"
        return open(self.args.output, mode, encoding="utf-8")

    def _write(self, out: IO[str], result: MapResult) -> None:
        row: Row = result.call.key
        record: dict[str, Any] = {
            "id": row.id,
            "line": row.line,
            "ok": result.ok,
            "input": row.given,
        }
        if result.error is None:
            record["output"] = result.value
        else:
            record["error"] = error_json(result.error)
            self._report(result.error)
        record["attempts"] = result.attempts
        record["src"] = result.src
        record["seconds"] = round(result.seconds, 3)
        # Whole lines, flushed at least every _FLUSH_S (and at the end): a run killed
        # outright loses at most the last moment's lines (which --resume runs again)
        # and leaves at most one half line (which --resume cuts off).
        if self.line is not None and out is sys.stdout and sys.stdout.isatty():
            self.line.clear()  # the output and the status line share one terminal
        out.write(dumps(record) + "\n")
        if time.monotonic() - self._flushed >= _FLUSH_S:
            self._flush(out)
        elif self._flush_timer is None:
            self._flush_timer = asyncio.get_running_loop().call_later(_FLUSH_S, self._flush, out)

    def _flush(self, out: IO[str]) -> None:
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        if not out.closed:
            out.flush()
        self._flushed = time.monotonic()

    def _report(self, error: BaseException) -> None:
        from .rows import MalformedRowError

        kind = type(error).__name__
        self.failures[kind] = self.failures.get(kind, 0) + 1
        if isinstance(error, MalformedRowError):
            self.reported_malformed += 1
            if self.reported_malformed <= _REPORT_MALFORMED:
                self._say(f"gradio-tui: {self.args.input}, {error_text(error)}")
            elif self.reported_malformed == _REPORT_MALFORMED + 1:
                self._say("gradio-tui: more unreadable rows follow; they are all in the output.")
            return
        self.reported_failed += 1
        if self.reported_failed <= _REPORT_FAILED:
            self._say(f"gradio-tui: a row failed: {error_text(error)}")

    def _say(self, message: str) -> None:
        if self.line is not None:
            self.line.print_above(message)
        else:
            say(message)

    def _warn(self, message: str) -> None:
        from ..client.untrusted import visible

        say(f"gradio-tui: {visible(message)}")

    # -- ctrl+c ----------------------------------------------------------------------------

    def _install_signals(self, run: MapRun) -> None:
        import signal

        loop = asyncio.get_running_loop()

        def interrupt() -> None:
            self.interrupts += 1
            if self.interrupts == 1:
                run.stop()
                running = run.stats.in_flight
                self._say(
                    f"gradio-tui: stopping: no new rows; waiting for {running} running "
                    "(ctrl+c again cancels them)."
                )
            elif self.interrupts == 2:
                self._say(f"gradio-tui: cancelling {run.stats.in_flight} running rows.")
                run.cancel()
            else:
                raise KeyboardInterrupt

        def terminate() -> None:
            self.interrupts = max(self.interrupts, 2)
            run.cancel()

        try:
            loop.add_signal_handler(signal.SIGINT, interrupt)
            loop.add_signal_handler(signal.SIGTERM, terminate)
        except (NotImplementedError, RuntimeError):  # no loop signal handlers (Windows)
            pass

    def _remove_signals(self) -> None:
        import signal

        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
            loop.remove_signal_handler(signal.SIGTERM)

    # -- progress ---------------------------------------------------------------------------

    async def _progress(self, run: MapRun) -> None:
        if self.line is None:
            return
        from .progress import batch_text

        while True:
            self.line.show(batch_text(run.stats, run.replicas, self.expected, run.stopping))
            await asyncio.sleep(_REFRESH_S)

    def _summary(self, run: MapRun, skipped: int) -> None:
        from ..client.untrusted import visible
        from .progress import duration

        stats = run.stats
        elapsed = stats.elapsed
        rate = stats.done / elapsed if elapsed > 0 else 0.0
        parts = [f"{stats.succeeded:,} ok", f"{stats.failed:,} failed"]
        if stats.retries:
            parts.append(f"{stats.retries:,} retried")
        where = "stdout" if self.args.output == "-" else visible(self.args.output)
        say(
            f"gradio-tui: {stats.done:,} rows in {duration(elapsed)} ({rate:,.1f} rows/s): "
            + ", ".join(parts)
            + f"; output: {where}"
        )
        if skipped:
            say(f"gradio-tui: {skipped:,} rows were already in the output (--resume).")
        if self.failures:
            kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.failures.items()))
            say(f"gradio-tui: failed rows by error: {kinds}.")
        if len(run.replicas) > 1:
            for replica in run.replicas:
                rested = f", rested {replica.epoch}×" if replica.epoch else ""
                say(f"  {visible(replica.name)}: {replica.succeeded:,} rows{rested}")
        if self.interrupts:
            say(
                f"gradio-tui: interrupted: {stats.dropped:,} rows taken but not finished, and "
                "the rows after them not read; --resume runs them."
            )


def _count_rows(path: str, csv: bool, shard_count: int, done: int) -> int | None:
    """About how many rows this run will do, for the progress bar's ETA (non-blank lines)."""
    try:
        lines = 0
        with open(path, "rb") as f:
            last = b"\n"
            while chunk := f.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
            if last != b"\n":
                lines += 1
    except OSError:
        return None
    if csv:
        lines -= 1
    return max(0, -(-lines // shard_count) - done)


__all__ = ["BatchRun"]
