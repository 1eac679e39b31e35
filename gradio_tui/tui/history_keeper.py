"""The app's side of the job history: loaded once per app off the loop, kept in memory,
written in batches off the loop.

The history view must open at once even with thousands of jobs, so the
connected app's history is read in a thread as soon as it connects and kept
here; each finished job is added to that list at once and written to the
app's file a moment later (a burst of jobs costs one write). A damaged file
is said once, as a warning toast, and never stops anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..history import HistoryFile, JobEntry, load_app_history, newest_first
from ..store import public_src
from . import memory

if TYPE_CHECKING:
    from .app import GradioTUI

FLUSH_DELAY = 0.5  # seconds: a burst of finished jobs costs one file write


@dataclass(frozen=True)
class HistoryView:
    """An app's jobs as the history view lists them, worked out once per change: sorting
    10,000 jobs and gathering their endpoints is a few ms the view should not wait for."""

    newest: list[JobEntry]
    endpoints: list[str]

    @classmethod
    def of(cls, entries: list[JobEntry]) -> HistoryView:
        return cls(newest_first(entries), sorted({e.endpoint for e in entries}))


class HistoryKeeper:
    """Past jobs per app: ``entries(src)`` for the view, ``remember()`` for new jobs."""

    def __init__(self, app: GradioTUI) -> None:
        self.app = app
        self._loaded: dict[str, list[JobEntry]] = {}
        self._views: dict[str, HistoryView] = {}
        self._loading: set[str] = set()
        self._waiting: dict[str, list[Callable[[], object]]] = {}
        self._pending: list[JobEntry] = []
        self._scheduled = False

    @property
    def limit(self) -> int:
        return self.app.settings.history_size

    # -- reading ----------------------------------------------------------------------

    def preload(self, src: str) -> None:
        """Start reading ``src``'s history in a thread (once per app and run)."""
        key = public_src(src)
        if key in self._loaded or key in self._loading:
            return
        self._loading.add(key)
        self.app.run_worker(
            lambda: self._load(key),
            thread=True,
            group="history-load",
            exit_on_error=False,
            description="Read the job history",
        )

    def _load(self, key: str) -> None:
        loaded = load_app_history(self.app.store, key)
        view = HistoryView.of(loaded.entries)
        self.app.call_from_thread(self._arrived, key, loaded.entries, view, loaded.warning)

    def _arrived(
        self, key: str, entries: list[JobEntry], view: HistoryView, warning: str | None
    ) -> None:
        self._loading.discard(key)
        # Jobs that finished while the file was read are already in memory.
        known = {e.id for e in entries}
        current = self._loaded.get(key, [])
        merged = [*entries, *(e for e in current if e.id not in known)]
        self._loaded[key] = merged[-self.limit :]
        if len(self._loaded[key]) == len(entries):
            self._views[key] = view
        else:
            self._views.pop(key, None)
        memory.keep()  # thousands of long-lived entries: out of the collector's way
        if warning:
            self.app.notify(warning, title="History", severity="warning", timeout=15)
        for callback in self._waiting.pop(key, []):
            callback()

    def entries(self, src: str) -> list[JobEntry] | None:
        """The app's jobs, oldest first; None while the file is still being read."""
        key = public_src(src)
        if key in self._loading:
            return None
        if key not in self._loaded:
            self.preload(key)
            return None
        return self._loaded[key]

    def view(self, src: str) -> HistoryView | None:
        """The app's jobs newest first, and their endpoints; None while being read."""
        key = public_src(src)
        entries = self.entries(key)
        if entries is None:
            return None
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = HistoryView.of(entries)
        return view

    def when_loaded(self, src: str, callback: Callable[[], object]) -> None:
        """Call ``callback`` once ``src``'s history is in memory (at once if it is)."""
        key = public_src(src)
        if self.entries(key) is not None:
            callback()
        else:
            self._waiting.setdefault(key, []).append(callback)

    # -- writing ----------------------------------------------------------------------

    def remember(self, entry: JobEntry) -> None:
        """Keep a finished job: in memory now, in the app's file shortly (off the loop)."""
        entry.src = public_src(entry.src)
        if entry.src in self._loaded or entry.src in self._loading:
            self._views.pop(entry.src, None)
            jobs = self._loaded.setdefault(entry.src, [])
            jobs.append(entry)
            if len(jobs) > self.limit:
                del jobs[: len(jobs) - self.limit]
        self._pending.append(entry)
        if not self._scheduled:
            self._scheduled = True
            self.app.set_timer(FLUSH_DELAY, self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        entries, self._pending = self._pending, []
        if entries:
            self.app.run_worker(
                lambda: self._write(entries, in_thread=True),
                thread=True,
                group="history",
                exit_on_error=False,
                description="Save the job history",
            )

    def _write(self, entries: list[JobEntry], *, in_thread: bool) -> None:
        by_app: dict[str, list[JobEntry]] = {}
        for entry in entries:
            by_app.setdefault(entry.src, []).append(entry)
        for src, jobs in by_app.items():
            warning = HistoryFile.for_app(self.app.store.paths, src, self.limit).append(*jobs)
            if warning and in_thread:
                self.app.call_from_thread(
                    self.app.notify, warning, title="History", severity="warning", timeout=15
                )

    def flush_now(self) -> None:
        """Write what is pending before the app exits (never fails the exit)."""
        entries, self._pending = self._pending, []
        if entries:
            try:
                self._write(entries, in_thread=False)
            except (OSError, ValueError):
                pass
