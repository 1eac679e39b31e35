"""Every kind of form field, with garbage typed into it, against the demo app.

Garbage that cannot be sent is refused inline (a message under the field,
no job); garbage that is a legal value (odd text) reaches the server intact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select, SelectionList, Static, Switch, TextArea

from gradio_tui.tui.app import GradioTUI
from gradio_tui.tui.jobs_model import JobRecord
from gradio_tui.tui.widgets.form import EndpointForm, Field
from gradio_tui.tui.widgets.form.fields import (
    BoolField,
    ChoiceField,
    FileField,
    JsonField,
    MultiChoiceField,
    NumberField,
    TextField,
)
from gradio_tui.tui.widgets.jobs import JobList

from .conftest import (
    SIZE,
    field,
    main_screen,
    make_app,
    open_endpoint,
    text_of,
    until_main,
    wait_for,
)


def error_of(f: Field) -> str:
    return text_of(f.query_one(".field--error", Label))


async def type_into(pilot: Pilot[None], f: Field, text: str) -> None:
    """Replace the field's text the way a user does: focus, clear, type."""
    editor = f.editor()
    editor.focus()
    if isinstance(editor, TextArea):
        editor.text = ""
        editor.insert(text)
    else:
        inp = f.query_one(Input)
        inp.value = ""
        # Short ASCII text is typed key by key; long or non-ASCII text arrives as
        # a paste would (each key press costs a full refresh in the pilot).
        if len(text) <= 12 and text.isascii():
            for char in text:
                await pilot.press(char)
        else:
            inp.insert_text_at_cursor(text)
    await pilot.pause()


def jobs(app: GradioTUI) -> list[JobRecord]:
    return list(main_screen(app).query_one(JobList).records.values())


async def run_and_wait(pilot: Pilot[None], app: GradioTUI) -> JobRecord:
    before = len(jobs(app))
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: len(jobs(app)) > before, what="a new job")
    record = jobs(app)[-1]
    await wait_for(pilot, lambda: record.done and record.reported, what="the job to end")
    return record


async def refused(pilot: Pilot[None], app: GradioTUI, form: EndpointForm, f: Field) -> str:
    """ctrl+r must not send anything; the field and the form say why."""
    before = len(jobs(app))
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert len(jobs(app)) == before, "an invalid form was sent"
    assert f.has_class("-invalid")
    assert "Fix" in text_of(form.query_one("#form-error", Label))
    return error_of(f)


@pytest.fixture
async def demo_app(demo_url: str):  # type: ignore[no-untyped-def]
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await until_main(pilot, app)
        yield app, pilot


async def test_number_field_refuses_garbage_then_sends(demo_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/predict")
    num1 = field(form, "num1")
    assert isinstance(num1, NumberField)
    for garbage, says in [
        ("abc", "not a number"),
        ("1e999", "finite"),
        ("nan", "finite"),
        ("", "Enter a number"),
        ("3,5", "not a number"),
        ("0x10", "not a number"),
    ]:
        await type_into(pilot, num1, garbage)
        assert says in error_of(num1), garbage
        assert says in await refused(pilot, app, form, num1)
    await type_into(pilot, num1, "-2.5")
    assert not num1.has_class("-invalid")
    record = await run_and_wait(pilot, app)
    assert record.outcome == "finished"
    assert record.latest_output() == (True, 1.5)  # -2.5 + 4


async def test_number_limits_and_slider_bounds(demo_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/slow")
    seconds = field(form, "seconds")
    assert "from 0 to 60" in text_of(seconds.query_one(".field--hint", Static))
    await type_into(pilot, seconds, "-1")
    assert "below the minimum 0" in await refused(pilot, app, form, seconds)
    await type_into(pilot, seconds, "61")
    assert "above the maximum 60" in await refused(pilot, app, form, seconds)

    form = await open_endpoint(pilot, app, "/greet")
    times = field(form, "times")
    assert times.param.component == "Slider"
    for garbage in ["0", "6", "many", "1e3"]:
        await type_into(pilot, times, garbage)
        await refused(pilot, app, form, times)
    await type_into(pilot, times, "2")
    record = await run_and_wait(pilot, app)
    assert record.latest_output() == (True, "Hello, world!\nHello, world!")


async def test_text_field_sends_odd_text_verbatim(demo_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/greet")
    name = field(form, "name")
    assert isinstance(name, TextField)
    await type_into(pilot, field(form, "times"), "1")
    # Markup, brackets, quotes and non-ASCII are text, not instructions.
    garbage = "[bold]x[/] ünï 🎉 \"'; DROP"
    await type_into(pilot, name, garbage)
    assert not name.has_class("-invalid")
    record = await run_and_wait(pilot, app)
    assert record.latest_output() == (True, f"Hello, {garbage}!")
    # Multi-line textboxes get a text area; password textboxes are masked.
    form = await open_endpoint(pilot, app, "/story")
    assert isinstance(field(form, "prompt").editor(), TextArea)
    form = await open_endpoint(pilot, app, "/order")
    assert field(form, "note").query_one(Input).password


async def test_ctrl_r_right_after_fast_typing_sends_all_of_it(demo_app) -> None:  # type: ignore[no-untyped-def]
    """Keys arrive as a burst (a paste, a fast typist): ctrl+r is a priority key,
    handled before the field has taken the keys typed just before it."""
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/greet")
    await type_into(pilot, field(form, "times"), "1")
    name = field(form, "name")
    name.editor().focus()
    name.query_one(Input).value = ""
    await pilot.pause()
    before = len(jobs(app))
    for char in "quick brown fox":
        app.post_message(events.Key(char, char))
    app.post_message(events.Key("ctrl+r", None))
    await wait_for(pilot, lambda: len(jobs(app)) > before, what="a new job")
    record = jobs(app)[-1]
    await wait_for(pilot, lambda: record.done and record.reported, what="the job to end")
    assert record.latest_output() == (True, "Hello, quick brown fox!")


async def test_choice_and_switch_fields_only_hold_legal_values(demo_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/greet")
    language, shout = field(form, "language"), field(form, "shout")
    assert isinstance(language, ChoiceField) and isinstance(shout, BoolField)
    assert language.parse() == "English"
    # Garbage keys on a select or a switch cannot produce an illegal value.
    language.editor().focus()
    await pilot.press("z", "q", "!")
    assert language.parse() in ["English", "French", "Spanish", "German"]
    select = language.query_one(Select)
    select.value = 1  # "French", as picking it from the list does
    await pilot.pause()
    shout.query_one(Switch).focus()
    await pilot.press("x", "7")
    assert shout.parse() is False
    await pilot.press("space")
    assert shout.parse() is True
    await type_into(pilot, field(form, "times"), "1")
    await type_into(pilot, field(form, "name"), "Ada")
    record = await run_and_wait(pilot, app)
    assert record.latest_output() == (True, "BONJOUR, ADA!")


async def test_multichoice_field(demo_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/order")
    toppings = field(form, "toppings")
    assert isinstance(toppings, MultiChoiceField)
    assert toppings.parse() == ["cheese"]
    selection = toppings.query_one(SelectionList)
    selection.focus()
    await pilot.press("#", "~")  # garbage keys: no effect
    assert toppings.parse() == ["cheese"]
    selection.select(2)  # mushrooms
    await pilot.pause()
    assert toppings.parse() == ["cheese", "mushrooms"]
    record = await run_and_wait(pilot, app)
    assert record.latest_output() == (True, "medium pizza with cheese, mushrooms")


async def test_json_and_table_fields_refuse_invalid_json(demo_app) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/transform")
    data = field(form, "data")
    assert isinstance(data, JsonField)
    await type_into(pilot, data, "{not: json")
    assert "Invalid JSON" in await refused(pilot, app, form, data)
    await type_into(pilot, data, '{"z": [1, 2], "a": null}')
    record = await run_and_wait(pilot, app)
    assert record.latest_output() == (True, '{\n  "a": null,\n  "z": [\n    1,\n    2\n  ]\n}')

    form = await open_endpoint(pilot, app, "/table_sum")
    table = field(form, "table")
    for garbage in ['"a string"', "[[1, 2]]", '{"data": 3, "headers": []}', "[1, 2"]:
        await type_into(pilot, table, garbage)
        await refused(pilot, app, form, table)
    await type_into(pilot, table, '{"headers": ["a", "b"], "data": [[1, 2], [3, 4.5]]}')
    record = await run_and_wait(pilot, app)
    assert record.latest_output() == (True, 10.5)


async def test_file_field_refuses_missing_files_then_uploads(demo_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/file_info")
    path_field = field(form, "path")
    assert isinstance(path_field, FileField)
    await refused(pilot, app, form, path_field)  # empty: required
    await type_into(pilot, path_field, "/no/such/file.txt")
    assert "No such file" in await refused(pilot, app, form, path_field)
    sample = tmp_path / "sample.txt"
    sample.write_text("12345")
    await type_into(pilot, path_field, str(sample))
    record = await run_and_wait(pilot, app)
    assert record.outcome == "finished", record.job.exception()
    assert record.latest_output() == (True, "sample.txt: 5 bytes")


async def test_file_picker_fills_the_field(demo_app, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app, pilot = demo_app
    form = await open_endpoint(pilot, app, "/file_info")
    sample = tmp_path / "picked.txt"
    sample.write_text("x")
    path_field = field(form, "path")
    await pilot.click(".field--browse")
    await wait_for(pilot, lambda: app.screen.query("#picker-path"), what="the file picker")
    picker_input = app.screen.query_one("#picker-path", Input)
    picker_input.value = str(sample)
    picker_input.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: path_field.query_one(Input).value == str(sample))
