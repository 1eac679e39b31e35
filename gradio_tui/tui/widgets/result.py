"""The job view: status, queue, progress, logs and the result of one job.

Errors are shown right here, in the place the user is looking after
running a job, with the app's own message (``gr.Error`` text) as the body.
Outputs are drawn by ``tui/results`` (images, tables, JSON trees, charts,
conversations, files), each with its own keys.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ProgressBar, Static

from ...client.explain import explain
from ..jobs_model import JobRecord
from ..plain import LABEL_LIMIT, plain_text
from ..results.model import result_items
from ..results.panel import OutputBlock, ResultPanel
from .follow import FollowsEnd

LOG_STYLES = {"warning": "$warning", "error": "$error", "success": "$success"}


def error_text(exc: BaseException) -> tuple[str, str]:
    """``(title, message)`` for a job's error: the words of the one table."""
    said = explain(exc)
    return said.title, said.message


class JobView(FollowsEnd, VerticalScroll):
    """Everything about the job highlighted in the jobs table."""

    HELP: ClassVar[str] = (
        "The highlighted job: its status, queue place and ETA, progress, the app's log "
        "messages and its latest (or final) output, drawn as it is (images, tables, JSON, "
        "charts, conversations). **tab** moves between outputs; on an output **c** copies "
        "it, **s** saves it as a file, **o** opens it with the system's application, **e** "
        "and **p** show its text in $EDITOR and $PAGER."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "screen.copy_result", "Copy", id="copy-result-view", tooltip="Copy"),
        Binding("o", "screen.open_file", "Open file", id="open-file-view", show=False),
        Binding("s", "result('save')", "Save as…", id="save-result-view", show=False),
        Binding("e", "result('editor')", "Editor", id="editor-result-view", show=False),
        Binding("p", "result('pager')", "Pager", id="pager-result-view", show=False),
    ]

    def __init__(self, *, redact: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.redact = redact
        self.record: JobRecord | None = None
        self.can_focus = True

    def compose(self) -> ComposeResult:
        yield Static("No job yet: fill the form and press ctrl+r.", id="job-title")
        yield ProgressBar(total=None, show_eta=False, id="job-progress")
        yield Static("", id="job-logs")
        yield Static("", id="job-output")
        yield ResultPanel(redact=self.redact, id="job-result")

    def on_mount(self) -> None:
        self.query_one("#job-progress").display = False

    def show(self, record: JobRecord | None) -> None:
        if record is not self.record:
            # Another job: its view starts at the top (a running one then follows its end).
            self.scroll_to(y=0, animate=False, immediate=True)
            self.follow, self.away = record is not None and not record.done, False
        self.record = record
        self.refresh_record()

    def refresh_record(self) -> None:
        record = self.record
        title = self.query_one("#job-title", Static)
        bar = self.query_one("#job-progress", ProgressBar)
        logs = self.query_one("#job-logs", Static)
        output = self.query_one("#job-output", Static)
        if record is None:
            bar.display = False
            return
        following = self.following
        self._set(title, self._title(record))
        # A bar only once the app reports progress. No indeterminate bar while
        # waiting: it animates at the frame rate, which costs more than it says
        # (the status line already says "in queue" or "running").
        fraction = record.fraction()
        if record.progress:
            bar.display = True
            bar.update(total=100, progress=(fraction or 0.0) * 100)
        else:
            bar.display = False
        if record.logs:
            self._set(logs, self._logs(record))
        logs.display = bool(record.logs)
        words = self._output(record)
        self._set(output, words)
        output.display = not (isinstance(words, Text) and not words.plain)
        output.set_class(record.outcome == "error", "-error")
        # The final result, arriving while the view follows the job, is shown from its
        # top (its caption first), not from its last line.
        self._show_result(record, reveal=following and record.done)
        if record.done:
            self.follow = False  # the reveal (if any) shows the result from its top

    def _set(self, widget: Static, content: RenderableType) -> None:
        """Update only on change: an update re-lays the screen out, which is not free."""
        key = content.plain if isinstance(content, Text) else None
        if key is not None and getattr(widget, "_shown_key", None) == key:
            return
        widget._shown_key = key  # type: ignore[attr-defined]
        widget.update(content)

    def _title(self, record: JobRecord) -> Text:
        status = record.status_text()
        text = Text.assemble(
            (f"#{record.number} ", "dim"),
            plain_text(record.endpoint.name, "bold", limit=LABEL_LIMIT, line=True),
            "  ",
        )
        text.append(status, style="bold")
        text.append("  ")
        if not self.redact:
            text.append(f"  {record.elapsed_text()}", style="dim")
        queue = record.queue_text()
        if queue:
            text.append(f"\nqueue {queue}", style="italic")
        progress = record.progress_text()
        if progress and not record.done:
            # The description is the app's (gr.Progress(desc=...)).
            text.append("\n")
            text.append_text(plain_text(progress, "italic", limit=LABEL_LIMIT, line=True))
        return text

    def _logs(self, record: JobRecord) -> Text:
        text = Text()
        variables = self.app.theme_variables
        for message, level in record.logs:
            colour = LOG_STYLES.get(level.lower(), "")
            style = variables.get(colour[1:], "") if colour else ""
            text.append_text(plain_text(f"{level.lower()}: ", f"bold {style}".strip(), line=True))
            text.append_text(plain_text(message))
            text.append("\n")
        return text

    def _output(self, record: JobRecord) -> RenderableType:
        """The words above the result: an error, "cancelled", "waiting", "partial"."""
        job = record.job
        if job.cancelled():
            return Text("Cancelled.", style="italic")
        exc = job.exception()
        if exc is not None:
            title, message = error_text(exc)
            parts = [plain_text(title, "bold", line=True), plain_text(message)]
            if record.lost:
                parts.insert(0, plain_text(f"Lost: {record.lost}.", "italic"))
            return Group(*parts)
        has_output, _value = record.latest_output()
        if not has_output:
            return Text("waiting for output…", style="dim italic")
        if not job.done() and record.steps:
            return Text(f"partial output, step {record.steps}", style="dim italic")
        return Text("")

    def _show_result(self, record: JobRecord, *, reveal: bool = False) -> bool:
        """Show the record's latest output; True when the panel was built anew."""
        panel = self.query_one(ResultPanel)
        job = record.job
        has_output, value = record.latest_output()
        if not has_output or job.cancelled() or job.exception() is not None:
            panel.clear()
            return False
        return panel.show(result_items(value, record.endpoint.returns), value, reveal=reveal)

    def focused_block(self) -> OutputBlock | None:
        """The output that holds the focus, if one does."""
        focused = self.app.focused
        for block in self.query(OutputBlock):
            if focused is not None and (focused is block or block in focused.ancestors):
                return block
        return None

    def current_block(self) -> OutputBlock | None:
        """The output the keys act on: the focused one, else the first."""
        return self.query_one(ResultPanel).current()

    def action_result(self, action: str) -> None:
        block = self.current_block()
        if block is None:
            self.notify("This job has no result yet.", severity="warning")
            return
        getattr(block, f"action_{action}")()
