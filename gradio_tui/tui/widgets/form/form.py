"""The form for one endpoint: its fields, a Run button, and the form's own errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label, Static

from ....client.endpoints import Endpoint
from ...plain import LABEL_LIMIT, plain, plain_line
from .fields import HINT_LIMIT, TOOLTIP_LIMIT, Field, FieldError, field_for

TITLE_LIMIT = 2 * LABEL_LIMIT
DESCRIPTION_LIMIT = 4 * HINT_LIMIT


class FormInvalid(ValueError):
    """Some fields hold values that cannot be sent; ``fields`` says which."""

    def __init__(self, fields: list[Field]) -> None:
        self.fields = fields
        names = ", ".join(plain_line(f.param.label, limit=60).plain for f in fields)
        super().__init__(f"Fix {names} before running.")


class EndpointForm(VerticalScroll):
    """Fields for every parameter of ``endpoint``, defaults prefilled."""

    HELP: ClassVar[str] = (
        "The selected endpoint's parameters, one field each, prefilled with the app's "
        "defaults. Messages in red say what must change before the job can be sent. "
        "**ctrl+r** runs the endpoint with these values; each run adds a job on the right."
    )

    def __init__(
        self, endpoint: Endpoint | None = None, *, max_file_size: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.endpoint = endpoint
        self.max_file_size = max_file_size
        """The app's upload limit, which file fields state in their hint."""

    def compose(self) -> ComposeResult:
        endpoint = self.endpoint
        if endpoint is None:
            yield Static("Pick an endpoint on the left.", classes="form--empty")
            return
        # The name and description are the app's: plain text, cut, whole in a tooltip
        # (and in the API view, F4).
        parts = [plain(endpoint.name, "bold", limit=TITLE_LIMIT)]
        if endpoint.is_generator:
            parts.append(Content.styled("  streams", "italic dim"))
        if not endpoint.documented:
            parts.append(Content.styled("  undocumented", "italic dim"))
        title = Label(Content.assemble(*parts), classes="form--title")
        if len(endpoint.name) > TITLE_LIMIT:
            title.tooltip = plain(endpoint.name, limit=TOOLTIP_LIMIT)
        yield title
        if endpoint.description:
            description = Static(
                plain(endpoint.description, limit=DESCRIPTION_LIMIT),
                classes="form--description",
            )
            if len(endpoint.description) > DESCRIPTION_LIMIT:
                description.tooltip = plain(endpoint.description, limit=TOOLTIP_LIMIT)
            yield description
        if not endpoint.parameters:
            yield Static("This endpoint takes no parameters.", classes="form--empty")
        for index, param in enumerate(endpoint.parameters):
            yield field_for(param, index, max_file_size=self.max_file_size)
        yield Label("", id="form-error", classes="form--error")
        with Horizontal(classes="form--buttons"):
            yield Button("Run  ctrl+r", id="run", variant="primary", compact=True)

    def rebind(self, endpoint: Endpoint, *, max_file_size: int | None = None) -> None:
        """Serve the same endpoint of a new connection, keeping what was typed.

        Only called with an endpoint of the same name and parameters (see
        ``MainScreen.attach``), so every field keeps its editor and value.
        """
        self.endpoint = endpoint
        self.max_file_size = max_file_size
        for field, param in zip(self.fields, endpoint.parameters, strict=False):
            field.param = param

    @property
    def fields(self) -> list[Field]:
        return list(self.query(Field))

    def values(self) -> list[Any]:
        """Every field's value; :class:`FormInvalid` (messages shown) when any is wrong."""
        bad = [f for f in self.fields if not f.check()]
        if bad:
            raise FormInvalid(bad)
        return [f.parse() for f in self.fields]

    def draft_values(self) -> list[Any]:
        """Values for the snippet: what parses, the app's default where a field does not."""
        out: list[Any] = []
        for f in self.fields:
            try:
                out.append(f.parse())
            except ValueError:
                out.append(f.param.default if f.param.has_default else f.param.example)
        return out

    def ready(self) -> bool:
        """Whether every field has its editor (a new form composes them over a few refreshes)."""
        fields = self.fields
        count = len(self.endpoint.parameters) if self.endpoint else 0
        return len(fields) == count and all(f.query(".field--editor") for f in fields)

    def when_ready(self, callback: Callable[[], object], _tries: int = 60) -> None:
        """Call ``callback`` once the fields can take values (at once if they can)."""
        if self.ready():
            callback()
        elif _tries > 0:
            self.call_after_refresh(self.when_ready, callback, _tries - 1)

    def set_values(self, values: dict[str, Any]) -> list[str]:
        """Fill fields by parameter name; the problems, as sentences (empty when all took)."""
        problems: list[str] = []
        for f in self.fields:
            if f.param.name not in values:
                continue
            try:
                f.set_value(values[f.param.name])
            except FieldError as exc:
                problems.append(f"{plain_line(f.param.label, limit=60).plain}: {exc}")
        return problems

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Label).update(plain(message))
        self.set_class(bool(message), "-has-error")

    def focus_first(self, _tries: int = 30) -> None:
        """Focus the first editor (the Run button when there are no parameters).

        A new form composes its fields, and each field its editor, over the next
        few refreshes: until they exist this tries again after each refresh, so
        choosing a never-visited endpoint lands the focus (and the next keys) in
        its first field, as a visited one does.
        """
        editors = [e for e in self.query(".field--editor") if e.focusable]
        if editors:
            editors[0].focus()
            return
        buttons = self.query("#run")
        if buttons and not (self.endpoint and self.endpoint.parameters):
            buttons.first().focus()
            return
        if _tries > 0:
            self.call_after_refresh(self.focus_first, _tries - 1)
