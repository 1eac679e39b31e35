"""Entry point of ``gradio-tui`` and ``python -m gradio_tui``.

Kept light: argument parsing, ``--help`` and the script commands import
nothing heavy; Textual is imported only when the terminal app actually runs.

    gradio-tui [SRC] [--hf-token TOKEN] [--auth USER:PASS] [--output-dir DIR]
    gradio-tui --demo        run the bundled demo app locally and connect to it
    gradio-tui COMMAND …     a command for scripts (``COMMANDS`` below)
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

from . import __version__


class Command(NamedTuple):
    """A subcommand: the module that holds it, and its line in ``gradio-tui --help``.

    The module defines ``add_arguments(parser)`` and ``run(args, parser) -> int``
    (the exit status), may set ``DESCRIPTION`` and ``EPILOG`` for its ``--help``,
    and imports nothing heavy at import time (``--help`` must stay instant).
    A command that parses its own arguments names its function instead
    (``entry``: ``(argv) -> exit status``).
    """

    module: str
    summary: str
    entry: str | None = None


# Adding a command is one line here (and its module).
COMMANDS: dict[str, Command] = {
    "info": Command("gradio_tui.commands.info", "print an app's API (text, or --json)"),
    "call": Command("gradio_tui.commands.call", "call an endpoint once and print its result"),
    "batch": Command("gradio_tui.commands.batch", "call an endpoint for every row of a file"),
    "locate": Command("gradio_tui.commands.locate", "print where settings and history live"),
    "history": Command("gradio_tui.history", "print past jobs of an app", "history_command"),
    "spaces": Command("gradio_tui.spaces_cli", "the Spaces console: your Spaces, live", "main"),
}

EPILOG = """examples:
  gradio-tui                                   connect screen (recent apps, Space id or URL)
  gradio-tui abidlabs/whisper                  a Hugging Face Space
  gradio-tui http://127.0.0.1:7860/            any Gradio app
  gradio-tui --demo                            the bundled demo (needs the [demo] extra)

commands (gradio-tui COMMAND --help for each):
{commands}

The HF token defaults to the one huggingface_hub already has (HF_TOKEN or `hf auth login`).
Settings may also come from GRADIO_TUI_<FIELD> variables; GRADIO_TUI_CONFIG_FILE points at
another settings file.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradio-tui",
        description="Explore and call any Gradio app or Hugging Face Space from the terminal.",
        epilog=EPILOG.format(
            commands="\n".join(f"  {name:<10} {c.summary}" for name, c in COMMANDS.items())
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "src",
        nargs="?",
        help="a Space id (owner/name) or an app URL; or a command: " + ", ".join(COMMANDS),
    )
    parser.add_argument("--hf-token", help="HF token for private Spaces (never saved to disk)")
    parser.add_argument("--auth", metavar="USER:PASS", help="login of an app launched with auth=")
    parser.add_argument("--output-dir", help="where result files are downloaded")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the bundled demo Gradio app on 127.0.0.1 and connect to it",
    )
    parser.add_argument("--version", action="version", version=f"gradio-tui {__version__}")
    return parser


def run_command(name: str, argv: list[str]) -> int:
    """Parse a subcommand's arguments and run it; its exit status."""
    command = COMMANDS[name]
    module = importlib.import_module(command.module)
    if command.entry is not None:
        return int(getattr(module, command.entry)(argv))
    parser = argparse.ArgumentParser(
        prog=f"gradio-tui {name}",
        description=getattr(module, "DESCRIPTION", None) or command.summary,
        epilog=getattr(module, "EPILOG", None),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    module.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return int(module.run(args, parser))
    except KeyboardInterrupt:
        print(f"gradio-tui {name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in COMMANDS:
        return run_command(args_list[0], args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)

    auth: tuple[str, str] | None = None
    if args.auth is not None:
        from .client.sources import parse_auth

        try:
            auth = parse_auth(args.auth)
        except ValueError:
            parser.error("--auth takes USER:PASSWORD")
    if args.demo and args.src:
        parser.error("give either SRC or --demo, not both")
    if args.output_dir is not None and os.path.isfile(args.output_dir):
        parser.error(f"--output-dir {args.output_dir} is not a directory")

    demo = None
    src = args.src
    if args.demo:
        from .demo.server import DemoUnavailableError, start_demo

        print("Starting the demo Gradio app on 127.0.0.1 …", file=sys.stderr)
        try:
            demo = start_demo(while_starting=preload_app)
        except DemoUnavailableError as exc:
            print(f"gradio-tui: {exc}", file=sys.stderr)
            return 1
        src = demo.url
    try:
        return run_app(
            src,
            hf_token=args.hf_token,
            auth=auth,
            output_dir=args.output_dir,
            ephemeral=demo is not None,
        )
    finally:
        if demo is not None:
            demo.stop()


def preload_app() -> None:
    """Import what the terminal app needs to show a connected app.

    ``--demo`` calls this while the demo's Gradio starts (seconds, on the other
    core), so that once the demo answers only connecting and drawing are left.
    """
    import contextlib

    from textual.drivers import linux_driver  # noqa: F401  (every App() looks it up)

    from .client import core  # noqa: F401
    from .client.protocols import sse  # noqa: F401
    from .tui import app  # noqa: F401
    from .tui.screens import connecting, hub_dialog, main  # noqa: F401

    with contextlib.suppress(ImportError):  # what httpx's first request loads, if it is anyio's
        import anyio._backends._asyncio  # noqa: F401


def run_app(
    src: str | None,
    *,
    hf_token: str | None = None,
    auth: tuple[str, str] | None = None,
    output_dir: str | None = None,
    ephemeral: bool = False,
) -> int:
    # Imported here so that `--help`, `locate` and the demo start-up stay fast.
    from .tui.app import GradioTUI
    from .tui.session import ConnectRequest

    # Credentials without a source still prefill the connect screen.
    request = (
        ConnectRequest(src or "", hf_token=hf_token, auth=auth, ephemeral=ephemeral)
        if src or hf_token or auth
        else None
    )
    app = GradioTUI(request, output_dir=output_dir)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
