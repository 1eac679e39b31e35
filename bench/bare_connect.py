"""The cold-start floor: the least an asyncio httpx client does to know an app.

Import httpx (without its command-line tool, which any client can skip),
then on a fresh event loop ask for ``/config`` and the API info at once and
parse both answers. No client library, no endpoint table, no job code:
what is left is the libraries every async httpx client loads (httpx,
httpcore, h11, asyncio, anyio's asyncio backend) and two requests (and,
for an https app only, the CA bundle). Our cold
start over this number is what our own code costs; the reference's over it
is what the target ratio leaves us.

Nothing is imported at module level, so importing this module costs nothing
that the timing should count.
"""

from __future__ import annotations

import sys
from typing import Any


def import_libraries() -> None:
    """``import httpx``, skipping ``httpx._main`` as our client does (see its docstring)."""
    if "httpx" in sys.modules:
        return
    sys.modules["httpx._main"] = None  # type: ignore[assignment]  # makes that import fail
    try:
        import httpx  # noqa: F401
    finally:
        del sys.modules["httpx._main"]


def connect(url: str) -> tuple[Any, Any]:
    """The app's config and API info, fetched together on a new event loop."""
    import asyncio

    import httpx

    # A plain-http app needs no CA bundle (httpx reads certifi's, ~25 ms, for
    # any client that verifies); our client reads it at its first handshake.
    verify = not url.startswith("http://")

    async def both() -> tuple[Any, Any]:
        async with httpx.AsyncClient(timeout=30.0, verify=verify) as http:
            config, info = await asyncio.gather(
                http.get(url + "config"), http.get(url + "gradio_api/info")
            )
            config.raise_for_status()
            info.raise_for_status()
            return config.json(), info.json()

    return asyncio.run(both())
