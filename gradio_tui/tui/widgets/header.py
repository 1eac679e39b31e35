"""The header line: which app, which Gradio, which protocol, and whether it is reachable."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..plain import plain_text


class AppHeader(Static):
    """``gradio-tui · http://host/ · Gradio 6.31.0 · sse_v3 · 11 endpoints``."""

    connection: reactive[str] = reactive("connected")
    """``connected`` or ``connection lost`` (set when jobs fail to reach the app)."""

    def __init__(self, src: str, version: str, protocol: str, endpoints: int, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_facts(src, version, protocol, endpoints, refresh=False)

    def set_facts(
        self, src: str, version: str, protocol: str, endpoints: int, *, refresh: bool = True
    ) -> None:
        """The app's facts (again, after a reconnect: its version may have changed)."""
        self.src = src
        self.version = version
        self.protocol = protocol
        self.endpoints = endpoints
        if refresh:
            self.refresh()

    def render(self) -> Text:
        # The version comes from the app's config: as untrusted as the rest of it.
        text = Text.assemble(
            ("gradio-tui", "bold"),
            "  ",
            plain_text(self.src, "underline", limit=120, line=True),
            "  Gradio ",
            plain_text(self.version, limit=40, line=True),
            f"  {self.protocol}  {self.endpoints} endpoints",
        )
        if self.connection != "connected":
            text.append(f"  ● {self.connection}", style="bold red")
        return text
