"""The Spaces console's detail panel: everything about the highlighted Space.

Runtime, hardware (with its price), sleep time, the stages seen while the
console was open (the recent build status), secret names (never values:
the Hub does not send them) and variables. Every Hub string goes through
``plain``: a Space id or an error message is shown as it is, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.content import Content
from textual.widgets import Static

from ...client.space_rows import HardwareOption, SpaceDetails, SpaceRow
from ..plain import plain, plain_line
from .spaces_table import sleep_words

LABEL_WIDTH = 11
LIST_LIMIT = 400
"""Characters of a names list (secrets, variables) before it is cut."""


def _line(label: str, *parts: Content | str | tuple[str, str]) -> Content:
    return Content.assemble((f"{label:<{LABEL_WIDTH}}", "dim"), *parts)


def _price(name: str | None, prices: dict[str, HardwareOption]) -> str:
    option = prices.get(name or "")
    return f" ({option.price_text})" if option is not None else ""


def detail_content(
    row: SpaceRow,
    details: SpaceDetails | None,
    history: Iterable[str],
    hardware: list[HardwareOption] | None,
    *,
    loading: bool = False,
) -> Content:
    """The panel's text for one Space (pure: the snapshot and the tests read it too)."""
    prices = {o.name: o for o in hardware or []}
    lines = [plain_line(row.id, "bold")]
    stage: list[Content | str | tuple[str, str]] = [plain_line(row.stage, "bold")]
    if row.error_message:
        stage += ["  ", plain(row.error_message, "italic", limit=600)]
    lines.append(_line("Stage", *stage))
    seen = list(history)
    if len(seen) > 1:
        lines.append(_line("Recent", plain_line(" → ".join(seen))))
    hw: list[Content | str | tuple[str, str]] = [
        plain_line(row.hardware or "—"),
        _price(row.hardware, prices),
    ]
    if row.requested_hardware and row.requested_hardware != row.hardware:
        hw += ["  requested ", plain_line(row.requested_hardware)]
        hw.append(_price(row.requested_hardware, prices))
    lines.append(_line("Hardware", *hw))
    sleep = sleep_words(row.sleep_time)
    if row.sleep_time is None:
        sleep = "Hub default (48 h on free hardware)"
    elif row.sleep_time > 0:
        sleep = f"after {sleep} without visitors"
    lines.append(_line("Sleep", sleep))
    sdk = " ".join(x for x in (row.sdk, row.sdk_version) if x) or "—"
    lines.append(_line("SDK", plain_line(sdk)))
    facts = ["private" if row.private else "public" if row.private is not None else "—"]
    if row.likes is not None:
        facts.append(f"{row.likes} likes")
    if row.dev_mode:
        facts.append("dev mode on")
    lines.append(_line("Visibility", " · ".join(facts)))
    if row.last_modified is not None:
        lines.append(_line("Modified", f"{row.last_modified.strftime('%Y-%m-%d %H:%M')} UTC"))
    if details is None:
        lines.append(_line("Secrets", ("loading…" if loading else "—", "dim")))
        lines.append(_line("Variables", ("loading…" if loading else "—", "dim")))
    else:
        if details.secret_names is None:
            lines.append(_line("Secrets", ("not readable with this token", "dim")))
        else:
            names = ", ".join(details.secret_names) or "none"
            lines.append(
                _line("Secrets", plain(names, limit=LIST_LIMIT), ("  (names only)", "dim"))
            )
        if details.variables is None:
            lines.append(_line("Variables", ("not readable", "dim")))
        else:
            names = ", ".join(details.variables) or "none"
            lines.append(_line("Variables", plain(names, limit=LIST_LIMIT)))
        for note in details.notes:
            lines.append(_line("", plain(note, "dim italic", limit=300)))
    return Content("\n").join(lines)


class SpaceDetail(Static):
    """What the console knows about the highlighted Space."""

    HELP: ClassVar[str] = (
        "The highlighted Space: stage (and the stages seen since the console opened), "
        "hardware and its price, sleep time, secret names (values are never shown: the Hub "
        "does not send them) and variables. **e** edits secrets and variables."
    )

    def show(
        self,
        row: SpaceRow | None,
        details: SpaceDetails | None = None,
        history: Iterable[str] = (),
        hardware: list[HardwareOption] | None = None,
        *,
        loading: bool = False,
    ) -> None:
        if row is None:
            self.update(Content.styled("No Space highlighted.", "dim"))
            return
        self.update(detail_content(row, details, history, hardware, loading=loading))
