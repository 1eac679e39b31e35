"""One endpoint per kind of result the terminal app draws, all deterministic.

Image, Gallery, AnnotatedImage, Dataframe (and a big one), JSON, Chatbot, a
native LinePlot, ``gr.Plot`` with a matplotlib PNG and with a plotly figure,
Audio (a WAV tone), File, long text, and ``/echo``, which writes what it
received to ``RESULTS_APP_LOG`` (one JSON line per call) so a test can assert
the inputs the server got, and ``/login``, with a password field (which the
history and presets must never write). Pixels, tables and files are the same
on every run, so SVG snapshots of their views are stable.
"""

from __future__ import annotations

import json
import math
import os
import struct
import tempfile
import wave

import gradio as gr
import numpy as np
import pandas as pd
from gradio.components.plot import PlotData
from PIL import Image

SHOW_ERROR = True


def _folder() -> str:
    base = os.environ.get("GRADIO_TEMP_DIR") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix="results-", dir=base)


def gradient(width: int = 96, height: int = 64, shift: int = 0) -> np.ndarray:
    x = np.arange(width, dtype=np.float64)[None, :]
    y = np.arange(height, dtype=np.float64)[:, None]
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    pixels[..., 0] = (255 * x / max(1, width - 1)).astype(np.uint8)
    pixels[..., 1] = (255 * y / max(1, height - 1)).astype(np.uint8)
    pixels[..., 2] = ((np.sin((x + y + shift) / 6) + 1) * 100).astype(np.uint8)
    return pixels


def save_png(pixels: np.ndarray, name: str) -> str:
    path = os.path.join(_folder(), name)
    Image.fromarray(pixels).save(path, format="PNG")
    return path


def image_fn() -> str:
    return save_png(gradient(), "gradient.png")


def big_image_fn(size: float) -> str:
    return save_png(gradient(int(size), int(size)), "big.png")


def gallery_fn() -> list[tuple[str, str]]:
    return [
        (save_png(gradient(48, 32, shift * 10), f"tile{shift}.png"), f"tile {shift}")
        for shift in range(3)
    ]


def annotated_fn() -> tuple[str, list[tuple[tuple[int, int, int, int], str]]]:
    return save_png(gradient(), "base.png"), [((4, 4, 40, 30), "box"), ((50, 10, 90, 60), "cat")]


def table_fn(rows: float) -> pd.DataFrame:
    n = int(rows)
    return pd.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "name": [f"item {i}" for i in range(1, n + 1)],
            "score": [round(math.sin(i) * 100, 2) for i in range(1, n + 1)],
            "passed": [i % 3 != 0 for i in range(1, n + 1)],
        }
    )


def json_fn() -> dict:
    return {
        "model": "tiny",
        "scores": [0.5, 0.25, 0.125],
        "meta": {"labels": {"cat": 1, "dog": 2}, "ok": True, "note": None},
    }


def chat_fn() -> list[dict]:
    return [
        {"role": "user", "content": "What is 2 + 2?"},
        {"role": "assistant", "content": "2 + 2 is **4**."},
        {"role": "user", "content": "And 3 + 3?"},
        {"role": "assistant", "content": "6."},
    ]


def line_fn() -> pd.DataFrame:
    return pd.DataFrame({"step": list(range(10)), "loss": [1 / (i + 1) for i in range(10)]})


def matplotlib_fn() -> PlotData:
    import base64
    import io

    buffer = io.BytesIO()
    Image.fromarray(gradient(80, 60, 5)).save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return PlotData(type="matplotlib", plot=f"data:image/png;base64,{data}")


def plotly_fn() -> PlotData:
    figure = {
        "data": [{"type": "bar", "x": ["a", "b", "c"], "y": [3, 1, 2], "name": "counts"}],
        "layout": {"title": {"text": "Counts"}},
    }
    return PlotData(type="plotly", plot=json.dumps(figure))


def bokeh_fn() -> PlotData:
    return PlotData(type="bokeh", plot=json.dumps({"doc": {}, "root_id": "x"}))


def audio_fn() -> str:
    path = os.path.join(_folder(), "tone.wav")
    rate = 8000
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(rate)
            )
        )
    return path


def file_fn() -> str:
    path = os.path.join(_folder(), "report.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("".join(f"line {i}: all good\n" for i in range(1, 41)))
    return path


def long_text_fn(lines: float) -> str:
    return "\n".join(f"{i:05d} the quick brown fox" for i in range(1, int(lines) + 1))


def echo_fn(text: str, count: float, choice: str, flag: bool) -> dict:
    received = {"text": text, "count": count, "choice": choice, "flag": flag}
    log = os.environ.get("RESULTS_APP_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(received) + "\n")
    return received


def shout_fn(text: str) -> str:
    return text.upper() + "!"


def login_fn(user: str, password: str) -> str:
    return f"welcome {user}" if password else "no password"


with gr.Blocks(title="results") as demo:
    gr.Button("image").click(
        image_fn, None, gr.Image(type="filepath", label="picture"), api_name="image"
    )
    size = gr.Number(value=1024, label="size", precision=0)
    gr.Button("big").click(
        big_image_fn, size, gr.Image(type="filepath", label="big picture"), api_name="big_image"
    )
    gr.Button("gallery").click(gallery_fn, None, gr.Gallery(label="tiles"), api_name="gallery")
    gr.Button("annotated").click(
        annotated_fn, None, gr.AnnotatedImage(label="boxes"), api_name="annotated"
    )
    rows = gr.Number(value=12, label="rows", precision=0)
    gr.Button("table").click(table_fn, rows, gr.Dataframe(label="scores"), api_name="table")
    gr.Button("json").click(json_fn, None, gr.JSON(label="details"), api_name="json")
    gr.Button("chat").click(chat_fn, None, gr.Chatbot(label="conversation"), api_name="chat")
    gr.Button("line").click(
        line_fn, None, gr.LinePlot(x="step", y="loss", label="training"), api_name="line"
    )
    gr.Button("mpl").click(matplotlib_fn, None, gr.Plot(label="figure"), api_name="matplotlib")
    gr.Button("plotly").click(plotly_fn, None, gr.Plot(label="counts"), api_name="plotly")
    gr.Button("bokeh").click(bokeh_fn, None, gr.Plot(label="bokeh"), api_name="bokeh")
    gr.Button("audio").click(
        audio_fn, None, gr.Audio(type="filepath", label="tone"), api_name="audio"
    )
    gr.Button("file").click(file_fn, None, gr.File(label="report"), api_name="file")
    lines = gr.Number(value=200, label="lines", precision=0)
    gr.Button("long").click(long_text_fn, lines, gr.Textbox(label="log"), api_name="long_text")
    e_text = gr.Textbox(label="text", value="hello", lines=3)
    e_count = gr.Number(label="count", value=1)
    e_choice = gr.Radio(["red", "green", "blue"], value="red", label="choice")
    e_flag = gr.Checkbox(label="flag", value=False)
    gr.Button("echo").click(
        echo_fn, [e_text, e_count, e_choice, e_flag], gr.JSON(label="received"), api_name="echo"
    )
    s_in = gr.Textbox(label="words", value="hi")
    gr.Button("shout").click(shout_fn, s_in, gr.Textbox(label="shouted"), api_name="shout")
    user = gr.Textbox(label="user", value="ada")
    password = gr.Textbox(label="password", type="password")
    gr.Button("login").click(
        login_fn, [user, password], gr.Textbox(label="greeting"), api_name="login"
    )
