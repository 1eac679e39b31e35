"""Facts about a result file: size, type, pixel size, duration.

Read without playing anything: WAV headers with the standard library, MP4 /
MOV / M4A durations from the ``mvhd`` box, pixel sizes from the image header
(Pillow reads only the header), and ``ffprobe`` for other audio and video when
it is installed. Every reader gives up quietly (a fact is then "unknown"):
a file from an app is data, and a malformed one must not break the view.
These run in worker threads: none of them is on the event loop.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import wave
from dataclasses import dataclass
from typing import BinaryIO

from .model import AUDIO_SUFFIXES, IMAGE_SUFFIXES, VIDEO_SUFFIXES, file_suffix, mime_of

FFPROBE_TIMEOUT = 5.0


TEXT_PREVIEW_BYTES = 4000
TEXT_PREVIEW_LINES = 12


@dataclass
class FileFacts:
    path: str
    exists: bool
    size: int | None = None
    preview: str | None = None
    """The first lines of a text file (shown under its facts)."""
    mime: str = ""
    pixels: tuple[int, int] | None = None
    duration: float | None = None
    channels: int | None = None
    rate: int | None = None

    def summary(self) -> str:
        """``tone.wav · 1.0 s · 16.0 KB · audio/x-wav`` (the name is added by the caller)."""
        if not self.exists:
            return "gone (the file is no longer there)"
        parts: list[str] = []
        if self.pixels is not None:
            parts.append(f"{self.pixels[0]}×{self.pixels[1]} px")
        if self.duration is not None:
            parts.append(format_duration(self.duration))
        if self.channels is not None and self.rate is not None:
            parts.append(
                f"{'mono' if self.channels == 1 else f'{self.channels} ch'} {self.rate} Hz"
            )
        if self.size is not None:
            parts.append(human_size(self.size))
        if self.mime:
            parts.append(self.mime)
        return " · ".join(parts)


def human_size(size: int) -> str:
    """``16.0 KB``, ``1.2 MB``: powers of 1000, as file managers say."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def file_facts(path: str) -> FileFacts:
    """Everything cheap to know about ``path`` (blocking: call it from a thread)."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return FileFacts(path, exists=False)
    facts = FileFacts(path, exists=True, size=size, mime=mime_of(path))
    suffix = file_suffix(path)
    if suffix in IMAGE_SUFFIXES:
        facts.pixels = image_size(path)
    elif suffix == ".wav":
        wav_facts(path, facts)
    elif suffix in (".mp4", ".m4a", ".mov", ".m4v"):
        facts.duration = mp4_duration(path)
    if facts.duration is None and suffix in AUDIO_SUFFIXES | VIDEO_SUFFIXES:
        facts.duration = ffprobe_duration(path)
    if facts.mime.startswith("text/") or facts.mime in ("application/json", "text/csv"):
        facts.preview = text_preview(path)
    return facts


def text_preview(path: str) -> str | None:
    """The first lines of a text file, or None when it is not UTF-8 text."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(TEXT_PREVIEW_BYTES)
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:  # cut in the middle of a character at the end of the sample
            text = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return None
    except OSError:
        return None
    lines = text.splitlines()
    shown = "\n".join(lines[:TEXT_PREVIEW_LINES])
    more = len(lines) > TEXT_PREVIEW_LINES or len(head) == TEXT_PREVIEW_BYTES
    return shown + ("\n…" if more else "")


def image_size(path: str) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(path) as image:
            return int(image.width), int(image.height)
    except Exception:  # Pillow raises many kinds on a bad file
        return None


def wav_facts(path: str, facts: FileFacts) -> None:
    try:
        with wave.open(path) as w:
            frames, rate = w.getnframes(), w.getframerate()
            facts.channels, facts.rate = w.getnchannels(), rate
            facts.duration = frames / rate if rate else None
    except (wave.Error, EOFError, OSError, ValueError):
        pass


def mp4_duration(path: str) -> float | None:
    """The ``moov/mvhd`` duration of an ISO media file (MP4, MOV, M4A)."""
    try:
        with open(path, "rb") as fh:
            return _find_mvhd(fh, os.path.getsize(path))
    except (OSError, struct.error, ValueError):
        return None


def _find_mvhd(fh: BinaryIO, end: int, depth: int = 0) -> float | None:
    while fh.tell() + 8 <= end and depth < 4:
        start = fh.tell()
        header = fh.read(8)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header)
        if size == 1:
            size = struct.unpack(">Q", fh.read(8))[0]
        elif size == 0:
            size = end - start
        if size < 8:
            return None
        if kind == b"moov":
            found = _find_mvhd(fh, start + size, depth + 1)
            if found is not None:
                return found
        elif kind == b"mvhd":
            version = fh.read(1)[0]
            fh.read(3)
            if version == 1:
                _created, _modified, scale, duration = struct.unpack(">QQIQ", fh.read(28))
            else:
                _created, _modified, scale, duration = struct.unpack(">IIII", fh.read(16))
            return duration / scale if scale else None
        fh.seek(start + size)
    return None


def ffprobe_duration(path: str) -> float | None:
    exe = shutil.which("ffprobe")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-v", "quiet", "-print_format", "json", "-show_format", path],
            capture_output=True,
            timeout=FFPROBE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        duration = json.loads(out.stdout or b"{}").get("format", {}).get("duration")
        return float(duration) if duration is not None else None
    except (OSError, subprocess.SubprocessError, ValueError, AttributeError):
        return None
