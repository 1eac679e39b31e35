"""Progress on stderr, for a person watching a terminal (and nothing when piped).

One status line redrawn in place (``\\r`` and erase-to-end-of-line): a job's
queue position, ETA and progress units for ``call``, rows done, failed, rate
and ETA for ``batch``. Lines that must stay (an app's log message, a warning)
are printed above it. Every piece of app text in it goes through
``untrusted.one_line``: a progress description cannot move the cursor.
"""

from __future__ import annotations

import shutil
import time
from typing import TYPE_CHECKING, TextIO

from ..client.untrusted import one_line, visible

if TYPE_CHECKING:
    from ..client.mapping import MapStats, Replica
    from ..client.status import ProgressUnit, StatusUpdate

BAR_WIDTH = 20


class StatusLine:
    """A line at the bottom of the terminal that is rewritten, never scrolled."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.current = ""

    def show(self, text: str) -> None:
        width = max(10, shutil.get_terminal_size().columns - 1)
        self.current = text if len(text) <= width else text[: width - 1] + "…"
        self.stream.write("\r" + self.current + "\x1b[K")
        self.stream.flush()

    def print_above(self, line: str) -> None:
        self.stream.write("\r\x1b[K" + line + "\n" + self.current)
        self.stream.flush()

    def clear(self) -> None:
        if self.current:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.current = ""


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    return "[" + "█" * filled + "·" * (width - filled) + "]"


def duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def unit_text(unit: ProgressUnit) -> str:
    """One ``gr.Progress`` level: description, bar, percent, ``index/length unit``."""
    parts = []
    if unit.desc:
        parts.append(one_line(str(unit.desc), 40))
    fraction = unit.fraction
    if fraction is not None:
        parts.append(f"{bar(fraction)} {fraction * 100:.0f}%")
    if unit.index is not None and unit.length:
        name = one_line(str(unit.unit), 20) if unit.unit else "steps"
        parts.append(f"{unit.index}/{unit.length} {name}")
    elif unit.index is not None:
        parts.append(f"{unit.index} {one_line(str(unit.unit), 20) if unit.unit else 'steps'}")
    return " ".join(parts)


def job_text(update: StatusUpdate, started: float, outputs: int) -> str | None:
    """The status line of a single call, or None when this update changes nothing shown."""
    from ..client.status import Status

    elapsed = duration(time.monotonic() - started)
    code = update.code
    if code is Status.IN_QUEUE:
        where = ""
        if update.rank is not None:
            where = f" position {update.rank + 1}"
            if update.queue_size:
                where += f" of {update.queue_size}"
        eta = f", ETA {duration(update.eta)}" if update.eta is not None else ""
        return f"⏳ in queue{where}{eta} · {elapsed}"
    if code is Status.PROCESSING:
        eta = f", ETA {duration(update.eta)}" if update.eta is not None else ""
        return f"▶ running{eta} · {elapsed}"
    if code is Status.PROGRESS and update.progress_data:
        return "▶ " + " · ".join(unit_text(u) for u in update.progress_data) + f" · {elapsed}"
    if code is Status.ITERATING:
        return f"▶ streaming, {outputs} output{'s' if outputs != 1 else ''} · {elapsed}"
    if code in (Status.STARTING, Status.JOINING_QUEUE, Status.SENDING_DATA):
        return f"… sending · {elapsed}"
    return None


def log_text(update: StatusUpdate) -> str | None:
    """An app's ``gr.Info``/``gr.Warning`` message as a line of its own."""
    if update.log is None:
        return None
    text, level = update.log
    return f"{one_line(str(level).lower(), 10)}: {visible(str(text))}"


def batch_text(
    stats: MapStats, replicas: list[Replica], expected: int | None, stopping: bool
) -> str:
    """The status line of a batch: bar, rows, failures, rate, ETA, copies resting."""
    done = stats.done
    elapsed = stats.elapsed
    rate = done / elapsed if elapsed > 0 else 0.0
    parts = []
    if expected:
        parts.append(f"{bar(done / expected)} {done:,}/{expected:,} rows")
    else:
        parts.append(f"{done:,} rows")
    if stats.failed:
        parts.append(f"{stats.failed:,} failed")
    parts.append(f"{rate:,.1f} rows/s")
    if expected and rate > 0 and done < expected and not stopping:
        parts.append(f"ETA {duration((expected - done) / rate)}")
    if stats.in_flight:
        parts.append(f"{stats.in_flight} running")
    now = time.monotonic()
    resting = sum(1 for r in replicas if r.resting(now))
    if len(replicas) > 1:
        parts.append(f"{len(replicas)} copies" + (f" ({resting} resting)" if resting else ""))
    elif resting:
        parts.append("app resting after errors")
    if stopping:
        parts.append("stopping (ctrl+c again cancels)")
    return " · ".join(parts)
