"""The public names of the reference's ``gradio_client.utils``, where scripts look for them.

``from gradio_client.utils import Status, QueueError`` becomes
``from gradio_tui.client.utils import Status, QueueError``. Only what a script
uses is here (statuses, updates, the error classes, ``handle_file``); the
reference's protocol helpers have no counterpart, as this client does that
work elsewhere (``protocols/``, ``files.py``).
"""

from __future__ import annotations

from .. import __version__
from .errors import (
    InvalidAPIEndpointError,
    QueueError,
    SpaceDuplicationError,
    TooManyRequestsError,
)
from .filedata import file, handle_file
from .status import OutputUpdate, ProgressUnit, Status, StatusUpdate

__all__ = [
    "InvalidAPIEndpointError",
    "OutputUpdate",
    "ProgressUnit",
    "QueueError",
    "SpaceDuplicationError",
    "Status",
    "StatusUpdate",
    "TooManyRequestsError",
    "__version__",
    "file",
    "handle_file",
]
