"""What the Hub dialogs (duplicate a Space, deploy to Discord) share.

Both dialogs run a blocking ``huggingface_hub`` job (the Hub client is
synchronous) in a thread worker. The worker only posts messages
(``ProgressLine``, ``HubJobFailed`` and the dialog's own "done" message);
handlers on the dialog update widgets, on Textual's loop.

A dialog goes through four phases: ``form`` (fields, inline validation),
``running`` (stage lines and build log lines as they come), then ``done`` or
``failed`` (the Hub's message, and a way back to the form). Every line shown
passes through :meth:`HubDialog.shown`, which masks the tokens and secret
values the user typed (a build log or a server message could echo one) and,
when the app redacts, hides local ports so screenshots are stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar, Literal, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Label, RichLog, Static

from ...client.explain import explain
from ..once import OnceModal
from ..plain import plain_text
from ..widgets.editors import PlainInput

Phase = Literal["form", "running", "done", "failed"]
ResultT = TypeVar("ResultT")

STYLES = Path(__file__).resolve().parent.parent / "styles" / "dialogs.tcss"
MASK = "••••••"
MIN_MASKED = 4
"""Shorter values are not masked inside other text: masking every "1" in a build
log would garble it, and the client layer never puts secret values in its lines."""
LOCAL_PORT = re.compile(r"(https?://(?:127\.0\.0\.1|localhost)):\d+")
MAX_LOG_LINES = 2000
"""A long build log scrolls; beyond this the oldest lines go (memory stays bounded)."""


def hub_error_text(exc: BaseException) -> str:
    """A typed client error as one line for the dialog: the one table's title, then
    the Hub's own message (which the client layer already put in the error)."""
    said = explain(exc)
    return f"{said.title}: {said.message}"


class ProgressLine(Message, bubble=False):
    """A stage line (or a build log line) from a dialog's worker thread."""

    def __init__(self, text: str, *, build_log: bool = False) -> None:
        super().__init__()
        self.text = text
        self.build_log = build_log


class HubJobFailed(Message, bubble=False):
    """A dialog's worker ended with a (typed) error."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class HubDialog(OnceModal[ResultT]):
    """Phases, the progress pane, the buttons row and masking, for the Hub dialogs.

    Subclasses compose their form inside ``#form-pane``, then call
    :meth:`compose_progress` and put their buttons in ``#buttons``; a button
    with class ``when-done`` (say) shows only in that phase.
    """

    CSS_PATH = STYLES
    ACTION_PHASES: ClassVar[dict[str, tuple[Phase, ...]]] = {}
    """Which phases each action (and so its binding) is available in; others: always."""

    phase: reactive[Phase] = reactive("form", init=False)
    """Where the dialog is: the form, a running job, or its outcome."""

    def __init__(self, *, redact: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.redact = redact
        self.progress_lines: list[str] = []
        """Every line shown in the progress log, as shown (masked): for tests and copying."""
        self._masked: list[str] = []

    # -- layout ----------------------------------------------------------------------

    _app_token: str | None = None
    """A token the app already holds (set by the dialog), used when the field is empty."""

    def compose_token_field(self, label: str, field_id: str) -> ComposeResult:
        """The masked HF token row and its error line."""
        with Horizontal(classes="hub-field"):
            yield Label(label, classes="hub-field--label")
            yield PlainInput(
                placeholder=(
                    "the token this app already uses"
                    if self._app_token
                    else "optional: default is the one huggingface_hub has"
                ),
                password=True,
                id=field_id,
            )
        yield Static("", id=f"{field_id}-error", classes="hub-field--error")

    def compose_progress(self) -> ComposeResult:
        with Vertical(id="progress-pane", classes="hub-dialog--progress"):
            yield Static("", id="progress-title", classes="hub-dialog--progress-title")
            yield RichLog(
                id="progress-log",
                classes="hub-dialog--log",
                wrap=True,
                markup=False,
                highlight=False,
                max_lines=MAX_LOG_LINES,
            )
            yield Static("", id="outcome", classes="hub-dialog--outcome")

    def on_mount(self) -> None:
        self._show_phase(self.phase)

    def watch_phase(self, phase: Phase) -> None:
        self._show_phase(phase)

    def _show_phase(self, phase: Phase) -> None:
        in_form = phase == "form"
        self.query_one("#form-pane").display = in_form
        self.query_one("#progress-pane").display = not in_form
        for button in self.query_one("#buttons").query(Button):
            button.display = button.has_class(f"when-{phase}")
        self.set_class(phase == "running", "-running")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phases = self.ACTION_PHASES.get(action)
        if phases is None:
            return True
        # False hides the binding from the footer and lets another binding on the
        # same key (ctrl+r does one thing per phase) take the key press.
        return self.phase in phases

    # -- progress ---------------------------------------------------------------------

    def begin(self, title: str, masked: Iterable[str | None]) -> None:
        """Enter the running phase; ``masked`` are the values never to show."""
        self._masked = sorted(
            {m for m in masked if m and len(m) >= MIN_MASKED}, key=len, reverse=True
        )
        self.progress_lines.clear()
        self.query_one("#progress-log", RichLog).clear()
        self.set_outcome("")
        self.query_one("#progress-title", Static).update(plain_text(self.shown(title), "bold"))
        self.phase = "running"

    def shown(self, text: str) -> str:
        """``text`` as it may be displayed: typed secrets masked, local ports hidden."""
        for value in self._masked:
            text = text.replace(value, MASK)
        if self.redact:
            text = LOCAL_PORT.sub(r"\1:PORT", text)
        return text

    def add_line(self, text: str, *, build_log: bool = False) -> None:
        # Build logs and Hub messages are data: controls visible, never markup.
        shown = plain_text(self.shown(text.rstrip("\n"))).plain
        if build_log:
            shown = f"│ {shown}"
        self.progress_lines.append(shown)
        self.query_one("#progress-log", RichLog).write(
            Text(shown, style="dim" if build_log else "")
        )

    def set_outcome(self, text: str, *, error: bool = False) -> None:
        outcome = self.query_one("#outcome", Static)
        outcome.update(plain_text(self.shown(text)))
        outcome.display = bool(text)
        outcome.set_class(error, "-error")
        outcome.set_class(bool(text) and not error, "-success")

    @on(ProgressLine)
    def _progress_line(self, message: ProgressLine) -> None:
        message.stop()
        if self.phase == "running":
            self.add_line(message.text, build_log=message.build_log)

    @on(HubJobFailed)
    def _failed(self, message: HubJobFailed) -> None:
        message.stop()
        if self.phase != "running":
            return
        self.set_outcome(hub_error_text(message.error), error=True)
        self.phase = "failed"
        self.focus_button("edit")

    def focus_button(self, button_id: str) -> None:
        try:
            self.query_one(f"#{button_id}", Button).focus()
        except NoMatches:
            pass

    # -- inline validation --------------------------------------------------------------

    def show_errors(self, errors: dict[str, str], order: Iterable[str]) -> None:
        """Show each field's message under it (``#<field>-error``) and focus the first bad
        field (``#<field>``); fields not in ``errors`` are cleared."""
        first: str | None = None
        for name in order:
            message = errors.get(name, "")
            label = self.query_one(f"#{name}-error", Static)
            label.update(plain_text(message))
            label.display = bool(message)
            if message and first is None:
                first = name
        if first is not None:
            target = self.query_one(f"#{first}")
            # A group (the secrets rows) is not focusable itself: focus its first input.
            focusable = [target, *target.query("*")]
            widget = next((w for w in focusable if isinstance(w, Widget) and w.focusable), None)
            if widget is not None:
                widget.focus()
