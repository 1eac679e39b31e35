"""Job status values, shaped like the reference client's so scripts keep working.

``Status`` is a plain ``Enum`` with string values and the reference's ordering
(``LOG`` is outside the ordering: comparing it raises ``ValueError``). A member
also equals (and hashes like) the same-named member of
``gradio_client.utils.Status``, so scripts that compare our statuses with the
reference's keep working without this package importing ``gradio_client``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Literal


class Status(Enum):
    """Where a job is in its life, as the user sees it."""

    STARTING = "STARTING"
    JOINING_QUEUE = "JOINING_QUEUE"
    QUEUE_FULL = "QUEUE_FULL"
    IN_QUEUE = "IN_QUEUE"
    SENDING_DATA = "SENDING_DATA"
    PROCESSING = "PROCESSING"
    ITERATING = "ITERATING"
    PROGRESS = "PROGRESS"
    FINISHED = "FINISHED"
    CANCELLED = "CANCELLED"
    LOG = "LOG"

    @staticmethod
    def ordering(status: Status) -> int:
        """Position in a job's life; lets tests and UIs say "at least PROCESSING"."""
        return _ORDER.index(status)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if _is_reference_status(other):
            return bool(self.value == other.value)  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._name_)  # what Enum hashes, so reference members find ours

    def __lt__(self, other: Status) -> bool:
        return self.ordering(self) < self.ordering(other)

    def __le__(self, other: Status) -> bool:
        return self.ordering(self) <= self.ordering(other)

    def __gt__(self, other: Status) -> bool:
        return self.ordering(self) > self.ordering(other)

    def __ge__(self, other: Status) -> bool:
        return self.ordering(self) >= self.ordering(other)


def _is_reference_status(value: object) -> bool:
    """A member of ``gradio_client.utils.Status``, recognised without importing it."""
    cls = type(value)
    return (
        isinstance(value, Enum)
        and cls.__name__ == "Status"
        and cls.__module__ == "gradio_client.utils"
    )


_ORDER = [
    Status.STARTING,
    Status.JOINING_QUEUE,
    Status.QUEUE_FULL,
    Status.IN_QUEUE,
    Status.SENDING_DATA,
    Status.PROCESSING,
    Status.PROGRESS,
    Status.ITERATING,
    Status.FINISHED,
    Status.CANCELLED,
]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class ProgressUnit:
    """One level of a ``gr.Progress`` tracker (nested ``tqdm`` loops give several)."""

    index: int | None
    length: int | None
    unit: str | None
    progress: float | None
    desc: str | None

    @classmethod
    def from_msg(cls, data: list[dict[str, Any]]) -> list[ProgressUnit]:
        """The units of a ``progress`` message; a field of the wrong type counts as unsaid."""
        units = []
        for item in data:
            if not isinstance(item, dict):
                continue
            units.append(
                cls(
                    index=_int(item.get("index")),
                    length=_int(item.get("length")),
                    unit=_str(item.get("unit")),
                    progress=_float(item.get("progress")),
                    desc=_str(item.get("desc")),
                )
            )
        return units

    @property
    def fraction(self) -> float | None:
        """Completed share in 0..1 when the server says enough to know it."""
        if self.progress is not None:
            return float(self.progress)
        if self.index is not None and self.length:
            return min(1.0, max(0.0, self.index / self.length))
        return None


@dataclass
class StatusUpdate:
    """A snapshot of a job's status; ``Job.status()`` returns the latest one."""

    code: Status
    rank: int | None = None
    queue_size: int | None = None
    eta: float | None = None
    success: bool | None = None
    time: datetime | None = field(default_factory=datetime.now)
    progress_data: list[ProgressUnit] | None = None
    log: tuple[str, str] | None = None
    type: Literal["status", "output"] = "status"


@dataclass
class OutputUpdate:
    """A new output of a job: one per generator step, ``final`` for the result."""

    outputs: Any
    success: bool = True
    type: Literal["output"] = "output"
    final: bool = False


Update = StatusUpdate | OutputUpdate


__all__ = ["OutputUpdate", "ProgressUnit", "Status", "StatusUpdate", "Update"]
