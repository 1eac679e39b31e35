"""Queue transports, one per server generation, and the one place that picks one.

The choice is made from the config's ``protocol`` (missing means the 3.x
websocket queue) so that nothing else in the client branches on versions.
Each transport module is imported only when an app of its generation runs
its first job (the 3.x one pulls in ``websockets``); connecting only checks
that one exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ServerResponseError
from .base import Session, Transport, new_session_hash

if TYPE_CHECKING:
    from ..config import AppConfig

SSE_SESSION_PROTOCOLS = ("sse_v1", "sse_v2", "sse_v2.1", "sse_v3")


def check_protocol(config: AppConfig) -> None:
    """Refuse, at connect, an app whose queue protocol no transport here speaks."""
    if config.protocol not in (*SSE_SESSION_PROTOCOLS, "sse", "ws"):
        raise ServerResponseError(
            f"{config.src} speaks the queue protocol {config.protocol!r} "
            f"(Gradio {config.version}), which this client does not support."
        )


def make_transport(session: Session) -> Transport:
    """The transport for this app's protocol."""
    check_protocol(session.config)
    protocol = session.config.protocol
    if protocol in SSE_SESSION_PROTOCOLS:
        from .sse import SseTransport

        return SseTransport(session)
    if protocol == "sse":
        from .sse_v0 import SseV0Transport

        return SseV0Transport(session)
    from .ws import WsTransport

    return WsTransport(session)


__all__ = [
    "SSE_SESSION_PROTOCOLS",
    "Session",
    "Transport",
    "check_protocol",
    "make_transport",
    "new_session_hash",
]
