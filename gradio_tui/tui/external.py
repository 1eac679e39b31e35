"""``$EDITOR`` and ``$PAGER``: text handed to the user's own programs, the app suspended.

Like posting, the app gives the terminal to the program (``App.suspend``) and
takes it back when the program exits: a result is read in ``less``, a long
input edited in ``vim`` and read back into the field. The text goes through
a temporary file (removed afterwards) and the command comes from
``$VISUAL``/``$EDITOR`` or ``$PAGER``, split like a shell would split it but
never run by one. Where the app cannot be suspended (a headless run, the
tests) the program is run without the terminal.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from typing import TYPE_CHECKING, Any

from textual.app import SuspendNotSupported

if TYPE_CHECKING:
    from textual.app import App


class ExternalFailed(OSError):
    """The program could not run or failed; the message says so in words."""


def editor_command() -> list[str]:
    return shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")


def pager_command() -> list[str]:
    return shlex.split(os.environ.get("PAGER") or "less")


def run_with_terminal(app: App[Any], command: list[str], path: str) -> None:
    """Run ``command path`` with the terminal, the app suspended meanwhile."""
    if not command:
        raise ExternalFailed("No program is set.")
    name = os.path.basename(command[0])
    try:
        try:
            with app.suspend():
                code = _run([*command, path], interactive=True)
        except SuspendNotSupported:
            if not app.is_headless:
                raise ExternalFailed(
                    f"This terminal cannot hand itself to {name} (the app cannot be suspended)."
                ) from None
            code = _run([*command, path], interactive=False)
    except FileNotFoundError:
        raise ExternalFailed(f"{name} was not found: set $EDITOR or $PAGER.") from None
    if code != 0:
        raise ExternalFailed(f"{name} exited with status {code}.")


def _run(command: list[str], *, interactive: bool) -> int:
    try:
        if interactive:
            return subprocess.run(command, check=False).returncode
        return subprocess.run(
            command,
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ).returncode
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ExternalFailed(f"{command[0]} could not be started: {exc.strerror or exc}") from None


def edit_text(app: App[Any], text: str, suffix: str = ".txt") -> str | None:
    """``text`` edited in ``$EDITOR``; None when it came back unchanged."""
    path = _write_temp(text, suffix)
    try:
        run_with_terminal(app, editor_command(), path)
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            edited = fh.read()
    finally:
        _remove(path)
    return None if edited == text else edited


def page_text(app: App[Any], text: str, suffix: str = ".txt") -> None:
    """Show ``text`` in ``$PAGER``."""
    path = _write_temp(text, suffix)
    try:
        run_with_terminal(app, pager_command(), path)
    finally:
        _remove(path)


def view_in_editor(app: App[Any], text: str, suffix: str = ".txt") -> None:
    """Show ``text`` in ``$EDITOR`` (a copy: what is changed there stays there)."""
    path = _write_temp(text, suffix)
    try:
        run_with_terminal(app, editor_command(), path)
    finally:
        _remove(path)


def _write_temp(text: str, suffix: str) -> str:
    fd, path = tempfile.mkstemp(prefix="gradio-tui-", suffix=suffix)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return path


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
