"""Shared fixtures: real Gradio servers on free local ports, isolated dirs."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.servers import GradioServer, start_gradio

# Nothing in the suite may reach the internet or a real Hub.
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test sees the developer's HF token, config dirs or GRADIO_TEMP_DIR."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(home / "gradio-downloads"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


@pytest.fixture(scope="session")
def core_app() -> Iterator[GradioServer]:
    """The core test app on the installed (current) Gradio."""
    server = start_gradio("core_app")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def core_url(core_app: GradioServer) -> str:
    return core_app.url


@pytest.fixture(scope="session")
def hostile_server() -> Iterator[GradioServer]:
    """``tests/apps/hostile_app.py``: every string it sends is markup or escape codes."""
    server = start_gradio("hostile_app")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cli_app() -> Iterator[GradioServer]:
    """``tests/apps/cli_app.py``: one small app behind each kind of trouble, by path."""
    server = start_gradio("cli_app", ready_path="app/config")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def files_app() -> Iterator[GradioServer]:
    """``tests/apps/files_app.py``: every file component, in and out."""
    server = start_gradio("files_app")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chat_app() -> Iterator[GradioServer]:
    """``tests/apps/chat_app.py``: a Gradio 6 chat app (translated labels, a Space to deploy)."""
    server = start_gradio("chat_app")
    yield server
    server.stop()
