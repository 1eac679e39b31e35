"""The connect screen: a Space id or URL, an optional token and login, recent apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import (
    Button,
    Collapsible,
    Footer,
    Input,
    Label,
    LoadingIndicator,
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from ...client.space_ids import is_space_id
from ..plain import plain, plain_line
from ..session import ConnectRequest
from ..typing_order import after_typing
from ..widgets.editors import PlainInput

if TYPE_CHECKING:
    from ..app import GradioTUI


class SourceValidator(Validator):
    """A Space id (``owner/name``) or an http(s) URL; anything else is refused inline."""

    def validate(self, value: str) -> ValidationResult:
        text = value.strip()
        if not text:
            return self.failure("Type a Space id such as owner/name, or an app URL.")
        if text.startswith(("http://", "https://")):
            rest = text.split("://", 1)[1]
            if rest and not rest.startswith("/"):
                return self.success()
            return self.failure("That URL has no host.")
        if is_space_id(text):
            return self.success()
        return self.failure("Not a Space id (owner/name) nor a URL (http://…).")


class ConnectScreen(Screen[None]):
    """Where the app starts without a source, and where ctrl+o comes back to."""

    HELP: ClassVar[str] = (
        "Type a Hugging Face Space id (`owner/name`) or the URL of any Gradio app "
        "(`http://127.0.0.1:7860/`) and press **enter**. A token is only needed for "
        "private Spaces (by default the one `huggingface_hub` has is used); a user and "
        "password only for apps launched with `auth=`. Nothing you type here is saved "
        "except the app's address, in the recent list below."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "connect", "Connect", id="connect", priority=True),
        Binding("delete", "forget_recent", "Forget", id="forget-recent", show=False),
        Binding("escape", "back", "Back", id="connect-back", show=False),
    ]

    def __init__(self, request: ConnectRequest | None = None) -> None:
        super().__init__(id="connect-screen")
        self.request = request

    @property
    def tui(self) -> GradioTUI:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        request = self.request
        with Center(), Vertical(id="connect-box"):
            yield Label(Text("Connect to a Gradio app", style="bold"), id="connect-title")
            yield PlainInput(
                request.src if request else "",
                placeholder="owner/space  or  http://127.0.0.1:7860/",
                validators=[SourceValidator()],
                validate_on=["submitted"],
                id="src",
            )
            with Collapsible(title="Token and login (optional)", id="credentials"):
                yield Input(
                    placeholder="HF token (default: the one huggingface_hub has)",
                    password=True,
                    id="token",
                )
                with Horizontal(id="login-row"):
                    yield Input(placeholder="user", id="user")
                    yield Input(placeholder="password", password=True, id="password")
            with Horizontal(id="connect-buttons"):
                yield Button("Connect", id="connect", variant="primary")
            yield LoadingIndicator(id="connecting")
            yield Static("", id="connect-status")
            yield Label("Recent", id="recent-title")
            yield OptionList(id="recent")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#connecting").display = False
        self.refresh_recent()
        self.query_one("#src", Input).focus()

    def refresh_recent(self) -> None:
        recent = self.tui.store.recent()
        options = self.query_one("#recent", OptionList)
        options.clear_options()
        # The recent list is a file on disk that anyone may have edited: plain text.
        options.add_options([Option(plain_line(r.src), id=r.src) for r in recent])
        self.query_one("#recent-title").display = bool(recent)
        options.display = bool(recent)

    # -- connecting -------------------------------------------------------------------

    def request_from_form(self) -> ConnectRequest | None:
        src_input = self.query_one("#src", Input)
        result = src_input.validate(src_input.value)
        if result is not None and not result.is_valid:
            self.show_error(" ".join(result.failure_descriptions))
            src_input.focus()
            return None
        token = self.query_one("#token", Input).value.strip() or None
        user = self.query_one("#user", Input).value
        password = self.query_one("#password", Input).value
        if password and not user:
            self.show_error("A password needs a user name too.")
            return None
        auth = (user, password) if user else None
        return ConnectRequest(src_input.value.strip(), hf_token=token, auth=auth)

    def action_connect(self) -> None:
        after_typing(self, self.connect_from_form)

    def connect_from_form(self) -> None:
        request = self.request_from_form()
        if request is not None:
            self.start(request)

    def start(self, request: ConnectRequest) -> None:
        self.request = request
        self.query_one("#src", Input).value = request.src
        self.set_busy(True, f"Connecting to {self.tui.display_src(request.src)} …")
        self.tui.connect(request)

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.query_one("#connecting").display = busy
        self.query_one("#connect", Button).disabled = busy
        status = self.query_one("#connect-status", Static)
        status.remove_class("-error")
        status.update(plain(message))

    def show_error(self, message: str) -> None:
        self.query_one("#connecting").display = False
        self.query_one("#connect", Button).disabled = False
        status = self.query_one("#connect-status", Static)
        status.add_class("-error")
        status.update(plain(message))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_connect()

    @on(Button.Pressed, "#connect")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_connect()

    @on(OptionList.OptionSelected, "#recent")
    def _recent(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.query_one("#src", Input).value = event.option.id
            self.action_connect()

    def action_forget_recent(self) -> None:
        options = self.query_one("#recent", OptionList)
        if not options.has_focus or options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id:
            self.tui.store.forget_recent(option.id)
            self.refresh_recent()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "Back" only when there is an app to go back to (ctrl+o came from it).
        if action == "back":
            return True if self._can_go_back() else None
        return True

    def _can_go_back(self) -> bool:
        return self.tui.client is not None and len(self.app.screen_stack) > 2

    def action_back(self) -> None:
        # Back to the app we were connected to, if any (ctrl+o came here from it).
        if self._can_go_back():
            self.app.pop_screen()
