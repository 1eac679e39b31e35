"""The Spaces console's view model and table cells: pure Python, no Hub, no app."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from gradio_tui.client.space_rows import HardwareOption, SpaceRow, hardware_from_hub, row_from_info
from gradio_tui.tui.spaces_model import SpacesModel
from gradio_tui.tui.widgets.spaces_table import row_strings, sleep_words


def rows() -> list[SpaceRow]:
    return [
        SpaceRow("me/b-chat", stage="RUNNING", sdk="gradio", hardware="t4-small", likes=5),
        SpaceRow("me/a-docs", stage="SLEEPING", sdk="static", hardware="cpu-basic", likes=9),
        SpaceRow("org/c-bot", stage="RUNTIME_ERROR", sdk="docker", private=True, likes=1),
    ]


def test_filter_every_word_in_id_stage_sdk_hardware_or_visibility() -> None:
    model = SpacesModel()
    model.replace(rows())
    assert [r.id for r in model.view()] == ["me/a-docs", "me/b-chat", "org/c-bot"]
    model.filter = "me/"
    assert [r.id for r in model.view()] == ["me/a-docs", "me/b-chat"]
    model.filter = "  T4  running "
    assert [r.id for r in model.view()] == ["me/b-chat"]
    model.filter = "private"
    assert [r.id for r in model.view()] == ["org/c-bot"]
    model.filter = "[/] \x1b"  # garbage is just words that match nothing
    assert model.view() == []


def test_sort_by_a_column_twice_flips_and_ties_go_by_id() -> None:
    model = SpacesModel()
    model.replace(rows())
    model.sort_by("likes")
    assert [r.id for r in model.view()] == ["org/c-bot", "me/b-chat", "me/a-docs"]
    model.sort_by("likes")
    assert model.reverse and next(r.id for r in model.view()) == "me/a-docs"
    assert model.next_sort() == "modified" and not model.reverse
    model.view()  # None dates sort first, without an error
    with pytest.raises(ValueError, match="unknown column"):
        model.sort_by("nope")


def test_marks_selection_and_stage_history() -> None:
    model = SpacesModel()
    model.replace(rows())
    assert model.selection("me/b-chat") == ["me/b-chat"]  # nothing marked: the highlighted
    assert model.toggle("org/c-bot") and model.toggle("me/a-docs")
    assert not model.toggle("not/there")
    assert model.selection("me/b-chat") == ["me/a-docs", "org/c-bot"]  # in view order
    model.toggle_all(["me/a-docs", "me/b-chat", "org/c-bot"])
    assert model.marked == {"me/a-docs", "me/b-chat", "org/c-bot"}
    model.toggle_all(["me/a-docs", "me/b-chat", "org/c-bot"])
    assert model.marked == set()

    moved = SpaceRow("me/b-chat", stage="APP_STARTING", sdk="gradio", hardware="t4-small", likes=5)
    changed, membership = model.update([moved, *rows()[1:]])
    assert changed == [moved] and not membership and model.moving
    assert model.put(rows()[0]) and not model.put(rows()[0])
    assert model.history("me/b-chat") == ["RUNNING", "APP_STARTING", "RUNNING"]
    assert model.history("me/a-docs") == ["SLEEPING"]
    model.marked = {"org/c-bot"}
    changed, membership = model.update(rows()[:2])  # org/c-bot was deleted
    assert membership and model.marked == set()


def test_cells_are_plain_one_line_text() -> None:
    row = SpaceRow(
        "me/[b]x[/b]\x1b]0;T\x07",
        stage="RUN\nNING",
        sdk="gradio",
        sdk_version="5.0",
        hardware="cpu-basic",
        requested_hardware="t4-small",
        sleep_time=5400,
        private=False,
        likes=3,
        last_modified=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc),
    )
    cells = row_strings(row, True)
    assert cells == [
        "●",
        "me/[b]x[/b]␛]0;T␇",
        "· RUN␤NING",
        "gradio 5.0",
        "cpu-basic → t4-small",
        "90 min",
        "public",
        "3",
        "2026-01-02",
    ]
    assert [sleep_words(s) for s in (None, -1, 60, 7200, 61)] == [
        "default",
        "never",
        "1 min",
        "2 h",
        "61 s",
    ]


def test_rows_and_prices_from_the_hubs_shapes() -> None:
    class Info:
        id = "me/app"
        sdk = "gradio"
        card_data = {"sdk_version": "4.44.1"}
        likes = "many"  # garbage: not a number, so not shown as one
        last_modified = "yesterday"
        private = True
        runtime = {
            "stage": "BUILD_ERROR",
            "hardware": {"current": None, "requested": "t4-small"},
            "gcTimeout": 3600,
            "errorMessage": "pip failed",
        }

    row = row_from_info(Info())
    assert (row.stage, row.sdk_version, row.likes, row.last_modified) == (
        "BUILD_ERROR",
        "4.44.1",
        None,
        None,
    )
    assert (row.requested_hardware, row.sleep_time, row.error_message) == (
        "t4-small",
        3600,
        "pip failed",
    )
    option = hardware_from_hub(
        {
            "name": "a100-large",
            "prettyName": "Nvidia A100",
            "cpu": "12 vCPU",
            "ram": "142 GB",
            "accelerator": {"model": "A100", "quantity": 1, "vram": "80 GB"},
            "unitCostUSD": 0.0667,
            "unitLabel": "minute",
        }
    )
    assert option.price_text == "$4.00/hour" and option.accelerator == "1 A100 80 GB"
    assert hardware_from_hub({"name": "x", "unitCostUSD": "n/a"}) == HardwareOption("x", "x")
