"""Jobs: one call of an endpoint, seen from asyncio (``AsyncJob``) and from threads (``Job``).

An ``AsyncJob`` lives on the client's event loop and is the single source of
truth: its latest status, its outputs so far, its result. The synchronous
``Job`` is a ``concurrent.futures.Future`` that mirrors it for the reference
API; it never talks to the server itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .errors import AppConnectionError, QueueFullError, as_reference
from .messages import (
    Completed,
    Estimation,
    Event,
    Generating,
    Log,
    ProcessStarts,
    Progress,
    QueueFull,
    SendData,
    SendHash,
    StreamError,
)
from .status import OutputUpdate, Status, StatusUpdate, Update
from .untrusted import print_visible

if TYPE_CHECKING:
    from .endpoints import Endpoint
    from .loop import LoopThread

Listener = Callable[["AsyncJob", "Update | None"], None]


class AsyncJob:
    """One call, driven by the client's event loop.

    Await it (or ``await job.result()``) for the value; ``async for update in
    job`` yields every ``StatusUpdate`` and ``OutputUpdate`` from the start.
    Listeners registered with :meth:`add_listener` run on the loop thread on
    every update and once more (with ``None``) when the job ends.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        values: list[Any],
        postprocess: Callable[[list[Any]], Awaitable[Any]],
        stop_on_server: Callable[[AsyncJob], Awaitable[bool]] | None = None,
    ) -> None:
        """``stop_on_server``: asks the server to stop a started job (the transport's
        ``cancel``); True when it will. Without one, cancelling is only local."""
        self.endpoint = endpoint
        self.values = values
        self.created = datetime.now()
        self.event_id: str | None = None
        self.session_hash: str | None = None  # the session the transport ran it in
        self.wire_data: list[Any] | None = None
        # Sent on the request that queues this job (``predict(..., headers=...)``).
        self.headers: dict[str, str] = {}
        self._postprocess = postprocess
        self._latest = StatusUpdate(code=Status.STARTING, time=self.created)
        self._outputs: list[Any] = []
        self._updates: list[Update] = []
        self._listeners: list[Listener] = []
        self._wakeup: asyncio.Future[None] | None = None
        self._done = False
        self._result: Any = None
        self._exception: BaseException | None = None
        self._cancelled = False
        self.cancel_requested = False
        self.started = False  # joined and acknowledged by the server
        self.server_running = False  # process_starts seen
        self.task: asyncio.Task[None] | None = None
        self._stop_on_server = stop_on_server
        # After cancel(): False when the server keeps running the function anyway
        # (old servers can only stop some jobs); None until cancel() is called.
        self.server_will_stop: bool | None = None
        self.finished_at: datetime | None = None
        # Seconds the job may take from start() to its end (``job_timeout``), or None.
        self.timeout: float | None = None
        # What the client (not the app) warns about this job, e.g. a lost session.
        self.warnings: list[tuple[str, type[Warning]]] = []

    # -- reading ---------------------------------------------------------------

    def status(self) -> StatusUpdate:
        """The latest status, with the reference's rules for finished jobs."""
        if self._cancelled:
            return StatusUpdate(code=Status.CANCELLED, rank=0, success=False)
        if self._done:
            return StatusUpdate(code=Status.FINISHED, rank=0, success=self._exception is None)
        return self._latest

    @property
    def latest(self) -> StatusUpdate:
        """The last status the server sent (not rewritten once the job is done)."""
        return self._latest

    def outputs(self) -> list[Any]:
        """Every output so far (generators: one per step); the live list."""
        return self._outputs

    def done(self) -> bool:
        return self._done

    def cancelled(self) -> bool:
        return self._cancelled

    def exception(self) -> BaseException | None:
        return self._exception

    @property
    def updates(self) -> list[Update]:
        return self._updates

    async def result(self, timeout: float | None = None) -> Any:
        """The final value; raises the job's error, or ``asyncio.CancelledError``."""
        if timeout is None:
            await self._wait_done()
        else:
            await asyncio.wait_for(self._wait_done(), timeout)
        if self._cancelled:
            raise asyncio.CancelledError("The job was cancelled.")
        if self._exception is not None:
            raise self._exception
        return self._result

    def __await__(self):  # type: ignore[no-untyped-def]
        return self.result().__await__()

    async def _wait_done(self) -> None:
        while not self._done:
            await self._changed()

    async def _changed(self) -> None:
        if self._wakeup is None or self._wakeup.done():
            self._wakeup = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._wakeup)

    async def __aiter__(self) -> AsyncIterator[Update]:
        index = 0
        while True:
            while index < len(self._updates):
                index += 1
                yield self._updates[index - 1]
            if self._done:
                return
            await self._changed()

    async def cancel(self) -> bool:
        """Stop the job: locally at once, on the server as soon as that is safe.

        Returns False when the job had already finished. Other jobs of the same
        client are never disturbed (see the transport's cancel rules).
        """
        if self._done:
            return False
        self.cancel_requested = True
        self._finish_cancelled()
        if self._stop_on_server is not None and self.started:
            self.server_will_stop = await self._stop_on_server(self)
        else:
            self.server_will_stop = True  # the server never got it
        return True

    async def expire(self, error: BaseException) -> None:
        """Fail the job with ``error`` and stop it on the server, as ``cancel()`` would."""
        if self._done:
            return
        self.cancel_requested = True
        self.fail(error)
        if self._stop_on_server is not None and self.started:
            self.server_will_stop = await self._stop_on_server(self)
        else:
            self.server_will_stop = True

    def warn(self, message: str, category: type[Warning] = UserWarning) -> None:
        """A warning of the client's own about this job: kept, and sent as a LOG update."""
        self.warnings.append((message, category))
        self.set_status(StatusUpdate(Status.LOG, log=(message, "warning")))

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)
        if self._done:
            listener(self, None)

    # -- driven by the transport ---------------------------------------------------

    def _notify(self, update: Update | None) -> None:
        if update is not None:
            self._updates.append(update)
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)
        for listener in list(self._listeners):
            listener(self, update)

    def set_status(self, update: StatusUpdate) -> None:
        if self._done:
            return
        self._latest = update
        self._notify(update)

    async def handle(self, event: Event) -> bool:
        """Apply one server event; True when it ends the job."""
        if self._done:
            return isinstance(event, Completed | QueueFull | StreamError)
        if isinstance(event, Estimation):
            self.set_status(
                StatusUpdate(
                    Status.IN_QUEUE, rank=event.rank, queue_size=event.queue_size, eta=event.eta
                )
            )
        elif isinstance(event, ProcessStarts):
            self.server_running = True
            self.set_status(StatusUpdate(Status.PROCESSING, eta=event.eta))
        elif isinstance(event, Progress):
            self.set_status(StatusUpdate(Status.PROGRESS, progress_data=event.units))
        elif isinstance(event, Log):
            self.set_status(StatusUpdate(Status.LOG, log=(event.text, event.level)))
        elif isinstance(event, SendHash):
            self.set_status(StatusUpdate(Status.JOINING_QUEUE))
        elif isinstance(event, SendData):
            self.set_status(StatusUpdate(Status.SENDING_DATA))
        elif isinstance(event, Generating):
            value = await self._postprocess(event.data)
            if self._done:
                return False
            self._outputs.append(value)
            self._latest = StatusUpdate(Status.ITERATING, success=True)
            self._notify(self._latest)
            self._notify(OutputUpdate(outputs=value, success=True))
        elif isinstance(event, Completed):
            if event.cancelled:
                self._finish_cancelled()
            elif event.error is not None:
                self.fail(event.error)
            else:
                assert event.data is not None
                value = await self._postprocess(event.data)
                self.finish(value)
            return True
        elif isinstance(event, QueueFull):
            self.set_status(StatusUpdate(Status.QUEUE_FULL))
            self.fail(QueueFullError(event.message or "Queue is full! Please try again."))
            return True
        elif isinstance(event, StreamError):
            # The server's own words can be bare (4.x sends str() of its KeyError: a
            # quoted event id), so say where they come from.
            self.fail(
                AppConnectionError(f"The server gave up on this job's events: {event.message}")
            )
            return True
        return False

    def finish(self, value: Any) -> None:
        if self._done:
            return
        if not self._outputs:
            self._outputs.append(value)
        self._result = value
        self._latest = StatusUpdate(Status.FINISHED, success=True)
        self._done = True
        self.finished_at = datetime.now()
        self._updates.append(OutputUpdate(outputs=value, success=True, final=True))
        self._notify(self._latest)

    def fail(self, exc: BaseException) -> None:
        if self._done:
            return
        self._exception = exc
        self._latest = StatusUpdate(Status.FINISHED, success=False)
        self._done = True
        self.finished_at = datetime.now()
        self._notify(self._latest)

    def _finish_cancelled(self) -> None:
        if self._done:
            return
        self._cancelled = True
        self.cancel_requested = True
        self._latest = StatusUpdate(Status.CANCELLED, rank=0, success=False)
        self._done = True
        self.finished_at = datetime.now()
        self._notify(self._latest)


class Job(concurrent.futures.Future):  # type: ignore[type-arg]
    """A submitted call, as the reference client's ``Job`` (a ``Future``).

    ``status()``, ``outputs()`` and iteration read the loop-side ``AsyncJob``;
    ``result()`` is the Future's own. The Future stays PENDING until the job
    ends so that ``cancel()`` can cancel it at any time before that.
    """

    def __init__(
        self,
        async_job: AsyncJob,
        loop: LoopThread,
        *,
        verbose: bool = False,
        space_id: str | None = None,
        callback_runner: Callable[[Callable[[], object]], None] | None = None,
    ) -> None:
        super().__init__()
        self._job = async_job
        self._loop = loop
        self.verbose = verbose
        self.space_id = space_id
        self._counter = 0
        self._cond = threading.Condition()
        self._run_callback = callback_runner
        self._warned = 0  # how many of the job's warnings were raised as Python warnings
        async_job.add_listener(self._on_update)

    # Runs on the loop thread.
    def _on_update(self, job: AsyncJob, update: Update | None) -> None:
        if job.done() and not super().done():
            if job.cancelled():
                super().cancel()
            elif (exc := job.exception()) is not None:
                # gradio_client-era ``except`` clauses catch it too (errors.as_reference).
                self.set_exception(as_reference(exc))
            else:
                self.set_result(job._result)
        with self._cond:
            self._cond.notify_all()

    @property
    def async_job(self) -> AsyncJob:
        return self._job

    def result(self, timeout: float | None = None) -> Any:
        """The job's value (the reference's ``Future.result``), after its warnings.

        A warning of the client's own about the job (a lost session) is raised
        as a Python ``warnings.warn`` here, in the caller's thread, once.
        """
        try:
            return super().result(timeout)
        finally:
            self._raise_warnings()

    def _raise_warnings(self) -> None:
        pending = self._job.warnings[self._warned :]
        self._warned += len(pending)
        for message, category in pending:
            warnings.warn(message, category, stacklevel=3)

    def status(self) -> StatusUpdate:
        update = self._job.status()
        eta = update.eta
        if self.verbose and self.space_id and eta and eta > 30:
            print_visible(
                f"Due to heavy traffic on this app, the prediction will take approximately "
                f"{int(eta)} seconds.For faster predictions without waiting in queue, you may "
                f"duplicate the space using: Client.duplicate({self.space_id})"
            )
        return update

    def outputs(self) -> list[Any]:
        return self._job.outputs()

    def running(self) -> bool:
        return self._job.started and not self._job.done()

    @property
    def server_will_stop(self) -> bool | None:
        """After ``cancel()``: whether the server stops the function (None before)."""
        return self._job.server_will_stop

    def cancel(self) -> bool:
        """Cancel the job; False if it already finished. Never disturbs other jobs.

        Older servers cannot stop every running function; then the job is
        still cancelled here, ``server_will_stop`` is False and a warning says
        that the function keeps running on the server.
        """
        if self._job.done():
            return super().cancelled()
        fut = self._loop.submit(self._job.cancel())
        try:
            cancelled = bool(fut.result(timeout=30))
        except concurrent.futures.TimeoutError:
            return True
        if cancelled and self._job.server_will_stop is False:
            warnings.warn(
                f"{self._job.endpoint.name} was cancelled here, but this server cannot stop "
                "the running function: it keeps running there until it finishes.",
                UserWarning,
                stacklevel=2,
            )
        return cancelled

    def add_done_callback(self, fn: Callable[[concurrent.futures.Future[Any]], object]) -> None:
        """Callbacks run on a worker thread, never on the client's event loop."""
        runner = self._run_callback
        if runner is None:
            super().add_done_callback(fn)
            return

        def deferred(fut: concurrent.futures.Future[Any]) -> None:
            runner(lambda: fn(fut))

        super().add_done_callback(deferred)

    def __iter__(self) -> Job:
        return self

    async def __aiter__(self) -> AsyncIterator[Update]:
        """Every StatusUpdate and OutputUpdate, from the start, in *your* event loop.

        The job lives on the client's own loop thread; a listener wakes this
        loop whenever there is something new.
        """
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake(_job: AsyncJob, _update: Update | None) -> None:
            try:
                loop.call_soon_threadsafe(changed.set)
            except RuntimeError:  # the caller's loop is gone
                pass

        self._job.add_listener(wake)
        index = 0
        while True:
            changed.clear()
            updates = self._job.updates
            while index < len(updates):
                index += 1
                yield updates[index - 1]
            if self._job.done() and index >= len(self._job.updates):
                return
            await changed.wait()

    def __next__(self) -> Any:
        outputs = self._job.outputs()
        with self._cond:
            while True:
                if self._counter < len(outputs):
                    self._counter += 1
                    return outputs[self._counter - 1]
                if self._job.done():
                    raise StopIteration
                self._cond.wait(timeout=1.0)

    def __repr__(self) -> str:
        return f"<Job {self._job.endpoint.name} {self._job.status().code.value}>"
