"""The Spaces console's view of the Hub: rows, filter, sort, selection, stage history.

Pure Python (no widgets), like ``jobs_model``: a poll's answer goes through
:meth:`SpacesModel.update`, which says what changed, and the table repaints
only those cells. Filtering and sorting work on the rows in memory, so typing
in the filter never asks the Hub anything.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..client.space_rows import SpaceRow

HISTORY = 6
"""Stage changes remembered per Space (the detail panel's "recent stages")."""
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _sleep_key(row: SpaceRow) -> int:
    if row.sleep_time is None:
        return 0
    return 10**12 if row.sleep_time < 0 else row.sleep_time


SORT_KEYS: dict[str, Callable[[SpaceRow], Any]] = {
    "space": lambda r: r.id.lower(),
    "stage": lambda r: (r.stage, r.id.lower()),
    "sdk": lambda r: ((r.sdk or "").lower(), r.sdk_version or "", r.id.lower()),
    "hardware": lambda r: (r.requested_hardware or r.hardware or "", r.id.lower()),
    "sleep": lambda r: (_sleep_key(r), r.id.lower()),
    "visibility": lambda r: (bool(r.private), r.id.lower()),
    "likes": lambda r: (r.likes or 0, r.id.lower()),
    "modified": lambda r: (r.last_modified or _EPOCH, r.id.lower()),
}
"""Column key → sort key; ties go by id so the order never depends on the Hub's."""
SORT_ORDER = list(SORT_KEYS)


@dataclass
class SpacesModel:
    """Every Space the console knows, and how the user looks at them."""

    rows: dict[str, SpaceRow] = field(default_factory=dict)
    filter: str = ""
    sort: str = "space"
    reverse: bool = False
    marked: set[str] = field(default_factory=set)
    changes: dict[str, deque[str]] = field(default_factory=dict)
    """Stages seen while the console was open, oldest first, for Spaces whose stage changed
    (kept only for those: a list of 1,000 quiet Spaces costs nothing here)."""

    def history(self, space_id: str) -> list[str]:
        """The stages this Space went through while the console watched, oldest first."""
        seen = self.changes.get(space_id)
        if seen is not None:
            return list(seen)
        row = self.rows.get(space_id)
        return [row.stage] if row is not None else []

    def replace(self, rows: Iterable[SpaceRow]) -> None:
        """A new list (another owner, a search): marks and history of gone Spaces go too."""
        self.rows = {row.id: row for row in rows}
        self.marked &= self.rows.keys()
        self.changes = {k: v for k, v in self.changes.items() if k in self.rows}

    def update(self, rows: Iterable[SpaceRow]) -> tuple[list[SpaceRow], bool]:
        """A poll's answer: ``(rows that changed, whether Spaces came or went)``."""
        fresh = {row.id: row for row in rows}
        membership = fresh.keys() != self.rows.keys()
        old = self.rows
        changed = [row for sid, row in fresh.items() if old.get(sid) != row]
        self.rows = fresh
        if membership:
            self.marked &= fresh.keys()
        for row in changed:
            self._remember(old.get(row.id), row)
        return changed, membership

    def put(self, row: SpaceRow) -> bool:
        """One Space's news (an action's answer); True if it changed."""
        old = self.rows.get(row.id)
        if old == row:
            return False
        self.rows[row.id] = row
        self._remember(old, row)
        return True

    def _remember(self, old: SpaceRow | None, row: SpaceRow) -> None:
        seen = self.changes.get(row.id)
        if seen is None:
            if old is None or old.stage == row.stage:
                return
            seen = self.changes[row.id] = deque([old.stage], maxlen=HISTORY)
        if seen[-1] != row.stage:
            seen.append(row.stage)

    def matches(self, row: SpaceRow) -> bool:
        """Every word of the filter is in the Space's id, stage, SDK or hardware."""
        words = self.filter.lower().split()
        if not words:
            return True
        hay = " ".join(
            str(x).lower()
            for x in (row.id, row.stage, row.sdk, row.hardware, row.requested_hardware)
            if x
        )
        hay += " private" if row.private else " public"
        return all(word in hay for word in words)

    def view(self) -> list[SpaceRow]:
        """The rows to show: filtered, then sorted."""
        shown = [row for row in self.rows.values() if self.matches(row)]
        shown.sort(key=SORT_KEYS[self.sort], reverse=self.reverse)
        return shown

    def sort_by(self, column: str) -> None:
        """Sort by ``column``; the same column again flips the direction."""
        if column not in SORT_KEYS:
            raise ValueError(f"unknown column {column!r}")
        if column == self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = column, False

    def next_sort(self) -> str:
        """The next column to sort by (the ``o`` key)."""
        column = SORT_ORDER[(SORT_ORDER.index(self.sort) + 1) % len(SORT_ORDER)]
        self.sort, self.reverse = column, False
        return column

    def toggle(self, space_id: str) -> bool:
        """Mark or unmark one Space; True if it is marked now."""
        if space_id in self.marked:
            self.marked.discard(space_id)
            return False
        if space_id in self.rows:
            self.marked.add(space_id)
            return True
        return False

    def toggle_all(self, shown: Iterable[str]) -> None:
        """Mark every shown Space, or unmark them all if they all are."""
        ids = [sid for sid in shown if sid in self.rows]
        if ids and all(sid in self.marked for sid in ids):
            self.marked.difference_update(ids)
        else:
            self.marked.update(ids)

    def selection(self, highlighted: str | None) -> list[str]:
        """What an action applies to: the marked Spaces (in view order), else the highlighted."""
        if self.marked:
            order = [row.id for row in self.view()]
            rest = sorted(self.marked - set(order))
            return [sid for sid in order if sid in self.marked] + rest
        return [highlighted] if highlighted and highlighted in self.rows else []

    @property
    def moving(self) -> bool:
        """Whether any Space is between stages (the console then polls at its fastest)."""
        return any(row.moving for row in self.rows.values())
