"""``gradio-tui spaces [OWNER]``: open the terminal app on the Spaces console.

Its own small parser, so the main command line stays as it is: ``cli.main``
hands over everything after ``spaces``. Textual is imported only once the
arguments are good (``--help`` stays instant).

    gradio-tui spaces                  your Spaces and your organizations'
    gradio-tui spaces gradio           the Spaces of one user or organization
    gradio-tui spaces --search whisper --sdk gradio
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .client.space_ids import NAME as OWNER

EPILOG = """\
examples:
  gradio-tui spaces                          yours and your organizations' (needs a token)
  gradio-tui spaces gradio                   one owner's Spaces (public ones without a token)
  gradio-tui spaces --search "whisper" --sdk gradio
                                             search the Hub, see an API before connecting

In the console: space marks, r restart, b rebuild, p pause, w wake, h hardware, t sleep,
d duplicate, delete deletes, e secrets/variables, l/L logs, enter connects, f1 help.
The HF token defaults to the one huggingface_hub already has (HF_TOKEN or `hf auth login`).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradio-tui spaces",
        description="The Spaces console: look after many Spaces at once, live.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("owner", nargs="?", help="a user or organization (default: you)")
    parser.add_argument("--search", metavar="QUERY", help="search the Hub's Spaces instead")
    parser.add_argument("--sdk", help="with --search: gradio, docker, static, streamlit…")
    parser.add_argument("--hf-token", help="HF token to use (never saved to disk)")
    return parser


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.owner is not None and not OWNER.match(args.owner):
        parser.error(f"{args.owner!r} is not a user or organization name")
    if args.owner and args.search:
        parser.error("give either OWNER or --search, not both")
    if args.sdk and not args.search:
        parser.error("--sdk goes with --search")
    if args.search is not None and not args.search.strip():
        parser.error("--search needs something to search for")
    if args.hf_token is not None and not args.hf_token.strip():
        parser.error("--hf-token is empty")

    from .tui.app import GradioTUI
    from .tui.session import SpacesRequest

    request = SpacesRequest(
        owner=args.owner,
        search=args.search.strip() if args.search else None,
        sdk=args.sdk,
        hf_token=args.hf_token,
    )
    app = GradioTUI(None, console=request)
    app.run()
    return app.return_code or 0
