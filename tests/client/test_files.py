"""Files in and out against a real Gradio server, and hostile or broken file answers."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import textwrap
import time
import wave
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gradio_tui import Client, handle_file
from gradio_tui.client import (
    AppConnectionError,
    FileTooLargeError,
    ServerResponseError,
)
from gradio_tui.client.files import safe_filename
from tests.support.fake_gradio import FakeGradio, Script, sse
from tests.support.request_log import RequestLog
from tests.support.servers import GradioServer, start_gradio


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


@pytest.fixture
def client(files_app: GradioServer, out_dir: Path) -> Iterator[Client]:
    with Client(files_app.url, verbose=False, output_dir=out_dir) as c:
        yield c


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte first
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_plain_path_roundtrip(client: Client, tmp_path: Path, out_dir: Path) -> None:
    src = tmp_path / "hello.txt"
    src.write_text("hello from a test\n")
    result = client.predict(str(src), api_name="/file")
    local = Path(result)
    assert local.read_text() == "hello from a test\n"
    assert local.is_relative_to(out_dir.resolve())
    # one sub-folder per file, named by content: identical content, same place
    assert local.parent.name == hashlib.sha256(b"hello from a test\n").hexdigest()
    assert client.predict(handle_file(src), api_name="/file") == result
    assert client.predict(str(src), api_name="/describe").endswith(":18")


def test_image_and_audio_inputs(client: Client, tmp_path: Path) -> None:
    img = tmp_path / "pixel.png"
    img.write_bytes(png_bytes())
    out_img, description = client.predict(str(img), api_name="/image")
    assert Path(out_img).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    name, size = description.rsplit(":", 1)
    assert name.endswith(".png") and int(size) > 0
    wav = tmp_path / "tone.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    assert client.predict(handle_file(str(wav)), api_name="/audio") == "frames=800"


def test_multiple_files_in_and_out(client: Client, tmp_path: Path, out_dir: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a")
    b.write_text("b")
    assert client.predict([str(a), handle_file(b)], api_name="/count_files") == 3 - 1
    outputs = client.predict(3, api_name="/many_files")
    assert len(outputs) == 3 and len(set(outputs)) == 3  # same names never collide
    assert [Path(p).read_text() for p in outputs] == ["content 0", "content 1", "content 2"]
    assert all(Path(p).is_relative_to(out_dir.resolve()) for p in outputs)


def test_hostile_name_from_a_real_server_stays_inside(client: Client, out_dir: Path) -> None:
    local = Path(client.predict("payload", api_name="/hostile"))
    assert local.read_text() == "payload"
    assert local.is_relative_to(out_dir.resolve())
    assert "$" not in local.name and "`" not in local.name and "\\" not in local.name


def test_a_file_the_server_compresses_arrives_as_it_was(client: Client) -> None:
    """Gradio sends larger text files brotli/gzip-encoded; the file on disk is the text."""
    text = "".join(f"line {i}: all good\n" for i in range(200))
    local = Path(client.predict(text, api_name="/hostile"))
    assert local.read_text() == text


def test_download_speed_is_streamed(client: Client) -> None:
    t0 = time.perf_counter()
    path = client.predict(30, api_name="/make_file")
    elapsed = time.perf_counter() - t0
    assert os.path.getsize(path) == 30 * 1024 * 1024
    assert elapsed < 30


def test_pooled_connections_read_big_bodies_in_big_pieces(client: Client, tmp_path: Path) -> None:
    """The pool's HTTP/1.1 connections read up to 256 KB at once (httpcore's own
    default is 64 KB): if an httpcore upgrade renames what keepalive.py tunes,
    downloads get slower without any error, and this says so."""
    src = tmp_path / "x.txt"
    src.write_text("x")
    client.predict(str(src), api_name="/file")
    pool = client._core.session.http._transport._inner._pool  # type: ignore[attr-defined]
    sizes = {c._inner._connection.READ_NUM_BYTES for c in pool.connections}
    assert sizes == {256 * 1024}


def test_serialize_false_passes_values_as_is(files_app: GradioServer, tmp_path: Path) -> None:
    sent = RequestLog()

    with Client(
        files_app.url,
        verbose=False,
        serialize=False,
        output_dir=tmp_path / "none",
        httpx_kwargs=sent.httpx_kwargs(),
    ) as c:
        value = c.predict("x", api_name="/hostile")
        assert isinstance(value, dict) and value["meta"] == {"_type": "gradio.FileData"}
        # the server's own value goes back in untouched, nothing uploaded or downloaded
        assert c.predict(value, api_name="/describe").endswith(":1")
        assert not any(p.endswith("/upload") or "file=" in p for p in sent)
    assert not (tmp_path / "none").exists()


def test_download_files_false_uploads_inputs_and_returns_the_server_file(
    files_app: GradioServer, tmp_path: Path
) -> None:
    """The reference's ``download_files=False``: inputs are still uploaded; output
    files come back as the server's file values, with the same keys as the
    reference returns, and nothing is fetched or written."""
    import gradio_client

    src = tmp_path / "notes.txt"
    src.write_bytes(b"hello")
    sent = RequestLog()

    with Client(
        files_app.url,
        verbose=False,
        download_files=False,
        httpx_kwargs=sent.httpx_kwargs(),
    ) as c:
        ours = c.predict(handle_file(src), api_name="/file")
    reference = gradio_client.Client(files_app.url, verbose=False, download_files=False).predict(
        gradio_client.handle_file(str(src)), api_name="/file"
    )
    assert isinstance(ours, dict) and isinstance(reference, dict)
    assert set(ours) == set(reference)
    assert ours["orig_name"] == reference["orig_name"] == "notes.txt"
    assert ours["size"] == reference["size"] == 5
    assert ours["url"].startswith(files_app.url)
    assert any(p.endswith("/upload") for p in sent)
    assert not any("file=" in p for p in sent)


def test_missing_directory_and_unreadable_inputs_send_nothing(
    files_app: GradioServer, tmp_path: Path
) -> None:
    sent = RequestLog()

    with Client(files_app.url, verbose=False, httpx_kwargs=sent.httpx_kwargs()) as c:
        sent.clear()
        missing = tmp_path / "nope.mp4"
        with pytest.raises(ValueError, match=r"File not found: .*nope\.mp4"):
            c.predict(str(missing), api_name="/file")
        with pytest.raises(ValueError, match="is a directory"):
            c.predict(str(tmp_path), api_name="/file")
        with pytest.raises(ValueError, match="does not exist"):
            handle_file(str(missing))
        dangling = tmp_path / "dangling"
        dangling.symlink_to(tmp_path / "gone")
        with pytest.raises(ValueError, match="File not found"):
            c.predict([str(dangling)], api_name="/count_files")
        if os.geteuid() != 0:  # root reads everything, so only non-root can check this
            locked = tmp_path / "locked.txt"
            locked.write_text("x")
            locked.chmod(0)
            with pytest.raises(PermissionError, match="not readable"):
                c.predict(str(locked), api_name="/file")
        time.sleep(0.1)
        assert sent == []


def test_max_file_size_is_checked_before_upload(tmp_path: Path) -> None:
    server = start_gradio("files_app", env={"GRADIO_TUI_MAX_FILE_SIZE": "1kb"})
    try:
        sent = RequestLog()

        with Client(server.url, verbose=False, httpx_kwargs=sent.httpx_kwargs()) as c:
            big = tmp_path / "big.bin"
            big.write_bytes(b"x" * 5000)
            sent.clear()
            # the reference's words, which scripts match on, and ours
            with pytest.raises(FileTooLargeError, match="exceeds the maximum file size") as err:
                c.predict(str(big), api_name="/file")
            assert "max_file_size" in str(err.value) and "Nothing was sent" in str(err.value)
            assert sent == []
            import gradio_client

            ref = gradio_client.Client(server.url, verbose=False)
            try:
                with pytest.raises(ValueError, match="exceeds the maximum file size"):
                    ref.predict(gradio_client.handle_file(str(big)), api_name="/file")
            finally:
                ref.close()
            small = tmp_path / "small.txt"
            small.write_text("ok")
            assert Path(c.predict(str(small), api_name="/file")).read_text() == "ok"
    finally:
        server.stop()


def test_upload_memory_stays_flat(files_app: GradioServer, tmp_path: Path) -> None:
    """A 200 MB upload must not be read into memory (measured in a fresh process)."""
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)
    script = textwrap.dedent(
        f"""
        import json, resource
        from gradio_tui import Client
        c = Client({files_app.url!r}, verbose=False)
        c.predict("warm", api_name="/hostile")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out = c.predict({str(big)!r}, api_name="/describe")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        c.close()
        print(json.dumps({{"out": out, "before_kb": before, "after_kb": after}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["out"] == f"big.bin:{200 * 1024 * 1024}"
    grown_mb = (data["after_kb"] - data["before_kb"]) / 1024
    assert grown_mb < 40, f"peak RSS grew by {grown_mb:.0f} MB during a 200 MB upload"


# -- hostile and broken answers from a scripted server -----------------------------------

FILE_CONFIG: dict[str, Any] = {
    "version": "6.31.0",
    "protocol": "sse_v3",
    "api_prefix": "/gradio_api",
    "components": [
        {
            "id": 1,
            "type": "file",
            "props": {"label": "in_file"},
            "skip_api": False,
            "api_info": {"title": "FileData", "type": "object"},
        },
        {
            "id": 2,
            "type": "file",
            "props": {"label": "out_file"},
            "skip_api": False,
            "api_info": {"title": "FileData", "type": "object"},
        },
    ],
    "dependencies": [
        {
            "id": 0,
            "api_name": "file",
            "inputs": [1],
            "outputs": [2],
            "backend_fn": True,
            "api_visibility": "public",
        },
    ],
}


class FileServer(FakeGradio):
    """Answers every job with a file value; serves downloads and uploads as told."""

    def __init__(
        self,
        out_path: str,
        *,
        download: bytes,
        cut_after: int | None = None,
        upload_reply: tuple[int, bytes, str] | None = None,
    ) -> None:
        self.download = download
        self.cut_after = cut_after
        self.upload_reply = upload_reply
        file_value = {
            "path": out_path,
            "url": None,
            "size": len(download),
            "orig_name": out_path,
            "meta": {"_type": "gradio.FileData"},
        }

        def on_join(body: dict[str, Any]) -> Script:
            return Script(
                "f1",
                sse(
                    {
                        "msg": "process_completed",
                        "event_id": "f1",
                        "output": {"data": [file_value]},
                        "success": True,
                    }
                ),
            )

        super().__init__(FILE_CONFIG, None, on_join)

    def _handler(self):  # type: ignore[no-untyped-def]
        base = super()._handler()
        fake = self

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                # httpx resolves "../" in the URL, so a hostile path may arrive
                # anywhere: every unknown GET is the download.
                known = ("/config", fake.api("info"), fake.api("queue/data"))
                if not self.path.split("?")[0].endswith(known):
                    self._record()
                    body = fake.download
                    self.send_response(200)
                    self.send_header("content-type", "application/octet-stream")
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: fake.cut_after] if fake.cut_after else body)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                super().do_GET()

            def do_POST(self) -> None:
                if self.path.endswith("/upload") and fake.upload_reply is not None:
                    self._record()
                    status, body, ctype = fake.upload_reply
                    self._send(status, body, ctype)
                    return
                super().do_POST()

        return Handler


def _files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..\\..\\windows\\evil.dll",
        "..",
        "",
        "CON",
        "a\x00b\nc.txt",
        "ü" * 300 + ".txt",
    ],
)
def test_server_names_never_escape_output_dir(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        FileServer(name, download=b"data") as fake,
        Client(fake.url, verbose=False, output_dir=out) as c,
    ):
        local = Path(c.predict("http://example.invalid/x.txt", api_name="/file"))
    assert local.read_bytes() == b"data"
    assert local.resolve().is_relative_to(out.resolve())
    assert local.parent.parent == out.resolve()
    assert len(local.name.encode()) <= 200


def test_cut_download_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        FileServer("/srv/big.bin", download=b"x" * 100_000, cut_after=40_000) as fake,
        Client(fake.url, verbose=False, output_dir=out) as c,
    ):
        with pytest.raises(AppConnectionError, match="cut"):
            c.predict("http://example.invalid/x.txt", api_name="/file")
    assert _files_in(out) == []


@pytest.mark.parametrize(
    ("reply", "match"),
    [
        ((200, b"<html><body>proxy error</body></html>", "text/html"), "list of server paths"),
        ((502, b"<html>Bad gateway</html>", "text/html"), "HTTP 502"),
        ((200, b'{"path": "x"}', "application/json"), "list of server paths"),
        ((413, b"File too large", "text/plain"), "too large"),
    ],
)
def test_bad_upload_answers(reply: tuple[int, bytes, str], match: str, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("x")
    with (
        FileServer("/srv/o.txt", download=b"o", upload_reply=reply) as fake,
        Client(fake.url, verbose=False, output_dir=tmp_path / "out") as c,
    ):
        with pytest.raises((ServerResponseError, FileTooLargeError), match=match):
            c.predict(str(src), api_name="/file")
        joins = [r for r in fake.requests if r.path.endswith("/queue/join")]
        assert joins == []  # the job never reached the queue


def test_url_inputs_are_sent_for_the_server_to_fetch(tmp_path: Path) -> None:
    with (
        FileServer("/srv/o.txt", download=b"o") as fake,
        Client(fake.url, verbose=False, output_dir=tmp_path) as c,
    ):
        c.predict("https://example.com/data/sample.wav?x=1", api_name="/file")
        join = next(r for r in fake.requests if r.path.endswith("/queue/join")).json()
    assert join["data"][0] == {
        "path": "https://example.com/data/sample.wav?x=1",
        "url": "https://example.com/data/sample.wav?x=1",
        "orig_name": "sample.wav",
        "meta": {"_type": "gradio.FileData"},
    }
    assert not any(r.path.endswith("/upload") for r in fake.requests)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("a.txt", "a.txt"),
        ("../x.txt", "x.txt"),
        ("/abs/y.bin", "y.bin"),
        ("..", "file"),
        (".hidden", "hidden"),
        ("nul.txt", "_nul.txt"),
        ("a<b>c?.png", "abc.png"),
        ("", "file"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected
