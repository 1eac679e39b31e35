"""Stopping a job on servers that have no ``/cancel`` route (Gradio 3.x and 4.0–4.29).

Those servers stop a *running* function only through a "cancel event" the
app defines (``.click(..., cancels=[event])``): a dependency whose
``cancels`` list names the job's fn_index. Triggering it cancels every
running task of each listed function in the session — a sibling job of the
same client included — so transports only fire it when no sibling could be
hit, and say honestly when nothing can stop the function.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

import httpx

from ..http import SAFE_TO_RESEND
from ..status import Status

if TYPE_CHECKING:
    from ..config import AppConfig, Dependency
    from ..jobs import AsyncJob
    from .base import Session


def cancel_dependency(config: AppConfig, fn_index: int) -> Dependency | None:
    """The app's cancel event for ``fn_index``; of several, the one hitting fewest functions."""
    candidates = [
        d for d in config.dependencies if fn_index in d.cancels and d.fn_index != fn_index
    ]
    return min(candidates, key=lambda d: (len(d.cancels), d.fn_index), default=None)


def waiting_in_queue(job: AsyncJob) -> bool:
    """Whether the server last said ``job`` waits in its queue (so it has no task yet)."""
    return job.latest.code == Status.IN_QUEUE


def siblings_at_risk(
    job: AsyncJob,
    others: Iterable[AsyncJob],
    session_hash: str,
    targets: Collection[int],
    waiting: Callable[[AsyncJob], bool] = waiting_in_queue,
) -> bool:
    """Whether firing a cancel event for ``targets`` could stop another live job.

    The server cancels *running* tasks only, so a sibling known to be waiting
    in the queue is safe; one that is starting, running, or whose state is
    not known yet is not. A sibling dequeued in the instant between this
    check and the server handling the trigger is the one case this cannot see.
    """
    return any(
        other is not job
        and not other.cancel_requested
        and other.session_hash == session_hash
        and other.endpoint.fn_index in targets
        and not waiting(other)
        for other in others
    )


async def trigger_cancel_dependency(
    session: Session, dependency: Dependency, session_hash: str
) -> bool:
    """Fire the cancel event through the non-queued route; True when the server took it.

    The server replaces ``data`` with the session hash itself and cancels
    that session's tasks, so it only works with the job's own session hash.
    """
    url = session.config.url("run/predict")
    body = {"data": [], "fn_index": dependency.fn_index, "session_hash": session_hash}
    try:
        # Firing a cancel event twice cancels no more than once does.
        response = await session.http.post(url, json=body, extensions=SAFE_TO_RESEND)
    except httpx.TransportError:
        return False
    return response.status_code < 300


__all__ = [
    "cancel_dependency",
    "siblings_at_risk",
    "trigger_cancel_dependency",
    "waiting_in_queue",
]
