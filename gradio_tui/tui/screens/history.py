"""The history view: past jobs of this app, filtered, looked at again, re-run or loaded.

Opens at once with thousands of jobs (the app read them off the loop at
connect; the list draws only what is on screen). The filter narrows by text
(inputs, outputs, error words), endpoint and status as one types. The
highlighted job is shown beside the list: its inputs, its error, and its
outputs drawn as results again, with files that are gone marked so.
**r** re-runs it (the form is filled and sent), **l** loads it into the form
to change first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from ...history import JobEntry, preview
from ..history_keeper import HistoryView
from ..history_record import stored_items
from ..once import OnceScreen
from ..plain import LABEL_LIMIT, plain, plain_line, plain_text
from ..results.panel import ResultPanel
from ..widgets.choice import Choice
from ..widgets.editors import PlainInput
from ..widgets.history_list import STATUS_WORDS, HistoryList, when_text

if TYPE_CHECKING:
    from ..app import GradioTUI

STACK_BELOW = 110
ALL = "*"


@dataclass
class HistoryChoice:
    """What the user asked for: ``rerun`` or ``load`` this job."""

    action: str
    entry: JobEntry


class HistoryScreen(OnceScreen[HistoryChoice | None]):
    """Past jobs of the connected app."""

    HELP: ClassVar[str] = (
        "Past jobs of this app, newest first (kept in the app's history file; "
        "`gradio-tui history` prints them too). Type to filter by text; choose an endpoint "
        "or a status to narrow. The highlighted job is shown beside the list with its "
        "outputs drawn again (files that are gone are marked). **r** runs it again, "
        "**l** loads its inputs into the form, **escape** goes back."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="history-close"),
        Binding("ctrl+r", "choose('rerun')", "Re-run", id="history-rerun", priority=True),
        Binding("r", "choose('rerun')", "Re-run", id="history-rerun-key", show=False),
        Binding(
            "l",
            "choose('load')",
            "Load into form",
            id="history-load",
            tooltip="Fill the form with this job's inputs, to change and run",
        ),
        Binding("slash", "filter", "Filter", id="history-filter", tooltip="Filter by text"),
        Binding("f6", "focus_detail", "Job", id="history-detail", show=False),
    ]

    def __init__(self, src: str, view: HistoryView, *, redact: bool = False) -> None:
        super().__init__(id="history-screen")
        self.src = src
        self.all = view.newest
        self.endpoints = view.endpoints
        self.redact = redact

    @property
    def tui(self) -> GradioTUI:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        count = len(self.all)
        title = Text.assemble(
            ("History  ", "bold"),
            plain_text(self.src, limit=80, line=True),
            (f"  {count} job{'s' if count != 1 else ''}", "dim"),
        )
        yield Static(title, id="history-title")
        with Horizontal(id="history-filters"):
            yield PlainInput(
                placeholder="filter: text in inputs, outputs, errors  (/)",
                id="history-q",
                compact=True,
            )
            yield Choice(
                [(plain_line("every endpoint"), ALL)]
                + [(plain_line(e, limit=LABEL_LIMIT), e) for e in self.endpoints],
                ALL,
                id="history-endpoint",
                tooltip="Only this endpoint's jobs (enter: choose, ← →: step)",
            )
            yield Choice(
                [(plain_line("every status"), ALL)]
                + [(plain_line(STATUS_WORDS[s]), s) for s in ("finished", "error", "cancelled")],
                ALL,
                id="history-status",
                tooltip="Only jobs that ended so (enter: choose, ← →: step)",
            )
        with Horizontal(id="history-body"):
            yield HistoryList(redact=self.redact, id="history-list")
            with VerticalScroll(id="history-detail"):
                yield Static("", id="history-facts")
                yield ResultPanel(redact=self.redact, id="history-result")
        yield Label("", id="history-count")
        yield Footer()

    def on_mount(self) -> None:
        self.apply_layout(self.app.size.width)
        history = self.query_one(HistoryList)
        history.set_entries(self.all)
        history.focus()
        self.tui.quiet_cursors(self)

    def on_resize(self, event: events.Resize) -> None:
        self.apply_layout(event.size.width)

    def apply_layout(self, width: int) -> None:
        self.set_class(width < STACK_BELOW, "-stacked")

    # -- filtering --------------------------------------------------------------------

    @on(Input.Changed, "#history-q")
    @on(Choice.Changed)
    def _filter_changed(self, event: Input.Changed | Choice.Changed) -> None:
        event.stop()
        self.apply_filter()

    def apply_filter(self) -> None:
        text = self.query_one("#history-q", Input).value.strip()
        endpoint = self.query_one("#history-endpoint", Choice).value
        status = self.query_one("#history-status", Choice).value
        listing = self.query_one(HistoryList)
        if not text and endpoint == ALL and status == ALL:
            # No filter: all jobs, without a pass over thousands of them.
            if listing.entries is not self.all:
                listing.set_entries(self.all)
            self.query_one("#history-count", Label).update("")
            return
        chosen = [
            e
            for e in self.all
            if e.matches(
                text,
                endpoint=endpoint if isinstance(endpoint, str) and endpoint != ALL else None,
                status=status if isinstance(status, str) and status != ALL else None,
            )
        ]
        listing.set_entries(chosen)
        shown = f"{len(chosen)} of {len(self.all)} jobs" if len(chosen) != len(self.all) else ""
        self.query_one("#history-count", Label).update(shown)

    def action_filter(self) -> None:
        self.query_one("#history-q", Input).focus()

    @on(Input.Submitted, "#history-q")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(HistoryList).focus()

    # -- the highlighted job -------------------------------------------------------------

    @on(HistoryList.Highlighted)
    def _highlighted(self, event: HistoryList.Highlighted) -> None:
        self.show_entry(event.entry)

    def show_entry(self, entry: JobEntry | None) -> None:
        facts = self.query_one("#history-facts", Static)
        panel = self.query_one(ResultPanel)
        if entry is None:
            facts.update(plain("No job matches." if self.all else "No jobs yet for this app."))
            panel.clear()
            return
        facts.update(self.facts(entry))
        items = stored_items(entry)
        panel.show([i for i, _cut in items], entry, cut=any(cut for _i, cut in items))

    def facts(self, entry: JobEntry) -> Text:
        text = Text.assemble(
            plain_text(entry.endpoint, "bold", limit=LABEL_LIMIT, line=True),
            "  ",
            (STATUS_WORDS.get(entry.status, entry.status), "bold"),
        )
        if not self.redact:
            text.append(f"  {when_text(entry.started)}", style="dim")
            if entry.duration is not None:
                text.append(f"  {entry.duration:.1f}s", style="dim")
        for stored in entry.inputs:
            text.append("\n")
            text.append_text(plain_text(stored.name, "bold", limit=60, line=True))
            text.append(" = ")
            if stored.secret:
                text.append("••• (a password: not kept)", style="italic")
            else:
                text.append_text(plain_text(preview(stored.value, 200), line=True))
                if stored.cut:
                    text.append("  (cut: too long to keep)", style="italic dim")
        if entry.error is not None:
            text.append("\n")
            text.append_text(plain_text(entry.error.title, "bold", line=True))
            text.append("\n")
            text.append_text(plain_text(entry.error.message, limit=4000))
        if not entry.rerunnable:
            text.append("\n")
            text.append("Some inputs were not kept whole: l loads the rest.", style="italic")
        return text

    # -- choices ---------------------------------------------------------------------------

    def action_focus_detail(self) -> None:
        self.query_one("#history-detail").focus()

    def action_choose(self, action: str) -> None:
        entry = self.query_one(HistoryList).selected()
        if entry is None:
            self.notify("No job is highlighted.", severity="warning")
            return
        self.dismiss(HistoryChoice(action, entry))

    def action_close(self) -> None:
        if (
            self.focused is self.query_one("#history-q", Input)
            and self.query_one("#history-q", Input).value
        ):
            self.query_one("#history-q", Input).value = ""
            return
        self.dismiss(None)
