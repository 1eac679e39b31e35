"""A panel that follows a Space's build or run log without stalling the app.

A log can arrive 10,000 lines at once. Lines are queued as they come (O(1)
each) and written two hundred at a time, thirty times a second, into
Textual's ``Log`` (plain text, never markup, only the lines on screen are
drawn), so the event loop is never held long whatever the Hub sends. Each
line is made visible first (``untrusted.visible``: an escape sequence in a
log shows as ``␛…``, it is never written to the terminal), and values that
must never be shown (the token, secrets typed in this session) are masked.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import ClassVar

from textual.widgets import Log

from ...client.untrusted import visible

FLUSH_INTERVAL = 0.1
PER_FLUSH = 1000
"""Lines written per flush: a burst is shown within a fraction of a second, each
flush stays far below a frame's worth of work."""
MAX_LINES = 5000
MASK = "••••••"
MIN_MASKED = 4


class LogPanel(Log):
    """The log being followed; the newest lines at the bottom."""

    HELP: ClassVar[str] = (
        "The log of a Space: **l** follows the run log of the highlighted Space, **L** its "
        "build log; the same key again stops following. Scroll up to read back (new lines "
        "then stop scrolling it); the last 5,000 lines are kept."
    )

    def __init__(self, *, id: str | None = None, max_lines: int = MAX_LINES) -> None:
        super().__init__(highlight=False, max_lines=max_lines, auto_scroll=True, id=id)
        self._pending: deque[str] = deque()
        self._masked: list[str] = []
        self.received = 0
        """Lines received since the last ``clear`` (shown or still queued)."""
        self.written = 0
        """Lines handed to the ``Log`` since the last ``clear``."""

    def on_mount(self) -> None:
        self._timer = self.set_interval(FLUSH_INTERVAL, self._flush, pause=True)

    def mask(self, values: Iterable[str | None]) -> None:
        """Never show these (a token, secret values): they become ``••••••``."""
        found = {v for v in values if v and len(v) >= MIN_MASKED} | set(self._masked)
        self._masked = sorted(found, key=len, reverse=True)

    def reset(self) -> None:
        self._pending.clear()
        self.received = self.written = 0
        self.clear()

    def push(self, line: str) -> None:
        """Queue one line (cheap: called for every line as it arrives)."""
        self._pending.append(line)
        self.received += 1
        if len(self._pending) == 1:
            self._timer.resume()

    def _shown(self, line: str) -> str:
        for value in self._masked:
            if value in line:
                line = line.replace(value, MASK)
        return visible(line) or " "  # an empty line stays a line

    def _flush(self) -> None:
        pending = self._pending
        if not pending:
            self._timer.pause()
            return
        count = min(PER_FLUSH, len(pending))
        batch = [self._shown(pending.popleft()) for _ in range(count)]
        self.write_lines(batch)
        self.written += count
        if not pending:
            self._timer.pause()
