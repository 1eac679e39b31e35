"""Entry point of ``gradio-tui`` and ``python -m gradio_tui``.

Kept light: argument parsing and ``locate`` import nothing heavy; Textual is
imported only when the terminal app actually runs.

    gradio-tui [SRC] [--hf-token TOKEN] [--auth USER:PASS] [--output-dir DIR]
    gradio-tui --demo        run the bundled demo app locally and connect to it
    gradio-tui locate        print where settings, recents and history live
    gradio-tui spaces [OWNER]  the Spaces console (see gradio-tui spaces --help)
    gradio-tui history [SRC] print past jobs (``gradio-tui history --help``)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from . import __version__

EPILOG = """\
examples:
  gradio-tui                                   connect screen (recent apps, Space id or URL)
  gradio-tui abidlabs/whisper                  a Hugging Face Space
  gradio-tui http://127.0.0.1:7860/            any Gradio app
  gradio-tui --demo                            the bundled demo (needs the [demo] extra)
  gradio-tui locate                            where settings.json and the history live
  gradio-tui spaces [OWNER]                    the Spaces console: your Spaces, live
  gradio-tui history owner/space -n 20         the last 20 jobs run on that app

The HF token defaults to the one huggingface_hub already has (HF_TOKEN or `hf auth login`).
Settings may also come from GRADIO_TUI_<FIELD> variables; GRADIO_TUI_CONFIG_FILE points at
another settings file.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradio-tui",
        description="Explore and call any Gradio app or Hugging Face Space from the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "src",
        nargs="?",
        help="a Space id (owner/name) or an app URL; 'locate' prints the data paths",
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


def locate(as_json: bool = False) -> int:
    from .store import Paths

    paths = Paths.default().as_dict()
    if as_json:
        print(json.dumps(paths, indent=2))
    else:
        width = max(len(k) for k in paths)
        for key, value in paths.items():
            print(f"{key:<{width}}  {value}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["locate"]:
        return locate(as_json="--json" in args_list[1:])
    if args_list[:1] == ["spaces"]:
        from .spaces_cli import main as spaces_main

        return spaces_main(args_list[1:])
    if args_list[:1] == ["history"]:
        from .history import history_command

        return history_command(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)

    auth: tuple[str, str] | None = None
    if args.auth is not None:
        from .tui.session import parse_auth

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
            demo = start_demo()
        except DemoUnavailableError as exc:
            print(f"gradio-tui: {exc}", file=sys.stderr)
            return 1
        src = demo.url
    try:
        return run_app(
            src,
            hf_token=args.hf_token,
            auth=auth,
            # The demo's results go with it, unless asked to keep them somewhere.
            output_dir=args.output_dir or (str(demo.downloads) if demo else None),
            ephemeral=demo is not None,
        )
    finally:
        if demo is not None:
            demo.stop()


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
    # Before Textual owns the terminal: the one moment a graphics protocol can be asked for.
    from .tui.graphics import prepare

    prepare(app.settings.images)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
