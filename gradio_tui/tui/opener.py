"""Open a result file with the system's own opener (never a shell), and say when it failed.

``xdg-open`` and ``gio open`` hand the file to the desktop and exit: 0 when
that worked, non-zero when it did not (``gio open`` exits 2 with "no
application is registered" on a machine without a viewer). So the opener is
waited for a few seconds and its exit status and error text are reported;
one still running after that is taken as launched (some openers wait for
the viewer to close). Blocking: the app calls :func:`open_path` in a thread.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading

OPEN_WAIT = 5.0
"""Seconds to wait for the opener's verdict before taking it as launched."""


class OpenFailed(OSError):
    """The file could not be opened; the message says why, in words."""


def opener_command(path: str, configured: str | None = None) -> list[str] | None:
    """The command that opens ``path`` here, or None when there is none."""
    if configured:
        return [*shlex.split(configured), path]
    if sys.platform == "darwin":
        return ["open", path]
    for tool in ("xdg-open", "gio"):
        exe = shutil.which(tool)
        if exe:
            return [exe, "open", path] if tool == "gio" else [exe, path]
    return None


def open_path(path: str, configured: str | None = None, *, wait: float = OPEN_WAIT) -> None:
    """Open ``path``; :class:`OpenFailed` when no opener exists, it cannot start, or it fails."""
    if not os.path.exists(path):
        raise OpenFailed(f"The file is no longer there: {path}")
    if sys.platform == "win32":
        try:
            os.startfile(path)  # type: ignore[attr-defined]
        except OSError as exc:
            raise OpenFailed(f"Windows could not open it: {exc.strerror or exc}") from None
        return
    command = opener_command(path, configured)
    if command is None:
        raise OpenFailed(
            "No program to open files was found: install xdg-utils, "
            'or set "opener" in settings.json.'
        )
    name = os.path.basename(command[0])
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,
            )
        except OSError as exc:
            raise OpenFailed(f"{name} could not be started: {exc.strerror or exc}") from None
        try:
            code = proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            # Still running: it has the file. Reaped when it exits, not left a zombie.
            threading.Thread(target=proc.wait, name=f"reap-{name}", daemon=True).start()
            return
        if code != 0:
            errors.seek(0)
            said = errors.read(4000).decode("utf-8", errors="replace").strip()
            first = said.splitlines()[0] if said else ""
            raise OpenFailed(
                f"{name} could not open it (exit status {code})" + (f": {first}" if first else ".")
            )
