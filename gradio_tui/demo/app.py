"""The demo Gradio app that ``gradio-tui --demo`` runs locally.

Each endpoint shows off one thing the terminal app does: typed forms
(numbers with limits, choices, switches, multi-line text, JSON, tables),
streamed partial outputs, progress bars and log messages, a queue you can
watch and cancel, an error raised by the app, and a picture drawn in the
terminal. Run it alone with
``python -m gradio_tui.demo.app --port 7860``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Iterator
from typing import Any

# Set before gradio is imported: no analytics, no update check, no Hub calls.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr

_MAJOR = int(gr.__version__.split(".")[0])


def calculator(num1: float, operation: str, num2: float) -> float:
    """Apply an operation to two numbers. Dividing by zero raises a gr.Error."""
    if operation == "add":
        return num1 + num2
    if operation == "subtract":
        return num1 - num2
    if operation == "multiply":
        return num1 * num2
    if num2 == 0:
        raise gr.Error("Cannot divide by zero!")
    return num1 / num2


def greet(name: str, times: float, shout: bool, language: str) -> str:
    """Greet someone, a few times, in a chosen language."""
    hello = {"English": "Hello", "French": "Bonjour", "Spanish": "Hola", "German": "Hallo"}
    line = f"{hello.get(language, 'Hello')}, {name or 'world'}!"
    if shout:
        line = line.upper()
    return "\n".join([line] * int(times))


def story(prompt: str, words: float) -> Iterator[str]:
    """Stream a tiny story word by word (a generator: partial outputs)."""
    vocabulary = [
        "once",
        "upon",
        "a",
        "time",
        "a",
        "small",
        "terminal",
        "dreamed",
        "of",
        "talking",
        "to",
        "every",
        "app",
        "in",
        "the",
        "world",
        "and",
        "one",
        "day",
        "it",
        "learned",
        "the",
        "gradio",
        "protocol",
        "and",
        "lived",
        "happily",
        "ever",
        "after",
    ]
    text = prompt.strip()
    for i in range(int(words)):
        text = (text + " " if text else "") + vocabulary[i % len(vocabulary)]
        time.sleep(0.08)
        yield text


def train(epochs: float, progress: Any = gr.Progress()) -> str:  # noqa: B008 - Gradio's idiom
    """Pretend to train a model: progress bar, info and warning messages."""
    gr.Info("Loading the data set")
    loss = 1.0
    for _ in progress.tqdm(range(int(epochs)), desc="epochs"):
        time.sleep(0.15)
        loss *= 0.7
    gr.Warning("The validation set is tiny; do not trust this model")
    return f"trained {int(epochs)} epochs, final loss {loss:.4f}"


def slow(seconds: float) -> str:
    """Sleep for a while; one at a time, so extra jobs wait in the queue."""
    time.sleep(float(seconds))
    return f"slept {seconds} s"


def word_stats(text: str) -> dict[str, Any]:
    """Count words and characters of a text (returns JSON)."""
    words = text.split()
    counts: dict[str, int] = {}
    for w in words:
        counts[w.lower()] = counts.get(w.lower(), 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return {"characters": len(text), "words": len(words), "top": dict(top)}


def transform(data: Any, sort_keys: bool) -> str:
    """Re-indent a JSON value."""
    return json.dumps(data, indent=2, sort_keys=sort_keys)


def table_sum(table: Any) -> float:
    """Add up every number in a table."""
    # type="array": Gradio hands over a list of rows.
    rows = table if isinstance(table, list) else table.get("data", [])
    total = 0.0
    for row in rows:
        for cell in row:
            try:
                total += float(cell)
            except (TypeError, ValueError):
                continue
    return total


def file_info(path: str) -> str:
    """Name and size of an uploaded file."""
    return f"{os.path.basename(path)}: {os.path.getsize(path)} bytes"


def export_csv(rows: float) -> str:
    """Write a small CSV file and return it (a file result, downloaded by the client)."""
    import csv
    import tempfile

    handle, path = tempfile.mkstemp(prefix="squares-", suffix=".csv")
    with os.fdopen(handle, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["n", "square"])
        for n in range(int(rows)):
            writer.writerow([n, n * n])
    return path


def order(size: str, toppings: list[str], note: str) -> str:
    """A pizza order: one size, any toppings, a password-masked note."""
    what = ", ".join(toppings) if toppings else "no toppings"
    return f"{size} pizza with {what}" + (" (with a secret note)" if note else "")


def fail(message: str) -> str:
    """Always fails with the given message (shows how errors look)."""
    raise gr.Error(message or "Something went wrong")


def julia(zoom: float) -> str:
    """A Julia set as a PNG (an image result, drawn in the terminal)."""
    import tempfile

    import numpy as np
    from PIL import Image

    width, height = 240, 160
    x = np.linspace(-1.6, 1.6, width) / zoom
    y = np.linspace(-1.0, 1.0, height) / zoom
    z = x[None, :] + 1j * y[:, None]
    escaped = np.zeros(z.shape, dtype=np.float64)
    for _ in range(60):
        z = np.where(np.abs(z) <= 2, z * z + complex(-0.8, 0.156), z)
        escaped += np.abs(z) <= 2
    t = escaped / escaped.max()
    pixels = np.stack(
        [9 * (1 - t) * t**3, 15 * (1 - t) ** 2 * t**2, 8.5 * (1 - t) ** 3 * t], axis=-1
    )
    image = Image.fromarray((np.clip(pixels, 0, 1) * 255).astype(np.uint8))
    handle, path = tempfile.mkstemp(prefix="julia-", suffix=".png")
    os.close(handle)
    image.save(path)
    return path


def echo(text: str) -> str:
    """Return the text unchanged (an undocumented endpoint)."""
    return text


def build() -> gr.Blocks:
    with gr.Blocks(title="gradio-tui demo") as demo:
        gr.Markdown("# gradio-tui demo\nEvery endpoint here is meant to be called from the TUI.")
        with gr.Tab("Calculator"):
            num1 = gr.Number(value=3, label="num1")
            operation = gr.Radio(
                ["add", "subtract", "multiply", "divide"], value="add", label="operation"
            )
            num2 = gr.Number(value=4, label="num2")
            result = gr.Number(label="result")
            gr.Button("Calculate").click(
                calculator, [num1, operation, num2], result, api_name="predict"
            )
        with gr.Tab("Greet"):
            name = gr.Textbox(label="name", value="world", placeholder="your name")
            times = gr.Slider(1, 5, value=1, step=1, label="times")
            shout = gr.Checkbox(label="shout", value=False)
            language = gr.Dropdown(
                ["English", "French", "Spanish", "German"], value="English", label="language"
            )
            greeting = gr.Textbox(label="greeting")
            gr.Button("Greet").click(
                greet, [name, times, shout, language], greeting, api_name="greet"
            )
        with gr.Tab("Story"):
            prompt = gr.Textbox(label="prompt", value="Today", lines=3)
            words = gr.Slider(1, 60, value=20, step=1, label="words")
            story_out = gr.Textbox(label="story")
            gr.Button("Tell").click(story, [prompt, words], story_out, api_name="story")
        with gr.Tab("Train"):
            epochs = gr.Slider(1, 50, value=10, step=1, label="epochs")
            train_out = gr.Textbox(label="report")
            gr.Button("Train").click(train, epochs, train_out, api_name="train")
        with gr.Tab("Queue"):
            seconds = gr.Number(value=3, minimum=0, maximum=60, label="seconds")
            slow_out = gr.Textbox(label="done")
            gr.Button("Sleep").click(slow, seconds, slow_out, api_name="slow", concurrency_limit=1)
        with gr.Tab("Data"):
            text = gr.Textbox(label="text", lines=4, value="the quick brown fox jumps over the dog")
            stats = gr.JSON(label="stats")
            gr.Button("Stats").click(word_stats, text, stats, api_name="word_stats")
            data = gr.JSON(value={"b": 1, "a": [1, 2, 3]}, label="data")
            sort_keys = gr.Checkbox(value=True, label="sort_keys")
            pretty = gr.Code(label="pretty", language="json")
            gr.Button("Transform").click(transform, [data, sort_keys], pretty, api_name="transform")
            table = gr.Dataframe(
                value=[[1, 2], [3, 4]], headers=["a", "b"], label="table", type="array"
            )
            total = gr.Number(label="total")
            gr.Button("Sum").click(table_sum, table, total, api_name="table_sum")
        with gr.Tab("Files and choices"):
            upload = gr.File(label="file", type="filepath")
            info = gr.Textbox(label="info")
            gr.Button("Inspect").click(file_info, upload, info, api_name="file_info")
            rows = gr.Slider(1, 100, value=5, step=1, label="rows")
            csv_file = gr.File(label="squares.csv")
            gr.Button("Export").click(export_csv, rows, csv_file, api_name="export_csv")
            size = gr.Dropdown(["small", "medium", "large"], value="medium", label="size")
            toppings = gr.CheckboxGroup(
                ["cheese", "ham", "mushrooms", "olives"], value=["cheese"], label="toppings"
            )
            note = gr.Textbox(label="note", type="password")
            summary = gr.Textbox(label="order")
            gr.Button("Order").click(order, [size, toppings, note], summary, api_name="order")
        with gr.Tab("Errors"):
            message = gr.Textbox(label="message", value="This app failed on purpose")
            fail_out = gr.Textbox(label="never")
            gr.Button("Fail").click(fail, message, fail_out, api_name="fail")
            # An undocumented endpoint, to show the sidebar's collapsed branch.
            hidden = {"api_visibility": "undocumented"} if _MAJOR >= 6 else {"show_api": False}
            gr.Button("Echo").click(echo, message, fail_out, api_name="echo", **hidden)
        with gr.Tab("Picture"):
            zoom = gr.Slider(0.5, 4, value=1, step=0.5, label="zoom")
            picture = gr.Image(type="filepath", label="julia set")
            gr.Button("Draw").click(julia, zoom, picture, api_name="julia")
    return demo  # type: ignore[no-any-return]


def exit_with_parent(poll_s: float = 0.5) -> None:
    """Stop when the process that started us is gone, even if it was killed
    (SIGKILL, a closed terminal) before it could stop us: no orphaned server."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        # The parent was killed before it could clean up: our folder goes with us.
        work_dir = os.environ.get("GRADIO_TUI_SERVER_DIR")
        if work_dir and os.path.basename(work_dir).startswith("gradio-tui-demo-"):
            import shutil

            shutil.rmtree(work_dir, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the gradio-tui demo app.")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument(
        "--exit-with-parent", action="store_true", help="stop when the starting process ends"
    )
    args = parser.parse_args(argv)
    if args.exit_with_parent:
        exit_with_parent()
    demo = build()
    demo.queue(default_concurrency_limit=8)
    demo.launch(server_name="127.0.0.1", server_port=args.port, show_error=True, quiet=True)


if __name__ == "__main__":
    main()
