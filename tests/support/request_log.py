"""Which requests a client sent, seen through httpx's own request hook."""

from __future__ import annotations

from typing import Any

import httpx


class RequestLog(list[str]):
    """The path of every request, in order; pass ``httpx_kwargs()`` to ``Client``."""

    def httpx_kwargs(self) -> dict[str, Any]:
        return {"event_hooks": {"request": [self._record]}}

    async def _record(self, request: httpx.Request) -> None:
        self.append(request.url.path)
