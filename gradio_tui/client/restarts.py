"""Noticing that the server restarted under a session that keeps ``State``.

A Gradio server keeps each session's ``State`` in memory. When it restarts,
a client that goes on calling with its old session hash silently gets a
fresh, empty session: a chat forgets its history and nobody says so.

Every launch of an app draws a new random ``app_id`` (in ``/config`` and at
``GET app_id``). The client remembers the one it connected to and, before a
job that reads ``State``, asks again, but only after something suggested the
server may have gone away: a request that failed at the connection level, an
event stream or the session heartbeat that broke. A healthy client pays
nothing. When the id changed, the job carries a warning (a ``LOG`` status
update and, for the synchronous ``Job``, a Python warning), or, with
``strict_session=True``, fails with ``SessionLostError`` without being sent,
until ``reset_session()`` says a fresh session is what the caller wants.

Servers without an ``app_id`` (none known) cannot be checked; servers that
restart without the client ever seeing a failure (no heartbeat, idle client)
are found out on the first failure after, not before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from .errors import SessionLostError, SessionLostWarning

if TYPE_CHECKING:
    from .jobs import AsyncJob
    from .protocols import Session


class RestartWatch:
    """What one client knows about the server launch its session lives in."""

    def __init__(self, session: Session, *, strict: bool) -> None:
        self.session = session
        self.strict = strict
        self.app_id = _app_id(session.config.raw)
        self.lost = False  # the server restarted since the session began
        self._checked_at = self.troubles()

    def troubles(self) -> int:
        """Connection troubles seen so far (each one may be the server going away)."""
        keepalive = getattr(self.session.http, "keepalive_stats", None)
        failures = keepalive.failures if keepalive is not None else 0
        return failures + self.session.broken_streams

    def reset(self) -> None:
        """A new session was started on purpose: nothing is lost any more."""
        self.lost = False
        self._checked_at = self.troubles()

    async def before(self, job: AsyncJob) -> None:
        """Check the server's launch before ``job`` (which reads State) is sent.

        Raises ``SessionLostError`` in strict mode; otherwise warns on the job.
        """
        if self.app_id is None or not job.endpoint.reads_state:
            return
        if self.troubles() != self._checked_at:
            troubles = self.troubles()
            current = await self._current_app_id()
            if current is not None:
                self._checked_at = troubles
                if current != self.app_id:
                    self.app_id = current
                    self.lost = True
        if not self.lost:
            return
        message = (
            f"The server restarted since this client's session began: its State from earlier "
            f"calls is gone, and {job.endpoint.name} runs in a new, empty session."
        )
        if self.strict:
            raise SessionLostError(
                message + " Call reset_session() to go on with a new session "
                "(strict_session=True made this an error)."
            )
        self.lost = False  # said once; the new session is this client's session now
        job.warn(message, SessionLostWarning)

    async def _current_app_id(self) -> Any:
        url = self.session.config.url("app_id")
        try:
            response = await self.session.http.get(url, timeout=httpx.Timeout(10.0))
            if response.status_code != 200:
                return None
            body = response.json()
        except (httpx.HTTPError, ValueError, RecursionError):
            return None  # cannot tell now; the job itself will meet the trouble
        return _app_id(body)


def _app_id(raw: Any) -> int | str | None:
    value = raw.get("app_id") if isinstance(raw, dict) else None
    if isinstance(value, int | str) and not isinstance(value, bool):
        return value
    return None


__all__ = ["RestartWatch"]
