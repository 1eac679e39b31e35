"""What the Spaces console knows about a Space, as plain typed values.

``huggingface_hub`` hands back ``SpaceInfo`` / ``SpaceRuntime`` objects whose
fields may be missing, enums or raw dicts depending on the route and the
``expand`` list; everything above this module (the console, scripts, the
bench) gets one frozen :class:`SpaceRow` instead, built in one place. The
values are the Hub's data, untouched: whoever shows them makes them visible
(``untrusted.visible`` / ``tui.plain``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .untrusted import json_int

RUNNING_STAGES = frozenset({"RUNNING", "RUNNING_BUILDING", "RUNNING_APP_STARTING"})
"""The app answers requests in these stages (a rebuild may be going on behind it)."""
MOVING_STAGES = frozenset(
    {"BUILDING", "RUNNING_BUILDING", "APP_STARTING", "RUNNING_APP_STARTING", "DELETING"}
)
"""Stages that change by themselves soon: the console polls faster while any Space is in one."""
ERROR_STAGES = frozenset({"BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE"})
UNKNOWN = "UNKNOWN"

LIST_EXPAND = [
    "author",
    "sdk",
    "cardData",
    "runtime",
    "private",
    "likes",
    "lastModified",
    "subdomain",
]
"""What ``list_spaces`` is asked for: exactly the row's fields, in one request per owner."""


def _text(value: Any) -> str | None:
    """An enum's value or a string; None stays None (the Hub's enums are ``str`` subclasses)."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class SpaceRow:
    """One Space as a table row: the fields the console shows and sorts by."""

    id: str
    stage: str = UNKNOWN
    sdk: str | None = None
    sdk_version: str | None = None
    hardware: str | None = None
    requested_hardware: str | None = None
    sleep_time: int | None = None
    """Seconds without visitors before the Space sleeps; None is the Hub's default, -1 never."""
    private: bool | None = None
    likes: int | None = None
    last_modified: datetime | None = None
    error_message: str | None = None
    """The Hub's explanation of an error stage (a failed build, a crash)."""
    dev_mode: bool = False
    subdomain: str | None = None

    @property
    def owner(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[-1]

    @property
    def running(self) -> bool:
        return self.stage in RUNNING_STAGES

    @property
    def moving(self) -> bool:
        return self.stage in MOVING_STAGES

    @property
    def is_gradio(self) -> bool:
        return (self.sdk or "").lower() == "gradio"

    @property
    def connectable(self) -> bool:
        """A running Gradio app: Enter in the console connects to it."""
        return self.running and self.is_gradio

    def with_runtime(self, runtime: Any) -> SpaceRow:
        """This row with a fresh runtime (from ``get_space_runtime`` or an action's answer)."""
        if runtime is None:
            return self
        return replace(self, **_runtime_fields(runtime))


def _runtime_fields(runtime: Any) -> dict[str, Any]:
    raw = getattr(runtime, "raw", None)
    if not isinstance(raw, dict):
        raw = runtime if isinstance(runtime, dict) else {}
    listed = raw.get("hardware")
    hardware: dict[str, Any] = listed if isinstance(listed, dict) else {}
    error = raw.get("errorMessage")
    sleep = getattr(runtime, "sleep_time", None) if not isinstance(runtime, dict) else None
    if sleep is None:
        sleep = raw.get("gcTimeout")
    return {
        "stage": _text(getattr(runtime, "stage", None) or raw.get("stage")) or UNKNOWN,
        "hardware": _text(getattr(runtime, "hardware", None) or hardware.get("current")),
        "requested_hardware": _text(
            getattr(runtime, "requested_hardware", None) or hardware.get("requested")
        ),
        "sleep_time": sleep if isinstance(sleep, int) and not isinstance(sleep, bool) else None,
        "error_message": str(error) if error else None,
        "dev_mode": bool(getattr(runtime, "dev_mode", None) or raw.get("devMode")),
    }


def row_from_info(info: Any) -> SpaceRow:
    """A row from a ``SpaceInfo`` (``list_spaces`` with :data:`LIST_EXPAND`, or ``space_info``)."""
    card = getattr(info, "card_data", None)
    version = None
    if card is not None:
        version = getattr(card, "sdk_version", None)
        if version is None and isinstance(card, dict):
            version = card.get("sdk_version")
    likes = getattr(info, "likes", None)
    modified = getattr(info, "last_modified", None)
    runtime = getattr(info, "runtime", None)
    return SpaceRow(
        id=str(info.id),
        sdk=_text(getattr(info, "sdk", None)),
        sdk_version=str(version) if version is not None else None,
        private=getattr(info, "private", None),
        likes=json_int(likes),
        last_modified=modified if isinstance(modified, datetime) else None,
        subdomain=_text(getattr(info, "subdomain", None)),
        **(_runtime_fields(runtime) if runtime is not None else {}),
    )


@dataclass(frozen=True)
class HardwareOption:
    """One hardware flavour the Hub offers now, with its price."""

    name: str
    pretty_name: str
    cpu: str = ""
    ram: str = ""
    accelerator: str | None = None
    price_per_hour: float = 0.0
    """US dollars per hour of running (the Hub prices per ``unit_label``, usually a minute)."""

    @property
    def free(self) -> bool:
        return self.price_per_hour <= 0

    @property
    def price_text(self) -> str:
        return "free" if self.free else f"${self.price_per_hour:,.2f}/hour"

    def cost_text(self, spaces: int) -> str:
        """What ``spaces`` Spaces on this hardware cost while they run, in words."""
        if self.free:
            return f"{self.name} is free"
        each = f"{self.name} costs {self.price_text} per running Space"
        if spaces <= 1:
            return each
        return f"{each}: ${self.price_per_hour * spaces:,.2f}/hour for all {spaces}"

    @property
    def label(self) -> str:
        """``t4-small — Nvidia T4 small, 4 vCPU, 15 GB, $0.40/hour``: one line for a picker."""
        parts = [p for p in (self.pretty_name, self.cpu, self.ram, self.accelerator) if p]
        return f"{self.name} — {', '.join(parts)}, {self.price_text}"


_PER_HOUR = {"second": 3600.0, "minute": 60.0, "hour": 1.0, "day": 1 / 24}


def hardware_from_hub(item: Any) -> HardwareOption:
    """A ``JobHardwareInfo`` (``list_spaces_hardware``) or its JSON dict, as an option."""

    def get(attr: str, key: str) -> Any:
        if isinstance(item, dict):
            return item.get(key)
        return getattr(item, attr, None)

    cost = get("unit_cost_usd", "unitCostUSD")
    unit = str(get("unit_label", "unitLabel") or "minute").lower()
    per_hour = 0.0
    if isinstance(cost, int | float) and not isinstance(cost, bool):
        per_hour = float(cost) * _PER_HOUR.get(unit, 60.0)
    accel = get("accelerator", "accelerator")
    accel_text = None
    if accel is not None:
        if isinstance(accel, dict):
            accel_text = " ".join(
                str(accel[k]) for k in ("quantity", "model", "vram") if accel.get(k) is not None
            )
        else:
            bits = (getattr(accel, k, None) for k in ("quantity", "model", "vram"))
            accel_text = " ".join(str(b) for b in bits if b is not None)
    name = str(get("name", "name"))
    return HardwareOption(
        name=name,
        pretty_name=str(get("pretty_name", "prettyName") or name),
        cpu=str(get("cpu", "cpu") or ""),
        ram=str(get("ram", "ram") or ""),
        accelerator=accel_text or None,
        price_per_hour=round(per_hour, 6),
    )


@dataclass(frozen=True)
class SpaceDetails:
    """The detail panel's extra facts: what a row does not carry.

    ``secret_names`` are names only: the Hub never sends a secret's value back,
    and nothing here would keep one. Variables are not secret (the Hub shows
    their values on the settings page), so their values are kept.
    """

    row: SpaceRow
    secret_names: list[str] | None = None
    variables: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    """Why a part is missing (e.g. "secrets: HTTP 403, not your Space")."""
