"""The app the fault tests run against: it counts what it ran, so a test can tell
that no job ran twice, and has endpoints that are quick, slow, silent, stateful
or return a file.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter

import gradio as gr

CONCURRENCY = 64
RUNS: Counter[str] = Counter()
FILES = tempfile.mkdtemp(prefix="fault-app-")


def tick(tag: str) -> str:
    """Count one run of ``tag`` and hand it back."""
    RUNS[tag] += 1
    return tag


def tick_file(tag: str, path: str) -> str:
    """``tick``, after an upload: the file holds the tag."""
    with open(path) as f:
        assert f.read() == tag
    return tick(tag)


def runs(prefix: str) -> str:
    """How many times each tag starting with ``prefix`` ran, as ``tag=n`` lines."""
    return "\n".join(f"{tag}={n}" for tag, n in sorted(RUNS.items()) if tag.startswith(prefix))


def sleep(seconds: float) -> str:
    """Silent for ``seconds``: no progress, no output, until the end."""
    time.sleep(float(seconds))
    return f"slept {seconds}"


def remember(text: str, seen: list | None) -> tuple[str, list]:
    seen = [*(seen or []), text]
    return " | ".join(seen), seen


def make_file(text: str) -> str:
    path = os.path.join(FILES, f"{abs(hash(text))}.txt")
    with open(path, "w") as f:
        f.write(text)
    return path


def build() -> gr.Blocks:
    with gr.Blocks() as demo:
        text = gr.Textbox(label="text")
        out = gr.Textbox(label="out")
        seconds = gr.Number(value=1, label="seconds")
        gr.Button("tick").click(tick, text, out, api_name="tick")
        upload = gr.File(label="upload", type="filepath")
        gr.Button("tick_file").click(tick_file, [text, upload], out, api_name="tick_file")
        gr.Button("runs").click(runs, text, out, api_name="runs")
        gr.Button("sleep").click(sleep, seconds, out, api_name="sleep")
        seen = gr.State([])
        gr.Button("remember").click(remember, [text, seen], [out, seen], api_name="remember")
        gr.Button("file").click(make_file, text, gr.File(label="file"), api_name="file")
    return demo


demo = build()
