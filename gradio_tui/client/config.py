"""The app's ``/config``: what generation of Gradio it is and where its routes live.

Everything version-dependent about *addresses* is decided here, once, so the
rest of the client asks ``routes.url("queue/join")`` and never looks at version
numbers for that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from packaging.version import InvalidVersion, Version

from .errors import NotAGradioAppError
from .untrusted import json_int

# Component types that are layout or hidden state on 3.x, where configs lack
# ``skip_api``; they are not API parameters and never appear in results.
SKIPPED_3X = frozenset(
    {
        "state",
        "row",
        "column",
        "tabs",
        "tab",
        "tabitem",
        "box",
        "form",
        "accordion",
        "group",
        "interpretation",
        "dataset",
        "sidebar",
    }
)


def parse_version(text: Any) -> Version:
    """The server's Gradio version; anything unreadable counts as the oldest we know."""
    if not isinstance(text, str):
        return Version("2.0")
    try:
        return Version(text)
    except InvalidVersion:
        return Version("2.0")


def ensure_slash(url: str) -> str:
    """Joining onto a base without its trailing slash drops the last path segment."""
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Component:
    """One block of the app's layout, as far as the API cares."""

    id: int
    type: str
    props: dict[str, Any]
    skip_api: bool
    api_info: dict[str, Any] | None
    serializer: str | None = None

    @property
    def label(self) -> str | None:
        label = self.props.get("label")
        return label if isinstance(label, str) else None


I18N_PREFIX = "__i18n__"


def untranslated(value: Any) -> str:
    """A readable stand-in for a 6.x translatable string: ``__i18n__{"key": …}`` in
    the config, ``{"_type": "translation_metadata", "key": …}`` in the API info.

    The browser looks such keys up in Gradio's locale files, which a client does
    not have; the key's last part, in words, is what it means ("Chatbot").
    Anything else comes back as ``str(value)``; nothing at all as "".
    """
    if isinstance(value, str):
        if not value.startswith(I18N_PREFIX):
            return value
        import json

        try:
            value = json.loads(value[len(I18N_PREFIX) :])
        except ValueError:
            return ""
        if not isinstance(value, dict):
            return ""
    if isinstance(value, dict):
        key = value.get("key")
        if not isinstance(key, str) or not key:
            return ""
        words = key.rsplit(".", 1)[-1].replace("_", " ").strip()
        return words[:1].upper() + words[1:]
    return "" if value is None else str(value)


def _untranslated_props(props: dict[str, Any]) -> dict[str, Any]:
    """Props with translatable strings made plain; an untranslatable placeholder
    ("message placeholder") says nothing useful, so it is dropped."""
    if I18N_PREFIX not in repr(props):
        return props

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return untranslated(value)
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    out: dict[str, Any] = {}
    for key, value in props.items():
        if key == "placeholder" and isinstance(value, str) and value.startswith(I18N_PREFIX):
            continue
        out[key] = plain(value)
    return out


@dataclass(frozen=True)
class Dependency:
    """One event listener of the app: a callable endpoint unless disabled."""

    fn_index: int
    api_name: str | None
    inputs: list[int]
    outputs: list[int]
    backend_fn: bool
    visibility: str  # "public" | "undocumented" | "private"
    generator: bool
    queue: bool | None
    cancels: list[int]
    raw: dict[str, Any] = field(repr=False)

    @property
    def callable(self) -> bool:
        return self.backend_fn and self.visibility != "private"


@dataclass
class AppConfig:
    """Parsed ``/config`` plus the base URL it came from."""

    src: str
    raw: dict[str, Any]
    version: Version
    protocol: str
    api_prefix: str
    components: dict[int, Component]
    dependencies: list[Dependency]

    @classmethod
    def parse(cls, src: str, raw: Any) -> AppConfig:
        """Validate a config body; refuse anything that is not a Gradio app's config."""
        if not isinstance(raw, dict) or not isinstance(raw.get("dependencies"), list):
            raise NotAGradioAppError(f"{src} answered, but not with a Gradio app config.")
        if "allow_flagging" in raw and "protocol" not in raw and "version" not in raw:
            raise NotAGradioAppError(f"{src} is a Gradio 2.x app; those are not supported.")
        version = parse_version(raw.get("version"))
        protocol = raw.get("protocol") or "ws"
        if not isinstance(protocol, str):
            protocol = "ws"
        prefix = raw.get("api_prefix") or ""
        if not isinstance(prefix, str):
            prefix = ""
        prefix = prefix.strip("/")
        components: dict[int, Component] = {}
        for comp in _list(raw.get("components")):
            if not isinstance(comp, dict) or not isinstance(comp.get("id"), int):
                continue
            ctype = comp["type"] if isinstance(comp.get("type"), str) else ""
            props = comp.get("props") if isinstance(comp.get("props"), dict) else {}
            props = _untranslated_props(props or {})
            skip = comp.get("skip_api")
            if skip is None:
                skip = ctype.lower() in SKIPPED_3X
            api_info = comp.get("api_info")
            components[comp["id"]] = Component(
                id=comp["id"],
                type=ctype,
                props=props or {},
                skip_api=bool(skip),
                api_info=api_info if isinstance(api_info, dict) else None,
                serializer=comp.get("serializer")
                if isinstance(comp.get("serializer"), str)
                else None,
            )
        deps = [
            _parse_dependency(i, d)
            for i, d in enumerate(raw["dependencies"])
            if isinstance(d, dict)
        ]
        return cls(
            src=ensure_slash(src),
            raw=raw,
            version=version,
            protocol=protocol,
            api_prefix=prefix,
            components=components,
            dependencies=deps,
        )

    # -- addresses -----------------------------------------------------------

    @property
    def api_base(self) -> str:
        """Base of every API route: ``SRC`` or ``SRC gradio_api/``."""
        return self.src + (self.api_prefix + "/" if self.api_prefix else "")

    def url(self, route: str) -> str:
        """An API route (``queue/join``, ``upload``…) under the prefix."""
        return self.api_base + route

    def file_url(self, server_path: str) -> str:
        """Download address of a server file (the path goes in raw, slashes kept)."""
        return self.api_base + "file=" + quote(server_path, safe="/:\\~")

    # -- facts ---------------------------------------------------------------

    @property
    def max_file_size(self) -> int | None:
        size = json_int(self.raw.get("max_file_size"))
        return size if size is not None and size > 0 else None

    @property
    def space_id(self) -> str | None:
        sid = self.raw.get("space_id")
        return sid if isinstance(sid, str) and sid else None

    @property
    def mode(self) -> str | None:
        mode = self.raw.get("mode")
        return mode if isinstance(mode, str) else None

    @property
    def has_cancel_route(self) -> bool:
        return self.version >= Version("4.31")

    @property
    def quotes_errors(self) -> bool:
        """Before 5.2 the server sends ``gr.Error`` text as its repr, in quotes."""
        return self.version < Version("5.2")

    @property
    def file_meta_required(self) -> bool:
        return self.version >= Version("4.21")

    def dependency(self, fn_index: int) -> Dependency | None:
        for dep in self.dependencies:
            if dep.fn_index == fn_index:
                return dep
        return None


def _list(value: Any) -> list[Any]:
    """A list the server sent, or an empty one when it sent something else."""
    return value if isinstance(value, list) else []


def _ints(value: Any) -> list[int]:
    """The integers of a list of ids (``inputs``, ``outputs``…); anything else is dropped."""
    return [i for i in _list(value) if json_int(i) is not None]


def _parse_dependency(position: int, d: dict[str, Any]) -> Dependency:
    fn_index = json_int(d.get("id"))
    if fn_index is None:
        fn_index = position
    api_name = d.get("api_name")
    visibility = d.get("api_visibility")
    if visibility not in ("public", "undocumented", "private"):
        if api_name is False:
            visibility = "private"
        elif d.get("show_api") is False:
            visibility = "undocumented"
        else:
            visibility = "public"
    name = api_name if isinstance(api_name, str) and api_name else None
    types = d.get("types") if isinstance(d.get("types"), dict) else {}
    queue = d.get("queue")
    return Dependency(
        fn_index=fn_index,
        api_name=name,
        inputs=_ints(d.get("inputs")),
        outputs=_ints(d.get("outputs")),
        backend_fn=d.get("backend_fn", True) is not False,
        visibility=visibility,
        generator=bool((types or {}).get("generator")),
        queue=queue if isinstance(queue, bool) else None,
        cancels=_ints(d.get("cancels")),
        raw=d,
    )
