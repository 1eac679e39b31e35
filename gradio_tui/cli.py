"""Entry point of ``gradio-tui`` (the terminal app lands with its own issue)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print("gradio-tui: the terminal app is coming; for now use `from gradio_tui import Client`.")
    print(f"arguments: {args}")
    return 0
