"""Results drawn where they are, against the live results app, and the keys on them.

Every kind of output (Image, Gallery, AnnotatedImage, Dataframe, JSON,
Chatbot, LinePlot, gr.Plot with matplotlib, plotly and bokeh, Audio, File,
long text) is run through the app's own path and asserted on screen; then
save as… (byte for byte, never overwriting without a yes), the system opener
(its failure reported), ``$EDITOR`` and ``$PAGER`` (fake programs that do
what a person would), and copying a table cell.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from gradio_tui.store import Settings, Store
from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.jobs_model import JobRecord
from gradio_tui.tui.results.image import HalfBlockImage
from gradio_tui.tui.results.panel import OutputBlock, ResultPanel
from gradio_tui.tui.results.table import ResultTable
from gradio_tui.tui.results.views import ChatView, JsonTree, LongText
from gradio_tui.tui.screens.confirm import ConfirmScreen
from gradio_tui.tui.screens.main import MainScreen
from gradio_tui.tui.screens.save_as import SaveAsScreen
from gradio_tui.tui.session import ConnectRequest
from gradio_tui.tui.widgets.jobs import JobList
from tests.support.servers import GradioServer

from .conftest import field, main_screen, open_endpoint, received, text_of, until_main, wait_for

SIZE = (120, 40)


def app_for(server: GradioServer, **settings: object) -> GradioTUI:
    return GradioTUI(
        ConnectRequest(server.url),
        store=Store(),
        settings=replace(Settings(redact=True), **settings),  # type: ignore[arg-type]
    )


async def run(pilot: Pilot[None], app: GradioTUI, api_name: str, **values: str) -> JobRecord:
    """Open ``api_name``, type ``values`` into its fields, ctrl+r, wait for the job's end."""
    form = await open_endpoint(pilot, app, api_name)
    for name, value in values.items():
        editor = field(form, name).editor()
        if isinstance(editor, TextArea):
            editor.load_text(value)
        else:
            assert isinstance(editor, Input)
            editor.value = value
    jobs = main_screen(app).query_one(JobList)
    before = len(jobs.records)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: len(jobs.records) > before, what="the job to start")
    record = list(jobs.records.values())[-1]
    await wait_for(pilot, lambda: record.done and record.reported, 30, f"{api_name} to end")
    assert record.outcome == "finished", record.job.exception()
    await wait_for(
        pilot, lambda: blocks(app) and blocks(app)[0].is_mounted, what="the result's blocks"
    )
    await pilot.pause()
    return record


def blocks(app: GradioTUI) -> list[OutputBlock]:
    return list(main_screen(app).query_one("#job-result", ResultPanel).query(OutputBlock))


def block_text(block: OutputBlock) -> str:
    return "\n".join(text_of(s) for s in block.query(Static))


async def drawn(pilot: Pilot[None], block: OutputBlock) -> HalfBlockImage:
    image = block.query_one(HalfBlockImage)
    await wait_for(pilot, lambda: image.drawn, what="the image to be drawn")
    return image


async def test_every_kind_of_result_is_drawn_where_it_is(results_server: GradioServer) -> None:
    app = app_for(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)

        await run(pilot, app, "/image")
        (block,) = blocks(app)
        image = await drawn(pilot, block)
        assert image.image.size == (96, 64)
        await wait_for(pilot, lambda: "96×64 px" in block_text(block), what="the image facts")
        assert "gradient.png" in block_text(block) and "image/png" in block_text(block)

        await run(pilot, app, "/gallery")
        tiles = blocks(app)
        assert [b.item.part for b in tiles] == ["1/3", "2/3", "3/3"]
        assert "tile 1" in block_text(tiles[1])
        await drawn(pilot, tiles[0])
        for tile in tiles[1:]:  # below the fold: decoded, drawn when scrolled to
            image = tile.query_one(HalfBlockImage)
            await wait_for(pilot, lambda i=image: i.image is not None, what="a tile")  # type: ignore[misc]

        await run(pilot, app, "/annotated")
        (block,) = blocks(app)
        await drawn(pilot, block)
        assert "labels: box, cat" in block_text(block)

        await run(pilot, app, "/table", rows="12")
        table = blocks(app)[0].query_one(ResultTable)
        assert table.headers == ["id", "name", "score", "passed"]
        assert len(table.rows) == 12 and table.rows[1][1] == "item 2"

        await run(pilot, app, "/json")
        tree = blocks(app)[0].query_one(JsonTree)
        labels = [str(node.label) for node in tree._walk(tree.root)]
        assert 'model: "tiny"' in labels and "cat: 1" in labels and "note: null" in labels

        await run(pilot, app, "/chat")
        chat = blocks(app)[0].query_one(ChatView)
        said = [text_of(s) for s in chat.query(Static)]
        assert len(said) == 4
        assert "user\nWhat is 2 + 2?" in said[0] and "2 + 2 is **4**." in said[1]
        assert chat.query(".chat--user") and chat.query(".chat--assistant")

        await run(pilot, app, "/line")
        assert type(blocks(app)[0].body).__name__ == "ChartPlot"

        await run(pilot, app, "/matplotlib")
        await drawn(pilot, blocks(app)[0])

        await run(pilot, app, "/plotly")
        assert type(blocks(app)[0].body).__name__ == "ChartPlot"

        await run(pilot, app, "/bokeh")
        assert "has nothing a terminal can draw" in block_text(blocks(app)[0])

        await run(pilot, app, "/audio")
        (block,) = blocks(app)
        await wait_for(pilot, lambda: "1.0 s" in block_text(block), what="the audio facts")
        assert "mono 8000 Hz" in block_text(block) and "16.0 KB" in block_text(block)

        await run(pilot, app, "/file")
        (block,) = blocks(app)
        await wait_for(pilot, lambda: "711 bytes" in block_text(block), what="the file facts")
        assert "report.txt" in block_text(block) and "o opens it" in block_text(block)

        await run(pilot, app, "/long_text", lines="200")
        long_text = blocks(app)[0].query_one(LongText)
        long_text.area.focus()
        await pilot.press("slash", *"00150", "enter")
        await pilot.pause()
        assert long_text.area.selected_text == "00150"
        assert long_text.area.selection.start == (149, 0)
        await pilot.press("n")  # no other match: it stays
        assert long_text.area.selection.start == (149, 0)
        assert app.is_running


async def test_table_cells_rows_and_scrolling(results_server: GradioServer) -> None:
    app = app_for(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await run(pilot, app, "/table", rows="500")
        table = blocks(app)[0].query_one(ResultTable)
        table.focus()
        await pilot.press("down", "right")
        await pilot.press("c")
        assert app.clipboard == "item 2"
        await pilot.press("C")
        assert app.clipboard.split("\t")[:2] == ["2", "item 2"]
        await pilot.press("end")
        await pilot.pause()
        assert table.row == 499 and table.scroll_y > 0
        await pilot.press("c")
        assert app.clipboard == "item 500"
        await pilot.press("home", "pagedown")
        assert table.row > 5


async def save_as(pilot: Pilot[None], app: GradioTUI, folder: Path, name: str | None) -> None:
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen), what="save as")
    screen = app.screen
    screen.query_one("#save-folder", Input).value = str(folder)
    if name is not None:
        screen.query_one("#save-name", Input).value = name
    await pilot.press("enter")


async def test_save_as_writes_byte_for_byte_and_never_overwrites_unasked(
    results_server: GradioServer, tmp_path: Path
) -> None:
    app = app_for(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        record = await run(pilot, app, "/image")
        source = Path(record.latest_output()[1])
        blocks(app)[0].focus()
        await save_as(pilot, app, tmp_path, None)  # the file's own name is offered
        target = tmp_path / "gradient.png"
        await wait_for(pilot, target.exists, what="the saved file")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert target.read_bytes() == source.read_bytes()

        # The same name again: asked first; "Keep it" keeps it.
        target.write_bytes(b"mine, do not touch")
        await save_as(pilot, app, tmp_path, None)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("enter")  # the focused answer is the safe one
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        assert "Not replaced" in text_of(app.screen.query_one("#save-error", Static))
        assert target.read_bytes() == b"mine, do not touch"
        # ...and "Replace" replaces it, byte for byte.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: target.read_bytes() == source.read_bytes(), what="replaced")
        assert not list(tmp_path.glob(".gradient.png.*"))  # no temporary left behind

        # A table is saved as CSV.
        await run(pilot, app, "/table", rows="3")
        blocks(app)[0].focus()
        await save_as(pilot, app, tmp_path, None)
        csv_file = tmp_path / "scores.csv"
        await wait_for(pilot, csv_file.exists, what="the CSV")
        assert csv_file.read_text().splitlines() == [
            "id,name,score,passed",
            "1,item 1,84.15,True",
            "2,item 2,90.93,True",
            "3,item 3,14.11,False",
        ]
        # A folder that does not exist is said, nothing written.
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveAsScreen))
        app.screen.query_one("#save-folder", Input).value = str(tmp_path / "nope")
        await pilot.press("enter")
        assert "There is no folder" in text_of(app.screen.query_one("#save-error", Static))
        await pilot.press("escape")


def fake_program(tmp_path: Path, name: str, body: str) -> str:
    """A Python script standing in for an editor, pager or opener; the command to run it."""
    path = tmp_path / f"{name}.py"
    path.write_text("import sys, pathlib\n" + body)
    return f"{sys.executable} {path}"


async def test_the_opener_s_failure_is_reported(
    results_server: GradioServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = fake_program(
        tmp_path,
        "gio",
        "sys.stderr.write('gio: No application is registered as handling this file\\n')\n"
        "sys.exit(2)\n",
    )
    app = app_for(results_server, opener=failing)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        await run(pilot, app, "/image")
        blocks(app)[0].focus()
        await pilot.press("o")

        def toasts() -> list[str]:
            return [str(n.message) for n in app._notifications]

        await wait_for(pilot, lambda: any("exit status 2" in t for t in toasts()), what="toast")
        (said,) = [t for t in toasts() if "exit status 2" in t]
        assert "No application is registered" in said
        assert not any(t.startswith("Opened") for t in toasts())

        # A working opener gets the file, and the toast says so.
        opened = tmp_path / "opened.txt"
        app.settings = replace(
            app.settings,
            opener=fake_program(
                tmp_path, "viewer", f"pathlib.Path({str(opened)!r}).write_text(sys.argv[1])\n"
            ),
        )
        app.clear_notifications()
        await pilot.press("o")
        await wait_for(pilot, opened.exists, what="the opener to run")
        await wait_for(pilot, lambda: any(t.startswith("Opened") for t in toasts()))
        assert opened.read_text().endswith("gradient.png")

        # No opener at all: said so.
        app.settings = replace(app.settings, opener=None)
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        app.clear_notifications()
        await pilot.press("o")
        await wait_for(pilot, lambda: any("No program to open files" in t for t in toasts()))


async def test_editor_round_trip_on_a_long_input(
    results_server: GradioServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = fake_program(
        tmp_path,
        "editor",
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text()\n"
        "path.write_text(text.replace('hello', 'edited in $EDITOR') + '\\nsecond line')\n",
    )
    monkeypatch.setenv("EDITOR", editor)
    monkeypatch.delenv("VISUAL", raising=False)
    app = app_for(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        form = await open_endpoint(pilot, app, "/echo")
        area = field(form, "text").editor()
        assert isinstance(area, TextArea) and area.text == "hello"
        area.focus()
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: area.text != "hello", what="the edited text")
        assert area.text == "edited in $EDITOR\nsecond line"
        before = len(received(results_server))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: len(received(results_server)) > before, what="the request")
        assert received(results_server)[-1]["text"] == "edited in $EDITOR\nsecond line"

        # An editor that fails changes nothing, and says why.
        monkeypatch.setenv("EDITOR", fake_program(tmp_path, "broken", "sys.exit(3)\n"))
        area.focus()
        await pilot.press("ctrl+e")
        await wait_for(
            pilot,
            lambda: any("exited with status 3" in str(n.message) for n in app._notifications),
            what="the failure",
        )
        assert area.text == "edited in $EDITOR\nsecond line"


async def test_a_result_in_the_pager_and_the_editor(
    results_server: GradioServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "seen.txt"
    copy = f"pathlib.Path({str(seen)!r}).write_text(pathlib.Path(sys.argv[1]).read_text())\n"
    monkeypatch.setenv("PAGER", fake_program(tmp_path, "pager", copy))
    monkeypatch.setenv("VISUAL", fake_program(tmp_path, "visual", copy))
    app = app_for(results_server)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        record = await run(pilot, app, "/long_text", lines="30")
        blocks(app)[0].focus()
        await pilot.press("p")
        await wait_for(pilot, seen.exists, what="the pager")
        assert seen.read_text() == record.latest_output()[1]
        seen.unlink()
        await run(pilot, app, "/json")
        blocks(app)[0].focus()
        await pilot.press("e")
        await wait_for(pilot, seen.exists, what="the editor")
        assert '"model": "tiny"' in seen.read_text()
        # An image has no text: said, nothing run.
        seen.unlink()
        await run(pilot, app, "/image")
        blocks(app)[0].focus()
        await pilot.press("p")
        await pilot.pause()
        assert not seen.exists()
        assert any("not text" in str(n.message) for n in app._notifications)
