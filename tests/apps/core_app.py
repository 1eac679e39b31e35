"""The Gradio app the client tests run against, on every server generation.

One source file for Gradio 3.50 to 6.x: where a feature is spelled
differently by version (hidden/private endpoints, concurrency limits) the
branch is right here.
"""

from __future__ import annotations

import json
import time

import gradio as gr

MAJOR = int(gr.__version__.split(".")[0])
MINOR = int(gr.__version__.split(".")[1])


def calculator(num1: float, operation: str, num2: float) -> float:
    """Apply `operation` to two numbers; dividing by zero is a user error."""
    if operation == "add":
        return num1 + num2
    if operation == "subtract":
        return num1 - num2
    if operation == "multiply":
        return num1 * num2
    if num2 == 0:
        raise gr.Error("Cannot divide by zero!")
    return num1 / num2


def echo(text: str) -> str:
    return text


def stream(text: str, steps: float = 5):
    out = ""
    for i in range(int(steps)):
        out = (out + " " if out else "") + f"{text}#{i + 1}"
        time.sleep(0.05)
        yield out


def with_progress(steps: float, progress=gr.Progress()):  # noqa: B008 - Gradio's idiom
    gr.Info("starting")
    for _ in progress.tqdm(range(int(steps)), desc="working"):
        time.sleep(0.05)
    gr.Warning("careful")
    return f"did {int(steps)} steps"


def fail(text: str) -> str:
    raise gr.Error(text)


def crash(text: str) -> str:
    raise ValueError("hidden details " + text)


def stateful(text: str, history: list | None):
    history = [*(history or []), text]
    return " | ".join(history), history


def slow(seconds: float) -> str:
    time.sleep(float(seconds))
    return f"slept {seconds}"


def two_outputs(text: str) -> tuple[str, int]:
    return text.upper(), len(text)


def hidden(text: str) -> str:
    return "hidden:" + text


def private(text: str) -> str:
    return "private:" + text


def long_stream(n: float):
    for i in range(int(n)):
        time.sleep(0.1)
        yield i


def same_file(value):
    """3.x hands the function a temp file object, later versions a path."""
    return value if isinstance(value, str) else getattr(value, "name", value)


def request_headers(names: str, request: gr.Request) -> str:
    """The named headers of the request that ran this job, as JSON (header tests read it)."""
    seen = {str(k).lower(): v for k, v in dict(request.headers).items()}  # 3.x: not a Mapping
    return json.dumps({name: seen.get(name) for name in names.split(",")})


def history_json(history) -> str:
    """What the function got of a chat history: 4.x/5.x pairs, 6.x messages."""
    return json.dumps(history, default=str)


def build() -> gr.Blocks:
    with gr.Blocks() as demo:
        num1 = gr.Number(value=3, label="num1")
        operation = gr.Radio(
            ["add", "subtract", "multiply", "divide"], value="add", label="operation"
        )
        num2 = gr.Number(value=4, label="num2")
        result = gr.Number(label="result")
        btn = gr.Button("calc")
        btn.click(calculator, [num1, operation, num2], result, api_name="predict")

        text_in = gr.Textbox(label="text")
        text_out = gr.Textbox(label="output")
        steps = gr.Slider(1, 20, value=5, step=1, label="steps")
        gr.Button("echo").click(echo, text_in, text_out, api_name="echo")
        gr.Button("stream").click(stream, [text_in, steps], text_out, api_name="stream")
        gr.Button("error").click(fail, text_in, text_out, api_name="error")
        gr.Button("crash").click(crash, text_in, text_out, api_name="crash")
        gr.Button("progress").click(with_progress, steps, text_out, api_name="progress")
        upper = gr.Textbox(label="upper")
        length = gr.Number(label="length")
        gr.Button("two").click(two_outputs, text_in, [upper, length], api_name="two_outputs")

        history = gr.State([])
        gr.Button("state").click(
            stateful, [text_in, history], [text_out, history], api_name="stateful"
        )

        seconds = gr.Number(value=0.5, label="seconds")
        slow_kwargs = {"concurrency_limit": 1} if MAJOR >= 4 else {}
        slow_event = gr.Button("slow").click(
            slow, seconds, text_out, api_name="slow", **slow_kwargs
        )

        count = gr.Number(value=20, label="n")
        count_out = gr.Number(label="i")
        gr.Button("long").click(long_stream, count, count_out, api_name="long_stream")

        if MAJOR >= 6:
            gr.Button("h").click(
                hidden, text_in, text_out, api_name="hidden", api_visibility="undocumented"
            )
            gr.Button("p").click(
                private, text_in, text_out, api_name="private", api_visibility="private"
            )
        elif (MAJOR, MINOR) >= (4, 12):
            gr.Button("h").click(hidden, text_in, text_out, api_name="hidden", show_api=False)
            gr.Button("p").click(private, text_in, text_out, api_name=False)
        else:  # 3.x and 4.0-4.11: no per-event show_api, so "hidden" is unnamed
            gr.Button("h").click(hidden, text_in, text_out, api_name=None)
            gr.Button("p").click(private, text_in, text_out, api_name=False)

        # Last, so that no other event's fn_index moves. Servers without a
        # /cancel route (3.x, 4.0-4.29) can only stop a running function
        # through such a cancel event; /slow has one, /progress has none.
        gr.Button("stop").click(None, None, None, cancels=[slow_event])
        # Not on the queue: 3.x serves it through POST run/predict.
        gr.Button("now").click(echo, text_in, text_out, api_name="echo_now", queue=False)

        # Files travel differently on every generation (3.x: file dicts, and
        # images inline as base64; 4.x+: uploaded FileData).
        file_in = gr.File(label="input file")
        file_out = gr.File(label="output file")
        gr.Button("file").click(same_file, file_in, file_out, api_name="file")
        image_in = gr.Image(type="filepath", label="input image")
        gr.Button("image").click(same_file, image_in, file_out, api_name="image")

        # Last again: what the server saw of a call's headers, queued and not.
        names = gr.Textbox(label="names")
        seen = gr.Textbox(label="seen")
        gr.Button("headers").click(request_headers, names, seen, api_name="request_headers")
        gr.Button("headers now").click(
            request_headers, names, seen, api_name="request_headers_now", queue=False
        )
        # Last again: a chat history as an input. Its strings are text, not paths,
        # though its schema holds files (a message may be one).
        chat = gr.Chatbot(label="history")
        gr.Button("history").click(history_json, chat, seen, api_name="history_json")
        # An image result: 3.x sends it inline (a data URL), later versions as a file.
        image_out = gr.Image(type="filepath", label="output image")
        gr.Button("image out").click(same_file, image_in, image_out, api_name="image_echo")
    return demo


demo = build()
