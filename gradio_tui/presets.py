"""Presets: named form values per endpoint, in one human-readable JSON file per app.

``<data dir>/presets/<app>.json`` looks like this, so that people can edit it
by hand and share it::

    {
      "version": 1,
      "app": "owner/space",
      "endpoints": {
        "/predict": {
          "three plus four": {
            "values": {"num1": 3, "operation": "add", "num2": 4},
            "saved": "2025-01-01T12:00:00"
          }
        }
      }
    }

Values are keyed by parameter name (so a preset survives an app that adds a
parameter), file inputs are kept as paths, and passwords are never written.
Every change re-reads the file first, so edits made by hand while the app
runs are kept. A file that cannot be read is renamed aside with a time stamp
and the caller gets one sentence saying so; the app goes on with no presets.
UI-free, like the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .client.untrusted import shorten, visible
from .history import app_key
from .store import Paths, keep_aside, public_src, read_json_checked, write_json_atomic

PRESETS_VERSION = 1
PRESETS_DIR = "presets"
NAME_LIMIT = 80


class PresetError(ValueError):
    """A preset operation that cannot be done (a bad or taken name); the words say why."""


@dataclass
class Preset:
    """One saved set of form values."""

    name: str
    values: dict[str, Any]
    saved: str = ""


@dataclass
class PresetsLoad:
    """The presets of an app by endpoint, and one sentence when the file was bad."""

    endpoints: dict[str, dict[str, Preset]] = field(default_factory=dict)
    warning: str | None = None


def check_name(name: str) -> str:
    """A preset name, trimmed; :class:`PresetError` when it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise PresetError("Give the preset a name.")
    if len(name) > NAME_LIMIT:
        raise PresetError(f"A preset name has at most {NAME_LIMIT} characters.")
    if visible(name, newlines=False) != name:
        raise PresetError("A preset name cannot hold control characters.")
    return name


class PresetFile:
    """The presets of one app."""

    def __init__(self, path: Path, src: str = "") -> None:
        self.path = path
        self.src = public_src(src)

    @classmethod
    def for_app(cls, paths: Paths, src: str) -> PresetFile:
        return cls(paths.data_dir / PRESETS_DIR / f"{app_key(src)}.json", src)

    # -- reading -----------------------------------------------------------------------

    def load(self) -> PresetsLoad:
        try:
            data = read_json_checked(self.path)
        except FileNotFoundError:
            return PresetsLoad()
        except (OSError, ValueError) as exc:
            return PresetsLoad(warning=self._kept_aside(f"it is not valid JSON ({exc})"))
        try:
            return PresetsLoad(parse(data))
        except ValueError as exc:
            return PresetsLoad(warning=self._kept_aside(str(exc)))

    def _kept_aside(self, problem: str) -> str:
        aside = keep_aside(self.path)
        where = f"kept aside as {aside.name}" if aside else "it could not be moved aside"
        return f"The presets file {self.path.name} was damaged: {problem}; {where}."

    def names(self, endpoint: str) -> list[str]:
        return sorted(self.load().endpoints.get(endpoint, {}), key=str.casefold)

    # -- changing (each re-reads the file: hand edits are kept) ------------------------------

    def save(self, endpoint: str, name: str, values: dict[str, Any], *, replace: bool) -> Preset:
        """Save ``values`` as ``name``; :class:`PresetError` if it exists and not ``replace``."""
        name = check_name(name)
        loaded = self._current()
        presets = loaded.setdefault(endpoint, {})
        if name in presets and not replace:
            raise PresetError(f"There is already a preset named {name!r}.")
        preset = Preset(name, dict(values), datetime.now().isoformat(timespec="seconds"))
        presets[name] = preset
        self._write(loaded)
        return preset

    def rename(self, endpoint: str, old: str, new: str) -> None:
        new = check_name(new)
        loaded = self._current()
        presets = loaded.get(endpoint, {})
        if old not in presets:
            raise PresetError(f"There is no preset named {old!r}.")
        if new != old and new in presets:
            raise PresetError(f"There is already a preset named {new!r}.")
        preset = presets.pop(old)
        preset.name = new
        presets[new] = preset
        self._write(loaded)

    def delete(self, endpoint: str, name: str) -> None:
        loaded = self._current()
        presets = loaded.get(endpoint, {})
        if presets.pop(name, None) is None:
            raise PresetError(f"There is no preset named {name!r}.")
        if not presets:
            loaded.pop(endpoint, None)
        self._write(loaded)

    def _current(self) -> dict[str, dict[str, Preset]]:
        loaded = self.load()
        if loaded.warning:
            # The damaged file is aside already; say so to whoever is saving.
            raise PresetError(loaded.warning + " Try again to start a new file.")
        return loaded.endpoints

    def _write(self, endpoints: dict[str, dict[str, Preset]]) -> None:
        write_json_atomic(
            self.path,
            {
                "version": PRESETS_VERSION,
                "app": self.src,
                "endpoints": {
                    endpoint: {
                        name: {"values": p.values, "saved": p.saved}
                        for name, p in sorted(presets.items(), key=lambda kv: kv[0].casefold())
                    }
                    for endpoint, presets in sorted(endpoints.items())
                },
            },
        )


def parse(data: Any) -> dict[str, dict[str, Preset]]:
    """The file's presets; ``ValueError`` saying what is wrong with its shape."""
    if not isinstance(data, dict):
        raise ValueError("it is not a JSON object")
    version = data.get("version")
    if version != PRESETS_VERSION:
        raise ValueError(f"its version is {shorten(str(version), 20)}, not {PRESETS_VERSION}")
    endpoints = data.get("endpoints", {})
    if not isinstance(endpoints, dict):
        raise ValueError('"endpoints" is not a JSON object')
    out: dict[str, dict[str, Preset]] = {}
    for endpoint, presets in endpoints.items():
        if not isinstance(presets, dict):
            raise ValueError(f"the presets of {shorten(endpoint, 60)!r} are not a JSON object")
        for name, body in presets.items():
            where = f"preset {shorten(name, 60)!r} of {shorten(endpoint, 60)!r}"
            try:
                checked = check_name(name)
            except PresetError as exc:
                raise ValueError(f"{where}: {exc}") from None
            if not isinstance(body, dict) or not isinstance(body.get("values"), dict):
                raise ValueError(f'{where} has no "values" object')
            saved = body.get("saved", "")
            out.setdefault(endpoint, {})[checked] = Preset(
                checked, dict(body["values"]), saved if isinstance(saved, str) else ""
            )
    return out


__all__ = [
    "PRESETS_VERSION",
    "Preset",
    "PresetError",
    "PresetFile",
    "PresetsLoad",
    "check_name",
]
