"""``from gradio_tui import Client`` stays light: no Textual, no Rich, no Hub client."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_client_import_does_not_load_the_tui() -> None:
    mods = _loaded_after("from gradio_tui import Client")
    assert "textual" not in mods
    assert "gradio_tui.tui" not in mods
    assert "huggingface_hub" not in mods
    assert "websockets" not in mods


def test_client_layer_never_imports_textual_even_when_used() -> None:
    mods = _loaded_after(
        "import gradio_tui.client as c\n"
        "from gradio_tui.client import core, endpoints, view_api, protocols\n"
        "from gradio_tui.client.protocols import sse\n"
    )
    assert not {m for m in mods if m == "textual" or m.startswith("textual.")}
    assert "gradio_tui.tui" not in mods
