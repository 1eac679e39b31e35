"""An app that counts unload events: what a closed session triggers on the server."""

from __future__ import annotations

import gradio as gr

UNLOADS: list[str] = []


def remember(text: str, seen: list | None) -> tuple[str, list]:
    return text, [*(seen or []), text]


def on_unload(request: gr.Request) -> None:
    UNLOADS.append(str(request.session_hash))


def unloads() -> str:
    return ",".join(UNLOADS)


with gr.Blocks() as demo:
    text = gr.Textbox(label="text")
    seen = gr.State([])
    out = gr.Textbox(label="out")
    gr.Button("remember").click(remember, [text, seen], [out, seen], api_name="remember")
    gr.Button("unloads").click(unloads, None, out, api_name="unloads")
    demo.unload(on_unload)
