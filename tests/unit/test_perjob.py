"""A job's own connection (3.x websocket, 4.0–4.8 stream) is dropped whatever its close does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gradio_tui.client.protocols.perjob import JobConnection


def _connection(closer: Any, aborted: list[str]) -> JobConnection:
    conn = JobConnection(job=None, session_hash="s")  # type: ignore[arg-type]
    conn.closer = closer
    conn.aborter = lambda: aborted.append("aborted")
    return conn


async def test_a_close_that_is_cancelled_still_drops_the_connection() -> None:
    """The client's shutdown cancels jobs mid-close: the socket must not wait for the GC."""
    aborted: list[str] = []
    closing = asyncio.Event()

    async def never_answered() -> None:
        closing.set()
        await asyncio.Event().wait()  # the server never answers the close frame

    conn = _connection(never_answered, aborted)
    task = asyncio.ensure_future(conn.close())
    await closing.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert aborted == ["aborted"]


async def test_a_close_that_fails_still_drops_the_connection() -> None:
    aborted: list[str] = []

    async def broken() -> None:
        raise OSError("connection reset")

    await _connection(broken, aborted).close()
    assert aborted == ["aborted"]


async def test_a_connection_closes_once() -> None:
    aborted: list[str] = []
    closes: list[str] = []

    async def polite() -> None:
        closes.append("closed")

    conn = _connection(polite, aborted)
    await conn.close()
    await conn.close()
    assert closes == ["closed"]
    assert aborted == ["aborted"]  # a no-op on a transport the close has ended
