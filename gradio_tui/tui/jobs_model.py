"""The terminal app's view of a job: an ``AsyncJob`` plus what the panel shows.

Pure Python (no widgets), so it is cheap to update on every server event:
the client's listener only records the news and marks the record dirty; the
jobs panel repaints dirty records a few times a second.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..client.endpoints import Endpoint
from ..client.errors import AppConnectionError
from ..client.jobs import AsyncJob
from ..client.status import OutputUpdate, ProgressUnit, Status, StatusUpdate

MAX_LOG_LINES = 200

# Words a person reads, for the client's status codes.
STATUS_WORDS: dict[Status, str] = {
    Status.STARTING: "starting",
    Status.JOINING_QUEUE: "joining queue",
    Status.QUEUE_FULL: "queue full",
    Status.IN_QUEUE: "in queue",
    Status.SENDING_DATA: "sending",
    Status.PROCESSING: "running",
    Status.ITERATING: "streaming",
    Status.PROGRESS: "running",
    Status.FINISHED: "done",
    Status.CANCELLED: "cancelled",
    Status.LOG: "running",
}


@dataclass
class JobRecord:
    """One submitted job and the facts the UI shows about it."""

    number: int
    job: AsyncJob
    inputs: list[Any]
    src: str
    logs: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=MAX_LOG_LINES))
    progress: list[ProgressUnit] | None = None
    rank: int | None = None
    queue_size: int | None = None
    eta: float | None = None
    phase: Status = Status.STARTING
    steps: int = 0  # partial outputs seen (generators)
    reported: bool = False  # JobFinished posted and history written
    lost: str | None = None
    """Why the job was cut off from its app (a reconnect while it ran), if it was."""
    clock: datetime | None = None
    """When a running job's time was last shown: the jobs table sets it once a second,
    and every place that shows the time reads it, so they all show the same."""

    @property
    def endpoint(self) -> Endpoint:
        return self.job.endpoint

    @property
    def done(self) -> bool:
        return self.job.done()

    @property
    def outcome(self) -> str:
        """``running``, ``finished``, ``error`` or ``cancelled``."""
        if not self.job.done():
            return "running"
        if self.job.cancelled():
            return "cancelled"
        return "error" if self.job.exception() is not None else "finished"

    def apply(self, update: StatusUpdate | OutputUpdate | None) -> None:
        """Record one update from the client (runs on the loop, must stay cheap)."""
        if isinstance(update, OutputUpdate):
            if not update.final:
                self.steps += 1
            return
        if update is None:
            return
        code = update.code
        if code is Status.LOG:
            if update.log is not None:
                self.logs.append(update.log)
            return
        if code is Status.PROGRESS:
            self.progress = update.progress_data
        elif code is Status.IN_QUEUE:
            self.rank, self.queue_size, self.eta = update.rank, update.queue_size, update.eta
        elif code is Status.PROCESSING:
            self.rank = None
            self.eta = update.eta
        self.phase = code

    def status_text(self) -> str:
        outcome = self.outcome
        if outcome == "running":
            return STATUS_WORDS.get(self.phase, self.phase.value.lower())
        if outcome == "error" and (
            self.lost is not None or isinstance(self.job.exception(), AppConnectionError)
        ):
            return "lost"  # the app went away (or the connection was replaced)
        return {"finished": "done", "error": "failed", "cancelled": "cancelled"}[outcome]

    def queue_text(self) -> str:
        if self.done or self.phase is not Status.IN_QUEUE:
            return ""
        text = ""
        if self.rank is not None:
            # The server counts from 0; people count from 1.
            text = f"{self.rank + 1}"
            if self.queue_size is not None:
                text += f"/{self.queue_size}"
        if self.eta is not None:
            text += f" ~{self.eta:.0f}s" if self.eta >= 1 else " <1s"
        return text.strip()

    def fraction(self) -> float | None:
        """Progress of the outermost ``gr.Progress`` level, 0..1, if known."""
        if self.done:
            return 1.0 if self.outcome == "finished" else None
        if self.progress:
            return self.progress[0].fraction
        return None

    def progress_text(self) -> str:
        if not self.progress:
            return ""
        unit = self.progress[0]
        parts = [unit.desc or ""]
        if unit.index is not None and unit.length:
            parts.append(f"{unit.index}/{unit.length} {unit.unit or ''}".strip())
        elif unit.fraction is not None:
            parts.append(f"{unit.fraction:.0%}")
        return " ".join(p for p in parts if p)

    def elapsed(self, now: datetime | None = None) -> float:
        end = self.job.finished_at or now or datetime.now()
        return max(0.0, (end - self.job.created).total_seconds())

    def elapsed_text(self) -> str:
        """The job's time as shown (the same text in the table and the job view)."""
        return format_seconds(self.elapsed(self.clock or self.job.created))

    def latest_output(self) -> tuple[bool, Any]:
        """``(True, value)`` once there is an output (partial or final), else ``(False, None)``."""
        if self.job.done() and self.job.exception() is None and not self.job.cancelled():
            # The finished value, not the last partial one: they can differ.
            for update in reversed(self.job.updates):
                if isinstance(update, OutputUpdate) and update.final:
                    return True, update.outputs
        outputs = self.job.outputs()
        if outputs:
            return True, outputs[-1]
        return False, None


def format_seconds(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        minutes, secs = divmod(int(seconds), 60)
        return f"{minutes}:{secs:02d}" if minutes else f"{secs}s"
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}h{rest // 60:02d}"
