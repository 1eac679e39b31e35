"""What a result is made of, and what kind of view each part gets.

A job's value (or a history entry's stored outputs) becomes a list of
:class:`OutputItem`: one per output, split further where one output holds
several things to look at (a Gallery's images, a multi-file output). Each item
has a ``kind`` that picks its view (``image``, ``table``, ``json``, ``chat``,
``plot``, ``media``, ``file``, ``text``, ``scalar``) and knows how it is
copied, saved and opened. Pure Python: no widgets, so it is unit-tested alone
and shared by the job view and the history view.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import mimetypes
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...client.endpoints import ReturnValue

IMAGE_COMPONENTS = frozenset({"image", "simpleimage", "imageeditor", "imageslider"})
PLOT_COMPONENTS = frozenset({"plot", "lineplot", "barplot", "scatterplot", "nativeplot"})
MEDIA_COMPONENTS = frozenset({"audio", "video"})
FILE_LISTS = frozenset({"file", "uploadbutton", "downloadbutton", "model3d", "pdf", "dicom", ""})
"""Outputs whose list value is a list of files (a Chatbot's list is a conversation)."""
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".ogg", ".flac", ".m4a", ".aac", ".opus"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mov", ".mkv", ".avi", ".m4v"})
LONG_TEXT_CHARS = 2000
LONG_TEXT_LINES = 24
"""Text longer than this gets the scrollable, searchable view."""


@dataclass
class OutputItem:
    """One thing to look at in a result."""

    label: str
    component: str
    """The output's component, lower case (``image``, ``dataframe``, …)."""
    value: Any
    is_file: bool = False
    caption: str = ""
    """A Gallery caption, an AnnotatedImage's labels."""
    part: str = ""
    """Which part of the output this is (``2/5`` of a Gallery), or empty."""

    @property
    def kind(self) -> str:
        return kind_of(self)

    @property
    def title(self) -> str:
        return f"{self.label} {self.part}".strip()

    @property
    def path(self) -> str | None:
        """The local file this item is, if it is one."""
        value = self.value
        if isinstance(value, str) and self.is_file and os.path.isabs(value):
            return value
        return None

    def gone(self) -> bool:
        """A file item whose file is no longer there (old history, a cleaned temp dir)."""
        path = self.path
        return path is not None and not os.path.exists(path)


def file_suffix(value: Any) -> str:
    return os.path.splitext(value)[1].lower() if isinstance(value, str) else ""


def kind_of(item: OutputItem) -> str:
    component, value = item.component, item.value
    if value is None:
        return "scalar"
    if item.is_file and isinstance(value, str):
        suffix = file_suffix(value)
        if component in IMAGE_COMPONENTS or suffix in IMAGE_SUFFIXES:
            return "image"
        if component in MEDIA_COMPONENTS or suffix in AUDIO_SUFFIXES | VIDEO_SUFFIXES:
            return "media"
        return "file"
    if component == "dataframe" and is_table(value):
        return "table"
    if component == "chatbot" and isinstance(value, list):
        return "chat"
    if component in PLOT_COMPONENTS and isinstance(value, dict):
        return "plot"
    if isinstance(value, bool | int | float):
        return "scalar"
    if isinstance(value, str):
        return "text"
    return "json"


def is_table(value: Any) -> bool:
    """The Dataframe shape: ``{"headers": [...], "data": [[...], ...]}``."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("headers"), list)
        and isinstance(value.get("data"), list)
        and all(isinstance(row, list) for row in value["data"])
    )


def is_long_text(text: str) -> bool:
    return len(text) > LONG_TEXT_CHARS or text.count("\n") >= LONG_TEXT_LINES


# -- building items --------------------------------------------------------------------------


def split_outputs(
    value: Any, returns: Sequence[ReturnValue]
) -> list[tuple[ReturnValue | None, Any]]:
    """``(return, value)`` per output; one output is not wrapped in a tuple."""
    if len(returns) > 1 and isinstance(value, tuple | list) and len(value) == len(returns):
        return list(zip(returns, value, strict=True))
    if len(returns) == 1:
        return [(returns[0], value)]
    return [(None, value)]


def items_for(label: str, component: str, value: Any, is_file: bool) -> list[OutputItem]:
    """The items one output shows as: several for a Gallery or a list of files."""
    component = component.lower()
    if component == "gallery" and isinstance(value, list):
        items = []
        for index, entry in enumerate(value, 1):
            path, caption = gallery_entry(entry)
            items.append(
                OutputItem(
                    label,
                    "image" if file_suffix(path) not in VIDEO_SUFFIXES else "video",
                    path,
                    is_file=True,
                    caption=caption,
                    part=f"{index}/{len(value)}",
                )
            )
        return items or [OutputItem(label, component, value)]
    if component == "annotatedimage" and isinstance(value, dict):
        image = value.get("image")
        path = image.get("path") if isinstance(image, dict) else image
        annotations = value.get("annotations")
        labels = [
            str(a.get("label"))
            for a in (annotations if isinstance(annotations, list) else [])
            if isinstance(a, dict) and a.get("label") is not None
        ]
        caption = ("labels: " + ", ".join(labels)) if labels else ""
        return [OutputItem(label, "image", path, is_file=True, caption=caption)]
    if component == "imageslider" and isinstance(value, list | tuple):
        return [
            OutputItem(label, "image", v, is_file=True, part=f"{i}/{len(value)}")
            for i, v in enumerate(value, 1)
        ]
    if component == "imageeditor" and isinstance(value, dict):
        return [OutputItem(label, "image", value.get("composite"), is_file=True)]
    if component == "video" and isinstance(value, dict):
        return [OutputItem(label, "video", value.get("video"), is_file=True)]
    if is_file and isinstance(value, list | tuple) and component in FILE_LISTS:
        if not value:
            return [OutputItem(label, component, None)]
        return [
            OutputItem(label, component, v, is_file=True, part=f"{i}/{len(value)}")
            for i, v in enumerate(value, 1)
        ]
    return [OutputItem(label, component, value, is_file=is_file)]


def gallery_entry(entry: Any) -> tuple[Any, str]:
    """``(path, caption)`` of a Gallery item in any of the shapes servers send."""
    if isinstance(entry, dict):
        media = entry.get("image") or entry.get("video") or entry.get("path")
        if isinstance(media, dict):
            media = media.get("path")
        caption = entry.get("caption")
        return media, caption if isinstance(caption, str) else ""
    if isinstance(entry, list | tuple) and entry:
        caption = entry[1] if len(entry) > 1 and isinstance(entry[1], str) else ""
        return entry[0], caption
    return entry, ""


def result_items(value: Any, returns: Sequence[ReturnValue]) -> list[OutputItem]:
    """Everything a job's value shows as."""
    items: list[OutputItem] = []
    for ret, v in split_outputs(value, returns):
        if ret is None:
            items.extend(items_for("result", "", v, False))
        else:
            items.extend(items_for(ret.label, ret.component, v, ret.is_file))
    return items


# -- copying and saving ----------------------------------------------------------------------


def to_text(value: Any) -> str:
    """The text a user gets when copying ``value``."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def table_csv(value: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(value.get("headers") or [])
    for row in value.get("data") or []:
        writer.writerow(row)
    return out.getvalue()


def copy_text(item: OutputItem) -> str:
    """What ``c`` copies: a file's path, a table as CSV, anything else as text/JSON."""
    if item.path is not None:
        return item.path
    if item.kind == "table":
        return table_csv(item.value)
    return to_text(item.value)


def save_name(item: OutputItem) -> str:
    """The file name offered by "save as…"."""
    if item.path is not None:
        return os.path.basename(item.path)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in item.label).strip("_")
    stem = stem[:60] or "result"
    kind = item.kind
    if kind == "table":
        return f"{stem}.csv"
    if kind == "plot":
        return f"{stem}{plot_suffix(item.value)}"
    if kind == "text" or kind == "scalar":
        return f"{stem}.md" if item.component == "markdown" else f"{stem}.txt"
    return f"{stem}.json"


def plot_suffix(value: Any) -> str:
    if isinstance(value, dict) and value.get("type") == "matplotlib":
        return ".png"
    if isinstance(value, dict) and "columns" in value and "data" in value:
        return ".csv"
    return ".json"


def save_bytes(item: OutputItem, name: str) -> bytes:
    """The bytes "save as…" writes for a value (files are copied, not read here)."""
    value = item.value
    if item.kind == "table" and not name.lower().endswith(".json"):
        return table_csv(value).encode("utf-8")
    if item.kind == "plot":
        from .plots import plot_png, plot_table

        png = plot_png(value)
        if png is not None and name.lower().endswith(".png"):
            return png
        table = plot_table(value)
        if table is not None and name.lower().endswith(".csv"):
            return table_csv(table).encode("utf-8")
        spec = value.get("plot")
        if isinstance(spec, str) and not name.lower().endswith(".json"):
            return spec.encode("utf-8")
    return to_text(value).encode("utf-8")


@functools.cache
def _mime_table() -> mimetypes.MimeTypes:
    """Python's own table, not the machine's /etc/mime.types: the same file reads
    the same on every machine (audio/x-wav here, audio/wav on another was a
    difference nobody asked for)."""
    return mimetypes.MimeTypes()


def mime_of(path: str) -> str:
    guessed, _ = _mime_table().guess_type(path)
    return guessed or "application/octet-stream"


__all__ = [
    "OutputItem",
    "copy_text",
    "is_long_text",
    "is_table",
    "items_for",
    "kind_of",
    "result_items",
    "save_bytes",
    "save_name",
    "to_text",
]
