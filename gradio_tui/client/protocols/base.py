"""What every queue transport offers the client core.

A transport takes an ``AsyncJob`` whose ``wire_data`` is ready, gets it onto
the server's queue, and feeds the job typed events until it ends. The core
never branches on protocol or version; transports never touch user-facing
values (that is the job's post-processing).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ..filedata import FileRef, PreparedFile, file_meta, has_file_meta

if TYPE_CHECKING:
    from ..config import AppConfig
    from ..jobs import AsyncJob


def new_session_hash() -> str:
    """A random (version 4) UUID in its text form, as the reference names a session.

    Written out rather than taken from ``uuid``: that module imports ``platform``
    too, ~1.5 ms of a cold start, for sixteen random bytes.
    """
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Servers send a heartbeat every ~15 s on idle streams; four missed ones mean
# the stream is dead even if TCP has not noticed.
DEFAULT_STREAM_TIMEOUT_S = 60.0


@dataclass
class Session:
    """Shared connection state of one client: pool, config, session hash."""

    http: httpx.AsyncClient
    config: AppConfig
    session_hash: str = field(default_factory=new_session_hash)
    # How long an event stream may stay silent before its jobs fail (None: forever).
    stream_timeout: float | None = DEFAULT_STREAM_TIMEOUT_S
    # Sent only to endpoints whose API info asks for the caller's HF token.
    oauth_token: str | None = field(default=None, repr=False)
    # The caller's own ``httpx_kwargs["timeout"]``: when given, it rules every
    # request of the client (event streams included) instead of our defaults.
    user_timeout: httpx.Timeout | None = None
    # Event-stream frames that could not be decoded and named no job of ours.
    skipped_frames: int = 0
    # Streams (event streams, the heartbeat) that broke: the server may have gone away.
    broken_streams: int = 0

    def timeout(self, default: httpx.Timeout) -> httpx.Timeout:
        """``default`` for one kind of request, unless the caller set a timeout of their own."""
        return self.user_timeout if self.user_timeout is not None else default

    def stream_timeouts(self) -> httpx.Timeout:
        """Timeouts of an event stream: its read timeout is the silence it tolerates."""
        if self.user_timeout is not None:
            return self.user_timeout
        return httpx.Timeout(10.0, read=self.stream_timeout)


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

    # -- how this generation spells file values ------------------------------------

    def wants_data_url(self, component: str) -> bool:
        """Whether a file for ``component`` travels inline as a data URL (3.x images)."""
        return False

    def file_payload(self, prepared: PreparedFile, component: str) -> Any:
        """The wire value of an uploaded file or a URL (4.x+: FileData with meta)."""
        if prepared.data_url is not None:
            return prepared.data_url
        if prepared.url is not None:
            return {
                "path": prepared.url,
                "url": prepared.url,
                "orig_name": prepared.orig_name,
                "meta": file_meta(),
            }
        value: dict[str, Any] = {
            "path": prepared.server_path,
            "orig_name": prepared.orig_name,
            "meta": file_meta(),
        }
        if prepared.size is not None:
            value["size"] = prepared.size
        if prepared.mime_type:
            value["mime_type"] = prepared.mime_type
        return value

    def output_file(self, value: Any) -> FileRef | None:
        """The server file inside an output value, or None if it is not one.

        From 4.21 file values carry the FileData meta marker, so a JSON output
        that merely has a ``path`` key is not mistaken for a file; older 4.x
        values are recognised by their FileData keys.
        """
        if not isinstance(value, dict) or not isinstance(value.get("path"), str):
            return None
        if self.config.file_meta_required:
            if not has_file_meta(value):
                return None
        elif not ({"orig_name", "size", "mime_type", "url"} & value.keys()):
            return None
        orig = value.get("orig_name") if isinstance(value.get("orig_name"), str) else None
        url = value.get("url") if isinstance(value.get("url"), str) else None
        if value.get("is_stream") and url:
            return FileRef(server_path=None, url=url, orig_name=orig)
        return FileRef(server_path=value["path"], url=url, orig_name=orig)

    def reset_session(self) -> None:  # noqa: B027 - optional hook
        """Called after the session hash changed: later jobs use the new one."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Close streams and fail what is still pending."""
