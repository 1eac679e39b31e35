"""A Gradio app with 200 streaming endpoints, for the TUI latency benchmark.

    python bench/apps/many_endpoints.py --port 7860 [--endpoints 200]

Each endpoint is an async generator (no thread per job), so hundreds of jobs
stream at once; the queue has no concurrency limit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import AsyncIterator, Callable
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr


def make_stream(index: int) -> Callable[[str, float, float], AsyncIterator[str]]:
    async def stream(text: str, steps: float, interval: float) -> AsyncIterator[str]:
        for i in range(int(steps)):
            await asyncio.sleep(float(interval))
            yield f"{index}:{text}:{i}"

    return stream


def build(count: int) -> Any:
    with gr.Blocks() as demo:
        text = gr.Textbox(label="text", value="x")
        steps = gr.Number(label="steps", value=60, precision=0)
        interval = gr.Number(label="interval", value=0.1)
        out = gr.Textbox(label="out")
        for i in range(count):
            gr.Button(f"b{i}").click(
                make_stream(i),
                [text, steps, interval],
                out,
                api_name=f"stream_{i:03d}",
                concurrency_limit=None,
            )
    return demo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--endpoints", type=int, default=200)
    args = parser.parse_args()
    demo = build(args.endpoints)
    demo.queue(default_concurrency_limit=None)
    demo.launch(server_name="127.0.0.1", server_port=args.port, quiet=True)


if __name__ == "__main__":
    main()
