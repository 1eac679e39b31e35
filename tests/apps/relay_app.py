"""A Gradio app whose function calls a Space with gradio_tui's Client (ZeroGPU forwarding).

``/relay(space_id, hub)`` connects to ``space_id`` through the Hub at ``hub``
(the test's local stub) from inside the Gradio request, and reports what that
Space saw of the call's ``x-ip-token`` and what ``add_zero_gpu_headers`` added.
"""

from __future__ import annotations

import json
import os

import gradio as gr

from gradio_tui import Client


def relay(space_id: str, hub: str) -> str:
    os.environ["HF_ENDPOINT"] = hub
    with Client(space_id, verbose=False) as client:
        seen = client.predict("x-ip-token", api_name="/request_headers")
        added = client.add_zero_gpu_headers({})
    return json.dumps({"seen": json.loads(seen), "added": added})


demo = gr.Interface(relay, [gr.Textbox(), gr.Textbox()], gr.Textbox(), api_name="relay")
