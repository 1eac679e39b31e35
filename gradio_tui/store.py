"""Settings, recent apps and job history, as JSON under platformdirs paths.

UI-free on purpose (an import-linter contract keeps Textual out): the CLI's
``locate`` command and the tests read it without starting the terminal app.

Three files, each written atomically (a temporary file in the same folder,
then ``os.replace``) so a crash or a second instance never leaves half a file:

- ``settings.json`` in the user config dir: theme, keymap, sizes, privacy.
- ``recent-v1.json`` in the user data dir: recently connected apps.
- ``history/<app>.json`` and ``presets/<app>.json`` in the user data dir: each
  app's past jobs and saved form values (``gradio_tui.history``,
  ``gradio_tui.presets``). ``history-v1.json``, the older one-file history of
  previews, is moved into them once.

Tokens and passwords are never written: sources are stored without user info
or query strings, password fields are left out. A file that cannot be read is
renamed aside (``<name>.broken-<time>``), never overwritten and never fatal.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

APP_NAME = "gradio-tui"
ENV_PREFIX = "GRADIO_TUI_"
CONFIG_FILE_ENV = "GRADIO_TUI_CONFIG_FILE"
"""Points at a settings file to use instead of ``<config dir>/settings.json``."""

# The file names carry a format version so that a later, incompatible format
# can live beside the old one instead of misreading it.
RECENT_FILE = "recent-v1.json"
HISTORY_FILE = "history-v1.json"
"""The one-file history of older versions; moved into ``history/`` once (see history.py)."""


@dataclass
class Settings:
    """What the user can change, in ``settings.json`` or ``GRADIO_TUI_<FIELD>`` variables."""

    theme: str = "textual-dark"
    """A Textual theme name (``textual-dark``, ``nord``, ``gruvbox``, …)."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → keys, e.g. ``{"run": "f9", "cancel-job": "ctrl+k"}`` (see F1 for ids)."""

    history_size: int = 1000
    """How many finished jobs the history keeps per app (oldest dropped first)."""

    recent_size: int = 20
    """How many recently connected apps the connect screen lists."""

    output_dir: str | None = None
    """Where downloaded result files go; default: ``GRADIO_TEMP_DIR`` or a temp folder."""

    redact: bool = False
    """Hide host, port, versions and timings on screen (screenshots, snapshot tests)."""

    max_workers: int = 40
    """How many jobs may run at once against one app; more wait in the client."""

    sidebar: bool = True
    """Whether the endpoint list is shown (``ctrl+t`` toggles it)."""

    layout: str = "auto"
    """``auto`` (side by side when wide enough, stacked below that), ``wide`` or ``stacked``."""

    images: str = "auto"
    """How result images are drawn: ``auto`` (the terminal's graphics protocol where it
    has one, half-blocks elsewhere), ``halfblocks``, ``kitty``, ``sixel`` or ``off``."""

    opener: str | None = None
    """The command that opens a result file (default: ``open``, ``xdg-open`` or ``gio open``)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Known keys of the right type are taken; anything else is ignored, never fatal."""
        defaults = cls()
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            current = getattr(defaults, f.name)
            if f.name == "keymap":
                if isinstance(value, dict):
                    kwargs[f.name] = {
                        str(k): str(v) for k, v in value.items() if isinstance(v, str)
                    }
            elif f.name in ("output_dir", "opener"):
                if value is None or isinstance(value, str):
                    kwargs[f.name] = value
            elif isinstance(current, bool):
                if isinstance(value, bool):
                    kwargs[f.name] = value
            elif isinstance(current, int):
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    kwargs[f.name] = value
            elif isinstance(current, str) and isinstance(value, str):
                kwargs[f.name] = value
        return cls(**kwargs)

    def with_env(self, environ: dict[str, str] | os._Environ[str] | None = None) -> Settings:
        """Apply ``GRADIO_TUI_THEME=nord``-style overrides (JSON values for keymap)."""
        env = os.environ if environ is None else environ
        data = asdict(self)
        for f in fields(self):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            current = data[f.name]
            if isinstance(current, bool):
                data[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif isinstance(current, int):
                with contextlib.suppress(ValueError):
                    data[f.name] = int(raw)
            elif f.name == "keymap":
                with contextlib.suppress(ValueError):
                    data[f.name] = json.loads(raw)
            else:
                data[f.name] = raw
        return Settings.from_dict(data)


@dataclass
class Paths:
    """Where this user's files live; ``gradio-tui locate`` prints these."""

    config_dir: Path
    data_dir: Path
    settings_file: Path
    recent_file: Path
    history_file: Path

    @classmethod
    def default(cls) -> Paths:
        # platformdirs is imported here, not at module level, so that importing
        # this module costs nothing until a path is actually needed.
        import platformdirs

        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        override = os.environ.get(CONFIG_FILE_ENV)
        settings_file = Path(override).expanduser() if override else config_dir / "settings.json"
        return cls(
            config_dir=config_dir,
            data_dir=data_dir,
            settings_file=settings_file,
            recent_file=data_dir / RECENT_FILE,
            history_file=data_dir / HISTORY_FILE,
        )

    @property
    def history_dir(self) -> Path:
        """One ``<app>.json`` per app: its past jobs."""
        return self.data_dir / "history"

    @property
    def presets_dir(self) -> Path:
        """One ``<app>.json`` per app: saved form values per endpoint."""
        return self.data_dir / "presets"

    def as_dict(self) -> dict[str, str]:
        return {
            "config": str(self.config_dir),
            "data": str(self.data_dir),
            "settings": str(self.settings_file),
            "recent": str(self.recent_file),
            "history": str(self.history_dir),
            "presets": str(self.presets_dir),
        }


def public_src(src: str) -> str:
    """``src`` fit to be stored or shown: no ``user:pass@``, no query, no fragment."""
    src = src.strip()
    if not src.startswith(("http://", "https://")):
        return src
    parts = urlsplit(src)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass
class RecentApp:
    """One app the user connected to."""

    src: str
    last_used: str


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` so readers see the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_json_checked(path: Path) -> Any:
    """The file's JSON; ``FileNotFoundError``, ``OSError`` or ``ValueError`` say why not."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def keep_aside(path: Path) -> Path | None:
    """Rename a file that cannot be used to ``<name>.broken-<time>``; None if that failed.

    Nothing is lost: the user can mend it by hand and put it back.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside


def read_json(path: Path) -> Any:
    """The file's JSON, or None when it is missing or unreadable (never fatal)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


class Store:
    """Reads and writes the three files; one instance per running app."""

    def __init__(self, paths: Paths | None = None) -> None:
        self.paths = paths or Paths.default()
        self._settings: Settings | None = None

    # -- settings -----------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            data = read_json(self.paths.settings_file)
            base = Settings.from_dict(data) if isinstance(data, dict) else Settings()
            self._settings = base.with_env()
        return self._settings

    def save_settings(self, settings: Settings) -> None:
        self._settings = settings
        write_json_atomic(self.paths.settings_file, asdict(settings))

    def update_settings(self, **changes: Any) -> Settings:
        """Write only ``changes`` into ``settings.json`` (what the user changed in the app).

        The rest of the file is kept as the user wrote it (``GRADIO_TUI_*`` variables
        are never written back); a file that is not a JSON object is kept aside first
        (``settings.json.broken-<time>``) rather than overwritten.
        """
        known = {f.name for f in fields(Settings)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        path = self.paths.settings_file
        data = read_json(path)
        if not isinstance(data, dict):
            if path.exists():
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                with contextlib.suppress(OSError):
                    os.replace(path, path.with_name(f"{path.name}.broken-{stamp}"))
            data = {}
        data.update(changes)
        write_json_atomic(path, data)
        current = asdict(self.settings)
        current.update(changes)
        self._settings = Settings.from_dict(current)
        return self._settings

    # -- recent apps -------------------------------------------------------------

    def recent(self) -> list[RecentApp]:
        data = read_json(self.paths.recent_file)
        items = data.get("recent") if isinstance(data, dict) else None
        out: list[RecentApp] = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("src"), str):
                out.append(RecentApp(src=item["src"], last_used=str(item.get("last_used", ""))))
        return out

    def add_recent(self, src: str) -> list[RecentApp]:
        clean = public_src(src)
        now = datetime.now().isoformat(timespec="seconds")
        items = [RecentApp(clean, now)] + [r for r in self.recent() if r.src != clean]
        items = items[: self.settings.recent_size]
        write_json_atomic(self.paths.recent_file, {"recent": [asdict(r) for r in items]})
        return items

    def forget_recent(self, src: str) -> None:
        items = [r for r in self.recent() if r.src != src]
        write_json_atomic(self.paths.recent_file, {"recent": [asdict(r) for r in items]})


__all__ = [
    "Paths",
    "RecentApp",
    "Settings",
    "Store",
    "keep_aside",
    "public_src",
    "read_json_checked",
    "write_json_atomic",
]
