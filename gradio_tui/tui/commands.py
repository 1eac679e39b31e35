"""The command palette (ctrl+p): endpoints, recent apps, and every bound action.

Actions are not listed twice: every binding with an ``id`` on the current
screen (or the app) becomes a palette entry, so adding a binding adds a
command. Commands without a key are listed in ``GradioTUI.extra_commands``.

Titles and help lines quote the app (endpoint names, descriptions) and the
recent list on disk, so a hit is built as plain ``Content``: Textual reads a
``str`` prompt, and every ``help`` string, as markup (an endpoint named
``[@click=app.quit]q[/]`` would be a link that quits). The help goes on the
prompt's second line and ``Hit.help`` stays empty.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from .plain import plain_line

if TYPE_CHECKING:
    from .app import GradioTUI


@dataclass
class PaletteCommand:
    """A palette entry without a key: ``action`` runs on the screen (or app) that is active."""

    title: str
    help: str
    action: str
    when: Callable[[GradioTUI], bool] | None = None


class GradioCommands(Provider):
    """Lists what can be done now, most specific first."""

    @property
    def tui(self) -> GradioTUI:
        return self.app  # type: ignore[return-value]

    def entries(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.tui
        # The palette is itself a screen; what the user sees is the one below it.
        screen = app.screen_stack[-2] if len(app.screen_stack) > 1 else app.screen
        out: list[tuple[str, str, Callable[[], Any]]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or not binding.description or binding.id in seen:
                continue
            if not active.enabled:
                continue
            seen.add(binding.id)
            key = app.get_key_display(binding)
            title = f"{binding.description}  ({key})" if key else binding.description
            out.append(
                (
                    title,
                    binding.tooltip or binding.description,
                    partial(app.call_later, app.run_action, binding.action, active.node),
                )
            )
        for command in app.extra_commands:
            if command.when is None or command.when(app):
                out.append(
                    (
                        command.title,
                        command.help,
                        partial(app.call_later, app.run_action, command.action, screen),
                    )
                )
        client = app.client
        open_endpoint = getattr(screen, "open_endpoint", None)
        if client is not None and open_endpoint is not None:
            for endpoint in client.endpoints:
                out.append(
                    (
                        f"Endpoint {endpoint.name}",
                        endpoint.description.split("\n")[0] or "Open this endpoint's form",
                        partial(open_endpoint, endpoint),
                    )
                )
        for recent in app.store.recent():
            out.append(
                (f"Connect to {recent.src}", "A recent app", partial(app.connect_to, recent.src))
            )
        return out

    async def discover(self) -> Hits:
        for title, help_text, callback in self.entries():
            shown = plain_line(title).plain
            yield DiscoveryHit(prompt(shown, help_text), callback, text=shown)

    async def search(self, query: str) -> AsyncGenerator[Hit, None]:
        matcher = self.matcher(query)
        for title, help_text, callback in self.entries():
            # Matched and highlighted on the text as shown, so offsets line up.
            shown = plain_line(title).plain
            score = matcher.match(shown)
            if score > 0:
                yield Hit(score, prompt(shown, help_text, matcher), callback, text=shown)


def prompt(shown: str, help_text: str, matcher: Matcher | None = None) -> Content:
    """A palette line (``shown``, matches highlighted) and its dim help line, as plain text."""
    title = Content(shown)
    if matcher is not None:
        _score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
        for offset in offsets:
            if not shown[offset].isspace():
                title = title.stylize(matcher.match_style, offset, offset + 1)
    help_line = plain_line(help_text, "dim")
    return Content("\n").join([title, help_line]) if help_line.plain else title
