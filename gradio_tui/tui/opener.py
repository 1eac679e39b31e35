"""Open a downloaded file with the system's own opener (never a shell)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def opener_command(path: str) -> list[str] | None:
    """The command that opens ``path`` here, or None when there is none."""
    if sys.platform == "darwin":
        return ["open", path]
    for tool in ("xdg-open", "gio"):
        exe = shutil.which(tool)
        if exe:
            return [exe, "open", path] if tool == "gio" else [exe, path]
    return None


def open_path(path: str) -> None:
    """Start the opener detached; raise ``OSError`` if that cannot be done."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
        return
    command = opener_command(path)
    if command is None:
        raise OSError("No program to open files was found (install xdg-utils).")
    subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
