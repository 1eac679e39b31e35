"""What the keys on a result do: copy, save as…, open, ``$EDITOR``, ``$PAGER``.

Every file operation runs in a thread worker and ends in one toast that says
what happened, in words: "Saved 1.2 MB to …", or the reason it failed (the
opener's own error, a full disk, a folder that is not writable). Nothing is
overwritten without the user's yes (the save dialog asks; the write itself
refuses, with ``O_EXCL``, a file that appeared in between).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..external import ExternalFailed, page_text, view_in_editor
from ..opener import OpenFailed, open_path
from ..screens.save_as import SaveAsScreen, SaveTarget
from .facts import human_size
from .model import OutputItem, copy_text, mime_of, save_bytes, save_name, to_text
from .plots import plot_html, plot_png

if TYPE_CHECKING:
    from ..app import GradioTUI

OPEN_DIR_PREFIX = "gradio-tui-open-"


def copy_item(app: GradioTUI, item: OutputItem) -> None:
    text = copy_text(item)
    app.copy_to_clipboard(text)
    what = "the path" if item.path is not None else f"{len(text)} characters"
    app.notify(f"Copied {what}.")


# -- save as… ---------------------------------------------------------------------------------


def save_item(app: GradioTUI, item: OutputItem) -> None:
    """Ask where (the save dialog), then write in a thread and say how it went."""
    if item.gone():
        app.notify(f"The file is no longer there: {item.path}", severity="warning")
        return
    folder = getattr(app, "save_folder", None) or os.getcwd()

    def chosen(target: SaveTarget | None) -> None:
        if target is None:
            return
        app.save_folder = str(target.path.parent)  # type: ignore[attr-defined]
        app.run_worker(
            lambda: _save_in_thread(app, item, target),
            thread=True,
            group="save",
            exit_on_error=False,
            description="Save a result",
        )

    app.push_screen(SaveAsScreen(item.title, save_name(item), folder), chosen)


def _save_in_thread(app: GradioTUI, item: OutputItem, target: SaveTarget) -> None:
    try:
        size = write_item(item, target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        app.call_from_thread(
            app.notify, f"Could not save {target.path}: {reason}", title="Save", severity="error"
        )
        return
    app.call_from_thread(app.notify, f"Saved {human_size(size)} to {target.path}", title="Save")


def write_item(item: OutputItem, target: SaveTarget) -> int:
    """Write ``item`` to ``target`` (a file byte for byte); the number of bytes written.

    A new file is created exclusively; a replaced one is written beside it and
    moved over it, so a failure never leaves half a file where the old one was.
    """
    path = target.path
    if target.replace:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                size = _copy_into(item, path.name, out)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return size
    with open(path, "xb") as out:
        return _copy_into(item, path.name, out)


def _copy_into(item: OutputItem, name: str, out: BinaryIO) -> int:
    source = item.path
    if source is not None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
        return os.path.getsize(source)
    data = save_bytes(item, name)
    out.write(data)
    return len(data)


# -- open -------------------------------------------------------------------------------------


def open_target(item: OutputItem) -> str:
    """The file the system opener gets: the output's own file, or one written for it."""
    if item.path is not None:
        return item.path
    value = item.value
    folder = tempfile.mkdtemp(prefix=OPEN_DIR_PREFIX)
    if item.kind == "plot":
        png = plot_png(value)
        if png is not None:
            return _write(folder, "plot.png", png)
        page = plot_html(value)
        if page is not None:
            return _write(folder, "plot.html", page.encode("utf-8"))
    name = save_name(item)
    return _write(folder, name, save_bytes(item, name))


def _write(folder: str, name: str, data: bytes) -> str:
    path = Path(folder) / name
    path.write_bytes(data)
    return str(path)


def open_item(app: GradioTUI, item: OutputItem) -> None:
    """Hand the result to the system's opener (in a thread) and report what it said."""
    if item.gone():
        app.notify(f"The file is no longer there: {item.path}", severity="warning")
        return

    def run() -> None:
        try:
            path = open_target(item)
            open_path(path, app.settings.opener)
        except OpenFailed as exc:
            app.call_from_thread(app.notify, str(exc), title="Open", severity="error", timeout=10)
            return
        except OSError as exc:
            reason = exc.strerror or str(exc)
            app.call_from_thread(app.notify, f"Could not open it: {reason}", severity="error")
            return
        app.call_from_thread(app.notify, f"Opened {path}", title="Open")

    app.run_worker(run, thread=True, group="open", exit_on_error=False, description="Open")


# -- $EDITOR and $PAGER ---------------------------------------------------------------------


def item_text(item: OutputItem) -> tuple[str, str] | None:
    """``(text, suffix)`` to show in an editor or pager; None for a binary file."""
    path = item.path
    if path is not None:
        mime = mime_of(path)
        if not (mime.startswith("text/") or mime in ("application/json", "application/xml")):
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                return fh.read(), os.path.splitext(path)[1] or ".txt"
        except OSError:
            return None
    if item.kind == "table":
        return copy_text(item), ".csv"
    text = to_text(item.value)
    suffix = ".txt" if isinstance(item.value, str) else ".json"
    return text, suffix


def external_item(app: GradioTUI, item: OutputItem, *, pager: bool) -> None:
    """Show the result's text in ``$PAGER`` or ``$EDITOR``, the app suspended meanwhile."""
    shown = item_text(item)
    if shown is None:
        app.notify(
            "This result is not text: o opens it with the system's viewer.", severity="warning"
        )
        return
    text, suffix = shown
    try:
        if pager:
            page_text(app, text, suffix)
        else:
            view_in_editor(app, text, suffix)
    except (ExternalFailed, OSError) as exc:
        app.notify(str(exc), severity="error")
