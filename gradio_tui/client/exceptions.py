"""The reference's ``gradio_client.exceptions`` names, at the same place in this package.

A script moving over rewrites ``gradio_client`` to ``gradio_tui.client`` in its
imports and keeps its ``except`` clauses: these are our own classes (defined in
``errors.py``), each still deriving from the builtin the reference's derives from.
"""

from __future__ import annotations

from .errors import AppError, AuthenticationError, SerializationSetupError, ValidationError

__all__ = ["AppError", "AuthenticationError", "SerializationSetupError", "ValidationError"]
