"""A ChatInterface standing in for an upstream chat Space (Discord bot tests)."""

from __future__ import annotations

import gradio as gr


def respond(message: str, history: list) -> str:
    turns = (
        len(history or []) // 2 if history and isinstance(history[0], dict) else len(history or [])
    )
    return f"echo #{turns + 1}: {message}"


demo = gr.ChatInterface(respond)
