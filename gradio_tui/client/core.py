"""The asyncio core: one connection pool, one session, every job of a client.

``AsyncClient`` is what the terminal app awaits directly inside Textual's
loop, and what the synchronous ``Client`` runs on its background loop. It
drives jobs; finding out what the app is (login, config, API info) is
``discovery``'s work, speaking the queue protocol is ``protocols/``'s, and
nothing is written twice.

The job machinery (the transport, the file codec, the event types: ten of
our modules) loads with the first job, not at connect: a script or
``gradio-tui info`` that connects to read an API does not pay for it, and
one that calls pays the same in total.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from .config import AppConfig
from .discovery import discover, endpoint_table
from .endpoints import Endpoint
from .errors import AppConnectionError, JobTimeoutError, ServerResponseError
from .headers import add_zero_gpu_headers, check_headers
from .heartbeat import Heartbeat, wants_heartbeat
from .protocols import Session, Transport, check_protocol, new_session_hash
from .restarts import RestartWatch
from .sources import Source
from .untrusted import print_visible

if TYPE_CHECKING:
    from .files import FileCodec
    from .jobs import AsyncJob
    from .mapping import MapRun


def check_job_timeout(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"job_timeout must be a positive number of seconds, not {value!r}.")
    return float(value)


class AsyncClient:
    """A connected Gradio app. Create with ``await AsyncClient.connect(src, ...)``."""

    def __init__(
        self,
        source: Source,
        session: Session,
        info: dict[str, Any] | None,
        *,
        max_workers: int,
        serialize: bool,
        output_dir: str | Path,
        verbose: bool,
        info_error: str | None = None,
        download_files: bool = True,
        strict_session: bool = False,
    ) -> None:
        self.source = source
        self.session = session
        self.info_error = info_error
        self.max_workers = max_workers
        self.serialize = serialize
        self.output_dir = Path(output_dir)
        self.verbose = verbose
        self.endpoints = endpoint_table(session.config, info)
        check_protocol(session.config)
        self._download_files = download_files
        self._machinery: tuple[Transport, FileCodec] | None = None  # see _job_machinery
        self._machinery_lock = threading.Lock()
        self._slots = asyncio.Semaphore(max_workers)
        self._jobs: set[AsyncJob] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._restarts = RestartWatch(session, strict=strict_session)
        self._heartbeat: Heartbeat | None = None
        if wants_heartbeat(session.config):
            self._heartbeat = Heartbeat(session.http, session.config, self._stream_broke)
            self._heartbeat.start(session.session_hash)

    @property
    def transport(self) -> Transport:
        """This app's queue transport, made for the first job."""
        return self._job_machinery()[0]

    @property
    def files(self) -> FileCodec:
        """Uploads inputs and fetches outputs; made for the first job."""
        return self._job_machinery()[1]

    def _job_machinery(self) -> tuple[Transport, FileCodec]:
        # Under a lock: the first jobs can be prepared on several caller threads at
        # once (the sync Client prepares on the caller's), and there must be one
        # transport, the one aclose() closes.
        with self._machinery_lock:
            if self._machinery is None:
                from .files import FileCodec
                from .protocols import make_transport

                transport = make_transport(self.session)
                files = FileCodec(
                    self.session,
                    transport,
                    self.output_dir,
                    enabled=self.serialize,
                    download=self._download_files,
                )
                self._machinery = (transport, files)
            return self._machinery

    # -- connecting ------------------------------------------------------------------

    @classmethod
    async def connect(
        cls,
        src: str,
        hf_token: str | None = None,
        max_workers: int = 40,
        serialize: bool = True,
        output_dir: str | Path | None = None,
        verbose: bool = True,
        auth: tuple[str, str] | None = None,
        *,
        headers: dict[str, str] | None = None,
        ssl_verify: bool = True,
        httpx_kwargs: dict[str, Any] | None = None,
        space_timeout: float | None = 300.0,
        oauth_token: str | None = None,
        download_files: bool = True,
        strict_session: bool = False,
    ) -> AsyncClient:
        """Resolve ``src``, log in if asked, load config and API info (see ``discovery``).

        ``download_files=False`` (the reference's spelling) still uploads input
        files but hands output files back as the server's file dicts, unfetched.
        ``strict_session=True``: a call that reads State after the server
        restarted fails with ``SessionLostError`` instead of warning.
        """
        found = await discover(
            src,
            hf_token,
            max_workers=max_workers,
            output_dir=output_dir,
            verbose=verbose,
            auth=auth,
            headers=headers,
            ssl_verify=ssl_verify,
            httpx_kwargs=httpx_kwargs,
            space_timeout=space_timeout,
            oauth_token=oauth_token,
        )
        try:
            client = cls(
                found.source,
                found.session,
                found.info,
                max_workers=max_workers,
                serialize=serialize,
                output_dir=found.output_dir,
                verbose=verbose,
                info_error=found.info_error,
                download_files=download_files,
                strict_session=strict_session,
            )
        except BaseException:
            await found.session.http.aclose()
            raise
        if verbose:
            # The current reference's line (its older releases ended it with " ✔").
            print_visible(f"Loaded as API: {found.source.display}")
        return client

    # -- facts ---------------------------------------------------------------------

    @property
    def config(self) -> AppConfig:
        return self.session.config

    @property
    def src(self) -> str:
        return self.config.src

    @property
    def space_id(self) -> str | None:
        return self.source.space_id

    @property
    def session_hash(self) -> str:
        return self.session.session_hash

    @property
    def app_version(self) -> Version:
        return self.config.version

    @property
    def protocol(self) -> str:
        return self.config.protocol

    @property
    def stats(self) -> dict[str, int]:
        """Faults absorbed so far: requests sent again after a stale connection failed
        them (``resent``), job starts steered off connections idle too long
        (``avoided``), and undecodable event frames skipped (``skipped_frames``)."""
        keepalive = getattr(self.session.http, "keepalive_stats", None)
        return {
            "resent": keepalive.resent if keepalive is not None else 0,
            "avoided": keepalive.avoided if keepalive is not None else 0,
            "skipped_frames": self.session.skipped_frames,
        }

    @property
    def jobs(self) -> set[AsyncJob]:
        """Jobs not yet finished."""
        return self._jobs

    # -- calling ---------------------------------------------------------------------

    def endpoint(self, api_name: str | None = None, fn_index: int | None = None) -> Endpoint:
        return self.endpoints.resolve(api_name, fn_index)

    def submit(
        self,
        *args: Any,
        api_name: str | None = None,
        fn_index: int | None = None,
        headers: dict[str, str] | None = None,
        job_timeout: float | None = None,
        **kwargs: Any,
    ) -> AsyncJob:
        """Start a job on the loop this is called from; arguments are checked first."""
        job = self.prepare(
            *args,
            api_name=api_name,
            fn_index=fn_index,
            headers=headers,
            job_timeout=job_timeout,
            **kwargs,
        )
        self.start(job)
        return job

    def prepare(
        self,
        *args: Any,
        api_name: str | None = None,
        fn_index: int | None = None,
        headers: dict[str, str] | None = None,
        job_timeout: float | None = None,
        **kwargs: Any,
    ) -> AsyncJob:
        """A job with its arguments checked, not yet started (safe from any thread).

        ``headers`` go on the request that queues the job. Called inside a
        Gradio request of a visitor with a ZeroGPU token (``x-ip-token``), a
        call to a Space forwards that token, as the reference does, unless
        ``headers`` set one.

        ``job_timeout`` bounds the whole job, queue wait included: past it the
        job fails with ``JobTimeoutError`` and is stopped on the server as
        ``cancel()`` stops it. (It is a reserved keyword, like ``api_name``:
        pass an endpoint parameter of that name positionally.)
        """
        if self._closed:
            raise RuntimeError("This client is closed.")
        return self.job_for(
            self.endpoints.resolve(api_name, fn_index),
            args,
            kwargs,
            headers=headers,
            job_timeout=job_timeout,
        )

    def job_for(
        self,
        endpoint: Endpoint,
        args: tuple[Any, ...] | list[Any] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        output_dir: str | Path | None = None,
        headers: dict[str, str] | None = None,
        job_timeout: float | None = None,
        strict: bool = False,
    ) -> AsyncJob:
        """A checked, unstarted job of an endpoint already looked up (``map`` does it once).

        ``output_dir``: where this job's output files go instead of the client's
        folder (a batch run keeps each row's files apart); ``headers`` and
        ``job_timeout``: as ``prepare``; ``strict``: extra positional arguments
        are an error rather than a warning (``Endpoint.construct_args``).
        """
        if self._closed:
            raise RuntimeError("This client is closed.")
        from .jobs import AsyncJob

        timeout = check_job_timeout(job_timeout)
        values = endpoint.construct_args(tuple(args), kwargs or {}, strict=strict)
        extra = check_headers(headers)
        self.files.check_inputs(endpoint, values)
        target = Path(output_dir) if output_dir is not None else None
        job = AsyncJob(
            endpoint,
            values,
            lambda data: self.files.postprocess(endpoint, data, target),
            stop_on_server=self.transport.cancel,
        )
        if self.space_id is not None:
            job.headers = add_zero_gpu_headers({})
        job.headers.update(extra)
        job.timeout = timeout
        return job

    def start(self, job: AsyncJob) -> None:
        """Run a prepared job (must be called on the client's loop)."""
        if self._closed:
            job.fail(RuntimeError("This client is closed."))
            return
        self._jobs.add(job)
        loop = asyncio.get_running_loop()
        job.task = loop.create_task(self._drive(job))
        if job.timeout is not None:
            timer = loop.call_later(job.timeout, self._time_out, job)
            job.add_listener(lambda j, _u: timer.cancel() if j.done() else None)

    def _time_out(self, job: AsyncJob) -> None:
        if job.done():
            return
        error = JobTimeoutError(
            f"{job.endpoint.name} did not finish within its job_timeout of {job.timeout:g} s; "
            "it was stopped."
        )
        task = asyncio.get_running_loop().create_task(job.expire(error))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _drive(self, job: AsyncJob) -> None:
        try:
            async with self._slots:
                if job.cancel_requested:
                    return
                await self._restarts.before(job)
                job.wire_data = job.endpoint.wire_data(
                    await self.files.prepare_inputs(job.endpoint, job.values)
                )
                if job.cancel_requested:
                    return
                await self.transport.run(job)
                if not job.done():
                    job.fail(
                        ServerResponseError(
                            f"The server ended {job.endpoint.name} without sending its result."
                        )
                    )
        except asyncio.CancelledError:
            job.fail(AppConnectionError("The client was closed before the job finished."))
            raise
        except AppConnectionError as exc:
            self._stream_broke()  # the server may be gone, or back as a new launch
            job.fail(exc)
        except RecursionError:
            # A value nested thousands of levels deep: the job's own data, so only it fails.
            job.fail(
                ServerResponseError(
                    f"The server's answer to {job.endpoint.name} is nested too deeply to handle."
                )
            )
        except Exception as exc:
            job.fail(exc)
        finally:
            self._jobs.discard(job)

    async def predict(
        self,
        *args: Any,
        api_name: str | None = None,
        fn_index: int | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call an endpoint and return its (final) value."""
        job = self.submit(*args, api_name=api_name, fn_index=fn_index, headers=headers, **kwargs)
        return await job.result()

    def map(
        self,
        inputs: Iterable[Any] | AsyncIterable[Any],
        api_name: str | None = None,
        fn_index: int | None = None,
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float | None = None,
        replicas: Sequence[AsyncClient] = (),
    ) -> MapRun:
        """Call one endpoint once per input; an async iterator of ``MapResult``, one per input.

        An input is a dict (keyword arguments), a list or tuple (positional
        ones), a ``Call``, or a single value. At most ``concurrency`` calls run
        at once per copy of the app (default: 40, capped by ``max_workers``);
        results come in input order, or as they finish with ``ordered=False``.
        A call that fails because the app was unavailable (connection lost,
        429, 5xx, queue full) is retried up to ``retries`` times, waiting
        ``backoff`` seconds doubled each time or the server's ``Retry-After``;
        ``timeout`` bounds the seconds a call may run on the app. Errors come
        back in the results, never raised: one bad input never stops the rest.
        ``replicas`` are other connected copies of the same app (duplicated
        Spaces) that share the work, each new call going to the least busy one.
        Calls start at once; leave ``async with`` (or call ``aclose``) to cancel
        what still runs if you stop iterating early.
        """
        from .mapping import start_map
        from .retry import RetryPolicy

        policy = RetryPolicy(retries=retries, backoff=backoff, timeout=timeout)
        run = start_map(
            [(self, None), *((r, None) for r in replicas)],
            inputs,
            api_name=api_name,
            fn_index=fn_index,
            concurrency=concurrency,
            ordered=ordered,
            policy=policy,
        )
        run.start()
        return run

    # -- describing ----------------------------------------------------------------------

    def view_api(
        self,
        all_endpoints: bool | None = None,
        print_info: bool = True,
        return_format: str | None = None,
        *,
        undocumented: bool = False,
    ) -> dict[str, Any] | str | None:
        """Print and/or return the API, as the reference's ``view_api`` does.

        ``undocumented=True`` (ours) adds the endpoints the app keeps out of its
        API page, which the reference never lists, to the text and the dict.
        """
        if return_format not in (None, "dict", "str"):
            raise ValueError("return_format must be None, 'dict' or 'str'.")
        from .view_api import api_dict, render_text

        endpoints = list(self.endpoints)
        text = (
            render_text(endpoints, all_endpoints, undocumented=undocumented)
            if print_info or return_format == "str"
            else ""
        )
        if print_info:
            print_visible(text)
        if return_format == "str":
            return text
        if return_format == "dict":
            return api_dict(endpoints, undocumented=undocumented)
        return None

    # -- lifecycle -------------------------------------------------------------------------

    def _stream_broke(self) -> None:
        self.session.broken_streams += 1

    def reset_session(self) -> None:
        """A new session: fresh State on the server; running jobs keep their old one."""
        self._restarts.reset()
        self.session.session_hash = new_session_hash()
        if self._machinery is not None:  # else no transport yet, nothing to reset
            self._machinery[0].reset_session()
        if self._heartbeat is not None:
            self._heartbeat.start(self.session.session_hash)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        for job in list(self._jobs):
            if job.task is not None and not job.task.done():
                job.task.cancel()
        for job in list(self._jobs):
            if job.task is not None:
                try:
                    await job.task
                except (asyncio.CancelledError, Exception):
                    pass
        for task in list(self._background):
            task.cancel()
        if self._heartbeat is not None:
            await self._heartbeat.aclose()
        if self._machinery is not None:  # else no job ever ran
            await self._machinery[0].aclose()
        await self.session.http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


__all__ = ["AsyncClient"]
