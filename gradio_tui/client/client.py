"""``Client``: the synchronous face of the reference API, on top of the async core.

Each ``Client`` owns one background event-loop thread; every method hands a
coroutine to it, so calls share one connection pool, one session and one
event stream. ``Job`` is a ``concurrent.futures.Future``. Nothing here speaks
the protocol: that is ``AsyncClient``'s job.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .errors import as_reference

if TYPE_CHECKING:
    import concurrent.futures

    from .core import AsyncClient
    from .endpoints import Endpoint
    from .headers import ClientHeaders
    from .jobs import Job
    from .loop import LoopThread
    from .mapping import MapIterator

_UNSET: Any = object()
F = TypeVar("F", bound=Callable[..., Any])


def _reference_errors(method: F) -> F:
    """Errors leave through here also as gradio_client's classes when a script loaded it."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            as_reference(exc)  # changes the error in place; the traceback stays
            raise

    return wrapper  # type: ignore[return-value]


def __getattr__(name: str) -> Any:
    """The reference's other names in ``gradio_client.client``, loaded when asked for."""
    if name == "DEFAULT_TEMP_DIR":
        from ._httpx_import import import_httpx_without_cli

        import_httpx_without_cli()
        from .discovery import default_output_dir

        return default_output_dir()
    if name == "Job":
        from .jobs import Job

        return Job
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallbackRunner:
    """Runs done-callbacks on worker threads so user code never blocks the event loop."""

    def __init__(self, max_workers: int) -> None:
        self._max_workers = max_workers
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def __call__(self, fn: Callable[[], object]) -> None:
        with self._lock:
            if self._pool is None:
                import concurrent.futures

                self._pool = concurrent.futures.ThreadPoolExecutor(
                    self._max_workers, thread_name_prefix="gradio-tui-callback"
                )
            pool = self._pool
        try:
            pool.submit(fn)
        except RuntimeError:  # pool shut down: run inline rather than lose the callback
            fn()

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False)


def _shutdown(loop: LoopThread, core: AsyncClient | None, runner: _CallbackRunner) -> None:
    if core is not None and loop.alive:
        try:
            loop.run(core.aclose(), timeout=10)
        except Exception:
            pass
    loop.stop()
    runner.shutdown()


class Client:
    """Connect to a Gradio app or Space and call its API.

    Example::

        from gradio_tui import Client
        client = Client("abidlabs/whisper")
        client.predict("audio_sample.wav")
    """

    @_reference_errors
    def __init__(
        self,
        src: str | None = None,
        hf_token: str | None = None,
        max_workers: int = 40,
        serialize: bool = True,
        output_dir: str | Path | None = None,
        verbose: bool = True,
        auth: tuple[str, str] | None = None,
        *,
        token: str | None = None,
        space: str | None = None,
        headers: dict[str, str] | None = None,
        ssl_verify: bool = True,
        httpx_kwargs: dict[str, Any] | None = None,
        download_files: str | Path | bool = _UNSET,
        space_timeout: float | None = 300.0,
        oauth_token: str | None = None,
        analytics_enabled: bool = True,
        strict_session: bool = False,
    ) -> None:
        # analytics_enabled is accepted for scripts written for the current
        # reference; this client sends no telemetry at all, whatever its value.
        del analytics_enabled
        if space is not None:
            # The first releases of the reference named the source ``space``.
            if src is not None and src != space:
                raise ValueError("Pass the app as src or space, not both.")
            src = space
        if src is None:
            raise TypeError("Client() needs src: a Space id such as 'owner/name' or an app URL.")
        if token is not None:
            if hf_token is not None and hf_token != token:
                raise ValueError("Pass the Hugging Face token as hf_token or token, not both.")
            hf_token = token
        download = True
        if download_files is not _UNSET:
            # The current reference's spelling: a folder, or False for no downloads.
            if download_files is False:
                download = False  # inputs are still uploaded; outputs stay the server's
            elif output_dir is None and isinstance(download_files, str | Path):
                output_dir = download_files
        # httpx and the protocol code load here, not at import: importing the
        # package must stay cheap for scripts that only need a few names.
        from ._httpx_import import import_httpx_without_cli

        import_httpx_without_cli()
        from .core import AsyncClient
        from .discovery import check_max_workers
        from .loop import LoopThread

        check_max_workers(max_workers)
        self._loop = LoopThread()
        self._runner = _CallbackRunner(max(4, min(max_workers, 32)))
        try:
            self._core = self._loop.run(
                AsyncClient.connect(
                    src,
                    hf_token,
                    max_workers=max_workers,
                    serialize=serialize,
                    output_dir=output_dir,
                    verbose=verbose,
                    auth=auth,
                    headers=headers,
                    ssl_verify=ssl_verify,
                    httpx_kwargs=httpx_kwargs,
                    space_timeout=space_timeout,
                    oauth_token=oauth_token,
                    download_files=download,
                    strict_session=strict_session,
                )
            )
        except BaseException:
            self._loop.stop()
            raise
        self.verbose = verbose
        self._headers: ClientHeaders | None = None
        self._finalizer = weakref.finalize(self, _shutdown, self._loop, self._core, self._runner)

    # -- the reference's attributes ---------------------------------------------------

    @property
    def core(self) -> AsyncClient:
        """The async core (what the terminal app and ``async`` code use)."""
        return self._core

    @property
    def src(self) -> str:
        return self._core.src

    @property
    def space_id(self) -> str | None:
        return self._core.space_id

    @property
    def config(self) -> dict[str, Any]:
        return self._core.config.raw

    @property
    def app_version(self) -> Any:
        return self._core.app_version

    @property
    def protocol(self) -> str:
        return self._core.protocol

    @property
    def session_hash(self) -> str:
        return self._core.session_hash

    @property
    def endpoints(self) -> list[Endpoint]:
        return list(self._core.endpoints)

    @property
    def max_workers(self) -> int:
        return self._core.max_workers

    @property
    def serialize(self) -> bool:
        return self._core.serialize

    @property
    def output_dir(self) -> str:
        return str(self._core.output_dir)

    @property
    def headers(self) -> ClientHeaders:
        """The headers every request carries (a live dict-like view: changes apply)."""
        if self._headers is None:
            from .headers import ClientHeaders

            self._headers = ClientHeaders(self._core.session.http, self._core.source.url)
        return self._headers

    def add_zero_gpu_headers(self, headers: dict[str, str]) -> dict[str, str]:
        """Add the ``x-ip-token`` of the Gradio request this runs inside to ``headers``.

        For a Gradio app calling a ZeroGPU Space: its visitor's GPU quota is
        used, not the app's. Calls made inside a Gradio request already
        forward it; this is for headers built by hand. ``headers`` is changed
        in place and returned, unchanged outside a Gradio request or when
        this client is not connected to a Space (as the reference does).
        """
        from .headers import add_zero_gpu_headers

        if not self._core.space_id:
            return headers
        return add_zero_gpu_headers(headers)

    # -- calling -----------------------------------------------------------------------

    def predict(
        self,
        *args: Any,
        api_name: str | None = None,
        fn_index: int | None = None,
        headers: dict[str, str] | None = None,
        job_timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call the app and wait for its result (a tuple when it has several outputs).

        ``headers`` are sent with this call only, on the request that queues
        it; they override the client's own headers of the same name.
        ``job_timeout`` (seconds) bounds the call: past it, ``JobTimeoutError``.
        """
        job = self.submit(
            *args,
            api_name=api_name,
            fn_index=fn_index,
            headers=headers,
            job_timeout=job_timeout,
            **kwargs,
        )
        return job.result()

    @_reference_errors
    def submit(
        self,
        *args: Any,
        api_name: str | None = None,
        fn_index: int | None = None,
        headers: dict[str, str] | None = None,
        result_callbacks: Callable[..., Any] | list[Callable[..., Any]] | None = None,
        job_timeout: float | None = None,
        **kwargs: Any,
    ) -> Job:
        """Start a call in the background and return its ``Job`` at once.

        Arguments are checked here, before anything is sent: a wrong count or
        an unknown keyword raises ``TypeError`` in the caller's thread.
        ``headers`` go with this call only (see ``predict``).
        ``job_timeout`` (seconds, queue wait included) bounds the job: past it
        the job fails with ``JobTimeoutError`` and is stopped on the server.
        """
        from .jobs import Job  # loaded with the first job; after it, a dict look-up

        async_job = self._core.prepare(
            *args,
            api_name=api_name,
            fn_index=fn_index,
            headers=headers,
            job_timeout=job_timeout,
            **kwargs,
        )
        job = Job(
            async_job,
            self._loop,
            verbose=self.verbose,
            space_id=self._core.space_id,
            callback_runner=self._runner,
        )
        if result_callbacks:
            callbacks = [result_callbacks] if callable(result_callbacks) else list(result_callbacks)
            for callback in callbacks:
                job.add_done_callback(_unpacking(callback))
        self._loop.call(self._core.start, async_job)
        return job

    def map(
        self,
        inputs: Iterable[Any],
        api_name: str | None = None,
        fn_index: int | None = None,
        *,
        concurrency: int | None = None,
        ordered: bool = True,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float | None = None,
        replicas: Sequence[Client] = (),
    ) -> MapIterator:
        """Call one endpoint once per input; an iterator of ``MapResult``, one per input.

        The same run as ``AsyncClient.map`` (see there for every argument),
        driven on this client's loop thread. ``replicas`` are other ``Client``s
        connected to copies of the same app; they share the work. Use it as
        ``with client.map(...) as results:`` so that leaving the loop early
        cancels the calls still running::

            with client.map([{"text": t} for t in texts], api_name="/echo") as results:
                for r in results:
                    print(r.index, r.value if r.ok else r.error)
        """
        from .mapping import MapIterator, start_map
        from .retry import RetryPolicy

        policy = RetryPolicy(retries=retries, backoff=backoff, timeout=timeout)
        run = start_map(
            [(self._core, self._loop.loop), *((r._core, r._loop.loop) for r in replicas)],
            inputs,
            api_name=api_name,
            fn_index=fn_index,
            concurrency=concurrency,
            ordered=ordered,
            policy=policy,
        )
        return MapIterator(self._loop, run)

    def view_api(
        self,
        all_endpoints: bool | None = None,
        print_info: bool = True,
        return_format: Literal["dict", "str"] | None = None,
        *,
        undocumented: bool = False,
    ) -> dict[str, Any] | str | None:
        """Print the API usage, or return it as ``str`` or ``dict`` (reference shapes).

        The dict holds every documented endpoint whatever ``all_endpoints`` says;
        ``undocumented=True`` (ours) adds those the app hides from its API page.
        """
        return self._core.view_api(
            all_endpoints=all_endpoints,
            print_info=print_info,
            return_format=return_format,
            undocumented=undocumented,
        )

    @classmethod
    @_reference_errors
    def duplicate(
        cls,
        from_id: str,
        to_id: str | None = None,
        hf_token: str | None = None,
        private: bool = True,
        hardware: str | None = None,
        secrets: dict[str, str] | None = None,
        sleep_timeout: int = 5,
        max_workers: int = 40,
        verbose: bool = True,
        *,
        token: str | None = None,
        space_timeout: float | None = 900.0,
    ) -> Client:
        """Duplicate a Space to your account (or an organization) and connect to the copy.

        ``to_id`` may be a bare name or ``org/name``. If the target exists it is not
        duplicated again, but its hardware, secrets and sleep time are brought to what
        was asked. Waits, showing the stage and build log lines, until the copy runs.
        """
        from .hub import duplicate_space
        from .untrusted import print_visible

        say = print_visible if verbose else _quiet
        target, resolved = duplicate_space(
            from_id,
            to_id,
            hf_token or token,
            private=private,
            hardware=hardware,
            secrets=secrets,
            sleep_timeout=sleep_timeout,
            say=say,
            log_lines=(lambda line: print_visible(f"  | {line}")) if verbose else None,
            timeout=space_timeout,
        )
        return cls(target, hf_token=resolved, max_workers=max_workers, verbose=verbose)

    @_reference_errors
    def deploy_discord(
        self,
        discord_bot_token: str | None = None,
        api_names: list[str | tuple[str, str]] | None = None,
        to_id: str | None = None,
        hf_token: str | None = None,
        private: bool = False,
    ) -> str:
        """Deploy this (chat) app as a Discord bot in a new Space; the Space's URL."""
        from .discord import deploy
        from .untrusted import print_visible

        return deploy(
            self._core,
            discord_bot_token,
            api_names,
            to_id,
            hf_token,
            private,
            say=print_visible if self.verbose else _quiet,
        )

    def reset_session(self) -> None:
        """Start a new server session (fresh State); running jobs are not affected."""

        async def reset() -> None:  # on the loop thread, which owns the session
            self._core.reset_session()

        self._loop.run(reset())

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close streams and connections and stop the background loop."""
        self._finalizer()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return str(self.view_api(print_info=False, return_format="str"))

    def __str__(self) -> str:
        return self.__repr__()


def _quiet(_message: str) -> None:
    pass


def _unpacking(callback: Callable[..., Any]) -> Callable[[concurrent.futures.Future[Any]], None]:
    """The reference calls result callbacks with the outputs as separate arguments."""

    def on_done(future: concurrent.futures.Future[Any]) -> None:
        if future.cancelled() or future.exception() is not None:
            return  # nothing to hand over; the error is the job's to report
        result = future.result()
        if isinstance(result, tuple):
            callback(*result)
        else:
            callback(result)

    return on_done
