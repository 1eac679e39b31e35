"""The Gradio app the benchmarks run against: ``python bench_app.py <port>``.

Its endpoints do as little as possible, so that what the numbers measure is
the client and the protocol, not the app: an echo, a short generator that
yields at once (time to first output), and a File-in/File-out endpoint (the
file round trip). Queue concurrency is 40, the clients' default
``max_workers``, so the throughput run is limited by the clients, not by a
server-side concurrency limit lower than theirs.
"""

from __future__ import annotations

import sys
import time

import gradio as gr

CONCURRENCY = 40
GENERATOR_STEP_S = 0.05


def echo(text: str) -> str:
    """The fastest possible endpoint: what remains is client and protocol overhead."""
    return text


def count(n: float):
    """Yield ``n`` tokens; the first at once, so time-to-first-output is pure overhead."""
    out = ""
    for i in range(int(n)):
        out += f"tok{i} "
        yield out
        time.sleep(GENERATOR_STEP_S)


def file_echo(path: str) -> str:
    """Hand the uploaded file straight back: upload + download is all that is timed."""
    return path


def build() -> gr.Blocks:
    with gr.Blocks() as demo:
        text_in = gr.Textbox(label="text")
        text_out = gr.Textbox(label="output")
        gr.Button("echo").click(echo, text_in, text_out, api_name="echo")
        n = gr.Number(value=10, label="n")
        gr.Button("count").click(count, n, text_out, api_name="count")
        file_in = gr.File(label="file in", type="filepath")
        file_out = gr.File(label="file out")
        gr.Button("file").click(file_echo, file_in, file_out, api_name="file_echo")
    return demo


def main() -> None:
    port = int(sys.argv[1])
    demo = build()
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=False)


if __name__ == "__main__":
    main()
