"""Queue transports, one per server generation, and the one place that picks one.

The choice is made from the config's ``protocol`` (missing means the 3.x
websocket queue) so that nothing else in the client branches on versions.
Each transport module is imported only when an app of its generation is
used (the 3.x one pulls in ``websockets``).
"""

from __future__ import annotations

from ..errors import ServerResponseError
from .base import Session, Transport, new_session_hash

SSE_SESSION_PROTOCOLS = ("sse_v1", "sse_v2", "sse_v2.1", "sse_v3")


def make_transport(session: Session) -> Transport:
    """The transport for this app's protocol."""
    protocol = session.config.protocol
    if protocol in SSE_SESSION_PROTOCOLS:
        from .sse import SseTransport

        return SseTransport(session)
    if protocol == "sse":
        from .sse_v0 import SseV0Transport

        return SseV0Transport(session)
    if protocol == "ws":
        from .ws import WsTransport

        return WsTransport(session)
    raise ServerResponseError(
        f"{session.config.src} speaks the queue protocol {protocol!r} "
        f"(Gradio {session.config.version}), which this client does not support."
    )


__all__ = ["SSE_SESSION_PROTOCOLS", "Session", "Transport", "make_transport", "new_session_hash"]
