"""The Deploy to Discord dialog: run the connected chat app as a Discord bot.

Fields: the bot token (masked, optional: without one the dialog shows how to
get one, and the Space explains it too), the endpoint to chat with (prefilled
with the app's chat endpoint; an app without one is refused unless an
endpoint is named), the target Space id (optional), private, and an HF token
(masked; empty means the one ``huggingface_hub`` already has).

Deploying runs ``gradio_tui.client.discord.deploy`` in a thread worker (the
Hub client is synchronous) with progress lines as they come; the result is
the new Space's URL, shown with a copy action, and returned on close. The bot
token goes to the Hub as a Space secret only: it is never shown or written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Static, Switch
from textual.worker import Worker, get_current_worker

from ...client.discord import NO_TOKEN_HELP, chat_endpoint, deploy, reachability_warning
from ...client.hub_forms import DiscordForm, DiscordRequest, check_discord, no_chat_text
from ..plain import plain_text
from ..typing_order import after_typing
from ..widgets.editors import PlainInput
from .hub_dialog import HubDialog, HubJobFailed, Phase, ProgressLine

if TYPE_CHECKING:
    from ...client.core import AsyncClient

FIELDS = ("bot-token", "api-name", "target", "hf-token")
"""Fields with an inline error line, in the order the first bad one gets focus."""


class DiscordDeployed(Message, bubble=False):
    """The bot Space is up: ``url`` is its page."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


class DiscordDeployDialog(HubDialog[str | None]):
    """Deploy the connected chat app as a Discord bot; returns the bot Space's URL."""

    HELP: ClassVar[str] = (
        "Creates a Space that runs this app as a Discord bot (this project's own bot, "
        "talking to the app through this client). The bot token is stored only as a "
        "secret of that Space. **ctrl+r** deploys, **escape** closes."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "deploy",
            "Deploy",
            id="discord-deploy",
            priority=True,
            tooltip="Check the form and create the bot Space",
        ),
        Binding(
            "ctrl+r",
            "edit",
            "Edit and retry",
            id="discord-edit",
            priority=True,
            tooltip="Back to the form, values kept",
        ),
        Binding("c", "copy_url", "Copy URL", id="discord-copy-url", tooltip="Copy the bot's URL"),
        Binding("escape", "close", "Close", id="discord-close", tooltip="Close the dialog"),
    ]

    ACTION_PHASES: ClassVar[dict[str, tuple[Phase, ...]]] = {
        "deploy": ("form",),
        "edit": ("failed",),
        "copy_url": ("done",),
    }

    def __init__(
        self, client: AsyncClient, *, hf_token: str | None = None, redact: bool = False
    ) -> None:
        """``hf_token``: a token the app already holds, used when the HF token field is
        left empty, and never shown."""
        super().__init__(redact=redact, id="discord-dialog")
        self.client = client
        self.chat = chat_endpoint(client)
        self.endpoint_names = [e.api_name for e in client.endpoints if e.api_name]
        self._app_token = hf_token
        self.url: str | None = None
        self._job: Worker[None] | None = None

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="discord-box", classes="hub-dialog--box") as box:
            box.border_title = "Deploy to Discord"
            with VerticalScroll(id="form-pane", classes="hub-dialog--form"):
                yield Static("", id="app-line", classes="hub-field--hint")
                yield Static("", id="reach-warning", classes="hub-field--error")
                with Horizontal(classes="hub-field"):
                    yield Label("Bot token", classes="hub-field--label")
                    yield Input(
                        placeholder="optional: the Discord bot's token",
                        password=True,
                        id="bot-token",
                    )
                yield Static("", id="bot-token-error", classes="hub-field--error")
                yield Static(Text(NO_TOKEN_HELP), id="bot-help", classes="hub-field--hint")
                with Horizontal(classes="hub-field"):
                    yield Label("Endpoint", classes="hub-field--label")
                    # Prefilled with the app's chat endpoint name: painted plain.
                    yield PlainInput(self.chat or "", placeholder="/chat", id="api-name")
                yield Static("", id="api-name-error", classes="hub-field--error")
                with Horizontal(classes="hub-field"):
                    yield Label("Space", classes="hub-field--label")
                    yield Input(
                        placeholder="optional: a name or org/name (default: a random name)",
                        id="target",
                    )
                    yield Label("Private", classes="hub-field--label hub-field--label-inline")
                    yield Switch(False, id="private")
                yield Static("", id="target-error", classes="hub-field--error")
                yield from self.compose_token_field("HF token", "hf-token")
            yield from self.compose_progress()
            with Horizontal(id="result-row", classes="hub-dialog--result"):
                yield Static("", id="result-url")
                yield Button("Copy URL", id="copy-url", compact=True)
            with Horizontal(id="buttons", classes="hub-dialog--buttons"):
                yield Button("Deploy", id="deploy", variant="primary", classes="when-form")
                yield Button("Edit and retry", id="edit", classes="when-failed")
                yield Button("Close", id="close", classes="when-form when-done when-failed")
                yield Button("Stop waiting", id="stop", classes="when-running")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        for name in FIELDS:
            self.query_one(f"#{name}-error").display = False
        self.query_one("#result-row").display = False
        app_line = self.query_one("#app-line", Static)
        upstream = self.client.space_id or self.client.src
        app_line.update(plain_text(self.shown(f"Runs {upstream} as a Discord bot.")))
        warning = reachability_warning(self.client)
        reach = self.query_one("#reach-warning", Static)
        reach.update(plain_text(self.shown(f"⚠ {warning}" if warning else "")))
        reach.display = warning is not None
        if self.chat is None:
            # Refuse up front, where the user is looking, not after they press Deploy.
            self.show_errors({"api-name": no_chat_text()}, FIELDS)
        self.query_one("#bot-token", Input).focus()

    @on(Input.Changed, "#bot-token")
    def _bot_token_changed(self, event: Input.Changed) -> None:
        # The how-to-get-a-token text is for when there is no token yet.
        self.query_one("#bot-help").display = not event.value.strip()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter moves on (ctrl+r deploys), so a stray enter never creates a Space.
        event.stop()
        self.focus_next()

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "deploy": "deploy",
            "edit": "edit",
            "close": "close",
            "stop": "close",
            "copy-url": "copy_url",
        }
        if event.button.id in actions:
            await self.run_action(actions[event.button.id])

    # -- running -------------------------------------------------------------------

    def read_form(self) -> DiscordForm:
        return DiscordForm(
            api_name=self.query_one("#api-name", Input).value,
            to_id=self.query_one("#target", Input).value,
            private=self.query_one("#private", Switch).value,
            bot_token=self.query_one("#bot-token", Input).value,
            hf_token=self.query_one("#hf-token", Input).value,
        )

    def action_deploy(self) -> None:
        after_typing(self, self.deploy_from_form)

    def deploy_from_form(self) -> None:
        request, errors = check_discord(self.read_form(), self.endpoint_names, self.chat)
        self.show_errors(errors, FIELDS)
        if request is None:
            return
        self.query_one("#result-row").display = False
        self.begin(
            f"Deploying {request.api_name} as a Discord bot…",
            [request.bot_token, request.hf_token, self._app_token],
        )
        self.focus_button("stop")
        self._job = self._deploy(request)

    @work(
        thread=True,
        exclusive=True,
        group="discord",
        exit_on_error=False,
        description="Deploy to Discord",
    )
    def _deploy(self, request: DiscordRequest) -> None:
        worker: Worker[None] = get_current_worker()

        def say(line: str) -> None:
            if not worker.is_cancelled:
                self.post_message(ProgressLine(line))

        try:
            # deploy() only reads the client's endpoints and config (no I/O on its
            # connection), so using it from this thread is safe.
            url = deploy(
                self.client,
                request.bot_token,
                [request.api_name],
                request.to_id,
                request.hf_token or self._app_token,
                request.private,
                say=say,
            )
        except Exception as exc:
            if not worker.is_cancelled:
                self.post_message(HubJobFailed(exc))
            return
        if not worker.is_cancelled:
            self.post_message(DiscordDeployed(url))

    @on(DiscordDeployed)
    def _deployed(self, message: DiscordDeployed) -> None:
        message.stop()
        if self.phase != "running":
            return
        self.url = message.url
        self.query_one("#progress-title", Static).update(
            plain_text(f"Deployed {self.read_form().api_name.strip()} as a Discord bot", "bold")
        )
        self.query_one("#result-url", Static).update(plain_text(self.shown(message.url), "bold"))
        self.query_one("#result-row").display = True
        self.set_outcome("The bot Space is created; it starts the bot once it has built.")
        self.phase = "done"
        self.focus_button("copy-url")

    def action_copy_url(self) -> None:
        if self.url is not None:
            self.app.copy_to_clipboard(self.url)
            self.notify("Copied the bot Space's URL.")

    def action_edit(self) -> None:
        self.phase = "form"
        self.query_one("#bot-token", Input).focus()

    def action_close(self) -> None:
        if self._job is not None and self._job.is_running:
            self._job.cancel()
        self.dismiss(self.url)
