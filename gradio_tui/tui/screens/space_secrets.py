"""Secrets and variables of one Space, from the Spaces console.

Secrets are write-only, as on the Hub: the dialog lists their names (the Hub
sends nothing else), takes a new value in a masked field, sends it, and
forgets it (the field is cleared; the console's log panel masks it from then
on, in case the app prints it). Variables are not secret: names and values
are listed, set, deleted, and can be copied to the Spaces marked in the
console (returned to the console, which opens the copy's confirmation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...client.space_ops import SpaceOps, check_key
from ...client.untrusted import visible
from ..once import OnceModal
from ..plain import plain, plain_line, plain_text
from .hub_dialog import hub_error_text

STYLES = Path(__file__).resolve().parent.parent / "styles" / "spaces.tcss"


@dataclass(frozen=True)
class CopyVariables:
    """The dialog's answer when the user asked to copy this Space's variables."""

    source: str
    variables: dict[str, str]


class SecretsDialog(OnceModal[CopyVariables | None]):
    """Names of secrets (never values), variables, and setting or deleting either."""

    CSS_PATH = STYLES

    HELP: ClassVar[str] = (
        "Secrets are write-only: their values are never read back or shown, only sent. "
        "Type a name and a value and press **Set secret**; highlight a name and press "
        "**Delete** twice to delete it. Variables work the same way and are shown with "
        "their values; **Copy to marked** sets them on the Spaces marked in the console."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="space-secrets-close"),
    ]

    def __init__(self, ops: SpaceOps, space_id: str, marked: list[str]) -> None:
        super().__init__(classes="space-secrets")
        self.ops = ops
        self.space_id = space_id
        self.marked = [sid for sid in marked if sid != space_id]
        self.secret_names: list[str] | None = None
        self.variables: dict[str, str] | None = None
        self.sent_values: list[str] = []
        """Secret values sent from this dialog: the console masks them in its log panel."""
        self._armed: tuple[str, str] | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="space-secrets--box") as box:
            box.border_title = "Secrets and variables"
            yield Static(plain_line(self.space_id, "bold"), id="secrets-space")
            with Horizontal(classes="space-secrets--columns"):
                with Vertical(classes="space-secrets--column"):
                    yield Label("Secrets (names only)", classes="space-secrets--heading")
                    yield OptionList(id="secret-names")
                    yield Input(placeholder="NAME", id="secret-key")
                    yield Input(
                        placeholder="value (masked, never shown)", password=True, id="secret-value"
                    )
                    with Horizontal(classes="space-secrets--buttons"):
                        yield Button("Set secret", id="set-secret", variant="primary")
                        yield Button("Delete", id="delete-secret")
                with Vertical(classes="space-secrets--column"):
                    yield Label("Variables", classes="space-secrets--heading")
                    yield DataTable[Text](id="variables", cursor_type="row")
                    yield Input(placeholder="NAME", id="variable-key")
                    yield Input(placeholder="value", id="variable-value")
                    with Horizontal(classes="space-secrets--buttons"):
                        yield Button("Set variable", id="set-variable", variant="primary")
                        yield Button("Delete", id="delete-variable")
                        yield Button(
                            f"Copy to {len(self.marked)} marked",
                            id="copy-variables",
                            disabled=not self.marked,
                        )
            yield Static("", id="secrets-status", classes="space-secrets--status")
            with Horizontal(classes="space-secrets--buttons"):
                yield Button("Close", id="close-secrets")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#variables", DataTable)
        table.add_column("Name", key="name")
        table.add_column("Value", key="value")
        self.say("Loading…")
        self.reload()

    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#secrets-status", Static)
        status.update(plain(text, limit=600))
        status.set_class(error, "-error")

    @work(exclusive=True, group="space-secrets", exit_on_error=False, description="Secrets")
    async def reload(self) -> None:
        problems: list[str] = []
        secret_names: list[str] | None = None
        variables: dict[str, str] | None = None
        try:
            secret_names = await self.ops.secret_names(self.space_id)
        except Exception as exc:
            problems.append(hub_error_text(exc))
        try:
            variables = await self.ops.variables(self.space_id)
        except Exception as exc:
            problems.append(hub_error_text(exc))
        # Both at once, with the widgets: what the attributes say is what is shown.
        self.secret_names, self.variables = secret_names, variables
        names = self.query_one("#secret-names", OptionList)
        names.clear_options()
        names.add_options(
            Option(plain_line(n), id=f"s{i}") for i, n in enumerate(self.secret_names or [])
        )
        table = self.query_one("#variables", DataTable)
        table.clear()
        for key, value in (self.variables or {}).items():
            table.add_row(
                plain_text(key, line=True, limit=60),
                plain_text(value, line=True, limit=200),
                key=key,
            )
        self.query_one("#copy-variables", Button).disabled = not (self.marked and self.variables)
        if problems:
            self.say(" ".join(problems), error=True)
        else:
            n, m = len(self.secret_names or []), len(self.variables or {})
            self.say(f"{n} secret(s), {m} variable(s).")

    def _highlighted_secret(self) -> str | None:
        names = self.query_one("#secret-names", OptionList)
        index = names.highlighted
        if index is None or not self.secret_names or index >= len(self.secret_names):
            return None
        return self.secret_names[index]

    def _highlighted_variable(self) -> str | None:
        table = self.query_one("#variables", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "close-secrets":
            self.action_close()
        elif button == "set-secret":
            self._set("secret")
        elif button == "set-variable":
            self._set("variable")
        elif button == "delete-secret":
            self._delete("secret", self._highlighted_secret())
        elif button == "delete-variable":
            self._delete("variable", self._highlighted_variable())
        elif button == "copy-variables" and self.variables:
            self.dismiss(CopyVariables(self.space_id, dict(self.variables)))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "secret-value":
            self._set("secret")
        elif event.input.id == "variable-value":
            self._set("variable")
        else:
            self.focus_next()

    def _set(self, kind: str) -> None:
        key_input = self.query_one(f"#{kind}-key", Input)
        value_input = self.query_one(f"#{kind}-value", Input)
        try:
            key = check_key(key_input.value, kind)
        except ValueError as exc:
            self.say(str(exc), error=True)
            key_input.focus()
            return
        value = value_input.value
        if kind == "secret":
            if not value:
                self.say(f"The secret {key} needs a value.", error=True)
                value_input.focus()
                return
            self.sent_values.append(value)
            value_input.value = ""  # sent, and forgotten here
        self._send(kind, key, value)

    @work(exclusive=True, group="space-secrets-send", exit_on_error=False, description="Secrets")
    async def _send(self, kind: str, key: str, value: str) -> None:
        self.busy = True
        try:
            if kind == "secret":
                await self.ops.set_secret(self.space_id, key, value)
            else:
                await self.ops.set_variable(self.space_id, key, value)
        except Exception as exc:
            self.say(hub_error_text(exc), error=True)
            return
        finally:
            self.busy = False
        self.query_one(f"#{kind}-key", Input).value = ""
        if kind == "variable":
            self.query_one("#variable-value", Input).value = ""
        self.reload()
        self.notify(f"{kind.capitalize()} {visible(key, newlines=False)} set.", markup=False)

    def _delete(self, kind: str, key: str | None) -> None:
        if key is None:
            self.say(f"Highlight the {kind} to delete first.", error=True)
            return
        if self._armed != (kind, key):
            self._armed = (kind, key)
            self.say(f"Press Delete again to delete the {kind} {key} of {self.space_id}.")
            return
        self._armed = None
        self._remove(kind, key)

    @work(exclusive=True, group="space-secrets-send", exit_on_error=False, description="Secrets")
    async def _remove(self, kind: str, key: str) -> None:
        self.busy = True
        try:
            if kind == "secret":
                await self.ops.delete_secret(self.space_id, key)
            else:
                await self.ops.delete_variable(self.space_id, key)
        except Exception as exc:
            self.say(hub_error_text(exc), error=True)
            return
        finally:
            self.busy = False
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
