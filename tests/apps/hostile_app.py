"""A hostile Gradio app: every string it sends tries to act as markup or drive the terminal.

Each place gets its own marker (``ZQ`` + a tag, e.g. ``ZQAPI1``) so a test can
say exactly which string leaked. A payload holds Textual/Rich markup (bold, a
``@click`` action, a link), an OSC title write, an OSC 52 clipboard write, a
CSI clear-screen, an OSC 8 hyperlink, a bidi override, a stray ``[/]`` and an
unclosed tag (invalid markup: a crash if anything parses it). Some strings are
10,000 characters long. Used by ``tests/tui/test_hostile.py`` and the
library's printing tests.
"""

from __future__ import annotations

import os
import tempfile
import time

import gradio as gr
from hostile_strings import BEL, ESC, PREFIX, evil, long  # serve.py runs us from tests/apps

# serve.py: gr.Error text, and the hostile file route's failures, reach the client.
SHOW_ERROR = True


def text_fn(text: str) -> str:
    # The docstring is the endpoint's description, with markup-like type hints.
    return evil("OUT1") + " | " + text


text_fn.__doc__ = (
    f"Returns List[int]. See [/] and {evil('DOC1')}\n\n"
    f"Args:\n    text: {evil('ARGDOC1')}\n\nReturns:\n    {evil('RETDOC1')}"
)


def choices_fn(radio: str, single: str, multi: list[str], group: list[str]) -> dict:
    return {
        evil("JK1"): evil("JV1"),
        "chosen": [radio, single, multi, group],
        "list": [evil("JL1"), 1, None],
    }


def noisy_fn(steps: float, progress=gr.Progress()):  # noqa: B008 - Gradio's idiom
    gr.Info(evil("INFO1"))
    gr.Warning(evil("WARN1"))
    for _ in progress.tqdm(range(int(steps)), desc=evil("PROG1")):
        time.sleep(0.02)
    return evil("OUT2")


def boom_fn(text: str) -> str:
    gr.Info(evil("INFO2"))
    raise gr.Error(f"Expected List[int] for x {evil('ERR1')}")


def long_fn(text: str) -> str:
    raise gr.Error(long("ERR2"))


def file_fn(upload: str | None) -> str:
    # Gradio serves files from its temp dir (the test server sets it).
    base = os.environ.get("GRADIO_TEMP_DIR") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="hostile-", dir=base)
    # A file name holding markup and escape sequences (no closing tags: "/" is
    # the one byte a Linux name cannot hold).
    name = (
        f"[b]{PREFIX}FN1 [@click=app.quit]q {ESC}]0;TITLE-{PREFIX}FN1{BEL}{ESC}[2J{PREFIX}FN1.txt"
    )
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(evil("FC1"))
    return path


def table_fn() -> dict:
    import pandas as pd

    return pd.DataFrame({evil("TH1"): [evil("TC1"), "plain"], "n": [1, 2]})


def chat_fn() -> list[dict]:
    return [
        {"role": "user", "content": evil("CHU1")},
        {"role": "assistant", "content": evil("CHA1"), "metadata": {"title": evil("CHT1")}},
    ]


def picture_fn() -> list[tuple[str, str]]:
    from PIL import Image

    base = os.environ.get("GRADIO_TEMP_DIR") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="hostile-", dir=base)
    name = f"[b]{PREFIX}IMG1 [@click=app.quit]q {ESC}]0;TITLE-{PREFIX}IMG1{BEL}.png"
    path = os.path.join(folder, name)
    Image.new("RGB", (8, 8), (200, 30, 30)).save(path, format="PNG")
    return [(path, evil("CAP1"))]


def plot_fn() -> dict:
    import pandas as pd

    return pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2], "series": [evil("SER1")] * 3})


with gr.Blocks(title=evil("TITLE1")) as demo:
    with gr.Tab(evil("TAB1")):
        t_in = gr.Textbox(
            label=evil("LBL1"),
            value=evil("DEF1"),
            placeholder=evil("PH1"),
            info=evil("HINT1"),
        )
        t_out = gr.Textbox(label=evil("OLBL1"))
        gr.Button("go").click(text_fn, t_in, t_out, api_name=evil("API1"))

        radio = gr.Radio([evil("RAD1"), "plain"], value="plain", label=evil("LBL2"))
        single = gr.Dropdown([evil("DD1"), "plain"], value="plain", label=evil("LBL3"))
        multi = gr.Dropdown(
            [evil("DDM1"), "plain"], value=[evil("DDM1")], multiselect=True, label=evil("LBL4")
        )
        group = gr.CheckboxGroup([evil("CBG1"), "plain"], label=evil("LBL5"))
        j_out = gr.JSON(label=evil("OLBL2"))
        gr.Button("choose").click(
            choices_fn, [radio, single, multi, group], j_out, api_name="choices"
        )

        steps = gr.Number(value=3, label=evil("LBL6"), precision=0)
        n_out = gr.Textbox(label=evil("OLBL3"))
        gr.Button("noisy").click(noisy_fn, steps, n_out, api_name="noisy")

        b_in = gr.Textbox(label=evil("LBL7"), value="x")
        b_out = gr.Textbox()
        gr.Button("boom").click(boom_fn, b_in, b_out, api_name="boom")

        l_in = gr.Textbox(label=long("LBL8"), value="x")
        l_out = gr.Textbox()
        gr.Button("long").click(long_fn, l_in, l_out, api_name="long_" + "y" * 2000)

        f_in = gr.File(label=evil("FLBL1"))
        f_out = gr.File(label=evil("OLBL4"))
        gr.Button("file").click(file_fn, f_in, f_out, api_name="file")

        # Results drawn as what they are: a table, a conversation, a gallery, a chart.
        gr.Button("table").click(
            table_fn, None, gr.Dataframe(label=evil("OLBL5")), api_name="table"
        )
        gr.Button("chat").click(chat_fn, None, gr.Chatbot(label=evil("OLBL6")), api_name="chat")
        gr.Button("pics").click(picture_fn, None, gr.Gallery(label=evil("OLBL7")), api_name="pics")
        gr.Button("plot").click(
            plot_fn,
            None,
            gr.LinePlot(x="x", y="y", color="series", label=evil("OLBL8")),
            api_name="plot",
        )
