"""The Duplicate dialog: copy a Space (for ops staff), watch it build, then connect.

Fields: the Space to copy (prefilled when the app is connected to one), the
target (a bare name for the caller's account, or ``org/name``), private,
hardware (the Hub's live list, loaded when the dialog opens), secrets as
key/value rows with masked values, sleep timeout in minutes, and a token
(masked; empty means the one ``huggingface_hub`` already has). Everything is
checked before a single request changes anything on the Hub.

The copy runs in a thread worker through ``gradio_tui.client.hub``: plan
(checks the source, the target and the hardware on the Hub), apply (duplicate,
or bring an existing copy to what was asked), then wait until it runs, with
stage lines and build log lines as they come. The dialog returns a
:class:`DuplicateResult` when the user chooses "Connect", else ``None``.
Tokens live only in the masked inputs and the result; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch
from textual.worker import Worker, get_current_worker

from ...client.hub import (
    HubSession,
    apply_duplicate,
    plan_duplicate,
    wait_until_running,
)
from ...client.hub_forms import (
    DEFAULT_SLEEP_MINUTES,
    DuplicateForm,
    DuplicateRequest,
    DuplicateResult,
    check_duplicate,
)
from ..plain import plain_line, plain_text
from ..typing_order import after_typing
from ..widgets.editors import PlainInput
from .hub_dialog import (
    HubDialog,
    HubJobFailed,
    Phase,
    ProgressLine,
    hub_error_text,
)

FIELDS = ("from-id", "to-id", "hardware", "sleep", "secrets", "token")
"""Fields with an inline error line, in the order the first bad one gets focus."""


class HardwareLoaded(Message, bubble=False):
    """The Hub's hardware list (``names``), or why it could not be read (``error``)."""

    def __init__(self, generation: int, names: list[str] | None, error: str = "") -> None:
        super().__init__()
        self.generation = generation
        self.names = names
        self.error = error


class DuplicateDone(Message, bubble=False):
    """The copy runs: ``result`` is what "Connect" returns."""

    def __init__(self, result: DuplicateResult) -> None:
        super().__init__()
        self.result = result


class DuplicatePlanned(Message, bubble=False):
    """The plan is checked: the target's full id, and whether it already exists."""

    def __init__(self, from_id: str, target: str, exists: bool) -> None:
        super().__init__()
        self.from_id = from_id
        self.target = target
        self.exists = exists


class _Stopped(Exception):
    """The dialog was closed: the worker stops at its next Hub call."""


@dataclass
class _WatchedSession(HubSession):
    """A Hub session that stops polling once its worker is cancelled.

    ``wait_until_running`` polls the runtime for up to 15 minutes; a thread
    cannot be killed, so closing the dialog makes the next poll raise instead.
    """

    worker: Worker[None] | None = None

    @classmethod
    def watching(cls, session: HubSession, worker: Worker[None]) -> _WatchedSession:
        return cls(
            api=session.api,
            token=session.token,
            user=session.user,
            orgs=session.orgs,
            worker=worker,
        )

    def runtime(self, space_id: str) -> Any | None:
        if self.worker is not None and self.worker.is_cancelled:
            raise _Stopped
        return super().runtime(space_id)


class SecretRow(Horizontal):
    """One secret: its name, its (masked) value, and a remove button."""

    def __init__(self, number: int, key: str = "", value: str = "") -> None:
        super().__init__(classes="secret-row", id=f"secret-{number}")
        self._key = key
        self._value = value

    def compose(self) -> ComposeResult:
        yield Input(self._key, placeholder="NAME", classes="secret-key")
        yield Input(self._value, placeholder="value", password=True, classes="secret-value")
        yield Button("✕", classes="secret-remove", tooltip="Remove this secret", compact=True)

    @property
    def pair(self) -> tuple[str, str]:
        return (
            self.query_one(".secret-key", Input).value,
            self.query_one(".secret-value", Input).value,
        )


class DuplicateDialog(HubDialog[DuplicateResult | None]):
    """Duplicate a Space onto your account or an organization, then offer to connect."""

    HELP: ClassVar[str] = (
        "Copy a Space. **To** may be a name (your account) or `org/name`; if that Space "
        "exists it is not copied again, but its hardware, secrets and sleep time are set "
        "to what you ask. Secret values and the token are masked and never saved. "
        "**ctrl+r** starts, **escape** closes (a running copy goes on building on the Hub)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "start",
            "Duplicate",
            id="duplicate-start",
            priority=True,
            tooltip="Check the form and duplicate the Space",
        ),
        Binding(
            "ctrl+r",
            "connect",
            "Connect",
            id="duplicate-connect",
            priority=True,
            tooltip="Connect to the copy",
        ),
        Binding(
            "ctrl+r",
            "edit",
            "Edit and retry",
            id="duplicate-edit",
            priority=True,
            tooltip="Back to the form, values kept",
        ),
        Binding(
            "ctrl+n",
            "add_secret",
            "Add secret",
            id="duplicate-add-secret",
            priority=True,
            tooltip="Add a secret (name and masked value)",
        ),
        Binding(
            "ctrl+l",
            "remove_secret",
            "Remove secret",
            id="duplicate-remove-secret",
            priority=True,
            tooltip="Remove the secret being edited (or the last one)",
        ),
        Binding(
            "escape", "close", "Close", id="duplicate-close", tooltip="Close without connecting"
        ),
    ]

    ACTION_PHASES: ClassVar[dict[str, tuple[Phase, ...]]] = {
        "start": ("form",),
        "add_secret": ("form",),
        "remove_secret": ("form",),
        "connect": ("done",),
        "edit": ("failed",),
    }

    def __init__(
        self,
        from_id: str | None = None,
        *,
        hf_token: str | None = None,
        to_id: str = "",
        hardware: str | None = None,
        secrets: dict[str, str] | None = None,
        private: bool = True,
        sleep_timeout: int = DEFAULT_SLEEP_MINUTES,
        redact: bool = False,
        poll: float = 2.0,
        timeout: float | None = 900.0,
    ) -> None:
        """``hf_token``: a token the app already holds (e.g. the one it connected with),
        used when the token field is left empty, and never shown. ``poll`` and
        ``timeout`` (seconds) pace the wait for the copy to run."""
        super().__init__(redact=redact, id="duplicate-dialog")
        self.initial = DuplicateForm(
            from_id=from_id or "",
            to_id=to_id,
            private=private,
            hardware=hardware,
            secrets=list((secrets or {}).items()),
            sleep_timeout=str(sleep_timeout),
        )
        self._app_token = hf_token
        self.poll = poll
        self.timeout = timeout
        self.hardware_names: list[str] | None = None
        """The Hub's hardware list, once loaded (None before, or when it failed)."""
        self.result: DuplicateResult | None = None
        self._rows = count(1)
        self._hardware_generation = 0
        self._hardware_token: str | None = None
        self._job: Worker[None] | None = None

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        form = self.initial
        hardware_options = [(form.hardware, form.hardware)] if form.hardware else []
        with Vertical(id="duplicate-box", classes="hub-dialog--box") as box:
            box.border_title = "Duplicate a Space"
            with VerticalScroll(id="form-pane", classes="hub-dialog--form"):
                with Horizontal(classes="hub-field"):
                    yield Label("From", classes="hub-field--label")
                    # Prefilled from the connected Space (an id the Hub gave): painted plain.
                    yield PlainInput(
                        form.from_id, placeholder="owner/name of the Space", id="from-id"
                    )
                yield Static("", id="from-id-error", classes="hub-field--error")
                with Horizontal(classes="hub-field"):
                    yield Label("To", classes="hub-field--label")
                    yield Input(
                        form.to_id,
                        placeholder="optional: a name (your account) or org/name",
                        id="to-id",
                    )
                yield Static("", id="to-id-error", classes="hub-field--error")
                with Horizontal(classes="hub-field"):
                    yield Label("Hardware", classes="hub-field--label")
                    yield Select[str](
                        hardware_options,
                        prompt="Same as the source",
                        value=form.hardware if form.hardware else Select.NULL,
                        id="hardware",
                    )
                    yield Label("Private", classes="hub-field--label hub-field--label-inline")
                    yield Switch(form.private, id="private")
                yield Static("", id="hardware-status", classes="hub-field--hint")
                yield Static("", id="hardware-error", classes="hub-field--error")
                with Horizontal(classes="hub-field"):
                    yield Label("Sleep after", classes="hub-field--label")
                    yield Input(form.sleep_timeout, type="integer", id="sleep", classes="short")
                    yield Label("minutes without visitors (paid hardware only)", classes="unit")
                yield Static("", id="sleep-error", classes="hub-field--error")
                with Horizontal(classes="hub-field hub-field--header"):
                    yield Label("Secrets", classes="hub-field--label")
                    yield Button("+ Add secret", id="add-secret", compact=True)
                with Vertical(id="secrets"):
                    for key, value in form.secrets:
                        yield SecretRow(next(self._rows), key, value)
                yield Static("", id="secrets-error", classes="hub-field--error")
                yield from self.compose_token_field("Token", "token")
            yield from self.compose_progress()
            with Horizontal(id="buttons", classes="hub-dialog--buttons"):
                yield Button("Duplicate", id="start", variant="primary", classes="when-form")
                yield Button("Connect", id="connect", variant="primary", classes="when-done")
                yield Button("Edit and retry", id="edit", classes="when-failed")
                yield Button("Stop waiting", id="stop", classes="when-running")
                yield Button("Close", id="close", classes="when-form when-done when-failed")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        for name in FIELDS:
            self.query_one(f"#{name}-error").display = False
        self.query_one("#to-id" if self.initial.from_id else "#from-id", Input).focus()
        self.reload_hardware()

    # -- the hardware list ----------------------------------------------------------

    def _token(self) -> str | None:
        """The token to use: typed, else the app's, else None (huggingface_hub's own)."""
        return self.query_one("#token", Input).value.strip() or self._app_token

    def reload_hardware(self) -> None:
        self._hardware_generation += 1
        self._hardware_token = self.query_one("#token", Input).value.strip()
        self.hardware_names = None
        self._hardware_status("Loading the Hub's hardware list…")
        self._load_hardware(self._hardware_generation, self._token())

    @work(
        thread=True,
        exclusive=True,
        group="duplicate-hardware",
        exit_on_error=False,
        description="Load the Hub's hardware list",
    )
    def _load_hardware(self, generation: int, token: str | None) -> None:
        try:
            names = HubSession.open(token).hardware_names()
        except Exception as exc:
            self.post_message(HardwareLoaded(generation, None, hub_error_text(exc)))
            return
        self.post_message(HardwareLoaded(generation, names))

    @on(HardwareLoaded)
    def _hardware_loaded(self, message: HardwareLoaded) -> None:
        message.stop()
        if message.generation != self._hardware_generation:
            return  # an older load (the token changed since)
        select = self.query_one("#hardware", Select)
        current = select.value
        chosen = current if isinstance(current, str) else None
        if message.names is None:
            self._hardware_status(
                f"Could not load the Hub's hardware list ({message.error}). "
                "The copy keeps the source's hardware.",
                error=True,
            )
            return
        self.hardware_names = message.names
        options = [(plain_line(name), name) for name in message.names]
        if chosen is not None and chosen not in message.names:
            # Keep an unknown choice visible (and refused) rather than silently dropping it.
            options.append((plain_line(f"{chosen} (not offered by the Hub)"), chosen))
        with self.prevent(Select.Changed):
            select.set_options(options)
            if chosen is not None:
                select.value = chosen
        self._hardware_status(f"{len(message.names)} hardware choices from the Hub.")

    def _hardware_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#hardware-status", Static)
        status.update(plain_text(self.shown(text)))
        status.set_class(error, "-error")

    @on(Input.Blurred, "#token")
    def _token_left(self) -> None:
        # The list depends on who asks: load it again for a newly typed token.
        typed = self.query_one("#token", Input).value.strip()
        if typed != self._hardware_token and self.phase == "form":
            self.reload_hardware()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter moves on (ctrl+r starts), so a stray enter never starts a paid copy.
        event.stop()
        if event.input.id == "token":
            self._token_left()
        self.focus_next()

    # -- secrets -------------------------------------------------------------------

    @property
    def secret_rows(self) -> list[SecretRow]:
        return list(self.query(SecretRow))

    async def action_add_secret(self) -> None:
        row = SecretRow(next(self._rows))
        await self.query_one("#secrets", Vertical).mount(row)
        row.query_one(".secret-key", Input).focus()
        row.scroll_visible(animate=False)

    async def action_remove_secret(self, row: SecretRow | None = None) -> None:
        rows = self.secret_rows
        if not rows:
            return
        if row is None:
            focused = self.focused
            row = next(
                (r for r in rows if focused is not None and focused in r.walk_children()), None
            )
            row = row or rows[-1]
        index = rows.index(row)
        await row.remove()
        rest = self.secret_rows
        if rest:
            rest[min(index, len(rest) - 1)].query_one(".secret-key", Input).focus()
        else:
            self.query_one("#add-secret", Button).focus()

    # -- buttons -------------------------------------------------------------------

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        if button.has_class("secret-remove"):
            parent = button.parent
            if isinstance(parent, SecretRow):
                await self.action_remove_secret(parent)
            return
        actions = {
            "add-secret": "add_secret",
            "start": "start",
            "connect": "connect",
            "edit": "edit",
            "stop": "close",
            "close": "close",
        }
        if button.id in actions:
            await self.run_action(actions[button.id])

    # -- running -------------------------------------------------------------------

    def read_form(self) -> DuplicateForm:
        select = self.query_one("#hardware", Select)
        return DuplicateForm(
            from_id=self.query_one("#from-id", Input).value,
            to_id=self.query_one("#to-id", Input).value,
            private=self.query_one("#private", Switch).value,
            hardware=select.value if isinstance(select.value, str) else None,
            secrets=[row.pair for row in self.secret_rows],
            sleep_timeout=self.query_one("#sleep", Input).value,
            hf_token=self.query_one("#token", Input).value,
        )

    def action_start(self) -> None:
        after_typing(self, self.start_from_form)

    def start_from_form(self) -> None:
        request, errors = check_duplicate(self.read_form(), self.hardware_names)
        self.show_errors(errors, FIELDS)
        if request is None:
            return
        token = request.hf_token or self._app_token
        self.begin(
            f"Duplicating {request.from_id}…",
            [token, *request.secrets.values()],
        )
        self.focus_button("stop")
        self._job = self._duplicate(request, token)

    @work(
        thread=True,
        exclusive=True,
        group="duplicate",
        exit_on_error=False,
        description="Duplicate a Space",
    )
    def _duplicate(self, request: DuplicateRequest, token: str | None) -> None:
        worker: Worker[None] = get_current_worker()

        def say(line: str) -> None:
            if not worker.is_cancelled:
                self.post_message(ProgressLine(line))

        def build_log(line: str) -> None:
            if not worker.is_cancelled:
                self.post_message(ProgressLine(line, build_log=True))

        try:
            hub = _WatchedSession.watching(HubSession.open(token), worker)
            plan = plan_duplicate(
                hub,
                request.from_id,
                request.to_id,
                private=request.private,
                hardware=request.hardware,
                secrets=request.secrets,
                sleep_timeout=request.sleep_timeout,
            )
            self.post_message(DuplicatePlanned(plan.from_id, plan.target, plan.exists))
            apply_duplicate(hub, plan, say)
            wait_until_running(
                hub, plan.target, say, timeout=self.timeout, poll=self.poll, log_lines=build_log
            )
        except _Stopped:
            return
        except Exception as exc:
            if not worker.is_cancelled:
                self.post_message(HubJobFailed(exc))
            return
        if not worker.is_cancelled:
            self.post_message(DuplicateDone(DuplicateResult(plan.target, hub.token)))

    @on(DuplicatePlanned)
    def _planned(self, message: DuplicatePlanned) -> None:
        message.stop()
        what = "updating the existing Space" if message.exists else "a new copy"
        self.query_one("#progress-title", Static).update(
            plain_text(self.shown(f"{message.from_id} → {message.target} ({what})"), "bold")
        )

    @on(DuplicateDone)
    def _done(self, message: DuplicateDone) -> None:
        message.stop()
        if self.phase != "running":
            return
        self.result = message.result
        self.set_outcome(f"{message.result.space_id} is running. Connect to it now?")
        self.phase = "done"
        self.focus_button("connect")

    def action_connect(self) -> None:
        if self.result is not None:
            self.dismiss(self.result)

    def action_edit(self) -> None:
        self.phase = "form"
        self.query_one("#from-id", Input).focus()

    def action_close(self) -> None:
        if self._job is not None and self._job.is_running:
            # The Hub keeps building the copy; only our waiting stops.
            self._job.cancel()
        self.dismiss(None)
