"""Stand-ins for the Spaces the reference client's docs use, on one server.

Each is mounted at its own path (``/calculator/``, ``/en2fr/``…) so the
docs' examples run verbatim: a local Hub stub maps ``gradio/calculator`` and
friends to these URLs.
"""

from __future__ import annotations

import time
import wave

import gradio as gr
from fastapi import FastAPI


def calculator(num1: float, operation: str, num2: float) -> float:
    return {
        "add": num1 + num2,
        "subtract": num1 - num2,
        "multiply": num1 * num2,
        "divide": num1 / num2 if num2 else float("nan"),
    }[operation]


def en2fr(text: str) -> str:
    return {"Hello": "Bonjour", "Hello, friend.": "Bonjour, mon ami."}.get(text, "Bonjour")


def transcribe(audio: str) -> str:
    try:
        with wave.open(audio) as w:
            seconds = w.getnframes() / w.getframerate()
        return f"This is a test of the whisper speech recognition model ({seconds:.1f} s)."
    except (wave.Error, EOFError):
        return "This is a test of the whisper speech recognition model."


def count(n: float):
    for i in range(int(n)):
        time.sleep(0.05)
        yield str(i)


def llm_stream(text: str):
    answer = "Textual is the best UI framework in Python."
    out = ""
    for word in answer.split():
        out = (out + " " + word).strip()
        time.sleep(0.02)
        yield out


def chat(message: str, system_prompt: str = "You are helpful AI.", tokens: float = 10) -> str:
    return f"[{system_prompt}] echo: {message}"[: int(tokens) * 8]


def build() -> FastAPI:
    app = FastAPI()
    spaces = {
        "calculator": gr.Interface(
            calculator,
            ["number", gr.Radio(["add", "subtract", "multiply", "divide"]), "number"],
            "number",
            api_name="predict",
        ),
        "en2fr": gr.Interface(en2fr, "textbox", "textbox", api_name="predict"),
        "whisper": gr.Interface(
            transcribe,
            gr.Audio(type="filepath", label="input_audio"),
            "textbox",
            api_name="predict",
        ),
        "count_generator": gr.Interface(count, "number", "textbox", api_name="count"),
        "llm_stream": gr.Interface(llm_stream, "textbox", "textbox", api_name="predict"),
        "chat": gr.Interface(
            chat,
            [
                "textbox",
                gr.Textbox(value="You are helpful AI.", label="system_prompt"),
                gr.Slider(1, 100, value=10, label="tokens"),
            ],
            "textbox",
            api_name="chat",
        ),
    }
    for path, blocks in spaces.items():
        app = gr.mount_gradio_app(app, blocks.queue(), path=f"/{path}")
    return app


fastapi_app = build()
