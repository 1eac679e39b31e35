"""``start_app``: its ``while_starting`` hook (``gradio-tui --demo`` imports the app
there), and a port someone else took before the app could listen on it."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradio_tui import serving
from gradio_tui.demo.server import DemoUnavailableError, start_app
from gradio_tui.serving import free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def children() -> set[int]:
    me = os.getpid()
    return {int(p) for p in Path(f"/proc/{me}/task/{me}/children").read_text().split()}


def test_a_failing_hook_stops_the_app_it_was_waiting_for() -> None:
    before = children()
    seen: list[int] = []

    def hook() -> None:
        seen.extend(children() - before)  # the app is already launched when the hook runs
        raise RuntimeError("import failed")

    # A stand-in app that would never answer: only the hook can end the wait.
    command = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(RuntimeError, match="import failed"):
        start_app(command, timeout=60, while_starting=hook)
    assert len(seen) == 1
    assert not Path(f"/proc/{seen[0]}").exists()  # stopped and reaped


class _Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def squatter() -> Iterator[int]:
    """Another process's server (here: this test's), answering on a port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


# A stand-in app: ``--port N`` serves GET anything with 200, as an app's /config.
APP = """
import http.server, sys
port = int(sys.argv[sys.argv.index("--port") + 1])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
"""


def test_an_answer_from_a_process_that_took_the_port_is_not_the_app(squatter: int) -> None:
    # The app cannot listen on a taken port; the squatter answers in its place.
    with pytest.raises(DemoUnavailableError, match=f"Port {squatter} answered, but not from"):
        start_app([sys.executable, "-c", APP], timeout=30, port=squatter)


def test_a_free_port_taken_first_is_replaced_by_another(
    squatter: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ports = iter([squatter])
    monkeypatch.setattr(serving, "free_port", lambda: next(ports, None) or free_port())
    server = start_app([sys.executable, "-c", APP], timeout=30)
    try:
        assert server.port != squatter
        assert server.listens() is True
    finally:
        server.stop()
