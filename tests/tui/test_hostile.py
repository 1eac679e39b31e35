"""A hostile app cannot crash the terminal app, run a markup action or drive the terminal.

``tests/apps/hostile_app.py`` puts markup, markup actions, links, OSC title and
clipboard writes, CSI sequences, bidi overrides, invalid markup and
10,000-character strings (each marked ``ZQ<place>``) into every string it
sends. These tests go through the whole app as a person would (every
endpoint, every job, the palette, the API view, help, the file picker, the
jobs and the job view) and check, at each step:

- the app is still running;
- no string of the app ever met a markup parser (a spy on Textual's and
  Rich's markup entry points records every call that sees a ``ZQ`` marker);
- what would be written to the terminal holds none of the injected sequences
  and no control character from the app (the screen is rendered as the
  driver would render it).
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.command import CommandPalette
from textual.content import Content
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input

from gradio_tui.presets import PresetFile
from gradio_tui.store import write_json_atomic
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.screens.file_picker import FilePickerScreen
from gradio_tui.tui.screens.help import HelpScreen
from gradio_tui.tui.screens.history import HistoryScreen
from gradio_tui.tui.screens.presets import PresetsScreen
from gradio_tui.tui.widgets.form.fields import FileField
from gradio_tui.tui.widgets.history_list import HistoryList
from gradio_tui.tui.widgets.jobs import JobList
from gradio_tui.tui.widgets.result import JobView
from tests.apps.hostile_strings import PREFIX
from tests.support.servers import GradioServer

from .conftest import main_screen, make_app, until_main, wait_for

SIZE = (160, 50)

# What the hostile app tries to write, and what must therefore never be written.
INJECTED = (
    re.compile(r"\x1b\]0;TITLE-" + PREFIX),  # OSC 0: the terminal's title
    re.compile(r"\x1b\]52;"),  # OSC 52: the clipboard
    re.compile(r"\x1b\[2J" + PREFIX),  # CSI 2J: clear the screen
    re.compile(r"\x1b\]8;[^\x07\x1b]*;[^\x07\x1b]*evil\.invalid"),  # OSC 8 link (or [link=])
    re.compile("\x9b"),  # C1 CSI
    re.compile("[\u202a-\u202e\u2066-\u2069]"),  # bidi overrides
)


class MarkupSpy:
    """Records every string with a hostile marker that reaches a markup parser."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        content_from_markup = Content.from_markup.__func__  # type: ignore[attr-defined]
        text_from_markup = Text.from_markup.__func__  # type: ignore[attr-defined]

        def spy_content(cls: type[Content], markup: object, **variables: object) -> Content:
            self.saw(markup)
            return content_from_markup(cls, markup, **variables)  # type: ignore[no-any-return]

        def spy_text(cls: type[Text], text: object, *args: object, **kwargs: object) -> Text:
            self.saw(text)
            return text_from_markup(cls, text, *args, **kwargs)  # type: ignore[no-any-return]

        monkeypatch.setattr(Content, "from_markup", classmethod(spy_content))
        monkeypatch.setattr(Text, "from_markup", classmethod(spy_text))

    def saw(self, markup: object) -> None:
        text = markup.plain if isinstance(markup, Content) else markup
        if isinstance(markup, str) and PREFIX in text:  # a Content is parsed already
            self.parsed.append(markup)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> MarkupSpy:
    return MarkupSpy(monkeypatch)


def terminal_output(app: GradioTUI) -> tuple[str, str]:
    """``(raw, text)``: the screen as the driver writes it, and its characters alone."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    return raw, console.export_text(styles=False)


def check_screen(app: GradioTUI, spy: MarkupSpy, where: str) -> str:
    """Assert the app runs, parsed no app markup and writes nothing injected; the text."""
    assert app.is_running, f"the app stopped ({where})"
    assert not spy.parsed, f"app text reached a markup parser ({where}): {spy.parsed[0][:200]!r}"
    raw, text = terminal_output(app)
    for pattern in INJECTED:
        match = pattern.search(raw)
        assert match is None, f"{pattern.pattern!r} written to the terminal ({where})"
    controls = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]
    assert not controls, f"control characters on screen ({where}): {controls[:5]!r}"
    return text


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def run_current(pilot: Pilot[None], app: GradioTUI) -> None:
    """ctrl+r on the open form, then wait for that job to end."""
    jobs = main_screen(app).query_one(JobList)
    before = len(jobs.records)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: len(jobs.records) > before, what="the job to start")
    record = jobs.selected()
    assert record is not None
    await wait_for(pilot, lambda: record.done and record.reported, 30, "the job to end")
    await pilot.pause()


async def test_every_endpoint_and_job_of_a_hostile_app(
    hostile_server: GradioServer, spy: MarkupSpy, tmp_path: object
) -> None:
    app = make_app(hostile_server.url, redact=False)
    toasts: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            toasts.append(message.notification.message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await until_main(pilot, app)
        text = check_screen(app, spy, "main screen")
        # The first endpoint's form: label, default and docstring, literally.
        assert "[b]ZQLBL1[/b]" in text
        assert "Returns List[int]. See [/]" in text
        assert "[b]ZQDEF1[/b]" in text

        endpoints = list(screen.client.endpoints)
        assert len(endpoints) == 10
        file_path = tmp_path / "upload.txt"  # type: ignore[operator]
        file_path.write_text("hello")
        for endpoint in endpoints:
            screen.open_endpoint(endpoint)
            await wait_for(
                pilot,
                lambda e=endpoint: (
                    screen.form is not None  # type: ignore[misc]
                    and screen.form.endpoint is e
                    and len(screen.form.fields) == len(e.parameters)
                ),
                what=f"the form of {endpoint.fn_index}",
            )
            await pilot.pause()
            check_screen(app, spy, f"form {endpoint.fn_index}")
            form = screen.form
            assert form is not None
            for f in form.fields:
                if isinstance(f, FileField):
                    f.set_path(str(file_path))
            await run_current(pilot, app)
            check_screen(app, spy, f"job of {endpoint.fn_index}")

        records = list(screen.query_one(JobList).records.values())
        assert [r.outcome for r in records] == [
            "finished",
            "finished",
            "finished",
            "error",
            "error",
            "finished",
            "finished",
            "finished",
            "finished",
            "finished",
        ]
        view = screen.query_one(JobView)

        # Each finished job's output, logs and error, shown literally in the job view.
        expectations = {
            0: ["[b]ZQOUT1[/b]", "[@click=app.quit]ZQOUT1-click[/]", "␛]0;TITLE-ZQOUT1␇"],
            1: ["[b]ZQJV1[/b]", "[b]ZQJK1[/b]"],
            2: ["[b]ZQOUT2[/b]", "[b]ZQINFO1[/b]", "[b]ZQWARN1[/b]"],
            3: ["Expected List[int] for x [b]ZQERR1[/b]", "[/] [bold red"],
            4: ["[b]ZQERR2[/b]"],
            5: ["[b]ZQFN1"],
            # Results drawn as what they are: table headers and cells, a conversation,
            # a gallery's file name and caption, a chart's series name.
            6: ["[b]ZQTH1[/b]", "[b]ZQTC1[/b]"],
            7: ["[b]ZQCHU1[/b]", "[b]ZQCHA1[/b]", "[b]ZQCHT1[/b]"],
            8: ["[b]ZQIMG1", "[b]ZQCAP1[/b]"],
            9: ["[b]ZQSER1[/b]"],
        }
        jobs = screen.query_one(JobList)
        jobs.focus()
        for index, wanted in expectations.items():
            jobs.cursor = index
            await wait_for(pilot, lambda i=index: view.record is records[i], what="job view")
            await pilot.pause()
            view.scroll_home(animate=False)
            await pilot.pause()
            text = check_screen(app, spy, f"job view {index}")
            for literal in wanted:
                assert flat(literal) in flat(text), (index, literal)

        # The history view lists every one of those jobs and draws each one again.
        await wait_for(
            pilot, lambda: len(app.history.entries(screen.app_src) or []) == 10, what="history"
        )
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        history = app.screen
        listing = history.query_one(HistoryList)
        seen = ""
        for index in range(len(listing.entries)):
            listing.cursor = index
            await pilot.pause()
            seen += flat(check_screen(app, spy, f"history entry {index}"))
        # Each past job's inputs, outputs and errors were shown as the app sent them.
        for literal in ("[b]ZQDEF1[/b]", "[b]ZQTC1[/b]", "[b]ZQCHU1[/b]", "[b]ZQCAP1[/b]"):
            assert flat(literal) in seen, literal
        history.query_one("#history-q", Input).value = "[b]ZQERR1"
        await pilot.pause()
        text = check_screen(app, spy, "history filtered")
        assert "Expected List[int] for x [b]ZQERR1[/b]" in text
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the main screen")

        # Presets whose names (from a shared, hand-edited file) are markup.
        presets = PresetFile.for_app(app.store.paths, screen.app_src)
        endpoint = screen.endpoint
        assert endpoint is not None
        write_json_atomic(
            presets.path,
            {
                "version": 1,
                "endpoints": {
                    endpoint.name: {
                        "[b]ZQPRE1[/b] [@click=app.quit]q[/] [/] [bold red": {"values": {}},
                    }
                },
            },
        )
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, PresetsScreen), what="presets")
        await pilot.pause()
        text = check_screen(app, spy, "presets")
        assert "[b]ZQPRE1[/b] [@click=app.quit]q[/] [/] [bold red" in text
        await pilot.press("escape")

        # The error toasts said what the app said, brackets and all.
        assert any("Expected List[int] for x [b]ZQERR1[/b]" in m for m in toasts), toasts
        assert all("\x1b" not in m for m in toasts)
        assert all(len(m) <= 500 for m in toasts), "a 10,000-character toast"


async def test_palette_api_view_help_and_file_picker(
    hostile_server: GradioServer, spy: MarkupSpy
) -> None:
    app = make_app(hostile_server.url, redact=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await until_main(pilot, app)

        # The palette lists the endpoints as plain text: no link, no action, no crash.
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"ZQAPI1")
        await pilot.pause(0.3)
        text = check_screen(app, spy, "palette search")
        assert "[@click=app.quit]ZQAPI1-click[/]" in text
        # Clicking the hit opens the endpoint; it does not quit the app.
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the palette to close")
        assert app.is_running
        endpoint = screen.endpoint
        assert endpoint is not None and "ZQAPI1" in endpoint.name
        check_screen(app, spy, "after the palette")

        # The palette with no query (discovery): every endpoint and command listed.
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.pause(0.3)
        check_screen(app, spy, "palette discovery")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the palette to close")

        # The API view: view_api and the snippet quote every name and default.
        await pilot.press("f4")
        await pilot.pause()
        text = check_screen(app, spy, "API view")
        assert "ZQAPI1" in text and "ZQDEF1" in text

        # Help, from the form.
        await pilot.press("f4", "f3", "f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        check_screen(app, spy, "help")
        await pilot.press("escape")

        # The file picker, titled with the File input's label.
        file_endpoint = screen.client.endpoint("/file")
        screen.open_endpoint(file_endpoint)
        await wait_for(
            pilot,
            lambda: screen.form is not None and screen.form.endpoint is file_endpoint,
            what="the file form",
        )
        await pilot.pause()
        assert screen.form is not None
        await pilot.click(".field--browse")
        await wait_for(pilot, lambda: isinstance(app.screen, FilePickerScreen), what="picker")
        await pilot.pause()
        text = check_screen(app, spy, "file picker")
        assert "[b]ZQFLBL1[/b]" in text
        await pilot.press("escape")

        # The jobs table and job view keys, with nothing run yet.
        await pilot.press("f5", "f6")
        check_screen(app, spy, "jobs and job view")
        assert app.is_running


# -- end to end, in a real pseudo-terminal ------------------------------------------------

ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
)


class Terminal:
    """``gradio-tui SRC`` on a pseudo-terminal; every byte it writes is kept."""

    def __init__(self, src: str, output_dir: Path, size: tuple[int, int] = (120, 36)) -> None:
        executable = shutil.which("gradio-tui", path=str(Path(sys.executable).parent))
        assert executable, "the gradio-tui entry point is not installed"
        self.fd, secondary = pty.openpty()
        columns, lines = size
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.proc = subprocess.Popen(
            [executable, src, "--output-dir", str(output_dir)],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            # The size is the pty's: COLUMNS/LINES would win over it (pytest-xdist
            # sets them to 80×24 in its workers).
            env={
                **os.environ,
                "TERM": "xterm-256color",
                "COLUMNS": str(columns),
                "LINES": str(lines),
            },
            start_new_session=True,
        )
        os.close(secondary)
        self.raw = b""
        self.mark = 0
        """Where the output since the last key press starts: ``read`` looks there."""

    def read(self, wanted: bytes | None, timeout: float = 30) -> None:
        """Read until ``wanted`` shows on the (escape-stripped, space-free) screen text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the app closed the terminal
                    chunk = b""
                if not chunk:
                    if wanted is None:
                        return
                    break
                self.raw += chunk
            elif wanted is None and self.proc.poll() is not None:
                return
            if wanted is not None and wanted in self.text():
                return
        if wanted is not None:
            tail = self.text()[-6000:].decode(errors="replace")
            raise AssertionError(f"timed out waiting for {wanted!r}; screen ends with {tail!r}")

    def text(self) -> bytes:
        return ANSI.sub(b"", self.raw[self.mark :]).replace(b" ", b"")

    def press(self, *keys: bytes) -> None:
        self.mark = len(self.raw)
        for key in keys:
            os.write(self.fd, key)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.fd)


F = {1: b"\x1bOP", 2: b"\x1bOQ", 3: b"\x1bOR", 4: b"\x1bOS", 5: b"\x1b[15~", 6: b"\x1b[17~"}
ENTER, CTRL_R, CTRL_P, CTRL_Q = b"\r", b"\x12", b"\x10", b"\x11"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty")
def test_nothing_injected_reaches_a_real_terminal(hostile_server: GradioServer) -> None:
    # Paths of the same length on every run (pytest's tmp_path grows under xdist), so
    # the screen wraps them at the same places: a name cut by a wrap can't be read.
    short = Path(tempfile.mkdtemp(prefix="hz-"))
    upload = short / "upload.txt"
    upload.write_text("hello")
    term = Terminal(hostile_server.url, output_dir=short / "out")
    try:
        term.read(b"10endpoints", timeout=60)
        # Every endpoint, opened from the palette as a person would (each step waits
        # for what it shows), then run with ctrl+r.
        steps = [
            (None, b"[b]ZQLBL1[/b]", b"[b]ZQOUT1[/b]"),
            (b"choices", b"[b]ZQLBL2[/b]", b"[b]ZQJV1"),
            (b"noisy", b"[b]ZQLBL6[/b]", b"[b]ZQOUT2[/b]"),
            (b"boom", b"[b]ZQLBL7[/b]", b"ExpectedList[int]"),
            (b"long_yyyy", b"[b]ZQLBL8[/b]", b"ZQERR2"),
            (b"file", b"[b]ZQFLBL1[/b]", None),
        ]
        for query, form, result in steps:
            if query is not None:
                term.press(CTRL_P)
                term.read(b"Searchforcommands")
                term.press(query)
                term.read(b"/" + query)  # the hit (a long name wraps after "Endpoint")
                term.press(ENTER)
                term.read(form)
            if result is not None:
                term.press(CTRL_R)
                term.read(result)
        # Keys wait for what the key before them showed. A modal is closed with "q",
        # never a bare ESC (which a terminal cannot tell from the start of a sequence
        # until a delay has passed), and its closing is seen in text it covered.
        term.press(F[1])
        term.read(b"Aparameteroftheendpoint")  # help for what is focused: the file field
        term.press(b"q")
        term.read(b"alocalfile,oraURL")  # the form (the file field's hint), uncovered
        term.press(str(upload).encode())
        term.read(upload.name.encode())
        term.press(CTRL_R)
        term.read(b"[b]ZQFN1")
        # The palette (its hit opens the endpoint), the API view and help. (The jobs
        # table and the job view were painted all along; the pilot tests drive them.)
        term.press(CTRL_P)
        term.read(b"Searchforcommands")
        term.press(b"ZQAPI1")
        term.read(b"[@click=app.quit]ZQAPI1-click")
        term.press(ENTER)
        term.read(b"[b]ZQLBL1[/b]")
        term.press(F[4])
        term.read(b"fromgradio_tuiimportClient")
        term.press(F[4])
        term.read(b"[b]ZQLBL1[/b]")
        term.press(F[1])
        term.read(b"Keysonthisscreen")
        term.press(b"q")
        term.press(CTRL_Q)
        term.read(None, timeout=30)
        assert term.proc.wait(timeout=10) == 0
    finally:
        term.close()
        shutil.rmtree(short, ignore_errors=True)
    written = term.raw.decode("utf-8", errors="replace")
    for pattern in INJECTED:
        match = pattern.search(written)
        assert match is None, f"{pattern.pattern!r} reached the terminal"
    # And what was on screen was the app's text, shown (not obeyed).
    assert b"[@click=app.quit]ZQOUT1-click[/]" in ANSI.sub(b"", term.raw).replace(b" ", b"")
