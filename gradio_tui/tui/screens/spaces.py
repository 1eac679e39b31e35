"""The Spaces console: your Spaces (or a search's) as a live table, and every Hub action.

``gradio-tui spaces [OWNER]``, or **f12** / the palette from anywhere in the app.
The table is sortable, filters as you type (``/``), and marks Spaces for
actions on many at once (``space``, ``a``). The detail panel shows the
highlighted Space; the log panel follows its run or build log (``l`` /
``L``). Stages stay live: the list is asked again every few seconds while a
Space is between stages, and less and less often while nothing moves.
Enter connects to a running Gradio Space; in search mode (``s``) ``v``
shows a Space's API first.

All Hub work is the client layer's (:class:`~gradio_tui.client.space_ops.SpaceOps`),
awaited in async workers on Textual's loop; every Hub string reaches a widget
through ``plain``/``plain_text`` (never markup, controls made visible).
"""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Select, Static

from ...client.bulk import BulkReport, Outcome
from ...client.space_ops import SpaceOps
from ...client.space_rows import HardwareOption, SpaceDetails, SpaceRow
from ...client.untrusted import visible
from .. import memory
from ..once import OnceScreen
from ..plain import plain, plain_line
from ..session import ConnectRequest
from ..spaces_model import SpacesModel
from ..widgets.log_panel import LogPanel
from ..widgets.space_detail import SpaceDetail
from ..widgets.spaces_table import SpacesTable
from .hub_dialog import hub_error_text

if TYPE_CHECKING:
    from ..app import GradioTUI
    from .space_actions import ActionDialog
    from .space_secrets import CopyVariables

STYLES = Path(__file__).resolve().parent.parent / "styles" / "spaces.tcss"
POLL_SECONDS = 2.0
"""How soon the list is asked again while a Space is between stages (or after an action)."""
MAX_POLL_SECONDS = 30.0
"""How rarely, at most, while nothing moves (the wait grows 1.5× per quiet poll)."""
DETAIL_DELAY = 0.25
"""Seconds the cursor must rest on a Space before its secrets and variables are asked for."""
SDKS = ["gradio", "docker", "static", "streamlit"]
Mode = Literal["mine", "owner", "search"]


class SpacesScreen(OnceScreen[None]):
    """The Spaces console."""

    CSS_PATH = STYLES

    HELP: ClassVar[str] = (
        "Your Spaces and your organizations' (or one owner's, or a search's), live. "
        "Mark Spaces with **space** (**a**: all shown), then act on them: **r** restart, "
        "**b** factory rebuild, **p** pause, **w** wake, **h** hardware, **t** sleep time, "
        "**d** duplicate, **delete** delete, **e** secrets and variables. Without marks, "
        "actions apply to the highlighted Space. Every action says what will change first. "
        "**/** filters, **s** searches the Hub, **m** comes back to your Spaces, **enter** "
        "connects to a running Gradio Space, **v** shows its API first."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Close", id="spaces-close", tooltip="Leave the Spaces console"),
        Binding(
            "slash", "focus_filter", "Filter", id="spaces-filter", tooltip="Filter as you type"
        ),
        Binding(
            "s", "search_mode", "Search", id="spaces-search", tooltip="Search the Hub's Spaces"
        ),
        Binding("m", "mine", "Mine", id="spaces-mine", show=False, tooltip="Back to your Spaces"),
        Binding(
            "ctrl+r",
            "refresh",
            "Refresh",
            id="spaces-refresh",
            show=False,
            tooltip="Ask the Hub now",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            id="spaces-mark",
            tooltip="Mark or unmark the highlighted Space",
        ),
        Binding(
            "a",
            "mark_all",
            "Mark all",
            id="spaces-mark-all",
            show=False,
            tooltip="Mark every Space shown (or unmark them)",
        ),
        Binding(
            "r", "act('restart')", "Restart", id="spaces-restart", tooltip="Restart the selection"
        ),
        Binding(
            "b",
            "act('rebuild')",
            "Rebuild",
            id="spaces-rebuild",
            show=False,
            tooltip="Factory rebuild the selection (no cache)",
        ),
        Binding(
            "p",
            "act('pause')",
            "Pause",
            id="spaces-pause",
            show=False,
            tooltip="Pause the selection",
        ),
        Binding(
            "w",
            "act('wake')",
            "Wake",
            id="spaces-wake",
            show=False,
            tooltip="Wake the sleeping Spaces of the selection",
        ),
        Binding(
            "h",
            "hardware",
            "Hardware",
            id="spaces-hardware",
            tooltip="Change hardware (with prices)",
        ),
        Binding(
            "t", "sleep_time", "Sleep", id="spaces-sleep", show=False, tooltip="Set the sleep time"
        ),
        Binding(
            "d",
            "duplicate",
            "Duplicate",
            id="spaces-duplicate",
            show=False,
            tooltip="Copy the selection",
        ),
        Binding(
            "delete",
            "delete",
            "Delete",
            id="spaces-delete",
            show=False,
            tooltip="Delete the selection for good (each id typed back)",
        ),
        Binding(
            "e",
            "secrets",
            "Secrets",
            id="spaces-secrets",
            tooltip="Secrets (names only) and variables of the highlighted Space",
        ),
        Binding("l", "logs(False)", "Logs", id="spaces-logs", tooltip="Follow the run log"),
        Binding(
            "L",
            "logs(True)",
            "Build log",
            id="spaces-build-logs",
            show=False,
            tooltip="Follow the build log",
        ),
        Binding(
            "v",
            "view_api",
            "View API",
            id="spaces-view-api",
            show=False,
            tooltip="Show the highlighted Space's API, then connect if you like",
        ),
        Binding(
            "c",
            "connect",
            "Connect",
            id="spaces-connect",
            show=False,
            tooltip="Connect to the highlighted running Gradio Space (also: enter)",
        ),
        Binding(
            "o", "sort", "Sort", id="spaces-sort", show=False, tooltip="Sort by the next column"
        ),
    ]

    def __init__(
        self,
        owner: str | None = None,
        *,
        search: str | None = None,
        sdk: str | None = None,
        hf_token: str | None = None,
        poll: float | None = None,
        max_poll: float | None = None,
        ops: SpaceOps | None = None,
    ) -> None:
        """``ops``: an open :class:`SpaceOps` to use (and close); else one is opened for
        ``hf_token`` (None: the token ``huggingface_hub`` already has)."""
        super().__init__(id="spaces-screen")
        self.owner = owner
        self.mode: Mode = "search" if search else ("owner" if owner else "mine")
        self.query_text = search or ""
        self.sdk = sdk
        self.hf_token = hf_token
        # Read now, not at import: tests (and the bench) set the module's pace.
        self.poll = poll if poll is not None else POLL_SECONDS
        self.max_poll = max_poll if max_poll is not None else MAX_POLL_SECONDS
        self.ops: SpaceOps | None = ops
        self.model = SpacesModel()
        self.hardware: list[HardwareOption] | None = None
        self.details: dict[str, SpaceDetails] = {}
        self.loaded = False
        """The first list is in the table (or failed: see ``error``)."""
        self.error: str | None = None
        self.polls = 0
        """Lists asked for since the console opened (the first load included)."""
        self.following: tuple[str, bool] | None = None
        """The Space whose log is followed, and whether it is the build log."""
        self.log_ended = False
        self.masked: list[str] = []
        """Values the log panel never shows (the token, secrets typed in the console)."""
        self._poll_now = asyncio.Event()
        self._binding_state: tuple[bool, bool, bool] | None = None

    @property
    def tui(self) -> GradioTUI:
        return self.app  # type: ignore[return-value]

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="spaces-title")
        with Horizontal(id="spaces-bar"):
            yield Input(
                placeholder="/ filter: words in id, stage, SDK, hardware",
                id="spaces-filter",
                compact=True,
            )
            yield Input(
                self.query_text,
                placeholder="search the Hub's Spaces, enter to search",
                id="spaces-query",
                compact=True,
            )
            yield Select[str](
                [(s, s) for s in SDKS],
                prompt="any SDK",
                value=self.sdk if self.sdk in SDKS else Select.NULL,
                id="spaces-sdk",
                compact=True,
            )
        yield SpacesTable(id="spaces-table")
        with Horizontal(id="spaces-bottom"):
            yield SpaceDetail(id="spaces-detail")
            with Vertical(id="spaces-log-box"):
                yield Static("", id="spaces-log-title")
                yield LogPanel(id="spaces-log")
        yield Static("", id="spaces-status")
        yield Footer()

    def on_mount(self) -> None:
        self._show_search_bar(self.mode == "search")
        self.query_one(SpaceDetail).show(None)
        self._log_title()
        self.say("Asking the Hub…")
        self.query_one(SpacesTable).focus()
        self._start()

    async def on_unmount(self) -> None:
        ops, self.ops = self.ops, None
        if ops is not None:
            await ops.aclose()

    # -- words on screen ----------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        """The status line (under the log): the last thing that happened."""
        status = self.query_one("#spaces-status", Static)
        status.update(plain(text, limit=1000), layout=False)  # one line, always
        status.set_class(error, "-error")

    def _title(self) -> None:
        if self.mode == "search":
            where = f"Search: {self.query_text}" + (f" ({self.sdk})" if self.sdk else "")
        elif self.mode == "owner":
            where = f"Spaces of {self.owner}"
        elif self.ops is not None and self.ops.owners:
            where = f"Your Spaces ({', '.join(self.ops.owners)})"
        else:
            where = "Your Spaces"
        shown = len(self.query_one(SpacesTable).shown)
        total = len(self.model.rows)
        count = f"{total} Spaces" if shown == total else f"{shown} of {total} Spaces"
        marked = f" · {len(self.model.marked)} marked" if self.model.marked else ""
        order = f" · sorted by {self.model.sort} {'▼' if self.model.reverse else '▲'}"
        self.query_one("#spaces-title", Static).update(
            Content.assemble(plain_line(where, "bold", limit=120), f"  · {count}{marked}{order}"),
            layout=False,
        )

    def _log_title(self) -> None:
        title = self.query_one("#spaces-log-title", Static)
        if self.following is None:
            title.update(
                Content.styled("Log: l follows the run log, L the build log", "dim"), layout=False
            )
            return
        space_id, build = self.following
        kind = "build log" if build else "run log"
        state = " (ended)" if self.log_ended else ""
        title.update(
            Content.assemble(f"{kind.capitalize()} of ", plain_line(space_id, "bold"), state),
            layout=False,
        )

    def _show_search_bar(self, show: bool) -> None:
        self.query_one("#spaces-query").display = show
        self.query_one("#spaces-sdk").display = show

    # -- loading and polling ---------------------------------------------------------------

    @work(exclusive=True, group="spaces-open", exit_on_error=False, description="Open the Hub")
    async def _start(self) -> None:
        if self.ops is None:
            try:
                self.ops = await SpaceOps.open(self.hf_token)
            except Exception as exc:
                self._failed(exc)
                return
        self.masked = [t for t in (self.ops.token,) if t]
        self.query_one(LogPanel).mask(self.masked)
        self.bindings_may_change()
        # Everything alive now (Textual, huggingface_hub, this app) is kept out of the
        # cyclic collector's sight (tui/memory.py): a full collection, which a list of
        # 1,000 Spaces soon triggers, then scans only what came after (milliseconds)
        # instead of the whole heap (100-700 ms measured, the app frozen meanwhile).
        memory.settle()
        self.load()
        self._load_hardware()

    def _failed(self, exc: BaseException) -> None:
        self.error = hub_error_text(exc)
        self.loaded = True
        self.say(self.error, error=True)
        self._title()

    async def fetch(self) -> list[SpaceRow]:
        assert self.ops is not None
        self.polls += 1
        if self.mode == "search":
            return await self.ops.search(self.query_text, sdk=self.sdk)
        return await self.ops.list_spaces(self.owner if self.mode == "owner" else None)

    @work(exclusive=True, group="spaces-load", exit_on_error=False, description="List Spaces")
    async def load(self) -> None:
        """A fresh list (start, mode change, refresh), then live updates."""
        if self.ops is None:
            return
        self.workers.cancel_group(self, "spaces-poll")
        try:
            rows = await self.fetch()
        except Exception as exc:
            self._failed(exc)
            self._poll()  # the Hub may come back
            return
        self.error = None
        self.model.replace(rows)
        self.rebuild()
        self.loaded = True
        self.say(f"{len(rows)} Spaces." if rows else "No Spaces here.")
        self._poll()

    def rebuild(self) -> None:
        """The table from the model (filter, sort, marks); the cursor stays on its Space."""
        table = self.query_one(SpacesTable)
        table.show(self.model.view(), self.model.marked)  # posts Highlighted: details follow
        self._title()
        self.bindings_may_change()

    @work(exclusive=True, group="spaces-poll", exit_on_error=False, description="Live stages")
    async def _poll(self) -> None:
        wait = self.poll
        while True:
            self._poll_now.clear()
            try:
                await asyncio.wait_for(self._poll_now.wait(), wait)
                wait = self.poll  # asked for now (an action just ran)
            except asyncio.TimeoutError:
                pass
            if self.ops is None:
                return
            try:
                rows = await self.fetch()
            except Exception as exc:
                wait = min(self.max_poll, wait * 2)
                self.error = hub_error_text(exc)
                self.say(f"{self.error} Trying again in {max(wait, 1):.0f} s.", error=True)
                continue
            changed, membership = self.model.update(rows)
            if self.error is not None:
                self.error = None
                self.say("The Hub answers again.")
            if membership:
                self.rebuild()
            else:
                self._repaint(changed)
            wait = self.poll if (changed or self.model.moving) else min(self.max_poll, wait * 1.5)

    def poll_soon(self) -> None:
        """Ask the Hub at once and keep asking fast (after an action)."""
        self._poll_now.set()

    def _repaint(self, rows: list[SpaceRow]) -> None:
        table = self.query_one(SpacesTable)
        highlighted = table.highlighted
        for row in rows:
            table.update_row(row, row.id in self.model.marked)
            if row.id == highlighted:
                self._show_detail(row.id)
        if rows:
            self._title()

    @work(exclusive=True, group="spaces-hardware", exit_on_error=False, description="Hardware")
    async def _load_hardware(self) -> None:
        if self.ops is None:
            return
        try:
            self.hardware = await self.ops.hardware()
        except Exception:
            return  # prices are a courtesy in the detail panel; the hardware dialog says why
        table = self.query_one(SpacesTable)
        self._show_detail(table.highlighted)

    # -- the detail panel ---------------------------------------------------------------------

    @on(SpacesTable.Highlighted)
    def _row_highlighted(self, event: SpacesTable.Highlighted) -> None:
        self._highlighted(event.space_id)

    def _highlighted(self, space_id: str | None) -> None:
        self.bindings_may_change()
        self._show_detail(space_id)
        if space_id is not None and self.ops is not None and self.mode != "search":
            self._load_details(space_id)

    def _show_detail(self, space_id: str | None) -> None:
        panel = self.query_one(SpaceDetail)
        row = self.model.rows.get(space_id or "")
        if row is None:
            panel.show(None)
            return
        details = self.details.get(row.id)
        panel.show(
            row,
            details,
            self.model.history(row.id),
            self.hardware,
            loading=details is None and self.mode != "search",
        )

    @work(exclusive=True, group="spaces-detail", exit_on_error=False, description="Space details")
    async def _load_details(self, space_id: str) -> None:
        await asyncio.sleep(DETAIL_DELAY)  # the cursor is resting here, not passing by
        row = self.model.rows.get(space_id)
        if row is None or self.ops is None:
            return
        details = await self.ops.details(row)
        self.details[space_id] = details
        if self.model.put(details.row):
            self._repaint([details.row])
        if self.query_one(SpacesTable).highlighted == space_id:
            self._show_detail(space_id)

    # -- filter, sort, marks, modes -----------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#spaces-filter", Input).focus()

    @on(Input.Changed, "#spaces-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.model.filter = event.value
        self.rebuild()

    @on(Input.Submitted, "#spaces-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(SpacesTable).focus()

    @on(SpacesTable.HeaderClicked)
    def _header(self, event: SpacesTable.HeaderClicked) -> None:
        if event.column != "mark":
            self.model.sort_by(event.column)
            self.rebuild()

    def action_sort(self) -> None:
        column = self.model.next_sort()
        self.rebuild()
        self.say(f"Sorted by {column}.")

    def action_mark(self) -> None:
        table = self.query_one(SpacesTable)
        space_id = table.highlighted
        if space_id is None:
            return
        table.set_mark(space_id, self.model.toggle(space_id))
        table.move_to(table.cursor + 1)
        self._title()
        self.bindings_may_change()

    def action_mark_all(self) -> None:
        table = self.query_one(SpacesTable)
        self.model.toggle_all(table.shown)
        for space_id in table.shown:
            table.set_mark(space_id, space_id in self.model.marked)
        self._title()
        self.bindings_may_change()

    def action_search_mode(self) -> None:
        self._show_search_bar(True)
        self.query_one("#spaces-query", Input).focus()

    @on(Input.Submitted, "#spaces-query")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.say("Type something to search for.", error=True)
            return
        sdk = self.query_one("#spaces-sdk", Select).value
        self.mode, self.query_text = "search", text
        self.sdk = sdk if isinstance(sdk, str) else None
        self.details.clear()
        self.say("Searching…")
        self.query_one(SpacesTable).focus()
        self.load()

    def action_mine(self) -> None:
        self.mode = "owner" if self.owner else "mine"
        self._show_search_bar(False)
        self.details.clear()
        self.say("Asking the Hub…")
        self.query_one(SpacesTable).focus()
        self.load()

    def action_refresh(self) -> None:
        self.details.clear()
        self.load()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input | Select):
            self.query_one(SpacesTable).focus()  # escape leaves the field first
            return
        self.dismiss(None)

    # -- which actions apply now --------------------------------------------------------------

    def selection(self) -> list[str]:
        return self.model.selection(self.query_one(SpacesTable).highlighted)

    def bindings_may_change(self) -> None:
        """Refresh the footer and palette only if what ``check_action`` says has changed:
        a footer rebuild restyles every key (tens of ms), too much for every keystroke."""
        state = (
            self.ops is not None,
            self.query_one(SpacesTable).highlighted is not None,
            bool(self.model.marked),
        )
        if state != self._binding_state:
            self._binding_state = state
            # After the next frame: what changed (the table) is shown first.
            self.call_after_refresh(self.refresh_bindings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Cheap: called for every binding whenever the footer or the palette looks.
        if not self.is_mounted:
            return True
        highlighted = self.query_one(SpacesTable).highlighted is not None
        if action in ("act", "hardware", "sleep_time", "duplicate", "delete", "dev_mode"):
            return self.ops is not None and (bool(self.model.marked) or highlighted)
        if action in ("secrets", "logs"):
            return self.ops is not None and highlighted
        if action in ("view_api", "connect", "mark"):
            return highlighted
        if action in ("refresh", "mine", "search_mode", "mark_all"):
            return self.ops is not None
        return True

    # -- actions ------------------------------------------------------------------------------

    def _open(self, dialog: ActionDialog) -> None:
        def finished(report: BulkReport | None) -> None:
            if report is None:
                return
            self.notify(
                report.summary(),
                severity="warning" if report.failed else "information",
                markup=False,
            )
            self.say(report.summary(), error=bool(report.failed))
            self.model.marked &= {o.space_id for o in report.failed}  # keep the failed marked
            self.rebuild()
            self.poll_soon()

        dialog.on_outcome = self._acted
        self.app.push_screen(dialog, finished)

    def _acted(self, outcome: Outcome) -> None:
        """One Space's action ended: its new stage now, and the Hub asked again soon."""
        runtime = outcome.result
        row = self.model.rows.get(outcome.space_id)
        if outcome.state == "done" and row is not None and getattr(runtime, "stage", None):
            fresh = row.with_runtime(runtime)
            if self.model.put(fresh):
                self._repaint([fresh])
        self.poll_soon()

    def action_act(self, kind: str) -> None:
        from .space_actions import SimpleActionDialog

        ids = self.selection()
        if ids and self.ops is not None:
            self._open(SimpleActionDialog(kind, self.ops, ids, self.model.rows))

    def action_hardware(self) -> None:
        from .space_actions import HardwareDialog

        ids = self.selection()
        if ids and self.ops is not None:
            self._open(HardwareDialog(self.ops, ids, self.model.rows))

    def action_sleep_time(self) -> None:
        from .space_actions import SleepDialog

        ids = self.selection()
        if ids and self.ops is not None:
            self._open(SleepDialog(self.ops, ids, self.model.rows))

    def action_duplicate(self) -> None:
        from .space_actions import DuplicateManyDialog

        ids = self.selection()
        if ids and self.ops is not None:
            self._open(DuplicateManyDialog(self.ops, ids, self.model.rows))

    def action_delete(self) -> None:
        from .space_actions import DeleteDialog

        ids = self.selection()
        if ids and self.ops is not None:
            self._open(DeleteDialog(self.ops, ids, self.model.rows))

    def action_dev_mode(self, enabled: bool) -> None:
        self.action_act("dev-on" if enabled else "dev-off")

    def action_secrets(self) -> None:
        from .space_actions import CopyVariablesDialog
        from .space_secrets import SecretsDialog

        space_id = self.query_one(SpacesTable).highlighted
        ops = self.ops
        if space_id is None or ops is None:
            return
        marked = sorted(self.model.marked)
        dialog = SecretsDialog(ops, space_id, marked)

        def closed(answer: CopyVariables | None) -> None:
            self.masked = [*self.masked, *dialog.sent_values]
            self.query_one(LogPanel).mask(self.masked)
            self.details.pop(space_id, None)
            self._highlighted(self.query_one(SpacesTable).highlighted)
            if answer is not None:
                targets = [sid for sid in marked if sid != answer.source]
                self._open(
                    CopyVariablesDialog(
                        ops, targets, self.model.rows, answer.variables, answer.source
                    )
                )

        self.app.push_screen(dialog, closed)

    # -- logs ------------------------------------------------------------------------------

    def action_logs(self, build: bool) -> None:
        space_id = self.query_one(SpacesTable).highlighted
        if space_id is None or self.ops is None:
            return
        if self.following == (space_id, build) and not self.log_ended:
            self.workers.cancel_group(self, "spaces-logs")
            self.following = None
            self._log_title()
            self.say("Stopped following the log.")
            return
        self.following = (space_id, build)
        self.log_ended = False
        panel = self.query_one(LogPanel)
        panel.reset()
        self._log_title()
        self._follow(space_id, build)

    @work(exclusive=True, group="spaces-logs", exit_on_error=False, description="Follow a log")
    async def _follow(self, space_id: str, build: bool) -> None:
        assert self.ops is not None
        panel = self.query_one(LogPanel)
        try:
            async with aclosing(self.ops.logs(space_id, build=build, follow=True)) as lines:
                async for line in lines:
                    panel.push(line)
        except Exception as exc:
            self.say(hub_error_text(exc), error=True)
        if self.following == (space_id, build):
            self.log_ended = True
            self._log_title()

    # -- connecting --------------------------------------------------------------------------

    @on(SpacesTable.Selected)
    def _row_selected(self, event: SpacesTable.Selected) -> None:
        event.stop()
        self.action_connect()

    def action_connect(self) -> None:
        space_id = self.query_one(SpacesTable).highlighted
        row = self.model.rows.get(space_id or "")
        if row is None:
            return
        if not row.connectable:
            why = "not a Gradio app" if not row.is_gradio else f"{row.stage}, not running"
            self.notify(
                f"{visible(row.id, newlines=False)} is {visible(why, newlines=False)}: "
                "nothing to connect to.",
                severity="warning",
                markup=False,
            )
            return
        # The app's own connect flow, from its connect screen: progress and any error
        # are shown there, and success replaces the screens with the app's main screen.
        # The token is the one the user gave, if any; else the app's usual (huggingface_hub's).
        request = ConnectRequest(row.id, hf_token=self.hf_token)
        tui = self.tui
        self.dismiss(None)
        tui.call_after_refresh(self._connect, tui, request)

    @staticmethod
    async def _connect(tui: GradioTUI, request: ConnectRequest) -> None:
        from .connect import ConnectScreen

        current = tui.screen
        if isinstance(current, ConnectScreen):
            current.start(request)
            return
        screen = ConnectScreen(request)
        await tui.push_screen(screen)
        screen.start(request)

    def action_view_api(self) -> None:
        from .space_api import ApiPreview

        space_id = self.query_one(SpacesTable).highlighted
        row = self.model.rows.get(space_id or "")
        if row is None:
            return
        if not row.is_gradio:
            self.notify(
                f"{visible(row.id, newlines=False)} is not a Gradio app: it has no API to show.",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(
            ApiPreview(row.id, hf_token=self.hf_token, output_dir=self.tui.output_dir)
        )
