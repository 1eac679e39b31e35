"""``gradio-tui call SRC API_NAME [ARGS…]``: call one endpoint once, print its result.

Arguments are ``name=value`` pairs (typed by the parameter: ``num=3`` sends a
number, ``flag=true`` a boolean), plain values in parameter order, or one
JSON object (by name) or array (in order); ``-`` reads that JSON from stdin.
Parameters left out take the app's defaults. A file parameter takes a local
path or a URL; output files are downloaded and printed as local paths.

stdout gets the result only: as text, or with ``--json`` as one JSON value
on the last line (one output as itself, several as a list). ``--stream``
prints one JSON line per output of a generator as it comes. When stderr is
a terminal it shows the queue position, ETA and progress; when it is not,
stderr gets only error messages.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import (
    add_connection_arguments,
    auth_of,
    connect,
    dumps,
    endpoint_ref,
    fail,
    plain,
    say,
)
from .exits import Exit, table_text

DESCRIPTION = """\
Call one endpoint once and print its result.

ARGS are name=value pairs, typed by the parameter (num=3 sends a number,
flag=true a boolean, a choice must be one of the app's), plain values in
parameter order, or one JSON object (by name) or array (in order); - reads
that JSON from stdin. Parameters left out take the app's defaults. A file
parameter takes a local path or a URL; output files are downloaded and their
local paths printed.

stdout gets only the result: text, or with --json one JSON value on the last
line (one output as itself, several as a list); --stream prints each output
of a generator as a JSON line as it comes. Queue position, ETA and progress
go to stderr when it is a terminal; when it is not, only error messages do."""

if TYPE_CHECKING:
    from ..client.endpoints import Endpoint

EPILOG = """\
examples:
  gradio-tui call http://127.0.0.1:7860/ /predict num1=3 operation=add num2=4
  gradio-tui call http://127.0.0.1:7860/ /echo "hello world"
  gradio-tui call owner/space /predict '{"text": "hi", "steps": 3}' --json
  echo '["hi", 3]' | gradio-tui call owner/space /stream - --stream
  gradio-tui call owner/space /describe in_file=./photo.png

""" + table_text()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", help="a Space id (owner/name) or an app URL")
    parser.add_argument(
        "api_name", metavar="API_NAME", help="the endpoint: /predict (or a number for fn_index)"
    )
    parser.add_argument(
        "values",
        nargs="*",
        metavar="ARGS",
        help="name=value pairs, plain values in order, one JSON object/array, or - for stdin",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the result as one JSON value on the last line"
    )
    parser.add_argument(
        "--stream",
        action="store_true",
        help="print every output of a generator as a JSON line, as it comes",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="cancel the call if it runs longer than S seconds (not counting the app's queue)",
    )
    parser.add_argument("--output-dir", help="where output files are downloaded")
    add_connection_arguments(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import asyncio
    import sys

    auth = auth_of(parser, args.auth)
    if args.timeout is not None and not args.timeout > 0:
        parser.error("--timeout must be a positive number of seconds.")
    stdin_text = None
    if args.values == ["-"]:
        stdin_text = sys.stdin.read()
    return asyncio.run(_call(args, auth, stdin_text))


def parse_values(
    endpoint: Endpoint, tokens: list[str], stdin_text: str | None
) -> tuple[list[Any], dict[str, Any]]:
    """Command-line words → (positional, keyword) arguments, typed by the parameters."""
    import json

    from ..client.arguments import from_text

    if stdin_text is not None or (len(tokens) == 1 and tokens[0].lstrip()[:1] in ("{", "[")):
        source = stdin_text if stdin_text is not None else tokens[0]
        try:
            value = json.loads(source)
        except ValueError as exc:
            if stdin_text is not None:
                raise ValueError(f"stdin is not a JSON object or array: {exc}") from None
            value = None  # not JSON after all: a plain value that starts with a bracket
        if isinstance(value, dict):
            return [], value
        if isinstance(value, list):
            return value, {}
        if stdin_text is not None:
            raise ValueError("stdin must hold one JSON object (by name) or array (in order).")
    params = endpoint.parameters
    by_name = {p.name: p for p in params}
    positional: list[Any] = []
    named: dict[str, Any] = {}
    for token in tokens:
        name, sep, text = token.partition("=")
        if sep and name in by_name:
            if name in named:
                raise ValueError(f"{name} is given twice.")
            named[name] = from_text(by_name[name], text)
            continue
        index = len(positional)
        positional.append(from_text(params[index], token) if index < len(params) else token)
    return positional, named


async def _call(
    args: argparse.Namespace, auth: tuple[str, str] | None, stdin_text: str | None
) -> int:
    try:
        core = await connect(
            args.src, hf_token=args.hf_token, auth=auth, output_dir=args.output_dir
        )
    except Exception as exc:
        return fail(exc)
    try:
        try:
            api_name, fn_index = endpoint_ref(args.api_name)
            endpoint = core.endpoint(api_name, fn_index)
            positional, named = parse_values(endpoint, args.values, stdin_text)
            job = core.job_for(endpoint, positional, named, strict=True)
        except Exception as exc:
            return fail(exc)
        core.start(job)
        return await _follow(job, stream=args.stream, as_json=args.json, timeout=args.timeout)
    finally:
        await core.aclose()


async def _follow(job: Any, *, stream: bool, as_json: bool, timeout: float | None) -> int:
    import asyncio
    import contextlib
    import signal
    import sys
    import time

    from ..client.errors import JobTimeoutError
    from ..client.mapping import until_running
    from ..client.status import OutputUpdate
    from .progress import StatusLine, job_text, log_text

    loop = asyncio.get_running_loop()
    cancelling: list[asyncio.Task[bool]] = []
    timed_out: list[float] = []

    def on_sigint() -> None:
        if cancelling:  # a second ctrl+c: stop waiting for the server's answer
            raise KeyboardInterrupt
        cancelling.append(loop.create_task(job.cancel()))

    async def watchdog(seconds: float) -> None:
        await until_running(job)
        await asyncio.sleep(seconds)
        if not job.done():
            timed_out.append(seconds)
            await job.cancel()

    with contextlib.suppress(NotImplementedError, RuntimeError):  # none on Windows
        loop.add_signal_handler(signal.SIGINT, on_sigint)
    timer = loop.create_task(watchdog(timeout)) if timeout is not None else None
    line = StatusLine(sys.stderr) if sys.stderr.isatty() else None
    started = time.monotonic()
    streamed = 0
    last: Any = None
    try:
        async for update in job:
            if isinstance(update, OutputUpdate):
                if stream and not update.final:
                    _out(dumps(update.outputs), line)
                    streamed += 1
                    last = update.outputs
                continue
            if line is None:
                continue
            log = log_text(update)
            if log is not None:
                line.print_above(log)
                continue
            text = job_text(update, started, len(job.outputs()))
            if text is not None:
                line.show(text)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        if timer is not None:
            timer.cancel()
        if line is not None:
            line.clear()
    if timed_out:
        return fail(
            JobTimeoutError(
                f"{job.endpoint.name} ran for more than {timed_out[0]:g} s and was cancelled."
            )
        )
    if job.cancelled():
        say("gradio-tui: interrupted; the call was cancelled.")
        return int(Exit.INTERRUPTED)
    try:
        value = await job.result()
    except Exception as exc:
        return fail(exc)
    if stream:
        if not streamed or value != last:
            _out(dumps(value), None)
    elif as_json:
        _out(dumps(value), None)
    elif isinstance(value, tuple):
        for item in value:
            _out(plain(item), None)
    elif value is not None:
        _out(plain(value), None)
    return 0


def _out(text: str, line: Any) -> None:
    """A result line on stdout; the status line (on stderr) is cleared first if both
    go to the same terminal, so they never mix."""
    import sys

    if line is not None and sys.stdout.isatty():
        line.clear()
    print(text, flush=True)
