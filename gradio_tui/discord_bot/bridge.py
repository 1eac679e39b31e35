"""From a Discord message to a reply, through our client, one session per thread.

Kept free of discord.py so it can be tested against a local Gradio chat app.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from typing import Any

from gradio_tui.client.core import AsyncClient
from gradio_tui.client.errors import GradioTuiError

DISCORD_LIMIT = 2000
MAX_SESSIONS = 100


def as_text(value: Any) -> str:
    """A reply as Discord text: strings as they are, the last chat message of a
    history, anything else as JSON."""
    if isinstance(value, tuple) and value:
        value = value[0]
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[-1], dict):
        content = value[-1].get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            texts = [c.get("text", "") for c in content if isinstance(c, dict)]
            return "".join(t for t in texts if isinstance(t, str))
    return json.dumps(value, ensure_ascii=False, default=str)


def truncate(text: str, limit: int = DISCORD_LIMIT) -> str:
    if len(text) <= limit:
        return text or "(empty reply)"
    return text[: limit - 1] + "…"


class ChatBridge:
    """Replies to prompts using the upstream app; a conversation keeps its session."""

    def __init__(self, src: str, api_name: str, hf_token: str | None = None) -> None:
        self.src = src
        self.api_name = "/" + api_name.lstrip("/")
        self.hf_token = hf_token
        self._sessions: OrderedDict[str, AsyncClient] = OrderedDict()
        self._lock = asyncio.Lock()

    async def _client(self, conversation: str) -> AsyncClient:
        async with self._lock:
            client = self._sessions.get(conversation)
            if client is not None:
                self._sessions.move_to_end(conversation)
                return client
            client = await AsyncClient.connect(self.src, self.hf_token, verbose=False)
            self._sessions[conversation] = client
            while len(self._sessions) > MAX_SESSIONS:
                _, old = self._sessions.popitem(last=False)
                await old.aclose()
            return client

    async def reply(self, conversation: str, prompt: str) -> str:
        """The reply to ``prompt`` in ``conversation``, or a short apology on failure."""
        if not prompt.strip():
            return "Send me a message after the command, e.g. `/chat hello`."
        try:
            client = await self._client(conversation)
            value = await client.predict(prompt, api_name=self.api_name)
        except GradioTuiError as exc:
            return truncate(f"Sorry, the app failed: {exc}")
        return truncate(as_text(value))

    async def aclose(self) -> None:
        for client in self._sessions.values():
            await client.aclose()
        self._sessions.clear()
