"""The soak run's app: ``python soak_app.py <port>``. It counts every run per tag,
so the soak can tell a job that never ran from one that ran twice.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import gradio as gr

CONCURRENCY = 40
RUNS: Counter[str] = Counter()


def tick(tag: str) -> str:
    RUNS[tag] += 1
    return tag


def runs(prefix: str) -> str:
    """``{"distinct", "total", "repeated": {tag: n}}`` of the tags starting with ``prefix``."""
    mine = {tag: n for tag, n in RUNS.items() if tag.startswith(prefix)}
    repeated = {tag: n for tag, n in mine.items() if n != 1}
    return json.dumps({"distinct": len(mine), "total": sum(mine.values()), "repeated": repeated})


def main() -> None:
    port = int(sys.argv[1])
    with gr.Blocks() as demo:
        text = gr.Textbox(label="text")
        out = gr.Textbox(label="out")
        gr.Button("tick").click(tick, text, out, api_name="tick")
        gr.Button("runs").click(runs, text, out, api_name="runs")
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=False)


if __name__ == "__main__":
    main()
