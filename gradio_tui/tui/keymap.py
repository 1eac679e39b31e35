"""The user's keymap (``settings.json``): checked before it is applied.

Textual accepts any binding id and any key string and silently does nothing
with the ones it does not know. A typo in a settings file should instead say
what is wrong: :func:`check_keymap` keeps the entries that name one of our
bindings and parse as keys, and returns one message naming the others (the
app shows it at start and uses its default keys for those).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {k.value for k in Keys if "+" not in k.value and len(k.value) > 1}
    | set(KEY_TO_UNICODE_NAME)
    | set(KEY_NAME_REPLACEMENTS.values())
    | {"space", "enter", "tab", "escape", "backspace", "delete", "insert", "home", "end"}
    | {"pageup", "pagedown", "up", "down", "left", "right"}
    | {f"f{n}" for n in range(1, 25)}
)


def is_key(key: str) -> bool:
    """Whether ``key`` (one key, e.g. ``ctrl+k``, ``f9``, ``?``) names a real key."""
    key = key.strip()
    if not key:
        return False
    if len(key) == 1:
        return key.isprintable()
    *modifiers, base = key.split("+")
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and base != " "
    return base in NAMED_KEYS


def binding_ids() -> dict[str, str]:
    """Every binding id of the app, with its description (what F1 lists)."""
    from .app import GradioTUI
    from .screens.connect import ConnectScreen
    from .screens.connecting import ConnectingScreen
    from .screens.discord import DiscordDeployDialog
    from .screens.duplicate import DuplicateDialog
    from .screens.file_picker import FilePickerScreen
    from .screens.help import HelpScreen
    from .screens.jump import JumpScreen
    from .screens.main import MainScreen
    from .widgets.api_view import ApiView
    from .widgets.jobs import JobList
    from .widgets.result import JobView
    from .widgets.sidebar import EndpointTree

    owners: Iterable[type] = (
        GradioTUI,
        ConnectScreen,
        ConnectingScreen,
        MainScreen,
        HelpScreen,
        FilePickerScreen,
        JumpScreen,
        DuplicateDialog,
        DiscordDeployDialog,
        ApiView,
        JobList,
        JobView,
        EndpointTree,
    )
    found: dict[str, str] = {}
    for owner in owners:
        for binding in getattr(owner, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding.description or binding.action)
    return found


def check_keymap(
    keymap: Mapping[str, object], known: Mapping[str, str] | None = None
) -> tuple[dict[str, str], str | None]:
    """``(usable entries, one message naming every entry left out)``."""
    known = binding_ids() if known is None else known
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{binding_id!r} is not a binding id{hint}")
            continue
        if not isinstance(keys, str):
            problems.append(f"{binding_id!r}: {keys!r} is not a key string")
            continue
        bad = [k for k in keys.split(",") if not is_key(k)]
        if bad:
            problems.append(f"{binding_id!r}: {', '.join(repr(k) for k in bad)} is not a key")
            continue
        usable[binding_id] = keys
    if not problems:
        return usable, None
    return usable, (
        "settings.json keymap: " + "; ".join(problems) + ". Those use their default keys "
        "(F1 lists the binding ids)."
    )


__all__ = ["binding_ids", "check_keymap", "is_key"]
