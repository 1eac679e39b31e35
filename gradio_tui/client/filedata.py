"""What a file value is: its wire shapes and the marker that tells it from JSON.

A leaf module (it imports nothing of ours), so the transports, the file codec,
the API view and the snippets all recognise a file without importing each
other. ``handle_file`` lives here too: it is how a script spells one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

# The ``meta._type`` Gradio puts on every file value since 4.21 (and wants on uploads from 5.5).
FILE_DATA_TYPE = "gradio.FileData"


def file_meta() -> dict[str, str]:
    """A fresh ``meta`` dict marking a value as a file."""
    return {"_type": FILE_DATA_TYPE}


def has_file_meta(value: Any) -> bool:
    """Whether ``value`` is a dict carrying the FileData marker."""
    if not isinstance(value, dict):
        return False
    meta = value.get("meta")
    return isinstance(meta, dict) and meta.get("_type") == FILE_DATA_TYPE


def is_file_data(value: Any) -> bool:
    """A ``handle_file``/FileData dict: the strict shape with the gradio meta marker."""
    return has_file_meta(value) and isinstance(value.get("path"), str)


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def handle_file(filepath_or_url: str | Path) -> dict[str, Any]:
    """Mark a local path or URL as a file to send (the reference's ``handle_file``)."""
    s = str(filepath_or_url)
    if is_url(s):
        name = s.rstrip("/").split("/")[-1].split("?")[0] or "file"
        return {"path": s, "url": s, "orig_name": name, "meta": file_meta()}
    if Path(s).exists():
        return {"path": s, "orig_name": Path(s).name, "meta": file_meta()}
    raise ValueError(f"File {s} does not exist on local filesystem and is not a valid URL.")


file = handle_file


class FileData(TypedDict, total=False):
    """The shape of a file value (the reference exports it for type hints)."""

    path: str
    url: str | None
    size: int | None
    orig_name: str | None
    mime_type: str | None
    is_stream: bool
    meta: dict[str, str]


@dataclass
class PreparedFile:
    """A file ready to be put in a request: uploaded, or a URL the server fetches itself."""

    orig_name: str
    server_path: str | None = None
    url: str | None = None
    data_url: str | None = None
    size: int | None = None
    mime_type: str | None = None


@dataclass
class FileRef:
    """A file the server returned: where to fetch it and what to call it."""

    server_path: str | None
    url: str | None
    orig_name: str | None
    data_url: str | None = None


__all__ = [
    "FILE_DATA_TYPE",
    "FileData",
    "FileRef",
    "PreparedFile",
    "file",
    "file_meta",
    "handle_file",
    "has_file_meta",
    "is_file_data",
    "is_url",
]
