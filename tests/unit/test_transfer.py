"""The streamed upload body: byte for byte what httpx's multipart encoder sends."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from gradio_tui.client.transfer import CHUNK, MultipartFileBody


def collect(body: MultipartFileBody) -> list[bytes]:
    async def run() -> list[bytes]:
        return [piece async for piece in body]

    return asyncio.run(run())


@pytest.mark.parametrize(
    "name",
    ["plain.bin", 'quo"te.txt', "back\\slash.txt", "ctrl\x01\x1b\x1f.txt", "résumé 名.pdf"],
)
@pytest.mark.parametrize("size", [0, 1, CHUNK, 3 * CHUNK + 17])
def test_body_matches_httpx_encoder(tmp_path: Path, name: str, size: int) -> None:
    path = tmp_path / "data"
    path.write_bytes(os.urandom(size))
    body = MultipartFileBody("files", path, name)
    with open(path, "rb") as handle:
        reference = httpx.Request(
            "POST",
            "http://127.0.0.1/upload",
            files={"files": (name, handle, "application/octet-stream")},
            headers={"Content-Type": body.headers["Content-Type"]},  # the same boundary
        )
        want = b"".join(reference.stream)
    pieces = collect(body)
    assert b"".join(pieces) == want
    assert body.headers["Content-Length"] == reference.headers["Content-Length"]
    assert max(len(p) for p in pieces) <= max(CHUNK, len(pieces[0]))
    # A resend iterates again from the first byte.
    assert b"".join(collect(body)) == want


def test_sent_through_httpx_with_its_length(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * (CHUNK + 5))
    body = MultipartFileBody("files", path, path.name)
    request = httpx.Request("POST", "http://127.0.0.1/upload", content=body, headers=body.headers)
    assert request.headers["Content-Length"] == body.headers["Content-Length"]
    assert "Transfer-Encoding" not in request.headers


def test_a_file_that_shrinks_while_sent_fails(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * (2 * CHUNK))
    body = MultipartFileBody("files", path, path.name)
    path.write_bytes(b"x" * CHUNK)

    async def run() -> None:
        async for _ in body:
            pass

    with pytest.raises(OSError, match="changed size"):
        asyncio.run(run())


def test_a_file_that_grows_while_sent_goes_out_at_the_promised_length(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 10)
    body = MultipartFileBody("files", path, path.name)
    path.write_bytes(b"x" * 20)
    sent = b"".join(collect(body))
    assert len(sent) == int(body.headers["Content-Length"])
