"""``gradio-tui info SRC``: an app's API, as ``view_api`` prints it or as JSON.

The text is the reference client's ``view_api()`` text (people diff it and
paste it in issues); ``--json`` prints the ``view_api(return_format="dict")``
value, ``{"named_endpoints": …, "unnamed_endpoints": …}``.
"""

from __future__ import annotations

import argparse

from .common import add_connection_arguments, auth_of, connect, fail
from .exits import table_text

DESCRIPTION = """\
Print an app's API: the text view_api prints, or with --json the
{"named_endpoints": ..., "unnamed_endpoints": ...} object."""

EPILOG = """\
examples:
  gradio-tui info abidlabs/whisper
  gradio-tui info http://127.0.0.1:7860/ --json | jq '.named_endpoints | keys'
  gradio-tui info http://127.0.0.1:7860/ --all      also unnamed and undocumented endpoints

""" + table_text()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", help="a Space id (owner/name) or an app URL")
    parser.add_argument("--json", action="store_true", help="print the API as one JSON object")
    parser.add_argument(
        "--all", action="store_true", help="include unnamed and undocumented endpoints"
    )
    add_connection_arguments(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import asyncio

    auth = auth_of(parser, args.auth)
    return asyncio.run(_info(args, auth))


async def _info(args: argparse.Namespace, auth: tuple[str, str] | None) -> int:
    import json

    from ..client.untrusted import visible

    try:
        core = await connect(args.src, hf_token=args.hf_token, auth=auth)
    except Exception as exc:
        return fail(exc)
    try:
        all_endpoints = True if args.all else None
        shown = {"print_info": False, "undocumented": args.all}
        if args.json:
            api = core.view_api(all_endpoints, return_format="dict", **shown)
            print(json.dumps(api, indent=2))
        else:
            text = core.view_api(all_endpoints, return_format="str", **shown)
            print(visible(str(text)))
        return 0
    finally:
        await core.aclose()
