"""What a result is made of (no widgets): kinds, plots, file facts, table cells, the opener,
the choice of image drawing, and that drawing never talks to a terminal it does not own."""

from __future__ import annotations

import base64
import json
import os
import pty
import select
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from gradio_tui.client.endpoints import ReturnValue
from gradio_tui.tui import graphics
from gradio_tui.tui.opener import OpenFailed, open_path
from gradio_tui.tui.results.facts import file_facts, format_duration, human_size, mp4_duration
from gradio_tui.tui.results.image import fit_cells
from gradio_tui.tui.results.model import (
    OutputItem,
    copy_text,
    items_for,
    result_items,
    save_bytes,
    save_name,
)
from gradio_tui.tui.results.plots import chart_of, plot_html, plot_kind, plot_png
from gradio_tui.tui.results.table import cell_text, column_widths
from gradio_tui.tui.results.views import chat_messages
from tests.cli.support import wait_for


def ret(label: str, component: str, file: bool = False) -> ReturnValue:
    schema = {"title": "FileData", "properties": {"path": {}, "meta": {}}} if file else {}
    return ReturnValue(label, component, "", "", schema)


# -- kinds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "value", "file", "kind"),
    [
        ("image", "/tmp/x.png", True, "image"),
        ("file", "/tmp/x.JPG", True, "image"),
        ("file", "/tmp/x.wav", True, "media"),
        ("video", "/tmp/x.mp4", True, "media"),
        ("file", "/tmp/x.bin", True, "file"),
        ("dataframe", {"headers": ["a"], "data": [[1]]}, False, "table"),
        ("dataframe", {"headers": ["a"], "data": "nope"}, False, "json"),
        ("json", {"a": 1}, False, "json"),
        ("chatbot", [{"role": "user", "content": "hi"}], False, "chat"),
        ("lineplot", {"columns": ["x", "y"], "data": [[1, 2]]}, False, "plot"),
        ("textbox", "hello", False, "text"),
        ("number", 3, False, "scalar"),
        ("textbox", None, False, "scalar"),
    ],
)
def test_each_output_gets_its_view(component: str, value: object, file: bool, kind: str) -> None:
    assert OutputItem("out", component, value, is_file=file).kind == kind


def test_galleries_annotations_and_file_lists_split_into_parts() -> None:
    gallery = items_for(
        "tiles",
        "gallery",
        [{"image": "/a.png", "caption": "first"}, ["/b.png", None], {"video": "/c.mp4"}],
        True,
    )
    assert [(i.value, i.caption, i.part, i.kind) for i in gallery] == [
        ("/a.png", "first", "1/3", "image"),
        ("/b.png", "", "2/3", "image"),
        ("/c.mp4", "", "3/3", "media"),
    ]
    (annotated,) = items_for(
        "boxes", "annotatedimage", {"image": "/base.png", "annotations": [{"label": "cat"}]}, True
    )
    assert (annotated.value, annotated.caption) == ("/base.png", "labels: cat")
    files = items_for("files", "file", ["/a.txt", "/b.txt"], True)
    assert [i.part for i in files] == ["1/2", "2/2"]
    # A Chatbot's schema mentions files, but its list is one conversation.
    (chat,) = items_for("chat", "chatbot", [{"role": "user", "content": "hi"}], True)
    assert chat.kind == "chat"


def test_one_or_many_outputs() -> None:
    assert [i.label for i in result_items(7, [ret("sum", "number")])] == ["sum"]
    two = result_items(("/x.png", "caption"), [ret("img", "image", True), ret("t", "textbox")])
    assert [(i.label, i.kind) for i in two] == [("img", "image"), ("t", "text")]
    assert result_items([1, 2], [])[0].label == "result"


def test_copy_and_save_names_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "pic.png"
    path.write_bytes(b"png")
    image = OutputItem("picture", "image", str(path), is_file=True)
    assert copy_text(image) == str(path) and save_name(image) == "pic.png"
    table = OutputItem("my scores!", "dataframe", {"headers": ["a", "b"], "data": [[1, "x,y"]]})
    assert save_name(table) == "my_scores.csv"
    assert save_bytes(table, "t.csv") == b'a,b\r\n1,"x,y"\r\n'
    assert json.loads(save_bytes(table, "t.json"))["headers"] == ["a", "b"]
    assert copy_text(table) == 'a,b\r\n1,"x,y"\r\n'
    text = OutputItem("log", "textbox", "héllo")
    assert save_name(text) == "log.txt" and save_bytes(text, "log.txt") == "héllo".encode()
    assert save_name(OutputItem("d", "json", {"a": 1})) == "d.json"
    gone = OutputItem("f", "file", str(tmp_path / "missing.txt"), is_file=True)
    assert gone.gone() and not image.gone()


def test_chat_messages_from_both_formats() -> None:
    messages = [
        {"role": "user", "content": [{"text": "hi", "type": "text"}]},
        {
            "role": "assistant",
            "content": [{"file": {"path": "/a.png"}, "type": "file"}, {"text": "look"}],
            "metadata": {"title": "tool"},
        },
    ]
    assert chat_messages(messages) == [
        ("user", "hi", []),
        ("assistant", "⚙ tool\nlook", ["/a.png"]),
    ]
    assert chat_messages([["hello", "hi there"], [["/x.wav", None], None]]) == [
        ("user", "hello", []),
        ("assistant", "hi there", []),
        ("user", "", ["/x.wav"]),
    ]
    assert chat_messages("garbage") == []


# -- plots ----------------------------------------------------------------------------------


def test_native_plots_become_charts() -> None:
    value = {
        "columns": ["step", "loss", "run"],
        "data": [[0, 1.0, "a"], [1, 0.5, "a"], [0, 2.0, "b"]],
        "datatypes": {"step": "quantitative", "loss": "quantitative", "run": "nominal"},
        "mark": "line",
    }
    chart = chart_of(value)
    assert chart is not None and chart.mark == "line"
    assert [(s.name, s.x, s.y) for s in chart.series] == [
        ("a", [0, 1], [1.0, 0.5]),
        ("b", [0], [2.0]),
    ]
    assert (chart.x_label, chart.y_label) == ("step", "loss")
    assert chart_of({"columns": ["a", "b"], "data": [["x", "y"]]}) is None  # nothing numeric


def test_plotly_and_altair_figures_become_charts_bokeh_does_not() -> None:
    plotly = {
        "type": "plotly",
        "plot": json.dumps({"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2], "name": "n"}]}),
    }
    chart = chart_of(plotly)
    assert chart is not None and chart.mark == "bar" and chart.categorical
    altair = {
        "type": "altair",
        "plot": json.dumps(
            {
                "mark": {"type": "point"},
                "data": {"name": "d"},
                "datasets": {"d": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
                "encoding": {"x": {"field": "x"}, "y": {"field": "y"}},
            }
        ),
    }
    chart = chart_of(altair)
    assert chart is not None and chart.mark == "point" and chart.series[0].y == [2.0, 3.0]
    assert chart_of({"type": "bokeh", "plot": "{}"}) is None
    assert chart_of({"type": "plotly", "plot": "{not json"}) is None
    assert plot_kind("garbage") == "unknown"


def test_a_matplotlib_plot_is_its_png_and_specs_open_in_a_page() -> None:
    png = b"\x89PNG\r\n\x1a\nrest"
    value = {
        "type": "matplotlib",
        "plot": "data:image/png;base64," + base64.b64encode(png).decode(),
    }
    assert plot_png(value) == png
    page = plot_html({"type": "plotly", "plot": json.dumps({"data": [], "x": "</script><b>"})})
    assert page is not None and "</script><b>" not in page and "Plotly.newPlot" in page
    assert plot_html({"type": "bokeh", "plot": "{}"}) is None


# -- file facts -------------------------------------------------------------------------------


def test_wav_facts(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 12000)
    facts = file_facts(str(path))
    assert facts.duration == 1.5 and facts.channels == 1 and facts.rate == 8000
    assert facts.summary() == "1.5 s · mono 8000 Hz · 24.0 KB · audio/x-wav"


def mp4_bytes(duration: int, scale: int, version: int = 0) -> bytes:
    if version == 1:
        body = bytes([1, 0, 0, 0]) + struct.pack(">QQIQ", 0, 0, scale, duration) + b"\0" * 80
    else:
        body = bytes(4) + struct.pack(">IIII", 0, 0, scale, duration) + b"\0" * 80
    mvhd = struct.pack(">I4s", 8 + len(body), b"mvhd") + body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    ftyp = struct.pack(">I4s", 16, b"ftyp") + b"isom\0\0\0\0"
    return ftyp + moov


@pytest.mark.parametrize("version", [0, 1])
def test_mp4_durations_come_from_the_mvhd_box(tmp_path: Path, version: int) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(mp4_bytes(duration=90_000, scale=1000, version=version))
    assert mp4_duration(str(path)) == 90.0
    assert file_facts(str(path)).summary().startswith("1:30 · ")


@pytest.mark.parametrize("junk", [b"", b"\0\0\0\x01moov", b"\xff" * 40, mp4_bytes(5, 0)])
def test_garbage_media_files_give_unknown_not_errors(tmp_path: Path, junk: bytes) -> None:
    for name in ("x.mp4", "x.wav", "x.png"):
        path = tmp_path / name
        path.write_bytes(junk)
        facts = file_facts(str(path))
        assert facts.exists and facts.duration is None and facts.pixels is None


def test_sizes_and_durations_as_people_say_them(tmp_path: Path) -> None:
    assert [human_size(n) for n in (5, 1000, 16_000, 1_234_567)] == [
        "5 bytes",
        "1.0 KB",
        "16.0 KB",
        "1.2 MB",
    ]
    assert format_duration(3.25) == "3.2 s" and format_duration(3725) == "1:02:05"
    assert file_facts(str(tmp_path / "nope")).summary().startswith("gone")


# -- tables and images ------------------------------------------------------------------------


def test_table_cells_and_column_widths() -> None:
    assert [cell_text(v) for v in (None, 1.0, 2.5, True, {"a": 1}, "x")] == [
        "",
        "1.0",
        "2.5",
        "True",
        '{"a": 1}',
        "x",
    ]
    widths = column_widths(["id", "a long header name"], [[1, "x" * 500], [22, "y"]])
    assert widths == [3, 40]  # at least 3, at most 40


def test_images_fit_the_panel_keep_their_aspect_and_never_grow() -> None:
    assert fit_cells((1024, 1024), 80, 24) == (48, 24)  # height-bound
    assert fit_cells((200, 50), 80, 24) == (80, 10)  # width-bound
    assert fit_cells((16, 16), 80, 24) == (16, 8)  # small stays small
    assert fit_cells((0, 10), 80, 24) == (0, 0)


# -- how images are drawn -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "env", "tty", "mode"),
    [
        ("auto", {"TERM": "xterm-256color"}, True, "halfblocks"),
        ("auto", {"TERM": "xterm-kitty"}, True, "kitty"),
        ("auto", {"KITTY_WINDOW_ID": "1"}, True, "kitty"),
        ("auto", {"TERM_PROGRAM": "WezTerm"}, True, "sixel"),
        ("auto", {"TERM_PROGRAM": "iTerm.app"}, True, "sixel"),
        ("auto", {"TERM": "foot"}, True, "sixel"),
        ("auto", {"TERM": "xterm-kitty", "TMUX": "/tmp/x"}, True, "halfblocks"),
        ("auto", {"TERM": "xterm-kitty"}, False, "halfblocks"),
        ("sixel", {}, True, "sixel"),
        ("sixel", {}, False, "halfblocks"),
        ("off", {"TERM": "xterm-kitty"}, True, "off"),
        ("nonsense", {}, True, "halfblocks"),
    ],
)
def test_the_drawing_mode_is_chosen_without_asking_the_terminal(
    setting: str, env: dict[str, str], tty: bool, mode: str
) -> None:
    assert graphics.choose_mode(setting, env, tty=tty) == mode


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty")
def test_half_blocks_are_drawn_without_a_terminal_query(tmp_path: Path) -> None:
    """textual-image asks the terminal about graphics when imported on a tty; once Textual
    owns the terminal that would write escape codes and eat keys. Our import must not."""
    script = (
        "import sys\n"
        "from gradio_tui.tui import graphics\n"
        "from PIL import Image\n"
        "from rich.console import Console\n"
        "import io\n"
        "cls = graphics.halfcell_renderable()\n"
        "out = io.StringIO()\n"
        "Console(file=out, width=20, color_system='truecolor').print("
        "cls(Image.new('RGB', (4, 4), (255, 0, 0)), width=4, height=2))\n"
        "sys.stderr.write('DRAWN' if '\\u2580' in out.getvalue() else 'NOT DRAWN')\n"
    )
    primary, secondary = pty.openpty()
    err = tmp_path / "err.txt"
    with open(err, "w") as err_file:
        proc = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=secondary,
            stdout=secondary,
            stderr=err_file,
        )
        os.close(secondary)
        written = b""
        while proc.poll() is None or select.select([primary], [], [], 0.1)[0]:
            if select.select([primary], [], [], 0.1)[0]:
                try:
                    chunk = os.read(primary, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                written += chunk
        proc.wait(30)
    os.close(primary)
    assert err.read_text().endswith("DRAWN")
    assert written == b"", f"wrote to the terminal: {written!r}"


# -- the opener -------------------------------------------------------------------------------


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return str(path)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX openers")
def test_the_opener_failing_is_reported_with_its_words(tmp_path: Path) -> None:
    target = tmp_path / "x.png"
    target.write_bytes(b"x")
    failing = script(
        tmp_path,
        "gio-like",
        'echo "gio: file:///x.png: No application is registered" >&2\nexit 2\n',
    )
    with pytest.raises(OpenFailed) as caught:
        open_path(str(target), failing)
    message = str(caught.value)
    assert "exit status 2" in message and "No application is registered" in message
    log = tmp_path / "opened.txt"
    working = script(tmp_path, "opener", f'echo "$1" > {log}\n')
    open_path(str(target), working)
    assert log.read_text().strip() == str(target)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="xdg-open/gio look-up")
def test_no_opener_at_all_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.png"
    target.write_bytes(b"x")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(OpenFailed, match="No program to open files"):
        open_path(str(target))
    with pytest.raises(OpenFailed, match="could not be started"):
        open_path(str(target), str(tmp_path / "no-such-program"))
    with pytest.raises(OpenFailed, match="no longer there"):
        open_path(str(tmp_path / "gone.png"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_slow_opener_counts_as_launched(tmp_path: Path) -> None:
    target = tmp_path / "x.png"
    target.write_bytes(b"x")
    # A viewer still open after the wait has launched: no error, and no waiting for it to close.
    pid_file = tmp_path / "pid"
    slow = script(tmp_path, "slow", f"echo $$ > {pid_file}; sleep 2; exit 3\n")
    t0 = time.monotonic()
    open_path(str(target), slow, wait=0.2)
    assert time.monotonic() - t0 < 1.5
    # Once it closes, it is reaped: no zombie is left behind for the app's lifetime.
    stat = Path(f"/proc/{pid_file.read_text().strip()}/stat")
    wait_for(lambda: not stat.exists(), timeout=20, what="the opener to be reaped")


def test_text_files_get_a_preview_binary_ones_do_not(tmp_path: Path) -> None:
    text = tmp_path / "report.txt"
    text.write_text("".join(f"line {i}\n" for i in range(1, 41)))
    preview = file_facts(str(text)).preview
    assert preview is not None and preview.splitlines()[0] == "line 1"
    assert preview.splitlines()[-2:] == ["line 12", "…"]
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage" * 10)
    assert file_facts(str(binary)).preview is None
    assert file_facts(str(tmp_path / "x.png")).preview is None
