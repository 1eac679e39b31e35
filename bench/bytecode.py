"""Compile our package's bytecode before anything is timed, as an install would.

pip compiles every package it installs: gradio_client, httpx and the rest load
cached bytecode in a fresh process. This checkout is an editable install, and
Python caches its bytecode at the first import only when it may write
``__pycache__``: with ``PYTHONDONTWRITEBYTECODE`` set (it is on the development
machine) every fresh process compiled all of our modules again, ~30 ms of a
~130 ms cold start that neither an installed copy nor the reference pays.
Compiling once puts both clients on the footing of an installed package.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
from pathlib import Path


def compile_ours() -> dict[str, object]:
    """Write ``__pycache__`` for every module of ``gradio_tui``; what was done, for the results."""
    spec = importlib.util.find_spec("gradio_tui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("gradio_tui is not importable: run the bench from the project's venv")
    root = Path(next(iter(spec.submodule_search_locations)))
    # py_compile writes the cache whatever PYTHONDONTWRITEBYTECODE says.
    ok = compileall.compile_dir(root, quiet=1)
    return {
        "compiled": bool(ok),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }
