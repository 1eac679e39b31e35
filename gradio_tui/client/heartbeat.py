"""The session heartbeat: a stream the app holds open while this client lives.

Apps with ``State``, ``unload`` events or per-session caches set
``connect_heartbeat`` in their config. While ``GET heartbeat/<session_hash>``
stays open the server keeps the session; when it closes (``close()``, a new
session) the server runs the app's unload events and releases the session's
state, as it does when a browser tab closes. The stream carries nothing we
need, so it is read and dropped; a cut stream is reopened with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import httpx

from .config import AppConfig

RETRY_FIRST_S = 1.0
RETRY_MAX_S = 30.0
READ_TIMEOUT_S = 120.0  # servers send "ALIVE" every 15 s


def wants_heartbeat(config: AppConfig) -> bool:
    return config.raw.get("connect_heartbeat") is True


class Heartbeat:
    """One open heartbeat stream at a time, for the client's current session."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        config: AppConfig,
        on_break: Callable[[], None] | None = None,
    ) -> None:
        self.http = http
        self.config = config
        self.on_break = on_break  # told whenever the stream ends or fails to open
        self._task: asyncio.Task[None] | None = None

    def start(self, session_hash: str) -> None:
        """Beat for ``session_hash`` (ending the beat of the previous session)."""
        self.stop()
        self._task = asyncio.get_running_loop().create_task(
            self._beat(session_hash), name="gradio-heartbeat"
        )

    @property
    def ended(self) -> bool:
        """The beat stopped on its own: the server refused it, so it is not asked again."""
        return self._task is not None and self._task.done()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def aclose(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _beat(self, session_hash: str) -> None:
        url = self.config.url(f"heartbeat/{session_hash}")
        timeout = httpx.Timeout(30.0, read=READ_TIMEOUT_S)
        delay = RETRY_FIRST_S
        while True:
            try:
                async with self.http.stream("GET", url, timeout=timeout) as response:
                    status = response.status_code
                    if 400 <= status < 500 and status != 429:
                        return  # no such route, or not ours to open: asking again won't help
                    if status == 200:
                        async for _ in response.aiter_raw():
                            delay = RETRY_FIRST_S
            except httpx.HTTPError:
                pass  # the server went away or the stream was cut: try again later
            if self.on_break is not None:
                self.on_break()  # a stream meant to stay open ended: the server may have restarted
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_S)
