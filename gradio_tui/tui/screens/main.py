"""The main screen: endpoints, the form, the API view, jobs and the job view.

All server work goes through the connected ``AsyncClient``: ``submit`` on
this loop, typed status updates back through the job's listener. Nothing
here reads Gradio JSON; nothing a server says can raise out of a handler.
"""

from __future__ import annotations

from itertools import count
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, TabbedContent, TabPane

from ...client.core import AsyncClient
from ...client.endpoints import Endpoint
from ...client.errors import AppConnectionError
from ...client.snippets import python_snippet
from ...client.status import OutputUpdate, StatusUpdate
from ...history import JobEntry
from ..history_record import (
    entry_from_record,
    entry_values,
    find_endpoint,
    form_values,
    preset_values,
)
from ..jobs_model import JobRecord
from ..messages import EndpointSelected, JobFinished, JobSubmitted, JobUpdated
from ..plain import shorten
from ..results.actions import copy_item
from ..results.model import to_text
from ..results.panel import ResultPanel
from ..typing_order import after_typing
from ..widgets.api_view import ApiView
from ..widgets.form import EndpointForm, Field, FormInvalid
from ..widgets.form.fields import FileField
from ..widgets.header import AppHeader
from ..widgets.jobs import JobHeader, JobList
from ..widgets.result import JobView, error_text
from ..widgets.sidebar import EndpointTree
from .file_picker import FilePickerScreen

if TYPE_CHECKING:
    from textual.widget import Widget

    from ..app import GradioTUI

SIDEBAR_WIDTH = 24
PANEL_MIN = 40
WIDE_MIN = SIDEBAR_WIDTH + 2 * PANEL_MIN + 6
"""Below this many columns (with the sidebar shown) the form and the jobs stack."""
WIDE_MIN_NO_SIDEBAR = 2 * PANEL_MIN + 6
LAYOUTS = ("auto", "wide", "stacked")


def endpoint_shape(endpoint: Endpoint) -> tuple[object, ...]:
    """What makes a form fit an endpoint after a reconnect: its name and parameters."""
    name: object = endpoint.api_name or endpoint.fn_index
    return (name, tuple((p.name, p.component.lower()) for p in endpoint.parameters))


class MainScreen(Screen[None]):
    """One connected app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "run",
            "Run",
            id="run",
            priority=True,
            tooltip="Send the form to the app as a new job",
        ),
        Binding(
            "ctrl+g",
            "cancel_job",
            "Cancel job",
            id="cancel-job",
            priority=True,
            tooltip="Cancel the job highlighted in the jobs table",
        ),
        Binding(
            "f4",
            "toggle_api",
            "API",
            id="toggle-api",
            tooltip="Show the Python snippet and view_api text",
        ),
        Binding(
            "ctrl+o",
            "open_connect",
            "Connect",
            id="open-connect",
            tooltip="Connect to another app (escape comes back)",
        ),
        Binding("f2", "focus_pane('sidebar')", "Endpoints", id="focus-endpoints", show=False),
        Binding("f3", "focus_form", "Form", id="focus-form", show=False),
        Binding("f5", "focus_pane('jobs')", "Jobs", id="focus-jobs", show=False),
        Binding("f6", "focus_pane('job-view')", "Job view", id="focus-job-view", show=False),
        Binding(
            "ctrl+t",
            "toggle_sidebar",
            "Sidebar",
            id="toggle-sidebar",
            show=False,
            tooltip="Hide or show the endpoint list (more room for the form and jobs)",
        ),
        Binding(
            "ctrl+l",
            "jump",
            "Jump",
            id="jump",
            tooltip="Label every panel and field; type a label to move there",
        ),
        Binding(
            "f7",
            "reconnect",
            "Reconnect",
            id="reconnect",
            show=False,
            tooltip="Connect again to the same app with the same credentials",
        ),
        Binding(
            "ctrl+n",
            "history",
            "History",
            id="history",
            tooltip="Past jobs of this app: look again, re-run, load into the form",
        ),
        Binding(
            "ctrl+f",
            "presets",
            "Presets",
            id="presets",
            tooltip="Save the form as a named preset of this endpoint, or load one",
        ),
    ]

    def __init__(self, client: AsyncClient, *, src: str | None = None) -> None:
        super().__init__(id="main-screen")
        self.client = client
        self.src = src or client.src
        """What the user connected to (a Space id or a URL): a reconnect to it keeps this screen."""
        self.endpoint: Endpoint | None = None
        self._numbers = count(1)
        self._forms: dict[int, EndpointForm] = {}
        self._snippet_stale = True

    @property
    def tui(self) -> GradioTUI:
        return self.app  # type: ignore[return-value]

    # -- layout --------------------------------------------------------------------

    def header_facts(self) -> tuple[str, str, str, int]:
        """``(where, version, protocol, endpoints)`` of the connected app, for the header."""
        tui, client = self.tui, self.client
        src = tui.display_src(client.src)
        # A Space by its id (what the user typed), with the host it runs on.
        where = f"{client.space_id} ({src})" if client.space_id else src
        version = "x.y.z" if tui.settings.redact else str(client.app_version)
        return where, version, client.protocol, len(client.endpoints)

    def compose(self) -> ComposeResult:
        tui = self.tui
        yield AppHeader(*self.header_facts(), id="header")
        with Horizontal(id="body"):
            yield EndpointTree(self.client.endpoints, id="sidebar")
            # Side by side when wide, stacked when not (see apply_layout).
            with Container(id="panels"):
                with TabbedContent(id="center", initial="tab-form"):
                    with TabPane("Form", id="tab-form"):
                        yield Vertical(id="forms")
                    with TabPane("API", id="tab-api"):
                        yield ApiView(id="api-view")
                with Vertical(id="right"):
                    yield JobHeader(id="jobs-header")
                    yield JobList(redact=tui.settings.redact, id="jobs")
                    yield JobView(redact=tui.settings.redact, id="job-view")
        yield Footer()

    def on_mount(self) -> None:
        self.apply_layout()
        if self.client.info_error:
            self.notify(
                f"The app's API info could not be read ({self.client.info_error}); "
                "forms are built from its config and take values in order.",
                severity="warning",
                timeout=8,
            )
        first = next(
            (e for e in self.client.endpoints if e.api_name and e.documented),
            next(iter(self.client.endpoints), None),
        )
        if first is not None:
            self.open_endpoint(first, focus=False)
        self.query_one(EndpointTree).focus()

    # -- the same app again ---------------------------------------------------------

    def attach(self, client: AsyncClient) -> None:
        """Carry on with a new connection to the same app, keeping the session's view.

        Jobs and their results stay in the table; jobs still running on the old
        connection are marked lost (it is closed next), never dropped silently.
        Forms stay with what was typed in them, for every endpoint the app still
        has with the same parameters; the others are built afresh.
        """
        old, self.client = self.client, client
        if not self.is_attached:
            return  # the app is closing: nothing to show
        jobs = self.query_one(JobList)
        for record in jobs.records.values():
            if not record.done and record.job in old.jobs:
                record.lost = "the connection was replaced (reconnected) while it ran"
                jobs.mark_dirty(record)
        header = self.query_one(AppHeader)
        header.set_facts(*self.header_facts())
        header.connection = "connected"
        self.query_one(EndpointTree).set_endpoints(client.endpoints)
        by_shape = {endpoint_shape(e): e for e in client.endpoints}
        kept: dict[int, EndpointForm] = {}
        for form in self._forms.values():
            endpoint = by_shape.get(endpoint_shape(form.endpoint)) if form.endpoint else None
            if endpoint is None:
                form.remove()
                continue
            form.rebind(endpoint, max_file_size=client.config.max_file_size)
            kept[endpoint.fn_index] = form
        self._forms = kept
        current = by_shape.get(endpoint_shape(self.endpoint)) if self.endpoint else None
        self.query_one(ApiView).reset()
        self._snippet_stale = True
        first = current or next(
            (e for e in client.endpoints if e.api_name and e.documented),
            next(iter(client.endpoints), None),
        )
        if first is not None:
            self.open_endpoint(first, focus=False)
        else:
            self.endpoint = None

    def connection_back(self) -> None:
        if self.is_attached:
            self.query_one(AppHeader).connection = "connected"

    def connection_lost(self) -> None:
        """The app stopped answering: say so in the header and let the app try again."""
        self.query_one(AppHeader).connection = "connection lost · reconnecting"
        self.tui.connection_lost()

    # -- layout that fits the terminal ------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.apply_layout(event.size.width)

    def stacked_at(self, width: int) -> bool:
        """Whether the jobs go under the form at ``width`` columns (else beside it)."""
        settings = self.tui.settings
        if settings.layout == "stacked":
            return True
        if settings.layout == "wide":
            return False
        return width < (WIDE_MIN if settings.sidebar else WIDE_MIN_NO_SIDEBAR)

    def apply_layout(self, width: int | None = None) -> None:
        """Fit the panels to the terminal: every panel stays on screen at 80×24."""
        width = self.app.size.width if width is None else width
        self.set_class(not self.tui.settings.sidebar, "-no-sidebar")
        self.set_class(self.stacked_at(width), "-stacked")

    def action_toggle_sidebar(self) -> None:
        sidebar = not self.tui.settings.sidebar
        self.tui.change_settings(sidebar=sidebar)
        self.apply_layout()
        if not sidebar and self.query_one(EndpointTree).has_focus:
            self.action_focus_form()

    def action_cycle_layout(self) -> None:
        current = self.tui.settings.layout
        index = LAYOUTS.index(current) if current in LAYOUTS else -1
        following = LAYOUTS[(index + 1) % len(LAYOUTS)]
        self.tui.change_settings(layout=following)
        self.apply_layout()
        self.notify(f"Layout: {following}")

    def action_jump(self) -> None:
        from .jump import JumpScreen, jump_targets

        def jumped(widget: Widget | None) -> None:
            if widget is not None and widget.is_attached:
                widget.focus()

        self.app.push_screen(JumpScreen(jump_targets(self)), jumped)

    # -- endpoints and forms ---------------------------------------------------------

    @property
    def form(self) -> EndpointForm | None:
        if self.endpoint is None:
            return None
        return self._forms.get(self.endpoint.fn_index)

    def open_endpoint(self, endpoint: Endpoint, *, focus: bool = True) -> None:
        """Show ``endpoint``'s form (built once, kept with its values while connected)."""
        self.endpoint = endpoint
        container = self.query_one("#forms", Vertical)
        form = self._forms.get(endpoint.fn_index)
        for other in self._forms.values():
            other.display = other is form
        if form is None:
            form = EndpointForm(
                endpoint,
                max_file_size=self.client.config.max_file_size,
                id=f"form-{endpoint.fn_index}",
                classes="form",
            )
            self._forms[endpoint.fn_index] = form
            container.mount(form)
        self.query_one(EndpointTree).select_endpoint(endpoint)
        self.query_one(TabbedContent).active = "tab-form"
        self._snippet_stale = True
        if focus:
            self.call_after_refresh(form.focus_first)

    @on(EndpointSelected)
    def _endpoint_selected(self, event: EndpointSelected) -> None:
        self.open_endpoint(event.endpoint)

    @on(Field.Edited)
    def _field_edited(self, event: Field.Edited) -> None:
        self._snippet_stale = True
        if self.query_one(TabbedContent).active == "tab-api":
            self.refresh_snippet()

    @on(FileField.Browse)
    def _browse(self, event: FileField.Browse) -> None:
        field = event.field

        def chosen(path: str | None) -> None:
            if path:
                field.set_path(path)

        self.app.push_screen(FilePickerScreen(title=f"File for {field.param.label}"), chosen)

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        api = event.pane.id == "tab-api"
        # The API text is wide: it gets the jobs' half of the screen while shown.
        self.set_class(api, "-api")
        if api:
            self.refresh_snippet()

    def snippet(self) -> str:
        form, endpoint = self.form, self.endpoint
        if endpoint is None:
            return ""
        request = self.tui.request
        return python_snippet(
            self.tui.display_src(self.client.space_id or self.client.src),
            endpoint,
            form.draft_values() if form is not None else None,
            uses_token=bool(request and request.uses_token),
            uses_login=bool(request and request.uses_login),
        )

    def refresh_snippet(self) -> None:
        view = self.query_one(ApiView)
        if not view.api_text:
            # Rendered on first view, not at start-up: big apps have long API texts.
            view.set_api_text(
                str(
                    self.client.view_api(
                        all_endpoints=True,
                        print_info=False,
                        return_format="str",
                        undocumented=True,
                    )
                )
            )
        if self._snippet_stale:
            self._snippet_stale = False
            view.set_snippet(self.snippet())

    # -- running jobs ---------------------------------------------------------------

    @on(Button.Pressed, "#run")
    def _run_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_run()

    def action_run(self) -> None:
        after_typing(self, self.run_form)

    def run_form(self) -> None:
        form, endpoint = self.form, self.endpoint
        if form is None or endpoint is None:
            self.notify("Pick an endpoint first.", severity="warning")
            return
        self.query_one(TabbedContent).active = "tab-form"
        try:
            values = form.values()
        except FormInvalid as exc:
            form.show_error(str(exc))
            exc.fields[0].editor().focus()
            return
        form.show_error("")
        try:
            # fn_index, not api_name: unique even when two listeners share a name.
            job = self.client.submit(*values, fn_index=endpoint.fn_index)
        except (TypeError, ValueError) as exc:
            form.show_error(str(exc))
            return
        except Exception as exc:  # a closed client, say: never crash the app
            form.show_error(f"Could not start the job: {exc}")
            return
        self.track(job, values)

    def track(self, job: Any, values: list[Any]) -> JobRecord:
        """Show ``job`` in the jobs panel and follow its updates (coalesced)."""
        table = self.query_one(JobList)
        record = JobRecord(next(self._numbers), job, values, self.client.src)

        def listener(_job: Any, update: StatusUpdate | OutputUpdate | None) -> None:
            record.apply(update)
            table.mark_dirty(record)

        table.add_record(record)
        job.add_listener(listener)
        self.query_one(JobView).show(record)
        self.post_message(JobSubmitted(record))
        return record

    @on(JobList.Highlighted)
    def _row(self, event: JobList.Highlighted) -> None:
        self.query_one(JobView).show(event.record)

    @on(JobUpdated)
    def _job_updated(self, event: JobUpdated) -> None:
        view = self.query_one(JobView)
        if view.record is event.record:
            view.refresh_record()

    @on(JobFinished)
    def _job_finished(self, event: JobFinished) -> None:
        record = event.record
        view = self.query_one(JobView)
        if view.record is record:
            view.refresh_record()
        self.tui.remember(self._history_entry(record))
        exc = record.job.exception()
        if exc is None:
            # The app answered: whatever was lost is back.
            self.query_one(AppHeader).connection = "connected"
            return
        title, message = error_text(exc)
        if isinstance(exc, AppConnectionError) and record.lost is None:
            self.connection_lost()
        # A toast is a glance: the name and the message's start; the job view has it all.
        first_line = shorten(message.split("\n")[0], 300)
        self.notify(
            f"#{record.number} {shorten(record.endpoint.name, 40)}: {first_line}",
            title=title,
            severity="error",
            timeout=6,
        )

    def _history_entry(self, record: JobRecord) -> JobEntry:
        return entry_from_record(record, self.client.space_id or self.client.src)

    def action_cancel_job(self) -> None:
        record = self.query_one(JobList).selected()
        if record is None:
            self.notify("No job to cancel.", severity="warning")
            return
        if record.done:
            self.notify(f"Job #{record.number} has already ended.")
            return
        self._cancel(record)

    @work(group="cancel", exit_on_error=False, description="Cancel a job")
    async def _cancel(self, record: JobRecord) -> None:
        await record.job.cancel()
        self.query_one(JobList).mark_dirty(record)

    # -- results ----------------------------------------------------------------------

    def action_copy_result(self) -> None:
        record = self.query_one(JobList).selected()
        exc = record.job.exception() if record is not None and record.done else None
        if exc is not None:
            message = error_text(exc)[1]
            self.app.copy_to_clipboard(message)
            self.notify(f"Copied {len(message)} characters.")
            return
        view = self.query_one(JobView)
        block = view.focused_block()
        if block is not None:
            block.action_copy()  # the output the user is on
            return
        has_output, value = record.latest_output() if record is not None else (False, None)
        if not has_output:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        panel_items = view.query_one(ResultPanel).items
        if len(panel_items) == 1:
            copy_item(self.tui, panel_items[0])
            return
        text = to_text(value)  # several outputs: all of them, as JSON
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters.")

    def action_open_file(self) -> None:
        block = self.query_one(JobView).current_block()
        if block is None:
            self.notify("This job has no result to open.", severity="warning")
            return
        block.action_open()

    def action_copy_snippet(self) -> None:
        self._snippet_stale = True
        self.refresh_snippet()
        self.app.copy_to_clipboard(self.query_one(ApiView).snippet)
        self.notify("Copied the Python snippet.")

    def action_copy_api(self) -> None:
        self.refresh_snippet()
        self.app.copy_to_clipboard(self.query_one(ApiView).api_text)
        self.notify("Copied the view_api text.")

    # -- navigation ------------------------------------------------------------------

    def action_toggle_api(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-form" if tabs.active == "tab-api" else "tab-api"

    def action_focus_pane(self, pane_id: str) -> None:
        if pane_id == "sidebar" and not self.tui.settings.sidebar:
            self.action_toggle_sidebar()  # F2 brings a hidden endpoint list back
        self.query_one(f"#{pane_id}").focus()

    def action_focus_form(self) -> None:
        self.query_one(TabbedContent).active = "tab-form"
        if self.form is not None:
            self.form.focus_first()

    def action_open_connect(self) -> None:
        self.tui.show_connect()

    def action_reconnect(self) -> None:
        self.tui.reconnect()

    # -- history and presets ------------------------------------------------------------

    @property
    def app_src(self) -> str:
        """The app as the history and presets files know it (a Space id, or its URL)."""
        return self.client.space_id or self.client.src

    def action_history(self) -> None:
        from .history import HistoryChoice, HistoryScreen

        keeper = self.tui.history
        view = keeper.view(self.app_src)
        if view is None:
            self.notify("Reading the history…")
            keeper.when_loaded(self.app_src, self.action_history)
            return

        def chosen(choice: HistoryChoice | None) -> None:
            if choice is not None:
                self.replay(choice.entry, run=choice.action == "rerun")

        screen = HistoryScreen(
            self.tui.display_src(self.app_src), view, redact=self.tui.settings.redact
        )
        self.app.push_screen(screen, chosen)

    def replay(self, entry: JobEntry, *, run: bool) -> None:
        """Fill the form with a past job's inputs; with ``run``, send it as a new job."""
        endpoint = find_endpoint(list(self.client.endpoints), entry.endpoint, entry.fn_index)
        if endpoint is None:
            self.notify(f"This app has no endpoint {entry.endpoint} any more.", severity="warning")
            return
        if run and not entry.rerunnable:
            self.notify(
                "Some inputs of that job were not kept (a password, or a value too long): "
                "they are loaded, fill in the rest and press ctrl+r.",
                severity="warning",
                timeout=8,
            )
            run = False
        self.open_endpoint(endpoint)
        self.fill_form(entry_values(entry), run=run)

    def fill_form(self, values: dict[str, Any], *, run: bool = False) -> None:
        form, endpoint = self.form, self.endpoint
        if form is None or endpoint is None:
            return

        def fill() -> None:
            problems = form.set_values(form_values(values, endpoint))
            form.show_error("\n".join(problems))
            if problems:
                return
            if run:
                self.call_after_refresh(self.run_form)
            else:
                form.focus_first()

        form.when_ready(fill)

    def action_presets(self) -> None:
        from ...presets import PresetFile
        from .presets import PresetChoice, PresetsScreen

        form, endpoint = self.form, self.endpoint
        if form is None or endpoint is None:
            self.notify("Pick an endpoint first.", severity="warning")
            return
        values: dict[str, Any] | None
        problem = ""
        try:
            values = preset_values(endpoint, form.values())
        except FormInvalid as exc:
            values, problem = None, str(exc)

        def chosen(choice: PresetChoice | None) -> None:
            if choice is not None:
                self.fill_form(choice.preset.values)
                self.notify(f"Loaded the preset {choice.preset.name!r}.")

        presets = PresetFile.for_app(self.tui.store.paths, self.app_src)
        self.app.push_screen(PresetsScreen(presets, endpoint.name, values, problem), chosen)
