"""The API view: a ready-to-paste Python snippet for the form, and ``view_api``.

The snippet follows the form as it is edited (values that do not parse yet
fall back to the app's defaults), so "copy as Python" always gives code
that runs. Both texts come from the client layer; this widget only shows them.
"""

from __future__ import annotations

from typing import ClassVar

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from ..plain import plain, visible


class ApiView(VerticalScroll):
    """Python for the current endpoint and values, then the app's whole API."""

    HELP: ClassVar[str] = (
        "The current endpoint as Python code with the form's values (**c** copies it), "
        "and the app's API as `view_api()` prints it (**a** copies that). Tokens and "
        "passwords are read from environment variables in the code, never pasted in."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "screen.copy_snippet", "Copy code", id="copy-snippet"),
        Binding("a", "screen.copy_api", "Copy API", id="copy-api"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.can_focus = True
        self.snippet = ""
        self.api_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="api--buttons"):
            yield Label("Python", classes="api--heading")
            yield Button("Copy  c", id="copy-snippet", compact=True)
        yield Static("", id="api-snippet")
        with Horizontal(classes="api--buttons"):
            yield Label("view_api()", classes="api--heading")
            yield Button("Copy  a", id="copy-api", compact=True)
        yield Static("", id="api-text")

    def set_snippet(self, snippet: str) -> None:
        if snippet == self.snippet:
            return
        self.snippet = snippet
        # The code quotes the app (endpoint names, default values): controls made visible.
        self.query_one("#api-snippet", Static).update(
            Syntax(
                visible(snippet),
                "python",
                theme="ansi_dark",
                background_color="default",
                word_wrap=True,
            )
        )

    def reset(self) -> None:
        """Forget both texts (a new connection): they are made again when next shown."""
        self.snippet = ""
        self.api_text = ""

    def set_api_text(self, text: str) -> None:
        self.api_text = text
        self.query_one("#api-text", Static).update(plain(text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy-snippet":
            self.call_later(self.screen.run_action, "copy_snippet")
        elif event.button.id == "copy-api":
            self.call_later(self.screen.run_action, "copy_api")
