"""A Space's API before connecting: the console's search mode looks before it leaps.

Connects a client to the Space (the same ``AsyncClient`` the app uses, so
a sleeping Space is woken and a building one waited for), shows its
``view_api`` text, and either hands that very client to the app
("Connect", no second connection) or closes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from ..messages import Connected
from ..once import OnceModal
from ..plain import plain, plain_line
from ..session import ConnectRequest

if TYPE_CHECKING:
    from ...client.core import AsyncClient

STYLES = Path(__file__).resolve().parent.parent / "styles" / "spaces.tcss"
API_LIMIT = 200_000
"""Characters of ``view_api`` text shown (a Space with thousands of endpoints is cut)."""


class ApiPreview(OnceModal[None]):
    """``view_api`` of one Space, with "Connect" and "Close"."""

    CSS_PATH = STYLES

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "connect",
            "Connect",
            id="space-api-connect",
            priority=True,
            tooltip="Open this Space in the app (the connection is kept)",
        ),
        Binding("escape", "close", "Close", id="space-api-close"),
    ]

    def __init__(
        self, space_id: str, *, hf_token: str | None, output_dir: str | None = None
    ) -> None:
        super().__init__(classes="space-api")
        self.space_id = space_id
        self.hf_token = hf_token
        self.output_dir = output_dir
        self.client: AsyncClient | None = None
        self.api_text: str | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="space-api--box") as box:
            box.border_title = "API of a Space"
            yield Static(plain_line(self.space_id, "bold"), id="api-space")
            with VerticalScroll(id="api-scroll"):
                yield Static("Connecting…", id="api-text")
            with Horizontal(classes="space-api--buttons"):
                yield Button("Connect", id="api-connect", variant="primary", disabled=True)
                yield Button("Close", id="api-close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#api-close", Button).focus()
        self._load()

    @work(exclusive=True, group="space-api", exit_on_error=False, description="view_api")
    async def _load(self) -> None:
        from ...client.core import AsyncClient

        try:
            client = await AsyncClient.connect(
                self.space_id,
                hf_token=self.hf_token,
                output_dir=self.output_dir,
                verbose=False,
            )
        except Exception as exc:
            self.error = str(exc) or type(exc).__name__
            self.query_one("#api-text", Static).update(
                plain(f"Could not connect to the Space: {self.error}", "italic", limit=2000)
            )
            return
        if not self.is_attached:  # closed while connecting
            await client.aclose()
            return
        self.client = client
        text = client.view_api(print_info=False, return_format="str")
        self.api_text = str(text or "")
        self.query_one("#api-text", Static).update(plain(self.api_text, limit=API_LIMIT))
        connect = self.query_one("#api-connect", Button)
        connect.disabled = False
        connect.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "connect":
            return self.client is not None
        return True

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "api-connect":
            self.action_connect()
        else:
            await self.action_close()

    def action_connect(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        self.app.post_message(
            Connected(client, ConnectRequest(self.space_id, hf_token=self.hf_token))
        )
        self.dismiss(None)

    async def action_close(self) -> None:
        client, self.client = self.client, None
        self.dismiss(None)
        if client is not None:
            await client.aclose()

    async def on_unmount(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            await client.aclose()
