"""What every queue transport offers the client core.

A transport takes an ``AsyncJob`` whose ``wire_data`` is ready, gets it onto
the server's queue, and feeds the job typed events until it ends. The core
never branches on protocol or version; transports never touch user-facing
values (that is the job's post-processing).
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from ..config import AppConfig
    from ..jobs import AsyncJob


def new_session_hash() -> str:
    return str(uuid.uuid4())


@dataclass
class Session:
    """Shared connection state of one client: pool, config, session hash."""

    http: httpx.AsyncClient
    config: AppConfig
    session_hash: str = field(default_factory=new_session_hash)
    # Servers send a heartbeat every ~15 s on idle streams; four missed ones
    # mean the stream is dead even if TCP has not noticed.
    stream_timeout: float = 60.0


class Transport(ABC):
    """Runs jobs on one server generation's queue protocol."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def config(self) -> AppConfig:
        return self.session.config

    @abstractmethod
    async def run(self, job: AsyncJob) -> None:
        """Drive ``job`` until the server ends it (or raise a typed error)."""

    @abstractmethod
    async def cancel(self, job: AsyncJob) -> bool:
        """Ask the server to stop ``job``; True when the server will stop it."""

    def reset_session(self) -> None:  # noqa: B027 - optional hook
        """Called after the session hash changed: later jobs use the new one."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Close streams and fail what is still pending."""
