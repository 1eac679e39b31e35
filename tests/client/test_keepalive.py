"""Which pooled connection a job start takes: the fresh one idle the longest.

A small HTTP/1.1 server on 127.0.0.1 answers each request only when the test
says so and records the client port it came from, so the test decides the
order in which connections go idle and sees which one the next job start uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from gradio_tui.client import keepalive
from gradio_tui.client.http import make_http_client


@dataclass
class HeldServer:
    """Answers ``POST`` bodies once ``release(body)`` is called; keeps who sent what."""

    port: int = 0
    senders: dict[str, int] = field(default_factory=dict)  # body -> client port
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    _gates: dict[str, asyncio.Event] = field(default_factory=dict)

    async def wait_for_senders(self, count: int) -> None:
        async with asyncio.timeout(10), self._arrived:
            await self._arrived.wait_for(lambda: len(self.senders) >= count)

    def gate(self, body: str) -> asyncio.Event:
        return self._gates.setdefault(body, asyncio.Event())

    def release(self, body: str) -> None:
        self.gate(body).set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("peername")[1]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.decode("latin-1").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                body = (await reader.readexactly(length)).decode()
                async with self._arrived:
                    self.senders[body] = port
                    self._arrived.notify_all()
                await self.gate(body).wait()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


@pytest.fixture
async def held() -> AsyncIterator[HeldServer]:
    server = HeldServer()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.port = listener.sockets[0].getsockname()[1]
    yield server
    listener.close()


async def test_a_job_start_takes_the_fresh_connection_idle_the_longest(
    held: HeldServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The order is the point here, not the window: every connection stays fresh
    # however slow the machine (the window has its own tests in test_faults.py).
    monkeypatch.setattr(keepalive, "FRESH_S", 30.0)
    url = f"http://127.0.0.1:{held.port}/queue/join"
    async with make_http_client(auth=None, headers=None, max_connections=10) as http:
        # Three job starts at once open three connections, in the order a, b, c.
        calls = {name: asyncio.create_task(http.post(url, content=name)) for name in "abc"}
        await held.wait_for_senders(3)
        assert len(set(held.senders.values())) == 3
        # They go idle in the other order: c first, so c has been idle the longest.
        for name in "cba":
            held.release(name)
            assert (await calls[name]).status_code == 200
        for name in "de":
            held.release(name)
            assert (await http.post(url, content=name)).status_code == 200
    # httpcore alone would put both on a's connection (the first opened and free).
    assert held.senders["d"] == held.senders["c"]
    assert held.senders["e"] == held.senders["b"]  # now idle the longest: c was just used
