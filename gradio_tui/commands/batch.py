"""``gradio-tui batch SRC API_NAME --input FILE --output FILE.jsonl``: every row, once.

Each input row (a JSONL object, or a CSV line under a header; its keys are
the endpoint's parameter names, missing ones take the app's defaults) is one
call; each call is one output line: the row's id, its input, and its output
or its error. The run is ``AsyncClient.map`` (``client/mapping.py``): bounded
concurrency per copy of the app, retries with backoff on 429/5xx/lost
connections (honouring ``Retry-After``), an optional per-call timeout, rows
spread over several copies (``--src``, repeated) to the least busy one, a copy
that fails rested while its rows go to the others.

Nothing is lost and nothing is written twice: a line is written when its row
has ended, so the output only ever holds finished rows; the first ctrl+c takes
no new rows and waits for the running ones (a second cancels them), and
``--resume`` skips the rows the output already has. Memory stays flat: rows
are read as they are needed and written as they end.
"""

from __future__ import annotations

import argparse

from .common import add_connection_arguments, auth_of
from .exits import table_text

DESCRIPTION = """\
Call one endpoint for every row of a JSONL or CSV file and write one JSON
line per row: its id, its input, and its output or its error.

A row's keys (or the CSV's columns) are the endpoint's parameter names;
missing ones take the app's defaults. Rows run --concurrency at a time per
copy of the app; calls that fail because the app was unavailable (429, 5xx,
a lost connection) are retried with backoff, waiting as long as the server's
Retry-After asks. --src, repeated, adds copies of the app (duplicated
Spaces): each row goes to the least busy one, and a copy that fails rests
while its rows are retried on the others. A row that cannot be read is
reported with its line number and written as a failed row; it never stops
the batch. Input and output are streamed: memory stays flat."""

EPILOG = """\
input rows:
  JSONL: one JSON object per line, {"param": value, ...} (or an array of values in order).
  CSV:   a header line of parameter names, then one row per line; cells are read by
         the parameter's type (numbers, true/false, choices, JSON); an empty cell takes
         the app's default. Relative file paths are relative to the input file's folder.

output lines (JSONL, one per input row, in the order rows end unless --ordered):
  {"id": ..., "line": 7, "ok": true, "input": {...}, "output": ..., "attempts": 1,
   "src": "<copy of the app>", "seconds": 0.42}
  {"id": ..., "line": 8, "ok": false, "input": {...}, "error": {"type": ..., "message": ...}, ...}
  Output files go to FILES_DIR/<row>/ (default: the output file's name with .files).

examples:
  gradio-tui batch owner/space /predict --input rows.jsonl --output results.jsonl
  gradio-tui batch owner/space /predict --input data.csv --output out.jsonl --id-column id
  gradio-tui batch owner/space /predict --input rows.jsonl --output out.jsonl --resume
  gradio-tui batch me/copy-1 /predict --src me/copy-2 --src me/copy-3 --input … --output …
  gradio-tui batch owner/space /predict --input big.jsonl --output part0.jsonl --shard 0/2

ctrl+c once: take no new rows, wait for the running ones; twice: cancel them.
Either way the output holds every finished row, and --resume continues it.

""" + table_text()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", help="a Space id (owner/name) or an app URL")
    parser.add_argument(
        "api_name", metavar="API_NAME", help="the endpoint: /predict (or a number for fn_index)"
    )
    io = parser.add_argument_group("input and output")
    io.add_argument("--input", required=True, metavar="FILE", help="JSONL or CSV rows; - is stdin")
    io.add_argument(
        "--output", required=True, metavar="FILE", help="where result lines go (JSONL); - is stdout"
    )
    io.add_argument(
        "--format", choices=("jsonl", "csv"), help="the input's format (default: by its extension)"
    )
    io.add_argument(
        "--id-column",
        metavar="NAME",
        help="the column (key) holding each row's id (default: rows are keyed by line number)",
    )
    io.add_argument("--files-dir", metavar="DIR", help="where output files go, a folder per row")
    io.add_argument(
        "--ordered", action="store_true", help="write results in input order (default: as they end)"
    )
    io.add_argument(
        "--resume",
        action="store_true",
        help="skip the rows the output already has, append the rest",
    )
    io.add_argument("--force", action="store_true", help="overwrite an existing output file")
    io.add_argument(
        "--shard", metavar="I/N", help="only rows I, I+N, I+2N, … (N machines split one file)"
    )
    runs = parser.add_argument_group("running")
    runs.add_argument(
        "--src",
        dest="more_src",
        action="append",
        default=[],
        metavar="SRC",
        help="another copy of the app to share the rows (repeat for more)",
    )
    runs.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help="calls in flight per copy of the app (default 40: Gradio's own thread pool)",
    )
    runs.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="retries of a call that failed for the "
        "app's reasons: 429, 5xx, connection lost (default 3)",
    )
    runs.add_argument(
        "--backoff",
        type=float,
        default=1.0,
        metavar="S",
        help="first wait before a retry, doubled each time (default 1 s; Retry-After wins)",
    )
    runs.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="cancel a call that runs longer than S seconds (time in the app's queue not counted)",
    )
    add_connection_arguments(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import asyncio
    from pathlib import Path

    from ..client.retry import RetryPolicy
    from .batch_run import BatchRun
    from .common import say
    from .exits import Exit
    from .rows import parse_shard

    auth = auth_of(parser, args.auth)
    shard = (0, 1)
    if args.shard is not None:
        try:
            shard = parse_shard(args.shard)
        except ValueError as exc:
            parser.error(str(exc))
    if args.concurrency is not None and args.concurrency < 1:
        parser.error("--concurrency must be at least 1.")
    try:
        policy = RetryPolicy(retries=args.retries, backoff=args.backoff, timeout=args.timeout)
    except ValueError as exc:
        parser.error(str(exc).replace("retries", "--retries").replace("timeout", "--timeout"))
    if args.output == "-":
        if args.resume:
            parser.error("--resume needs an output file, not stdout.")
    else:
        out = Path(args.output)
        if out.is_dir():
            parser.error(f"--output {args.output} is a folder.")
        if out.exists() and out.stat().st_size and not (args.resume or args.force):
            parser.error(
                f"{args.output} already exists: --resume continues it, --force overwrites it."
            )
    if args.input != "-" and not Path(args.input).is_file():
        say(f"gradio-tui: no input file {args.input}")
        return int(Exit.USAGE)
    return asyncio.run(BatchRun(args, auth, shard, policy).main())


__all__ = ["EPILOG", "add_arguments", "run"]
