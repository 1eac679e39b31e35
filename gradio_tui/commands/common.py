"""What the script commands share: connecting, naming an endpoint, saying what failed.

Messages go to stderr, results to stdout. Any text that came from an app
(its errors, its outputs in plain mode) passes through ``untrusted.visible``
before it reaches a terminal; JSON output stays the data (``json.dumps``
escapes every control character, and non-ASCII too by default).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from ..client.untrusted import visible
from .exits import Exit, exit_for

if TYPE_CHECKING:
    from ..client.core import AsyncClient

PROG = "gradio-tui"


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--hf-token", help="HF token for private Spaces (default: the one huggingface_hub has)"
    )
    group.add_argument("--auth", metavar="USER:PASS", help="login of an app launched with auth=")


def auth_of(parser: argparse.ArgumentParser, text: str | None) -> tuple[str, str] | None:
    if text is None:
        return None
    from ..client.sources import parse_auth

    try:
        return parse_auth(text)
    except ValueError:
        parser.error("--auth takes USER:PASSWORD")
    raise AssertionError("unreachable")  # parser.error exits


def endpoint_ref(text: str) -> tuple[str | None, int | None]:
    """``/predict`` or ``predict`` → api_name ``/predict``; ``3`` → fn_index 3 (unnamed ones)."""
    text = text.strip()
    if text.isdigit():
        return None, int(text)
    return (text if text.startswith("/") else "/" + text), None


async def connect(
    src: str,
    *,
    hf_token: str | None,
    auth: tuple[str, str] | None,
    max_workers: int = 40,
    output_dir: str | None = None,
) -> AsyncClient:
    """A quiet client (``verbose=False``: stdout is for results only)."""
    from ..client._httpx_import import import_httpx_without_cli

    import_httpx_without_cli()
    from ..client.core import AsyncClient

    return await AsyncClient.connect(
        src,
        hf_token,
        max_workers=max_workers,
        output_dir=output_dir,
        verbose=False,
        auth=auth,
    )


def say(message: str, stream: TextIO | None = None) -> None:
    """A message for the person running the command, on stderr."""
    out = stream or sys.stderr
    print(message, file=out, flush=True)


def error_text(exc: BaseException) -> str:
    """One error, in words: the app's own message for app errors, with its kind otherwise."""
    from ..client.errors import AppError

    message = exc.message if isinstance(exc, AppError) else str(exc)
    message = visible(message or type(exc).__name__)
    if isinstance(exc, AppError):
        return f"the app raised an error: {message}"
    return message


def fail(exc: BaseException) -> int:
    """Report an error the command cannot get past; the exit status for it."""
    code = exit_for(exc)
    if code is Exit.INTERNAL:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        say(f"{PROG}: internal error ({type(exc).__name__}); please report it with the lines above")
    else:
        say(f"{PROG}: {error_text(exc)}")
    return int(code)


def error_json(exc: BaseException) -> dict[str, Any]:
    """An error as data (batch output lines): its kind and its message, unaltered."""
    from ..client.errors import AppError

    message = exc.message if isinstance(exc, AppError) else str(exc)
    return {"type": type(exc).__name__, "message": message}


def jsonable(value: Any) -> Any:
    """A result as JSON data: tuples (several outputs) become lists; unknown objects, text."""
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def dumps(value: Any) -> str:
    """One line of JSON; ASCII only, so no byte of it can drive a terminal.

    Tuples become lists and unknown objects their text; the recursive copy of
    ``jsonable`` is taken only for values ``json`` cannot write as they are.
    """
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):  # keys that are not strings, circular values
        return json.dumps(jsonable(value), default=str)


def plain(value: Any) -> str:
    """A result for a person: text as is (made visible), anything else as indented JSON."""
    if isinstance(value, str):
        return visible(value)
    return visible(json.dumps(jsonable(value), indent=2, ensure_ascii=False))
