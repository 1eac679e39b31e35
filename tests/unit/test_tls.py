"""``LazyCAContext``: httpx's ``verify=True`` context, with the CA bundle read at first use."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gradio_tui.client.tls import LazyCAContext


def test_same_settings_and_trust_as_httpx_once_loaded() -> None:
    lazy = LazyCAContext()
    assert lazy._loaded is False  # made without reading the bundle
    eager = httpx.create_ssl_context()
    for name in (
        "protocol",
        "verify_mode",
        "check_hostname",
        "verify_flags",
        "options",
        "minimum_version",
        "maximum_version",
        "keylog_filename",
    ):
        assert getattr(lazy, name) == getattr(eager, name), name
    assert lazy.get_ca_certs() == eager.get_ca_certs() != []
    assert lazy._loaded is True


def test_ca_locations_follow_the_environment_like_httpx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    assert LazyCAContext()._locations == {"cafile": str(tmp_path / "ca.pem")}
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert LazyCAContext()._locations == {"capath": str(tmp_path)}
    assert LazyCAContext(trust_env=False)._locations != {"capath": str(tmp_path)}


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An https server on 127.0.0.1 with a self-signed certificate: (url, its cert)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
    )

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/", cert
    server.shutdown()
    server.server_close()


def test_an_unknown_certificate_is_refused(tls_server: tuple[str, Path]) -> None:
    url, _ = tls_server
    with (
        httpx.Client(verify=LazyCAContext()) as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(url)


def test_the_bundle_is_read_before_the_first_handshake(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = LazyCAContext()
    with httpx.Client(verify=context) as client:  # wrap_socket
        assert client.get(url).text == "hello"
    assert context._loaded

    async def fetch() -> str:
        async with httpx.AsyncClient(verify=LazyCAContext()) as client:  # wrap_bio
            return (await client.get(url)).text

    assert asyncio.run(fetch()) == "hello"
