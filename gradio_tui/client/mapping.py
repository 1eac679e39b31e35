"""``map``: one endpoint over many inputs — bounded, retried, spread over copies of an app.

People with a data set used to write their own thread pool around
``gradio_client`` and lose jobs on the first error. Here the client's own
event loop runs the calls: at most ``concurrency`` in flight per copy of the
app, results in input order or as they complete, failures retried by one
policy (``retry.RetryPolicy``) and handed back as results, never raised out of
the loop, so one bad row never stops the rest.

Several copies of an app (a Space and its duplicates) can share the work:
each new call goes to the least busy copy; a copy whose calls fail for reasons
of its own (connection lost, 429, 5xx) *rests* — it gets no work until its
backoff (or the server's ``Retry-After``) has passed, then a single probe
call, and full work again once that succeeds — while its failed calls are
retried on the others. Resting the copy rather than each call is the backoff.

Memory stays flat whatever the input size: inputs are pulled lazily, only a
window of them (a few times the concurrency) is held at once, and a result
leaves as soon as the caller has taken it. An input iterator that may block
(a pipe, a socket) is read on a thread of its own, so the loop never waits on it.

One core, two faces: :class:`MapRun` is the async iterator (``AsyncClient.map``);
:class:`MapIterator` is the same run seen from a thread (``Client.map``).
Nothing here speaks the protocol: a call is ``AsyncClient.job_for`` + ``start``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import threading
import time
from collections import deque
from collections.abc import AsyncIterable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AppError, JobTimeoutError
from .retry import RetryPolicy, is_retryable, server_retry_after
from .status import OutputUpdate, Status

if TYPE_CHECKING:
    from .core import AsyncClient
    from .endpoints import Endpoint
    from .jobs import AsyncJob
    from .loop import LoopThread

__all__ = [
    "DEFAULT_CONCURRENCY",
    "Call",
    "MapIterator",
    "MapResult",
    "MapRun",
    "MapStats",
    "Replica",
    "default_concurrency",
    "until_running",
]

# Gradio apps do not publish their concurrency limits. What one app runs at once
# is bounded by its thread pool, 40 unless the app raised ``max_threads``: more
# calls in flight than that only wait in the app's queue.
DEFAULT_CONCURRENCY = 40
# Statuses that mean the app is working on the call (the timeout clock runs).
_RUNNING = frozenset({Status.PROCESSING, Status.PROGRESS, Status.ITERATING, Status.LOG})
# Inputs read ahead from a blocking iterator, not yet taken by the run.
_READ_AHEAD = 64


def default_concurrency(core: AsyncClient) -> int:
    """Calls in flight per copy when the caller does not say: the app's likely
    concurrency, capped by the client's own ``max_workers``."""
    return max(1, min(DEFAULT_CONCURRENCY, core.max_workers))


@dataclass(frozen=True)
class Call:
    """One input of a map: the endpoint's arguments, plus what the caller keeps with it.

    Plain inputs become calls by :meth:`of`: a dict is keyword arguments, a
    list or tuple positional ones, anything else the single argument.
    """

    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    key: Any = None
    """Carried to the result untouched (the batch command's row id)."""
    output_dir: str | Path | None = None
    """Where this call's output files go (default: the client's ``output_dir``)."""
    error: BaseException | None = None
    """An input already known to be unusable (say, a line that is not JSON): it is
    never sent, and comes back as a failed result in its place."""

    @classmethod
    def of(cls, item: Any) -> Call:
        if isinstance(item, Call):
            return item
        if isinstance(item, Mapping):
            return cls(kwargs=dict(item))
        if isinstance(item, list | tuple):
            return cls(args=tuple(item))
        return cls(args=(item,))


@dataclass
class MapResult:
    """What became of one input: its value or its error, never both."""

    index: int
    """Position of the input (0 for the first)."""
    call: Call
    value: Any = None
    error: BaseException | None = None
    attempts: int = 0
    """Times it was sent (0: never sent, its input was unusable)."""
    src: str | None = None
    """The copy of the app that gave this answer (or the last error)."""
    seconds: float = 0.0
    """Wall time from its first attempt to its end, retries and waits included."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def key(self) -> Any:
        return self.call.key if self.call.key is not None else self.index

    def result(self) -> Any:
        """The value, or raise the error (as ``Future.result`` does)."""
        if self.error is not None:
            raise self.error
        return self.value


@dataclass
class MapStats:
    """Live counts of a run, for progress displays (read them from any thread)."""

    taken: int = 0
    """Inputs taken from the iterable so far."""
    succeeded: int = 0
    failed: int = 0
    in_flight: int = 0
    waiting: int = 0
    """Inputs taken but not yet sent (fresh ones, and failed ones waiting for a retry)."""
    retries: int = 0
    """Attempts that failed and were tried again."""
    dropped: int = 0
    """Inputs taken but never finished, because the run was stopped or cancelled."""
    peak_in_flight: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.succeeded + self.failed

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class Replica:
    """One copy of the app: its client, the loop that client runs on, and its health."""

    def __init__(
        self,
        core: AsyncClient,
        endpoint: Endpoint,
        limit: int,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.core = core
        self.endpoint = endpoint
        self.limit = limit
        self.loop = loop  # None: the loop the map runs on
        self.name = core.source.display
        self.in_flight = 0
        self.succeeded = 0
        self.failures = 0  # failures in a row, each starting a rest
        self.rest_until = 0.0
        self.probing = False
        # Calls sent before the latest rest failing afterwards say nothing new:
        # only a call of the current epoch can start (and lengthen) a rest.
        self.epoch = 0

    def resting(self, now: float) -> bool:
        return now < self.rest_until

    def capacity(self, now: float) -> int:
        if self.resting(now):
            return 0
        return 1 if self.probing else self.limit

    def _ok(self) -> None:
        self.failures = 0
        self.probing = False

    def _failed(self, epoch: int, wait: float, asked: float | None, now: float) -> None:
        if epoch == self.epoch:
            self.failures += 1
            self.epoch += 1
            self.rest_until = max(self.rest_until, now + wait)
            self.probing = True
        elif asked is not None:
            self.rest_until = max(self.rest_until, now + asked)

    async def run(self, call: Call, timeout: float | None) -> Any:
        """Send ``call`` to this copy and wait for its value (on this copy's loop)."""
        coro = _run_call(self.core, self.endpoint, call, timeout)
        if self.loop is None or self.loop is asyncio.get_running_loop():
            return await coro
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))


async def _run_call(
    core: AsyncClient, endpoint: Endpoint, call: Call, timeout: float | None
) -> Any:
    job = core.job_for(
        endpoint, call.args, dict(call.kwargs), output_dir=call.output_dir, strict=True
    )
    ended = asyncio.get_running_loop().create_future()

    def on_update(job: AsyncJob, _update: object) -> None:
        if job.done() and not ended.done():
            ended.set_result(None)

    # One wake-up when the job ends, rather than one per status update.
    job.add_listener(on_update)
    core.start(job)
    try:
        if timeout is not None:
            await until_running(job)
            try:
                await asyncio.wait_for(asyncio.shield(ended), timeout)
            except asyncio.TimeoutError:
                if not job.done():
                    await job.cancel()
                    raise JobTimeoutError(
                        f"{endpoint.name} ran for more than {timeout:g} s and was cancelled."
                    ) from None
        await ended
        if job.cancelled():
            # Not by us (that would have cancelled this task): by the app, or another
            # client's cancel event. A result, not a vanished row.
            raise AppError(f"{endpoint.name} was cancelled on the app before it finished.")
        return await job.result()
    except asyncio.CancelledError:
        if not job.done():
            with contextlib.suppress(Exception):
                await job.cancel()
        raise


async def until_running(job: AsyncJob) -> None:
    """Wait while the call is only queued (or done): a timeout is for running, not queueing."""
    async for update in job:
        if job.server_running or isinstance(update, OutputUpdate) or update.code in _RUNNING:
            return


@dataclass
class _Row:
    index: int
    call: Call
    attempts: int = 0
    first_sent: float | None = None
    on: Replica | None = None  # the copy it is in flight on


class _ThreadedInputs:
    """Pulls a possibly blocking iterator on a daemon thread, handing each item over at once.

    The thread reads ahead up to ``ahead`` items into a deque, then sleeps
    until the loop has taken half of them: one wake-up per ``ahead / 2`` items,
    not one per item. The loop is woken only when it waits for the next item
    (a pipe whose writer is slower than the calls), and then at once: an item
    is never held back until the next one arrives. A daemon thread rather than
    an executor: a reader blocked on a pipe that never closes must not keep the
    process alive after the map is over.
    """

    def __init__(self, iterable: Iterable[Any], ahead: int = _READ_AHEAD) -> None:
        self._iterable = iterable
        self._loop = asyncio.get_running_loop()
        self._ahead = ahead
        self._items: deque[Any] = deque()
        self._end: list[BaseException | None] = []  # set once: None, or the iterator's error
        self._waiter: asyncio.Future[None] | None = None
        self._need = threading.Event()  # set by the loop when the deque runs low
        self._closed = False
        self._thread = threading.Thread(
            target=self._main, name="gradio-tui-map-inputs", daemon=True
        )
        self._thread.start()

    def _main(self) -> None:
        end: BaseException | None = None
        try:
            for item in self._iterable:
                if self._closed:
                    return
                self._items.append(item)
                if self._waiter is not None and not self._wake():
                    return
                if len(self._items) >= self._ahead:
                    # Clear, then look again: a set() in between is never lost.
                    self._need.clear()
                    if len(self._items) >= self._ahead and not self._closed:
                        self._need.wait()
        except BaseException as exc:
            end = exc
        self._end.append(end)
        self._wake()

    def _wake(self) -> bool:
        try:
            self._loop.call_soon_threadsafe(self._resolve)
        except RuntimeError:  # the loop is gone: nobody is reading any more
            return False
        return True

    def _resolve(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def next(self) -> Any:
        """The next input; ``StopAsyncIteration`` at the end; the iterator's own error."""
        while True:
            if self._items:
                item = self._items.popleft()
                if len(self._items) <= self._ahead // 2 and not self._need.is_set():
                    self._need.set()
                return item
            if self._end:
                if self._end[0] is not None:
                    raise self._end[0]
                raise StopAsyncIteration
            # Set the waiter before looking again: the thread checks it after appending.
            self._waiter = self._loop.create_future()
            if self._items or self._end:
                self._waiter = None
                continue
            await self._waiter

    def close(self) -> None:
        self._closed = True
        self._need.set()  # a reader waiting for room wakes up and leaves


class MapRun:
    """An async iterator of :class:`MapResult`, one per input.

    Start it with ``AsyncClient.map(...)``; iterate it with ``async for``, or
    use it as ``async with`` so that leaving early cancels what still runs.
    :meth:`stop` takes no new inputs and lets the running calls finish;
    :meth:`cancel` also cancels those (on the app as well).
    """

    def __init__(
        self,
        replicas: list[Replica],
        inputs: Iterable[Any] | AsyncIterable[Any],
        *,
        ordered: bool = True,
        policy: RetryPolicy | None = None,
        window: int | None = None,
    ) -> None:
        if not replicas:
            raise ValueError("map needs at least one client.")
        self.replicas = replicas
        self.policy = policy or RetryPolicy()
        self.ordered = ordered
        self.stats = MapStats()
        total = sum(r.limit for r in replicas)
        # Inputs held at once: taken but not yet handed to the caller. Ordered
        # runs need more room, so one slow call does not stall all the others.
        self.window = window or (max(4 * total, 64) if ordered else 2 * total + 8)
        self._inputs = inputs
        self._threaded: _ThreadedInputs | None = None
        self._fresh: deque[_Row] = deque()
        self._retry: deque[_Row] = deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._ready: deque[MapResult] = deque()
        self._held: dict[int, MapResult] = {}
        self._next_index = 0
        self._handed = 0
        self._stopping = False
        self._cancelled = False
        self._inputs_done = False
        self._input_error: BaseException | None = None
        self._feeder: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._room: asyncio.Event | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._closed = False

    # -- the caller's side ----------------------------------------------------------

    def __aiter__(self) -> MapRun:
        return self

    async def __anext__(self) -> MapResult:
        self.start()
        assert self._wake is not None
        while True:
            if self._ready:
                return self._hand_out()
            if self._finished():
                if self._held:  # gaps left by a stop: what did finish still goes out
                    for index in sorted(self._held):
                        self._ready.append(self._held.pop(index))
                    continue
                await self.aclose()
                if self._input_error is not None:
                    error, self._input_error = self._input_error, None
                    raise error
                raise StopAsyncIteration
            self._wake.clear()
            await self._wake.wait()

    def stop(self) -> None:
        """Take no new inputs; the calls already sent finish and are handed out."""
        if self._stopping:
            return
        self._stopping = True
        dropped = len(self._fresh) + len(self._retry)
        self._fresh.clear()
        self._retry.clear()
        self.stats.dropped += dropped
        self.stats.waiting = 0
        if self._feeder is not None and not self._feeder.done():
            self._feeder.cancel()
        self._poke()

    def cancel(self) -> None:
        """Stop, and cancel the calls still running (on the app too)."""
        self.stop()
        self._cancelled = True
        for task in list(self._tasks):
            task.cancel()
        self._poke()

    async def aclose(self) -> None:
        """Cancel what still runs and wait until it has stopped."""
        if self._closed:
            return
        self._closed = True
        if not self._finished():
            self.cancel()
        if self._feeder is not None and not self._feeder.done():
            self._feeder.cancel()
        tasks = [t for t in (*self._tasks, self._feeder) if t is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._timer is not None:
            self._timer.cancel()
        if self._threaded is not None:
            self._threaded.close()

    async def __aenter__(self) -> MapRun:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @property
    def stopping(self) -> bool:
        return self._stopping

    # -- the loop's side ------------------------------------------------------------

    def start(self) -> None:
        """Begin reading inputs and sending calls (on the running loop); idempotent.

        Both faces call it at once, so calls run while the caller does other
        things; iterating starts it too.
        """
        if self._wake is not None:
            return
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self.stats.started = time.monotonic()
        self._feeder = asyncio.get_running_loop().create_task(self._feed())

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()
        if self._room is not None:
            self._room.set()

    def _finished(self) -> bool:
        if self._tasks:
            return False
        if self._cancelled or self._stopping:
            return self._feeder is None or self._feeder.done()
        return self._inputs_done and not self._fresh and not self._retry

    def _hand_out(self) -> MapResult:
        result = self._ready.popleft()
        self._handed += 1
        if self._room is not None:
            self._room.set()
        return result

    def _outstanding(self) -> int:
        return self.stats.taken - self._handed

    async def _feed(self) -> None:
        assert self._room is not None
        try:
            if isinstance(self._inputs, AsyncIterable):
                async for item in self._inputs:
                    await self._wait_room()
                    if self._stopping:
                        return
                    self._take(item)
            elif isinstance(self._inputs, list | tuple | range):
                for item in self._inputs:  # in memory already: nothing can block
                    await self._wait_room()
                    if self._stopping:
                        return
                    self._take(item)
            else:
                self._threaded = _ThreadedInputs(self._inputs)
                while not self._stopping:
                    await self._wait_room()
                    try:
                        item = await self._threaded.next()
                    except StopAsyncIteration:
                        return
                    if self._stopping:
                        return
                    self._take(item)
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # the caller's iterable broke: finish what runs, then raise
            self._input_error = exc
        finally:
            self._inputs_done = True
            self._poke()

    async def _wait_room(self) -> None:
        assert self._room is not None
        while self._outstanding() >= self.window and not self._stopping:
            self._room.clear()
            await self._room.wait()

    def _take(self, item: Any) -> None:
        index = self.stats.taken
        self.stats.taken += 1
        call = Call.of(item)
        row = _Row(index, call)
        if call.error is not None:
            self._finish(row, error=call.error, src=None)
            return
        self._fresh.append(row)
        self.stats.waiting += 1
        self._dispatch()

    def _dispatch(self) -> None:
        """Send waiting rows to free copies; run again whenever anything changes."""
        if self._cancelled or self._stopping:
            return
        loop = asyncio.get_running_loop()
        now = time.monotonic()
        while self._retry or self._fresh:
            replica = self._pick(now)
            if replica is None:
                self._wake_at_rest_end(loop, now)
                return
            row = self._retry.popleft() if self._retry else self._fresh.popleft()
            self.stats.waiting -= 1
            # Counted now, not when the task first runs: this loop must see its own sends.
            row.on = replica
            replica.in_flight += 1
            self.stats.in_flight += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.stats.in_flight)
            task = loop.create_task(self._attempt(row, replica, replica.epoch))
            self._tasks.add(task)
            task.add_done_callback(functools.partial(self._task_done, row=row))

    def _pick(self, now: float) -> Replica | None:
        best: Replica | None = None
        for replica in self.replicas:
            if replica.in_flight >= replica.capacity(now):
                continue
            if best is None or replica.in_flight / replica.limit < best.in_flight / best.limit:
                best = replica
        return best

    def _wake_at_rest_end(self, loop: asyncio.AbstractEventLoop, now: float) -> None:
        ends = [r.rest_until for r in self.replicas if r.resting(now)]
        if not ends:
            return  # every copy is busy: the next call to finish dispatches
        at = min(ends)
        if self._timer is not None and now < self._timer_at <= at:
            return  # a wake-up no later than this one is already set
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = at
        self._timer = loop.call_later(max(0.0, at - now) + 0.001, self._dispatch)

    def _release(self, row: _Row) -> None:
        if row.on is not None:
            row.on.in_flight -= 1
            self.stats.in_flight -= 1
            row.on = None

    def _task_done(self, task: asyncio.Task[None], *, row: _Row) -> None:
        self._tasks.discard(task)
        if task.cancelled():  # cancel(): the row never finished, so it is not handed out
            self.stats.dropped += 1
        self._release(row)  # a task cancelled before it ever ran still held its slot
        self._poke()

    async def _attempt(self, row: _Row, replica: Replica, epoch: int) -> None:
        row.attempts += 1
        if row.first_sent is None:
            row.first_sent = time.monotonic()
        error: BaseException | None = None
        value: Any = None
        try:
            value = await replica.run(row.call, self.policy.timeout)
        except Exception as exc:
            error = exc
        finally:
            self._release(row)
        if error is None:
            replica._ok()
            replica.succeeded += 1
            self._finish(row, value=value, src=replica.name)
        elif is_retryable(error):
            now = time.monotonic()
            wait = self.policy.wait(replica.failures + 1, error)
            replica._failed(epoch, wait, server_retry_after(error), now)
            if row.attempts <= self.policy.retries and not self._stopping:
                self.stats.retries += 1
                self.stats.waiting += 1
                self._retry.append(row)
            elif self._stopping:
                self.stats.dropped += 1  # not finished: a resumed run does it again
            else:
                self._finish(row, error=error, src=replica.name)
        else:
            # The call itself was wrong or the app refused it: the copy is fine.
            replica._ok()
            self._finish(row, error=error, src=replica.name)
        self._dispatch()

    def _finish(
        self, row: _Row, *, value: Any = None, error: BaseException | None = None, src: str | None
    ) -> None:
        seconds = time.monotonic() - row.first_sent if row.first_sent is not None else 0.0
        result = MapResult(row.index, row.call, value, error, row.attempts, src, seconds)
        if error is None:
            self.stats.succeeded += 1
        else:
            self.stats.failed += 1
        if self.ordered:
            self._held[row.index] = result
            while self._next_index in self._held:
                self._ready.append(self._held.pop(self._next_index))
                self._next_index += 1
        else:
            self._ready.append(result)
        if self._wake is not None:
            self._wake.set()


def start_map(
    clients: list[tuple[AsyncClient, asyncio.AbstractEventLoop | None]],
    inputs: Iterable[Any] | AsyncIterable[Any],
    *,
    api_name: str | None,
    fn_index: int | None,
    concurrency: int | None,
    ordered: bool,
    policy: RetryPolicy,
) -> MapRun:
    """A run over ``clients`` (copies of one app); the endpoint is looked up on each now,
    so a wrong ``api_name`` raises here, before any input is read."""
    if concurrency is not None and (
        isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
    ):
        raise ValueError(f"concurrency must be a positive integer, not {concurrency!r}.")
    replicas = [
        Replica(
            core,
            core.endpoint(api_name, fn_index),
            concurrency or default_concurrency(core),
            loop,
        )
        for core, loop in clients
    ]
    return MapRun(replicas, inputs, ordered=ordered, policy=policy)


class MapIterator(Iterator[MapResult]):
    """A :class:`MapRun` on a client's loop thread, iterated from any other thread.

    ``with client.map(...) as results:`` cancels what still runs when the
    block is left early; :meth:`stop` and :meth:`cancel` may be called from
    any thread (a signal handler included).
    """

    def __init__(self, loop: LoopThread, run: MapRun) -> None:
        self._loop = loop
        self._run = run
        loop.call(run.start)
        self._pending: concurrent.futures.Future[MapResult | None] | None = None
        self._over = False

    @property
    def stats(self) -> MapStats:
        return self._run.stats

    @property
    def run(self) -> MapRun:
        return self._run

    def __iter__(self) -> MapIterator:
        return self

    def __next__(self) -> MapResult:
        if self._over:
            raise StopIteration
        # A wait interrupted (ctrl+c) leaves its request running on the loop;
        # the next call picks it up instead of asking twice and losing a result.
        if self._pending is None:
            self._pending = self._loop.submit(_next_of(self._run))
        future = self._pending
        try:
            result = future.result()
        except BaseException:
            if future.done():
                self._pending = None
            raise
        self._pending = None
        if result is None:
            self._over = True
            raise StopIteration
        return result

    def stop(self) -> None:
        self._loop.call(self._run.stop)

    def cancel(self) -> None:
        self._loop.call(self._run.cancel)

    def close(self) -> None:
        """Cancel what still runs and wait for it (idempotent)."""
        if self._loop.alive:
            self._loop.run(self._run.aclose())
        self._over = True

    def __enter__(self) -> MapIterator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _next_of(run: MapRun) -> MapResult | None:
    """The next result, or None at the end (a Future cannot carry StopAsyncIteration well)."""
    try:
        return await run.__anext__()
    except StopAsyncIteration:
        return None
