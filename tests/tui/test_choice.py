"""The one-line choice the history view filters with: keys, menu, clicks, hostile labels."""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widgets import OptionList

from gradio_tui.tui.plain import plain_line
from gradio_tui.tui.widgets.choice import Choice, ChoiceMenu

from .conftest import wait_for

HOSTILE = "[@click=app.quit]quit[/] \x1b]0;pwned\x07[b]"


class ChoiceApp(App[None]):
    CSS = "#bottom { dock: bottom; }"

    def __init__(self, labels: list[str], *, at_bottom: bool = False) -> None:
        super().__init__()
        self.labels = labels
        self.at_bottom = at_bottom
        self.changes: list[Hashable] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Choice(
                [(plain_line(label), n) for n, label in enumerate(self.labels)],
                0,
                id="bottom" if self.at_bottom else "choice",
            )

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self.changes.append(event.value)


def shown(choice: Choice) -> str:
    return "".join(strip.text for strip in choice.render_lines(choice.region.reset_offset)).strip()


async def open_menu(pilot: Pilot[None], key: str = "enter") -> OptionList:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceMenu), what="the menu")
    return pilot.app.screen.query_one(OptionList)


async def closed(pilot: Pilot[None]) -> None:
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ChoiceMenu), what="closed")


async def test_arrows_step_and_the_menu_chooses() -> None:
    app = ChoiceApp(["red", "green", "blue"])
    async with app.run_test(size=(60, 20)) as pilot:
        choice = app.query_one(Choice)
        choice.focus()
        assert shown(choice).startswith("red ") and shown(choice).endswith(" ▾")
        await pilot.press("right")
        assert choice.value == 1 and "green" in shown(choice)
        await pilot.press("left", "left")  # wraps round
        assert choice.value == 2
        menu = await open_menu(pilot)
        assert menu.highlighted == 2 and app.focused is menu
        await pilot.press("up", "up", "enter")
        await closed(pilot)
        assert choice.value == 0 and app.focused is choice
        # Escape leaves it as it was; choosing the same option again is no change.
        await open_menu(pilot, "space")
        await pilot.press("down", "escape")
        await closed(pilot)
        await open_menu(pilot)
        await pilot.press("enter")
        await closed(pilot)
        await pilot.pause()
        assert choice.value == 0
        assert app.changes == [1, 0, 2, 0]


async def test_a_click_opens_the_menu_under_it_and_a_click_beside_closes_it() -> None:
    app = ChoiceApp(["one", "two"])
    async with app.run_test(size=(60, 20)) as pilot:
        choice = app.query_one(Choice)
        await pilot.click(Choice)
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceMenu), what="the menu")
        menu = app.screen.query_one(OptionList)
        await pilot.pause()
        assert menu.region.y == choice.region.bottom and menu.region.x == choice.region.x
        await pilot.click(offset=(50, 15))
        await closed(pilot)
        assert choice.value == 0 and app.changes == []
        await pilot.click(Choice)
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceMenu), what="the menu")
        await pilot.pause()
        await pilot.click(OptionList, offset=(2, 2))  # the border, then "two"
        await closed(pilot)
        assert choice.value == 1 and app.changes == [1]


async def test_near_the_bottom_the_menu_opens_above() -> None:
    app = ChoiceApp([f"option {n}" for n in range(30)], at_bottom=True)
    async with app.run_test(size=(60, 20)) as pilot:
        choice = app.query_one(Choice)
        choice.focus()
        menu = await open_menu(pilot)
        await pilot.pause()
        assert menu.region.bottom == choice.region.y
        assert menu.region.height <= 14  # a long list scrolls inside the menu
        await pilot.press("end", "enter")
        await closed(pilot)
        assert choice.value == 29


async def test_labels_that_wrap_still_open_above_without_covering_the_choice() -> None:
    app = ChoiceApp(["short", "a label long enough to wrap " * 3, "last"], at_bottom=True)
    async with app.run_test(size=(60, 20)) as pilot:
        choice = app.query_one(Choice)
        choice.styles.width = 20
        choice.focus()
        menu = await open_menu(pilot)
        await wait_for(
            pilot, lambda: menu.region.bottom == choice.region.y, what="the menu above the choice"
        )
        assert menu.region.height > 3 + 2  # the long label took more than one line


async def test_labels_are_shown_as_text_never_as_markup_or_escapes() -> None:
    app = ChoiceApp([HOSTILE, "plain"])
    async with app.run_test(size=(80, 20)) as pilot:
        choice = app.query_one(Choice)
        choice.styles.width = 60
        await pilot.pause()
        assert shown(choice).startswith("[@click=app.quit]quit[/] ␛]0;pwned␇[b]")
        choice.focus()
        menu = await open_menu(pilot)
        assert str(menu.get_option_at_index(0).prompt) == plain_line(HOSTILE).plain
        await pilot.click(OptionList, offset=(3, 1))  # on the label's "link"
        await closed(pilot)
        assert app.is_running and choice.value == 0


def test_a_value_that_is_not_an_option_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one option"):
        Choice([], None)
    with pytest.raises(ValueError, match="not one of the options"):
        Choice([(plain_line("a"), "a")], "b")
    choice = Choice([(plain_line("a"), "a")], "a")
    with pytest.raises(ValueError, match="not one of the options"):
        choice.value = "z"
    assert choice.value == "a"
