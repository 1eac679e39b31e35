"""``GradioTUI``: the Textual app. Owns the connection, the store and the screens.

The app talks to Gradio only through ``gradio_tui.client`` (``AsyncClient``
awaited on Textual's own loop). Connecting runs in an async worker and ends
by posting ``Connected`` or ``ConnectFailed``; every worker error lands in
``on_worker_state_changed`` and becomes a notification, so a server's bad
answer or a lost connection never takes the app down.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from ..store import Settings, Store, public_src
from . import memory
from .commands import GradioCommands, PaletteCommand
from .history_keeper import HistoryKeeper
from .messages import Connected, ConnectFailed, ConnectionBack
from .plain import TOAST_LIMIT, shorten, visible
from .screens.connect import ConnectScreen
from .session import ConnectRequest, SpacesRequest

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from ..client.core import AsyncClient
    from ..history import JobEntry
    from .screens.main import MainScreen


def same_app(a: str, b: str) -> bool:
    """Whether two sources name the same app (credentials and trailing slashes aside)."""
    return public_src(a).rstrip("/") == public_src(b).rstrip("/")


RECONNECT_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
"""Seconds between tries while an app is unreachable (the last one repeats)."""
SETTLE_AFTER = 1.0
"""Seconds after a main screen appears before its long-lived objects are frozen (see
``_settle_memory``): the user is reading the screen by then, and start-up is not slowed."""


def connect_error_text(exc: BaseException) -> str:
    """The connect screen's words for a failed connection (the one table's)."""
    from ..client.explain import explain

    said = explain(exc)
    return f"{said.title}.\n{said.message}"


def in_spaces_console(app: GradioTUI) -> bool:
    """Whether the screen under the palette is the Spaces console."""
    from .screens.spaces import SpacesScreen

    stack = app.screen_stack
    return len(stack) > 1 and isinstance(stack[-2], SpacesScreen)


def on_main_screen(app: GradioTUI) -> bool:
    """Whether the screen under the palette is a connected app's main screen."""
    from .screens.main import MainScreen

    stack = app.screen_stack
    return len(stack) > 1 and isinstance(stack[-2], MainScreen)


class GradioTUI(App[None]):
    """Explore and call a Gradio app's API from the terminal."""

    TITLE = "gradio-tui"
    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"
    COMMANDS = App.COMMANDS | {GradioCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", tooltip="Help for what is focused, and keys"),
        Binding(
            "f8",
            "screenshot",
            "Screenshot",
            id="screenshot",
            show=False,
            tooltip="Save an SVG screenshot in the current folder",
        ),
        Binding(
            "f9",
            "duplicate_space",
            "Duplicate a Space…",
            id="duplicate-space",
            show=False,
            tooltip="Copy a Space to your account, watch it build, then connect to the copy",
        ),
        Binding(
            "f10",
            "deploy_discord",
            "Deploy to Discord…",
            id="deploy-discord",
            show=False,
            tooltip="Run this chat app as a Discord bot, in a Space of its own",
        ),
        Binding(
            "f12",
            "spaces_console",
            "Spaces console…",
            id="spaces-console",
            show=False,
            tooltip="Your Spaces, live: restart, hardware, sleep, secrets, logs, on many at once",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    extra_commands: ClassVar[list[PaletteCommand]] = [
        PaletteCommand(
            "Layout: auto → side by side → stacked",
            "How the form and the jobs share the screen (kept in settings.json)",
            "cycle_layout",
            when=on_main_screen,
        ),
        PaletteCommand(
            "Dev mode on (Spaces console selection)",
            "Restart apps without rebuilding (needs a PRO plan); asks first",
            "dev_mode(True)",
            when=in_spaces_console,
        ),
        PaletteCommand(
            "Dev mode off (Spaces console selection)",
            "Switch dev mode off on the selected Spaces; asks first",
            "dev_mode(False)",
            when=in_spaces_console,
        ),
    ]
    """Palette commands without a key (a command with one is a ``Binding`` with an ``id``)."""

    def __init__(
        self,
        request: ConnectRequest | None = None,
        *,
        store: Store | None = None,
        settings: Settings | None = None,
        output_dir: str | None = None,
        console: SpacesRequest | None = None,
    ) -> None:
        """``console``: open the Spaces console first (``gradio-tui spaces``)."""
        super().__init__()
        self.store = store or Store()
        self.settings = settings or self.store.settings
        self.output_dir = output_dir or self.settings.output_dir
        self.request: ConnectRequest | None = request
        self.initial_request = request
        self.spaces_request = console
        self.client: AsyncClient | None = None
        self.history = HistoryKeeper(self)
        """Past jobs per app: read once per app off the loop, written in batches."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: its message and title are shown as they are.

        Notifications quote apps and the Hub (a ``gr.Error``, a file name, a
        URL), and Textual would read them as markup: ``[/]`` in an error used
        to crash the app. ``markup`` is accepted for Textual's own callers and
        ignored; long messages are cut (the job view holds the full text).
        """
        super().notify(
            shorten(visible(message), TOAST_LIMIT),
            title=shorten(visible(title, newlines=False), 120),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- start and stop --------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        elif self.settings.theme != Settings().theme:
            self.notify(
                f"settings.json: there is no theme {self.settings.theme!r}; using "
                f"{self.theme!r} (ctrl+p → Change theme lists them).",
                severity="warning",
                timeout=10,
            )
        # A theme chosen from the palette is kept for the next start.
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.keymap:
            from .keymap import check_keymap

            keymap, problem = check_keymap(self.settings.keymap)
            self.set_keymap(keymap)
            if problem:
                self.notify(problem, title="Keymap", severity="warning", timeout=15)
        request = self.initial_request
        if request is not None and request.src:
            # Straight to connecting: the full connect screen only if that fails.
            from .screens.connecting import ConnectingScreen

            self.push_screen(ConnectingScreen(self.display_src(request.src)))
            self.connect(request)
        else:
            self.push_screen(ConnectScreen(request))
            if self.spaces_request is not None:
                self.open_spaces_console(self.spaces_request)

    async def action_quit(self) -> None:
        await self._close_client()
        self.history.flush_now()
        self.exit()

    async def on_unmount(self) -> None:
        await self._close_client()
        self.history.flush_now()
        memory.release()  # another app in this process (tests) must not inherit them

    async def _close_client(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                await client.aclose()
            except Exception:
                pass  # closing must never be what fails an exit

    # -- settings that stick ------------------------------------------------------

    def change_settings(self, **changes: object) -> None:
        """Apply settings changed from the app and keep them in ``settings.json``.

        Only the changed keys are written (the rest of the file stays as the user
        wrote it); a failed write is said, never fatal.
        """
        from dataclasses import replace

        self.settings = replace(self.settings, **changes)  # type: ignore[arg-type]
        try:
            self.store.update_settings(**changes)
        except (OSError, ValueError) as exc:
            self.notify(f"Could not save the settings: {exc}", severity="warning")

    def _theme_changed(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str) and name != self.settings.theme:
            self.change_settings(theme=name)

    # -- connecting -----------------------------------------------------------------

    def display_src(self, src: str) -> str:
        """How ``src`` is shown: without credentials, and without host/port when redacting."""
        shown = public_src(src)
        if self.settings.redact and shown.startswith(("http://", "https://")):
            scheme = shown.split("://", 1)[0]
            return f"{scheme}://127.0.0.1:PORT/"
        return shown

    async def _open_client(self, request: ConnectRequest) -> AsyncClient:
        from ..client.core import AsyncClient

        return await AsyncClient.connect(
            request.src,
            hf_token=request.hf_token,
            auth=request.auth,
            output_dir=self.output_dir,
            max_workers=self.settings.max_workers,
            verbose=False,
        )

    @work(exclusive=True, group="connect", exit_on_error=False, description="Connect")
    async def connect(self, request: ConnectRequest, again: bool = False) -> None:
        try:
            client = await self._open_client(request)
        except Exception as exc:
            self.post_message(ConnectFailed(exc, request, again))
            return
        self.post_message(Connected(client, request, again))

    def connection_lost(self) -> None:
        """The app stopped answering: try again, with growing pauses, until it is back.

        Only once no job of the current connection is still running (they fail
        at once when the server goes, so a job still running means the
        connection is alive and its jobs must not be cut off).
        """
        if self.request is None:
            return
        self.watch_for_app(self.request)

    @work(exclusive=True, group="reconnect", exit_on_error=False, description="Reconnect")
    async def watch_for_app(self, request: ConnectRequest) -> None:
        """Reconnect once the app is back, keeping the view.

        If the app answers at the first try it never went away (one request
        failed, say): the connection is kept, and so is the app's session
        (its State). Only an app that was seen down and then up again gets a
        new connection.
        """
        import asyncio

        was_down = False
        for attempt in count():
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            if self.request is not request:
                return  # the user connected elsewhere meanwhile
            client = self.client
            if client is not None and any(not job.done() for job in client.jobs):
                continue  # its jobs still run: the connection is alive
            try:
                new = await self._open_client(request)
            except Exception:
                was_down = True
                continue
            if not was_down:
                await new.aclose()
                self.post_message(ConnectionBack())
                return
            self.post_message(Connected(new, request, again=True))
            return

    @on(ConnectionBack)
    def _connection_back(self) -> None:
        main = self._main_screen()
        if main is not None:
            main.connection_back()

    def connect_to(self, src: str) -> None:
        """Connect to ``src`` with no credentials (the palette's recent entries)."""
        self.show_connect()
        screen = self.screen
        request = ConnectRequest(src)
        if isinstance(screen, ConnectScreen):
            screen.start(request)
        else:
            self.connect(request)

    def reconnect(self) -> None:
        if self.request is None:
            self.show_connect()
            return
        self.notify(f"Reconnecting to {self.display_src(self.request.src)} …")
        self.connect(self.request, again=True)

    def _main_screen(self) -> MainScreen | None:
        from .screens.main import MainScreen

        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def show_connect(self) -> None:
        if not isinstance(self.screen, ConnectScreen):
            self.push_screen(ConnectScreen(self.request))

    @on(Connected)
    async def _connected(self, message: Connected) -> None:
        from .screens.main import MainScreen

        old, self.client = self.client, message.client
        self.request = message.request
        try:
            if not message.request.ephemeral:
                self.store.add_recent(message.request.src)
        except OSError as exc:
            self.notify(f"Could not save the recent list: {exc}", severity="warning")
        main = self._main_screen()
        if main is not None and same_app(main.src, message.request.src):
            # The same app again (F7, ctrl+o to it, or back after a restart): the
            # session's view stays — jobs, results and what was typed in forms.
            while self.screen is not main:
                await self.pop_screen()
            main.attach(message.client)
            if message.again:
                self.notify(f"Reconnected to {self.display_src(message.request.src)}.")
        else:
            # Leave only the base screen, then show the new app.
            memory.release()  # the old screen's objects can be collected again
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            # Read this app's past jobs now, off the loop: the history view opens at once.
            self.history.preload(message.client.space_id or message.client.src)
            await self.push_screen(MainScreen(message.client, src=message.request.src))
            self.set_timer(SETTLE_AFTER, self._settle_memory)
        if old is not None and old is not message.client:
            self._close_later(old)

    def _settle_memory(self) -> None:
        """Start-up is over: keep full collections short from now on (tui/memory.py)."""
        if self.is_running:
            memory.settle()

    @work(group="close", exit_on_error=False, description="Close the old connection")
    async def _close_later(self, client: AsyncClient) -> None:
        await client.aclose()

    @on(ConnectFailed)
    def _connect_failed(self, message: ConnectFailed) -> None:
        text = connect_error_text(message.error)
        from .screens.connecting import ConnectingScreen

        main = self._main_screen()
        if message.again and main is not None and self.screen is main:
            # F7 to an app that is not back yet: say so here, keep the view, keep trying.
            from ..client.explain import explain

            said = explain(message.error)
            self.notify(said.message, title=said.title, severity="error", timeout=8)
            main.connection_lost()
            return
        if isinstance(self.screen, ConnectScreen):
            self.screen.show_error(text)
            return
        screen = ConnectScreen(message.request)
        if isinstance(self.screen, ConnectingScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(screen.show_error, text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # One place for every worker's unexpected error: shown, never fatal.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{event.worker.description or event.worker.name}: {error}",
                title=type(error).__name__,
                severity="error",
                timeout=8,
            )

    # -- history ----------------------------------------------------------------------

    def remember(self, entry: JobEntry) -> None:
        """Keep a finished job in the app's history (in memory now, on disk shortly)."""
        self.history.remember(entry)

    # -- app-wide actions ----------------------------------------------------------

    def action_help(self) -> None:
        # Imported on first use: Markdown costs ~50 ms of start-up otherwise.
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, self.focused))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("duplicate_space", "deploy_discord"):
            from .screens.hub_dialog import HubDialog

            if isinstance(self.screen, HubDialog):
                return False  # one Hub dialog at a time
            if action == "deploy_discord" and self.client is None:
                return False
        return True

    def action_duplicate_space(self) -> None:
        from ..client.hub_forms import DuplicateResult
        from .screens.duplicate import DuplicateDialog

        def duplicated(result: DuplicateResult | None) -> None:
            if result is not None:
                self.notify(f"Connecting to {result.space_id} …")
                self.connect(ConnectRequest(result.space_id, hf_token=result.hf_token))

        client = self.client
        dialog = DuplicateDialog(
            client.space_id if client is not None else None,
            hf_token=self.request.hf_token if self.request else None,
            redact=self.settings.redact,
        )
        self.push_screen(dialog, duplicated)

    def action_deploy_discord(self) -> None:
        from .screens.discord import DiscordDeployDialog

        if self.client is None:
            return

        def deployed(url: str | None) -> None:
            if url:
                self.notify(f"Discord bot Space: {url}", timeout=10)

        dialog = DiscordDeployDialog(
            self.client,
            hf_token=self.request.hf_token if self.request else None,
            redact=self.settings.redact,
        )
        self.push_screen(dialog, deployed)

    def action_spaces_console(self) -> None:
        from .screens.spaces import SpacesScreen

        if any(isinstance(screen, SpacesScreen) for screen in self.screen_stack):
            return  # one console at a time: it is already open (maybe under a dialog)
        self.open_spaces_console(
            SpacesRequest(hf_token=self.request.hf_token if self.request else None)
        )

    def open_spaces_console(self, request: SpacesRequest) -> None:
        from .screens.spaces import SpacesScreen

        self.push_screen(
            SpacesScreen(
                request.owner,
                search=request.search,
                sdk=request.sdk,
                hf_token=request.hf_token,
            )
        )

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        path = self.save_screenshot(filename, path)
        self.notify(f"Saved {path}")

    def quiet_cursors(self, root: Widget) -> None:
        """No blinking cursors when redacting: screenshots must not depend on timing."""
        if not self.settings.redact:
            return
        for widget in root.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
