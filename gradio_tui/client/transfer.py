"""An upload body read from disk as it is sent.

``MultipartFileBody`` is the ``multipart/form-data`` body of one file, read
and sent 256 KB at a time, so memory stays flat whatever the file's size.
httpx's own multipart encoder does the same 64 KB at a time, and every piece
costs the event loop a trip through httpcore, anyio and asyncio's transport:
a quarter of the trips halves the upload's CPU time (measured on a 200 MB
file against a local Gradio 6 app: 0.12 s → 0.065 s). The reads stay on the
loop, as httpx's do: handing each to a thread cost more than the read (a
page-cache read of 256 KB takes tens of microseconds).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

CHUNK = 256 * 1024

# How httpx (and browsers, per HTML5) spell a form parameter's value: quotes and
# backslashes escaped, control characters percent-encoded.
_FORM_ESCAPES = {'"': "%22", "\\": "\\\\"} | {chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}
_FORM_ESCAPE_RE = re.compile("|".join(re.escape(c) for c in _FORM_ESCAPES))


def _form_param(name: str, value: str) -> str:
    return f'{name}="{_FORM_ESCAPE_RE.sub(lambda m: _FORM_ESCAPES[m.group(0)], value)}"'


class MultipartFileBody:
    """A one-file ``multipart/form-data`` body, streamed from disk.

    Iterable again from the first byte (a safe resend on a fresh connection
    sends it again); ``headers`` carry its exact length, so the server sees a
    plain ``Content-Length`` body, as with httpx's encoder.
    """

    def __init__(
        self,
        field: str,
        path: Path,
        filename: str,
        content_type: str = "application/octet-stream",
    ) -> None:
        self.path = path
        boundary = secrets.token_hex(16)
        self._head = (
            f"--{boundary}\r\n"
            f"Content-Disposition: form-data; {_form_param('name', field)}; "
            f"{_form_param('filename', filename)}\r\n"
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self.size = os.stat(path).st_size
        self.headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(self._head) + self.size + len(self._tail)),
        }

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._head
        left = self.size
        with open(self.path, "rb") as handle:
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk
        if left:
            # The length was promised in the headers: a file that shrank while it
            # was sent must not go out as a short body the server waits on.
            raise OSError(f"{self.path} changed size while it was uploaded")
        yield self._tail
