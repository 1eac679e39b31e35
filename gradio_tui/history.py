"""Job history: every finished job of an app, kept per app, bounded, never a secret.

One JSON file per app under ``<data dir>/history/`` (``gradio-tui locate``
prints the folder), named after the app so people can find it, with a
``version`` field so that a later format can live beside this one. The terminal
app appends each finished job (inputs, status, timings, outputs, error words);
the history view and ``gradio-tui history`` read it back.

What is kept is what makes a job worth looking at again and running again:
full input values (file inputs as their paths), outputs as values or local
file paths. What is never kept: passwords (a ``type="password"`` Textbox is
stored as ``secret`` with no value), tokens (sources and file URLs lose their
user info and query strings) and values too long to be worth a file (cut to a
preview and marked ``cut``; such a job can be looked at but not re-run).

A damaged or hand-broken file never stops the app: it is renamed aside with a
time stamp (``…json.broken-20250101-120000``), the jobs that could be read are
kept, and the caller gets one sentence saying so. UI-free (an import-linter
contract keeps Textual and Rich out), so the command line reads it cheaply.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from .client.untrusted import one_line, shorten
from .store import Paths, Store, keep_aside, public_src, read_json_checked, write_json_atomic

HISTORY_VERSION = 2
HISTORY_DIR = "history"
DEFAULT_LIMIT = 1000
"""Jobs kept per app (``history_size`` in settings.json changes it)."""
MAX_VALUE_CHARS = 64_000
"""A value whose JSON is longer than this is kept as a preview (``cut``)."""
PREVIEW_CHARS = 400
STATUSES = ("finished", "error", "cancelled")
FLAGS = frozenset({"file", "secret", "cut"})
FILE_KEYS = frozenset({"image", "video", "file"})


# -- one job ------------------------------------------------------------------------------


@dataclass
class StoredInput:
    """One parameter's value as it was sent (a file as its path)."""

    name: str
    component: str = ""
    value: Any = None
    file: bool = False
    secret: bool = False
    """A password: its value is never written, and must be typed again to re-run."""
    cut: bool = False
    """Too long to keep: ``value`` is a preview, so the job cannot be re-run as it was."""


@dataclass
class StoredOutput:
    """One output as it came back (a file as its local path)."""

    label: str
    component: str = ""
    value: Any = None
    file: bool = False
    cut: bool = False


@dataclass
class StoredError:
    """The error words of ``explain()`` (kind, title, message), not the exception."""

    kind: str
    title: str
    message: str


@dataclass
class JobEntry:
    """One finished job of one app."""

    id: str
    src: str
    endpoint: str
    """``/predict`` or ``fn_index=3``: how the user addresses it."""
    fn_index: int | None
    status: str
    """``finished``, ``error`` or ``cancelled``."""
    started: str
    """Local time, ISO 8601 to the second."""
    duration: float | None = None
    inputs: list[StoredInput] = field(default_factory=list)
    outputs: list[StoredOutput] = field(default_factory=list)
    error: StoredError | None = None
    _haystack: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def rerunnable(self) -> bool:
        """Whether every input was kept whole (no password, nothing cut)."""
        return not any(i.secret or i.cut for i in self.inputs)

    def output_files(self) -> list[str]:
        """Every local file path among the outputs (galleries and lists included)."""
        paths: list[str] = []
        for output in self.outputs:
            if output.file:
                paths.extend(file_paths_in(output.value))
        return paths

    def text(self) -> str:
        """Everything a filter may match, lower-cased (built once)."""
        if self._haystack is None:
            parts = [self.endpoint, self.status, self.started]
            parts += [f"{i.name}={preview(i.value)}" for i in self.inputs]
            parts += [preview(o.value) for o in self.outputs]
            if self.error is not None:
                parts += [self.error.title, self.error.message]
            self._haystack = "\n".join(parts).lower()
        return self._haystack

    def matches(
        self, text: str = "", *, endpoint: str | None = None, status: str | None = None
    ) -> bool:
        if endpoint is not None and self.endpoint != endpoint:
            return False
        if status is not None and self.status != status:
            return False
        return not text or text.lower() in self.text()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "src": self.src,
            "endpoint": self.endpoint,
            "fn_index": self.fn_index,
            "status": self.status,
            "started": self.started,
            "duration": self.duration,
            "inputs": [_drop_defaults(vars(i)) for i in self.inputs],
            "outputs": [_drop_defaults(vars(o)) for o in self.outputs],
            "error": vars(self.error) if self.error is not None else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> JobEntry:
        """A job from its JSON; ``ValueError`` naming what is wrong when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a job is not a JSON object")
        entry_id = _str(data, "id")
        status = _str(data, "status")
        if status not in STATUSES:
            raise ValueError(f"unknown status {shorten(status, 40)!r}")
        fn_index = data.get("fn_index")
        if fn_index is not None and (not isinstance(fn_index, int) or isinstance(fn_index, bool)):
            raise ValueError("fn_index is not a number")
        duration = data.get("duration")
        if duration is not None and (
            not isinstance(duration, int | float) or isinstance(duration, bool)
        ):
            raise ValueError("duration is not a number")
        error = data.get("error")
        return cls(
            id=entry_id,
            src=_str(data, "src"),
            endpoint=_str(data, "endpoint"),
            fn_index=fn_index,
            status=status,
            started=_str(data, "started"),
            duration=float(duration) if duration is not None else None,
            inputs=[_stored_input(i) for i in _list(data, "inputs")],
            outputs=[_stored_output(o) for o in _list(data, "outputs")],
            error=_stored_error(error) if error is not None else None,
        )


def _drop_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """Flags at their default are left out: the file stays short and readable."""
    return {k: v for k, v in values.items() if not (k in FLAGS and v is False)}


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key} is not a string")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} is not true or false")
    return value


def _stored_input(data: Any) -> StoredInput:
    if not isinstance(data, dict):
        raise ValueError("an input is not a JSON object")
    return StoredInput(
        name=_str(data, "name"),
        component=str(data.get("component", "")),
        value=data.get("value"),
        file=_flag(data, "file"),
        secret=_flag(data, "secret"),
        cut=_flag(data, "cut"),
    )


def _stored_output(data: Any) -> StoredOutput:
    if not isinstance(data, dict):
        raise ValueError("an output is not a JSON object")
    return StoredOutput(
        label=_str(data, "label"),
        component=str(data.get("component", "")),
        value=data.get("value"),
        file=_flag(data, "file"),
        cut=_flag(data, "cut"),
    )


def _stored_error(data: Any) -> StoredError:
    if not isinstance(data, dict):
        raise ValueError("error is not a JSON object")
    return StoredError(_str(data, "kind"), _str(data, "title"), _str(data, "message"))


# -- values: what is kept, and how ----------------------------------------------------------


def safe_url(url: str) -> str:
    """A file URL without user info, query or fragment (signed URLs carry credentials)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def file_value(value: Any) -> Any:
    """A file input or output as a path (or URL), lists as lists of them.

    Files reach us as paths, as FileData dicts (``{"path": …, "url": …}``) or
    as Gallery items (``{"image": path, "caption": …}``); the history keeps
    the path, and the caption where there is one.
    """
    if isinstance(value, str):
        return safe_url(value) if value.startswith(("http://", "https://")) else value
    if isinstance(value, list | tuple):
        return [file_value(v) for v in value]
    if isinstance(value, dict):
        for key in ("path", "url"):
            if isinstance(value.get(key), str):
                return file_value(value[key])
        return {k: file_value(v) if k in FILE_KEYS else v for k, v in value.items()}
    return value


def file_paths_in(value: Any) -> list[str]:
    """Local paths in a kept file value (a path, a list, a gallery item)."""
    out: list[str] = []
    if isinstance(value, str):
        if value.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", value):
            out.append(value)
    elif isinstance(value, list | tuple):
        for v in value:
            out.extend(file_paths_in(v))
    elif isinstance(value, dict):
        for v in value.values():
            out.extend(file_paths_in(v))
    return out


def keep_value(value: Any, *, file: bool = False) -> tuple[Any, bool]:
    """``(value as JSON data, cut)``: files as paths, long values as a preview."""
    if file:
        value = file_value(value)
    try:
        dumped = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return preview(repr(value)), True
    if len(dumped) > MAX_VALUE_CHARS:
        return preview(value), True
    return json.loads(dumped), False


def output_preview(output: StoredOutput, limit: int = PREVIEW_CHARS) -> str:
    """An output as a list shows it: a file by its name, anything else in short."""
    if output.file:
        names = [p.replace("\\", "/").rsplit("/", 1)[-1] for p in file_paths_in(output.value)]
        if names:
            return preview(", ".join(names), limit)
    return preview(output.value, limit)


def preview(value: Any, limit: int = PREVIEW_CHARS) -> str:
    """A short one-line text of any value (what a list or a filter shows)."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    text = " ".join(text.split())
    return shorten(text, limit)


# -- files: one per app ----------------------------------------------------------------


def app_key(src: str) -> str:
    """A file name for an app: readable, and unique (a hash of the public source)."""
    clean = public_src(src)
    readable = re.sub(r"^https?://", "", clean)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", readable.replace("/", "--")).strip("-.")
    digest = hashlib.sha256(clean.encode("utf-8")).hexdigest()[:8]
    return f"{readable[:60] or 'app'}-{digest}"


@dataclass
class HistoryLoad:
    """What a history file held, and one sentence when something was wrong with it."""

    entries: list[JobEntry]
    warning: str | None = None


class HistoryFile:
    """The history of one app: read, appended (bounded), damaged files kept aside."""

    def __init__(self, path: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.path = path
        self.limit = max(1, limit)

    @classmethod
    def for_app(cls, paths: Paths, src: str, limit: int = DEFAULT_LIMIT) -> HistoryFile:
        return cls(paths.data_dir / HISTORY_DIR / f"{app_key(src)}.json", limit)

    def load(self) -> HistoryLoad:
        """Every readable job, oldest first; a damaged file is renamed aside (said once)."""
        try:
            data = read_json_checked(self.path)
        except FileNotFoundError:
            return HistoryLoad([])
        except (OSError, ValueError) as exc:
            return HistoryLoad([], self._kept_aside(f"it is not valid JSON ({exc})"))
        problem: str | None = None
        items: list[Any] = []
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            problem = 'it is not {"version": 2, "jobs": [...]}'
        elif data.get("version") != HISTORY_VERSION:
            version = shorten(str(data.get("version")), 20)
            problem = f"its version is {version}, not {HISTORY_VERSION}"
        else:
            items = data["jobs"]
        entries: list[JobEntry] = []
        bad = 0
        first_reason = ""
        for item in items:
            try:
                entries.append(JobEntry.from_json(item))
            except ValueError as exc:
                bad += 1
                first_reason = first_reason or str(exc)
        if bad:
            problem = f"{bad} of {len(items)} jobs could not be read (first: {first_reason})"
        if problem is None:
            return HistoryLoad(entries[-self.limit :])
        warning = self._kept_aside(problem)
        if entries:
            warning += f" The {len(entries)} readable jobs are kept."
            self._write(entries)
        return HistoryLoad(entries[-self.limit :], warning)

    def _kept_aside(self, problem: str) -> str:
        aside = keep_aside(self.path)
        where = f"kept aside as {aside.name}" if aside else "it could not be moved aside"
        return f"The history file {self.path.name} was damaged: {problem}; {where}."

    def append(self, *entries: JobEntry) -> str | None:
        """Add finished jobs (oldest dropped past the limit); a warning if the file was bad."""
        loaded = self.load()
        self._write([*loaded.entries, *entries])
        return loaded.warning

    def _write(self, entries: Sequence[JobEntry]) -> None:
        kept = list(entries)[-self.limit :]
        app = kept[-1].src if kept else ""
        write_json_atomic(
            self.path,
            {"version": HISTORY_VERSION, "app": app, "jobs": [e.to_json() for e in kept]},
        )


def history_files(paths: Paths) -> list[Path]:
    folder = paths.data_dir / HISTORY_DIR
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    except OSError:
        return []


def migrate_v1(paths: Paths, limit: int = DEFAULT_LIMIT) -> str | None:
    """Move the jobs of ``history-v1.json`` (one file for all apps, previews only) into
    the per-app files, once. Those jobs kept only short previews of their inputs, so
    they can be looked at and filtered, not re-run. The old file is renamed
    ``history-v1.json.migrated``; returns a sentence when it was unreadable."""
    old = paths.history_file
    if not old.exists():
        return None
    try:
        data = read_json_checked(old)
    except (OSError, ValueError):
        aside = keep_aside(old)
        return f"The old history file {old.name} could not be read; kept aside as " + (
            aside.name if aside else "it was"
        )
    jobs = data.get("jobs") if isinstance(data, dict) else None
    by_app: dict[str, list[JobEntry]] = {}
    for index, item in enumerate(jobs if isinstance(jobs, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("src"), str):
            continue
        status = item.get("status")
        raw_inputs = item.get("inputs")
        inputs: dict[str, Any] = raw_inputs if isinstance(raw_inputs, dict) else {}
        entry = JobEntry(
            id=f"v1-{index}",
            src=public_src(item["src"]),
            endpoint=str(item.get("endpoint", "")),
            fn_index=None,
            status=status if status in STATUSES else "finished",
            started=str(item.get("started", "")),
            duration=item.get("duration") if isinstance(item.get("duration"), float) else None,
            inputs=[StoredInput(str(k), value=str(v), cut=True) for k, v in inputs.items()],
            outputs=[StoredOutput("result", value=item["result"])]
            if isinstance(item.get("result"), str)
            else [],
            error=StoredError("app", "The app reported an error", item["error"])
            if isinstance(item.get("error"), str)
            else None,
        )
        by_app.setdefault(entry.src, []).append(entry)
    for src, entries in by_app.items():
        HistoryFile.for_app(paths, src, limit).append(*entries)
    try:
        old.replace(old.with_name(old.name + ".migrated"))
    except OSError:
        pass
    return None


def load_app_history(store: Store, src: str) -> HistoryLoad:
    """The history of ``src`` (older history migrated first), with any warning."""
    limit = store.settings.history_size
    warning = migrate_v1(store.paths, limit)
    loaded = HistoryFile.for_app(store.paths, src, limit).load()
    if warning:
        loaded.warning = f"{warning} {loaded.warning or ''}".strip()
    return loaded


# -- `gradio-tui history` ----------------------------------------------------------------


def format_entry(entry: JobEntry, *, with_app: bool = False, width: int = 160) -> str:
    """One line: when, (app), endpoint, status, time, inputs → result or error."""
    when = entry.started.replace("T", " ")
    took = f"{entry.duration:.1f}s" if entry.duration is not None else "–"
    inputs = ", ".join(
        f"{i.name}=" + ("•••" if i.secret else preview(i.value, 40)) for i in entry.inputs
    )
    if entry.error is not None:
        outcome = f"{entry.error.title}: {entry.error.message}"
    elif entry.outputs:
        outcome = " | ".join(output_preview(o, 80) for o in entry.outputs)
    else:
        outcome = ""
    head = [when, entry.src] if with_app else [when]
    line = "  ".join([*head, entry.endpoint, f"{entry.status:<9}", f"{took:>6}"])
    line += f"  {inputs} → {outcome}" if inputs else f"  → {outcome}"
    return one_line(line, width)


def history_command(argv: Sequence[str], out: TextIO | None = None) -> int:
    """``gradio-tui history [SRC] [-e ENDPOINT] [-s STATUS] [-q TEXT] [-n N] [--json]``."""
    out = out if out is not None else sys.stdout
    parser = argparse.ArgumentParser(
        prog="gradio-tui history",
        description="Print past jobs (newest last), from the history the terminal app keeps.",
    )
    parser.add_argument("src", nargs="?", help="only this app (a Space id or URL)")
    parser.add_argument(
        "-q", "--search", default="", help="only jobs whose inputs, outputs or error hold TEXT"
    )
    parser.add_argument("-e", "--endpoint", help="only this endpoint, e.g. /predict")
    parser.add_argument("-s", "--status", choices=STATUSES, help="only jobs that ended so")
    parser.add_argument("-n", "--limit", type=int, default=50, help="at most N jobs (0: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(list(argv))
    store = Store()
    limit = store.settings.history_size
    warning = migrate_v1(store.paths, limit)
    if warning:
        print(f"gradio-tui: {one_line(warning)}", file=sys.stderr)
    if args.src:
        files = [HistoryFile.for_app(store.paths, args.src, limit)]
    else:
        files = [HistoryFile(p, limit) for p in history_files(store.paths)]
    entries: list[JobEntry] = []
    for history in files:
        loaded = history.load()
        if loaded.warning:
            print(f"gradio-tui: {one_line(loaded.warning)}", file=sys.stderr)
        entries.extend(loaded.entries)
    chosen = [
        e for e in entries if e.matches(args.search, endpoint=args.endpoint, status=args.status)
    ]
    chosen.sort(key=lambda e: e.started)
    if args.limit > 0:
        chosen = chosen[-args.limit :]
    if not chosen:
        where = f" for {one_line(args.src)}" if args.src else ""
        print(f"No jobs in the history{where}.", file=sys.stderr)
        return 0
    for entry in chosen:
        if args.json:
            print(json.dumps(entry.to_json(), ensure_ascii=True), file=out)
        else:
            print(format_entry(entry, with_app=not args.src), file=out)
    return 0


def newest_first(entries: Iterable[JobEntry]) -> list[JobEntry]:
    """Newest first; jobs started in the same second keep the order they were kept in
    (the file appends as jobs end), later ones first."""
    ranked = sorted(enumerate(entries), key=lambda pair: (pair[1].started, pair[0]), reverse=True)
    return [entry for _position, entry in ranked]


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


__all__ = [
    "DEFAULT_LIMIT",
    "HISTORY_VERSION",
    "HistoryFile",
    "HistoryLoad",
    "JobEntry",
    "StoredError",
    "StoredInput",
    "StoredOutput",
    "app_key",
    "file_value",
    "history_command",
    "keep_value",
    "load_app_history",
    "preview",
]
