"""The Spaces console's action dialogs: say what will change, then show each Space's result.

One dialog per action on the selection (restart, factory rebuild, pause,
wake, dev mode, hardware, sleep time, duplicate, delete, copy variables).
Each goes through three phases: ``form`` (the action's inputs, if any, and
a summary naming every Space and what will change, with the price for
hardware), ``running`` (one line per Space: waiting, working, done, failed
with the Hub's reason; **escape** stops what has not started), ``done``.
It returns the :class:`~gradio_tui.client.bulk.BulkReport`, or None when
nothing was run.

The plans and the runs are the client layer's (``SpaceOps``): a dialog
gathers input, asks it for a plan (which checks everything before a single
request changes anything), shows the plan, and runs it. Hub strings (ids,
hardware names, errors) reach widgets through ``plain`` only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static, Switch

from ...client.bulk import BulkReport, BulkRun, Outcome
from ...client.space_ops import SpaceOps
from ...client.space_rows import HardwareOption, SpaceRow
from ..once import OnceModal
from ..plain import plain, plain_line, plain_text
from .duplicate import SecretRow
from .hub_dialog import hub_error_text

STYLES = Path(__file__).resolve().parent.parent / "styles" / "spaces.tcss"
Phase = Literal["form", "running", "done"]
LIST_LIMIT = 12
"""Spaces named one by one in a summary; more are counted."""

Start = Callable[[Callable[[Outcome], None]], Awaitable[BulkRun]]


@dataclass
class ActionPlan:
    """What a dialog will run: the lines naming what changes, and how to start it."""

    lines: list[Content]
    start: Start
    space_ids: list[str]
    masked: list[str] = field(default_factory=list)
    """Values typed in the form that no line may show (secret values)."""


class OutcomeChanged(Message, bubble=False):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__()
        self.outcome = outcome


class RunFinished(Message, bubble=False):
    def __init__(self, report: BulkReport) -> None:
        super().__init__()
        self.report = report


class PlanFailed(Message, bubble=False):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


def id_lines(space_ids: list[str], each: Callable[[str], Content] | None = None) -> list[Content]:
    """One line per Space (``each`` says what happens to it), the rest counted."""
    shown = space_ids[:LIST_LIMIT]
    lines = [each(sid) if each else Content.assemble("  • ", plain_line(sid)) for sid in shown]
    if len(space_ids) > LIST_LIMIT:
        lines.append(Content(f"  … and {len(space_ids) - LIST_LIMIT} more"))
    return lines


def spaces_word(n: int) -> str:
    return f"{n} Space" if n == 1 else f"{n} Spaces"


OUTCOME_WORDS = {
    "pending": ("waiting", "dim"),
    "running": ("◌ working", "italic"),
    "done": ("✓ done", "bold"),
    "failed": ("✗ failed", "bold reverse"),
    "cancelled": ("– cancelled", "dim"),
}


class ActionDialog(OnceModal[BulkReport | None]):
    """The frame every console action shares (subclasses add inputs and the plan)."""

    CSS_PATH = STYLES
    TITLE_TEXT = "Action"
    VERB = "Run"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "confirm",
            "Confirm",
            id="space-action-confirm",
            priority=True,
            tooltip="Do it, on every Space listed",
        ),
        Binding("escape", "close", "Cancel / stop", id="space-action-close"),
    ]

    phase: reactive[Phase] = reactive("form", init=False)

    def __init__(
        self,
        ops: SpaceOps,
        space_ids: list[str],
        rows: dict[str, SpaceRow],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        """``on_outcome`` hears each Space's result as it comes (the console updates its
        row at once, rather than when the dialog closes, by which time polls moved on)."""
        super().__init__(classes="space-action")
        self.on_outcome = on_outcome
        self.ops = ops
        self.space_ids = list(space_ids)
        self.rows = rows
        self.report: BulkReport | None = None
        self.run: BulkRun | None = None
        self.outcomes: dict[str, Outcome] = {}
        self._masked: list[str] = []

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="space-action--box") as box:
            box.border_title = self.TITLE_TEXT
            with VerticalScroll(id="action-form", classes="space-action--form"):
                yield from self.compose_inputs()
                yield Static("", id="action-summary", classes="space-action--summary")
                yield Static("", id="action-error", classes="space-action--error")
            yield DataTable[Text](
                id="action-progress", cursor_type="none", classes="space-action--progress"
            )
            yield Static("", id="action-outcome", classes="space-action--outcome")
            with Horizontal(classes="space-action--buttons"):
                yield Button(self.VERB, id="action-confirm", variant="warning", classes="when-form")
                yield Button("Stop", id="action-stop", classes="when-running")
                yield Button("Close", id="action-close", classes="when-form when-done")
        yield Footer()

    def compose_inputs(self) -> ComposeResult:
        """The action's own fields (none by default)."""
        yield from ()

    def on_mount(self) -> None:
        table = self.query_one("#action-progress", DataTable)
        table.add_column("Space", key="space")
        table.add_column("Result", key="state")
        table.add_column("", key="message")
        self.query_one("#action-error").display = False
        self._show_phase()
        self.refresh_summary()
        self.query_one("#action-confirm", Button).focus()
        self.mounted()

    def mounted(self) -> None:
        """The subclass's own start (focus its first field, load what it needs).

        Not an ``on_mount`` of its own: Textual runs every class's ``on_mount``, in an
        order that would let the base class take the focus back.
        """

    def watch_phase(self) -> None:
        self._show_phase()

    def _show_phase(self) -> None:
        self.query_one("#action-form").display = self.phase == "form"
        self.query_one("#action-progress").display = self.phase != "form"
        self.query_one("#action-outcome").display = self.phase == "done"
        for button in self.query(Button).results(Button):
            if button.id and button.id.startswith("action-"):
                button.display = button.has_class(f"when-{self.phase}")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.phase == "form"
        return True

    # -- the summary -----------------------------------------------------------------------

    def summary(self) -> list[Content]:
        """The lines naming what will change, from the form as it is now (no Hub calls)."""
        return id_lines(self.space_ids)

    def refresh_summary(self) -> None:
        lines = self.summary()
        self.query_one("#action-summary", Static).update(Content("\n").join(lines))

    def show_error(self, text: str) -> None:
        error = self.query_one("#action-error", Static)
        error.update(plain(text, limit=800))
        error.display = bool(text)

    # -- running -------------------------------------------------------------------------

    async def plan(self) -> ActionPlan:
        """Check the form (asking the Hub if needed) and say what will run; ValueError if not."""
        raise NotImplementedError

    def action_confirm(self) -> None:
        if self.phase != "form":
            return
        self.show_error("")
        self._plan_and_run()

    @work(exclusive=True, group="space-action", exit_on_error=False, description="Space action")
    async def _plan_and_run(self) -> None:
        try:
            plan = await self.plan()
        except Exception as exc:
            self.post_message(PlanFailed(exc))
            return
        self._masked = list(plan.masked)
        table = self.query_one("#action-progress", DataTable)
        table.clear()
        for sid in plan.space_ids:
            table.add_row(*self._cells(Outcome(sid, "pending")), key=sid)
        self.phase = "running"
        self.query_one("#action-stop", Button).focus()
        try:
            self.run = await plan.start(self._report)
        except Exception as exc:
            self.phase = "form"
            self.post_message(PlanFailed(exc))
            return
        report = await self.run.wait()
        self.post_message(RunFinished(report))

    def _report(self, outcome: Outcome) -> None:
        self.post_message(OutcomeChanged(outcome))

    def _cells(self, outcome: Outcome) -> list[Text]:
        words, style = OUTCOME_WORDS[outcome.state]
        message = outcome.message
        for value in self._masked:
            message = message.replace(value, "••••••")
        return [
            plain_text(outcome.space_id, limit=64, line=True),
            Text(words, style=style),
            plain_text(message, limit=200, line=True),
        ]

    @on(PlanFailed)
    def _plan_failed(self, message: PlanFailed) -> None:
        message.stop()
        self.phase = "form"
        self.show_error(hub_error_text(message.error))

    @on(OutcomeChanged)
    def _outcome(self, message: OutcomeChanged) -> None:
        message.stop()
        outcome = message.outcome
        first = self.outcomes.get(outcome.space_id) != outcome
        self.outcomes[outcome.space_id] = outcome
        if first and outcome.finished and self.on_outcome is not None:
            self.on_outcome(outcome)
        table = self.query_one("#action-progress", DataTable)
        if outcome.space_id in table.rows:
            for key, cell in zip(("space", "state", "message"), self._cells(outcome), strict=True):
                table.update_cell(outcome.space_id, key, cell)

    @on(RunFinished)
    def _finished(self, message: RunFinished) -> None:
        message.stop()
        self.report = message.report
        for outcome in message.report.outcomes:
            self._outcome(OutcomeChanged(outcome))
        summary = self.query_one("#action-outcome", Static)
        summary.update(Content(message.report.summary()))
        summary.set_class(bool(message.report.failed), "-error")
        self.phase = "done"
        self.query_one("#action-close", Button).focus()

    # -- buttons and keys -------------------------------------------------------------------

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "action-confirm":
            event.stop()
            self.action_confirm()
        elif event.button.id in ("action-stop", "action-close"):
            event.stop()
            self.action_close()

    def action_close(self) -> None:
        if self.phase == "running":
            if self.run is not None:
                self.run.cancel()  # what has not started will not; the results come in
            return
        self.dismiss(self.report)


# -- actions without inputs ---------------------------------------------------------------


@dataclass(frozen=True)
class SimpleKind:
    title: str
    verb: str
    effect: str
    method: str
    factory: bool = False
    enabled: bool | None = None


SIMPLE: dict[str, SimpleKind] = {
    "restart": SimpleKind(
        "Restart",
        "Restart",
        "The app restarts; visitors see it starting for a moment.",
        "restart_many",
    ),
    "rebuild": SimpleKind(
        "Factory rebuild",
        "Rebuild",
        "The image is rebuilt from scratch (no cache), then the app starts: this takes minutes.",
        "restart_many",
        factory=True,
    ),
    "pause": SimpleKind(
        "Pause",
        "Pause",
        "The app stops and bills nothing; visitors cannot wake it, only a restart does.",
        "pause_many",
    ),
    "wake": SimpleKind(
        "Wake",
        "Wake",
        "A request is sent to each sleeping app, as a visitor would: it starts again.",
        "wake_many",
    ),
    "dev-on": SimpleKind(
        "Dev mode on",
        "Enable",
        "Dev mode: the app can be restarted without rebuilding (needs a PRO plan).",
        "set_dev_mode_many",
        enabled=True,
    ),
    "dev-off": SimpleKind(
        "Dev mode off", "Disable", "Dev mode is switched off.", "set_dev_mode_many", enabled=False
    ),
}


class SimpleActionDialog(ActionDialog):
    """Restart, rebuild, pause, wake, dev mode: nothing to fill in, only to confirm."""

    def __init__(
        self,
        kind: str,
        ops: SpaceOps,
        space_ids: list[str],
        rows: dict[str, SpaceRow],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.kind = SIMPLE[kind]
        self.TITLE_TEXT = f"{self.kind.title}: {spaces_word(len(space_ids))}"
        self.VERB = self.kind.verb
        super().__init__(ops, space_ids, rows, on_outcome=on_outcome)

    def summary(self) -> list[Content]:
        head = Content.assemble(
            (f"{self.kind.title} {spaces_word(len(self.space_ids))}. ", "bold"), self.kind.effect
        )
        return [head, *id_lines(self.space_ids, self._line)]

    def _line(self, sid: str) -> Content:
        row = self.rows.get(sid)
        stage = f"  (now {row.stage})" if row is not None else ""
        return Content.assemble("  • ", plain_line(sid), plain_line(stage, "dim"))

    async def plan(self) -> ActionPlan:
        kind, ops, ids = self.kind, self.ops, self.space_ids

        async def start(on_outcome: Callable[[Outcome], None]) -> BulkRun:
            if kind.method == "restart_many":
                return ops.restart_many(ids, factory=kind.factory, on_outcome=on_outcome)
            if kind.method == "set_dev_mode_many":
                return ops.set_dev_mode_many(ids, bool(kind.enabled), on_outcome=on_outcome)
            bulk: Callable[..., BulkRun] = getattr(ops, kind.method)
            return bulk(ids, on_outcome=on_outcome)

        return ActionPlan(self.summary(), start, ids)


# -- hardware -----------------------------------------------------------------------------


class HardwareDialog(ActionDialog):
    """Move the selection to other hardware: the Hub's current list, with the price."""

    TITLE_TEXT = "Hardware"
    VERB = "Change hardware"

    def __init__(
        self,
        ops: SpaceOps,
        space_ids: list[str],
        rows: dict[str, SpaceRow],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        super().__init__(ops, space_ids, rows, on_outcome=on_outcome)
        self.options: list[HardwareOption] | None = None

    def compose_inputs(self) -> ComposeResult:
        with Horizontal(classes="space-action--field"):
            yield Label("Hardware", classes="space-action--label")
            yield Select[str]([], prompt="Loading the Hub's hardware list…", id="hardware")

    def mounted(self) -> None:
        self.query_one("#hardware", Select).focus()
        self._load()

    @work(exclusive=True, group="space-hardware", exit_on_error=False, description="Hardware list")
    async def _load(self) -> None:
        try:
            self.options = await self.ops.hardware()
        except Exception as exc:
            self.show_error(f"Could not load the Hub's hardware list: {hub_error_text(exc)}")
            return
        select = self.query_one("#hardware", Select)
        select.set_options([(plain_line(o.label), o.name) for o in self.options])
        select.prompt = "Choose hardware"
        self.refresh_summary()

    @on(Select.Changed, "#hardware")
    def _changed(self) -> None:
        self.refresh_summary()

    @property
    def chosen(self) -> HardwareOption | None:
        value = self.query_one("#hardware", Select).value
        return next((o for o in self.options or [] if o.name == value), None)

    def summary(self) -> list[Content]:
        option = self.chosen
        n = len(self.space_ids)
        if option is None:
            return [
                Content(f"Choose the hardware for {spaces_word(n)}."),
                *id_lines(self.space_ids),
            ]

        def line(sid: str) -> Content:
            row = self.rows.get(sid)
            now = (row.requested_hardware or row.hardware or "?") if row else "?"
            return Content.assemble(
                "  • ",
                plain_line(sid),
                "  ",
                plain_line(now, "dim"),
                " → ",
                plain_line(option.name),
            )

        cost = option.cost_text(n)
        return [
            Content.assemble(("Change the hardware of ", "bold"), (spaces_word(n), "bold"), "."),
            Content.assemble(("Cost: ", "bold"), plain_line(cost), " while running."),
            Content("Each Space restarts on the new hardware."),
            *id_lines(self.space_ids, line),
        ]

    async def plan(self) -> ActionPlan:
        option = self.chosen
        if option is None:
            raise ValueError("Choose the hardware first.")
        ops, ids, flavor = self.ops, self.space_ids, option.name

        async def start(on_outcome: Callable[[Outcome], None]) -> BulkRun:
            return await ops.set_hardware_many(ids, flavor, on_outcome=on_outcome)

        return ActionPlan(self.summary(), start, ids)


# -- sleep time ---------------------------------------------------------------------------


def parse_minutes(text: str) -> int:
    """Minutes typed in the form → seconds (ValueError with the reason otherwise)."""
    value = text.strip()
    try:
        minutes = int(value)
    except ValueError:
        raise ValueError(f"Sleep after is a whole number of minutes, not {value!r}.") from None
    if minutes < 1:
        raise ValueError(f"Sleep after is at least 1 minute, not {minutes}.")
    return minutes * 60


class SleepDialog(ActionDialog):
    """How long each Space may sit without visitors before it sleeps (or never)."""

    TITLE_TEXT = "Sleep time"
    VERB = "Set sleep time"

    def compose_inputs(self) -> ComposeResult:
        with Horizontal(classes="space-action--field"):
            yield Label("Sleep after", classes="space-action--label")
            yield Input("60", type="integer", id="minutes", classes="short")
            yield Label("minutes without visitors", classes="space-action--unit")
        with Horizontal(classes="space-action--field"):
            yield Label("Never sleep", classes="space-action--label")
            yield Switch(False, id="never")

    def mounted(self) -> None:
        self.query_one("#minutes", Input).focus()

    @on(Input.Changed, "#minutes")
    @on(Switch.Changed, "#never")
    def _changed(self) -> None:
        self.query_one("#minutes", Input).disabled = self.query_one("#never", Switch).value
        self.refresh_summary()

    @on(Input.Submitted, "#minutes")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def seconds(self) -> int:
        if self.query_one("#never", Switch).value:
            return -1
        return parse_minutes(self.query_one("#minutes", Input).value)

    def summary(self) -> list[Content]:
        try:
            seconds = self.seconds()
        except ValueError as exc:
            return [Content(str(exc)), *id_lines(self.space_ids)]
        what = "never sleep" if seconds < 0 else f"sleep after {seconds // 60} min without visitors"
        free = [
            sid
            for sid in self.space_ids
            if (self.rows.get(sid) and (self.rows[sid].hardware or "cpu-basic") == "cpu-basic")
        ]
        lines = [Content.assemble((f"{spaces_word(len(self.space_ids))} will {what}.", "bold"))]
        if free:
            lines.append(
                Content(
                    f"{spaces_word(len(free))} on free cpu-basic: the Hub keeps its own 48 h there."
                )
            )
        return [*lines, *id_lines(self.space_ids)]

    async def plan(self) -> ActionPlan:
        seconds = self.seconds()
        ops, ids = self.ops, self.space_ids

        async def start(on_outcome: Callable[[Outcome], None]) -> BulkRun:
            return ops.set_sleep_time_many(ids, seconds, on_outcome=on_outcome)

        return ActionPlan(self.summary(), start, ids)


# -- delete -------------------------------------------------------------------------------


class DeleteDialog(ActionDialog):
    """Delete for good: each Space's id must be typed back, exactly."""

    TITLE_TEXT = "Delete"
    VERB = "Delete for good"

    def compose_inputs(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                (f"Delete {spaces_word(len(self.space_ids))} for good: ", "bold"),
                "their files, settings, secrets and history. This cannot be undone. "
                "Type each id to confirm.",
            ),
            classes="space-action--warning",
        )
        for number, sid in enumerate(self.space_ids):
            with Horizontal(classes="space-action--field"):
                yield Label(plain_line(sid, limit=40), classes="space-action--label-wide")
                yield Input(placeholder="type the id", id=f"typed-{number}", classes="typed")

    def mounted(self) -> None:
        self.query_one("#typed-0", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.refresh_summary()

    def typed(self) -> dict[str, str]:
        return {
            sid: self.query_one(f"#typed-{n}", Input).value for n, sid in enumerate(self.space_ids)
        }

    def summary(self) -> list[Content]:
        try:
            typed = self.typed()
        except Exception:
            return []
        left = [sid for sid, text in typed.items() if text.strip() != sid]
        if left:
            return [Content(f"{len(left)} of {len(typed)} ids still to type.")]
        return [Content.styled("Every id typed: ctrl+r deletes them.", "bold")]

    async def plan(self) -> ActionPlan:
        typed = self.typed()
        run = self.ops.delete_many  # checks every id was typed back before anything is sent
        ids = list(typed)
        wrong = [sid for sid, text in typed.items() if text.strip() != sid]
        if wrong:
            raise ValueError(
                f"Type each Space's id exactly to delete it; not matching: {', '.join(wrong)}."
            )

        async def start(on_outcome: Callable[[Outcome], None]) -> BulkRun:
            return run(typed, on_outcome=on_outcome)

        return ActionPlan(self.summary(), start, ids)


# -- duplicate ----------------------------------------------------------------------------


class DuplicateManyDialog(ActionDialog):
    """Copy the selection to one owner, named by a pattern, with hardware and secrets."""

    TITLE_TEXT = "Duplicate"
    VERB = "Duplicate"

    def __init__(
        self,
        ops: SpaceOps,
        space_ids: list[str],
        rows: dict[str, SpaceRow],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        super().__init__(ops, space_ids, rows, on_outcome=on_outcome)
        self.options: list[HardwareOption] | None = None
        self._rows = count(1)

    def compose_inputs(self) -> ComposeResult:
        owners = self.ops.owners
        with Horizontal(classes="space-action--field"):
            yield Label("To", classes="space-action--label")
            yield Select[str](
                [(plain_line(o), o) for o in owners],
                value=owners[0] if owners else Select.NULL,
                allow_blank=not owners,
                id="owner",
            )
        with Horizontal(classes="space-action--field"):
            yield Label("Name", classes="space-action--label")
            yield Input("{name}-copy", id="pattern")
        yield Static(
            "{name} and {owner} are the source's name and owner.", classes="space-action--hint"
        )
        with Horizontal(classes="space-action--field"):
            yield Label("Hardware", classes="space-action--label")
            yield Select[str]([], prompt="The Hub's default", id="hardware")
            yield Label("Private", classes="space-action--label-inline")
            yield Switch(True, id="private")
        with Horizontal(classes="space-action--field"):
            yield Label("Sleep after", classes="space-action--label")
            yield Input("", placeholder="as is", type="integer", id="minutes", classes="short")
            yield Label("minutes (paid hardware)", classes="space-action--unit")
        with Horizontal(classes="space-action--field space-action--field-header"):
            yield Label("Secrets", classes="space-action--label")
            yield Button("+ Add secret", id="add-secret", compact=True)
        yield Vertical(id="secrets")

    def mounted(self) -> None:
        self.query_one("#pattern", Input).focus()
        self._load()

    @work(exclusive=True, group="space-hardware", exit_on_error=False, description="Hardware list")
    async def _load(self) -> None:
        try:
            self.options = await self.ops.hardware()
        except Exception as exc:
            self.show_error(f"Could not load the Hub's hardware list: {hub_error_text(exc)}")
            return
        select = self.query_one("#hardware", Select)
        select.set_options([(plain_line(o.label), o.name) for o in self.options])
        self.refresh_summary()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    def _changed(self) -> None:
        self.refresh_summary()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#add-secret")
    async def _add_secret(self, event: Button.Pressed) -> None:
        event.stop()
        row = SecretRow(next(self._rows))
        await self.query_one("#secrets", Vertical).mount(row)
        row.query_one(".secret-key", Input).focus()

    @on(Button.Pressed, ".secret-remove")
    async def _remove_secret(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button.parent, SecretRow):
            await event.button.parent.remove()

    def form(self) -> tuple[str, str, bool, str | None, int | None, dict[str, str]]:
        owner = self.query_one("#owner", Select).value
        hardware = self.query_one("#hardware", Select).value
        minutes = self.query_one("#minutes", Input).value.strip()
        secrets: dict[str, str] = {}
        for row in self.query(SecretRow).results(SecretRow):
            key, value = row.pair
            if key.strip() or value:
                if not key.strip() or not value:
                    raise ValueError("Each secret needs a name and a value.")
                secrets[key.strip()] = value
        return (
            owner if isinstance(owner, str) else "",
            self.query_one("#pattern", Input).value,
            self.query_one("#private", Switch).value,
            hardware if isinstance(hardware, str) else None,
            parse_minutes(minutes) if minutes else None,
            secrets,
        )

    def summary(self) -> list[Content]:
        try:
            owner, pattern, private, hardware, _sleep, secrets = self.form()
        except ValueError as exc:
            return [Content(str(exc))]

        def line(sid: str) -> Content:
            src_owner, name = sid.split("/", 1)
            try:
                target = f"{owner}/{pattern.format(name=name, owner=src_owner)}"
            except (KeyError, IndexError, ValueError):
                target = "?"
            return Content.assemble("  • ", plain_line(sid), " → ", plain_line(target))

        option = next((o for o in self.options or [] if o.name == hardware), None)
        lines = [
            Content.assemble(
                (f"Copy {spaces_word(len(self.space_ids))}", "bold"),
                f" as {'private' if private else 'public'} Spaces",
                f", with {len(secrets)} secret(s)" if secrets else "",
                ".",
            )
        ]
        if option is not None:
            lines.append(
                Content.assemble(
                    ("Cost: ", "bold"), plain_line(option.cost_text(len(self.space_ids)))
                )
            )
        return [*lines, *id_lines(self.space_ids, line)]

    async def plan(self) -> ActionPlan:
        owner, pattern, private, hardware, sleep, secrets = self.form()
        plan = await self.ops.plan_duplicates(
            self.space_ids,
            owner=owner,
            pattern=pattern,
            private=private,
            hardware=hardware,
            sleep_time=sleep,
        )
        ops = self.ops

        async def start(on_outcome: Callable[[Outcome], None]) -> BulkRun:
            return ops.duplicate_many(plan, secrets=secrets, on_outcome=on_outcome)

        return ActionPlan(self.summary(), start, list(plan.targets), masked=list(secrets.values()))


# -- copy variables -----------------------------------------------------------------------


class CopyVariablesDialog(ActionDialog):
    """Set one Space's variables on each Space of the selection."""

    TITLE_TEXT = "Copy variables"
    VERB = "Copy variables"

    def __init__(
        self,
        ops: SpaceOps,
        space_ids: list[str],
        rows: dict[str, SpaceRow],
        variables: dict[str, str],
        source: str,
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        super().__init__(ops, space_ids, rows, on_outcome=on_outcome)
        self.variables = dict(variables)
        self.source = source

    def summary(self) -> list[Content]:
        names = ", ".join(f"{k}={v}" for k, v in self.variables.items())
        return [
            Content.assemble(
                (f"Set {len(self.variables)} variable(s) of ", "bold"),
                plain_line(self.source, "bold"),
                (f" on {spaces_word(len(self.space_ids))}:", "bold"),
            ),
            Content.assemble("  ", plain(names, limit=400)),
            Content("Existing variables of the same name are updated; others are kept."),
            *id_lines(self.space_ids),
        ]

    async def plan(self) -> ActionPlan:
        ops, ids, variables = self.ops, self.space_ids, self.variables

        async def start(on_outcome: Callable[[Outcome], None]) -> BulkRun:
            return ops.copy_variables(variables, ids, on_outcome=on_outcome)

        return ActionPlan(self.summary(), start, ids)
