"""Cancelling on queues that give every job its own connection (3.x ``ws``, 4.0–4.8 ``sse``).

There the connection *is* the job for the server: closing it removes a job
that still waits in the queue and stops a generator at its next step. A
plain function that already runs only stops through the app's cancel event
(see ``cancel.py``), which must not hit a sibling job of this client; while
one could be hit, the connection stays open and the cancel event is owed
until the sibling ends (or the job ends by itself).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cancel import (
    cancel_dependency,
    siblings_at_risk,
    trigger_cancel_dependency,
    waiting_in_queue,
)

if TYPE_CHECKING:
    from ..jobs import AsyncJob
    from .base import Session


@dataclass
class JobConnection:
    """One job's own connection to the queue."""

    job: AsyncJob
    session_hash: str
    closer: Callable[[], Awaitable[None]] | None = None  # set once the connection is open
    # Drops the connection at once, for when the polite close fails, times out or
    # is cancelled: else its socket stays open until the garbage collector finds it.
    aborter: Callable[[], object] | None = None
    dequeued: bool = False  # send_data seen: the server runs a task for the job now
    deferred: bool = False  # a cancel event is owed once no sibling can be hit
    closed: bool = False

    async def close(self) -> None:
        if self.closed or self.closer is None:
            return
        self.closed = True
        try:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.closer(), timeout=5)
        finally:
            if self.aborter is not None:
                self.aborter()  # a no-op once the close has ended the connection


class PerJobConnections:
    """The live connections of one transport, and the cancel rules over them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.live: dict[AsyncJob, JobConnection] = {}

    def open(self, job: AsyncJob, session_hash: str) -> JobConnection:
        conn = JobConnection(job, session_hash)
        self.live[job] = conn
        return conn

    async def finished(self, job: AsyncJob) -> None:
        """The job's connection is over: close it, and fire cancels it was holding up."""
        conn = self.live.pop(job, None)
        if conn is not None:
            await conn.close()
        for other in [c for c in self.live.values() if c.deferred]:
            dep = cancel_dependency(self.session.config, other.job.endpoint.fn_index)
            if dep is None or job.endpoint.fn_index not in dep.cancels:
                continue
            if not self._at_risk(other, dep.cancels):
                other.deferred = False
                await trigger_cancel_dependency(self.session, dep, other.session_hash)
                await other.close()

    def _waiting(self, job: AsyncJob) -> bool:
        # Estimations can follow send_data on 3.x; only send_data says "dequeued".
        conn = self.live.get(job)
        return conn is not None and not conn.dequeued and waiting_in_queue(job)

    def _at_risk(self, conn: JobConnection, targets: list[int]) -> bool:
        return siblings_at_risk(conn.job, self.live, conn.session_hash, targets, self._waiting)

    async def cancel(self, job: AsyncJob) -> bool:
        """Stop ``job`` on the server; True unless the server keeps running the function."""
        conn = self.live.get(job)
        if conn is None:
            return not job.started
        if not conn.dequeued:
            await conn.close()
            return True
        dep = cancel_dependency(self.session.config, job.endpoint.fn_index)
        if dep is None:
            await conn.close()
            return job.endpoint.is_generator
        if self._at_risk(conn, dep.cancels):
            # Keep the connection: it tells whether the job still runs when the
            # cancel event becomes safe to fire.
            conn.deferred = True
            return True
        fired = await trigger_cancel_dependency(self.session, dep, conn.session_hash)
        await conn.close()
        return fired or job.endpoint.is_generator

    async def aclose(self) -> None:
        for conn in list(self.live.values()):
            await conn.close()


__all__ = ["JobConnection", "PerJobConnections"]
