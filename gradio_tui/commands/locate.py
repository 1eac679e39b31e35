"""``gradio-tui locate``: where settings, recent apps and the job history live."""

from __future__ import annotations

import argparse
import json

DESCRIPTION = "Print where settings, recent apps and the job history live."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the paths as a JSON object")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ..store import Paths

    paths = Paths.default().as_dict()
    if args.json:
        print(json.dumps(paths, indent=2))
    else:
        width = max(len(k) for k in paths)
        for key, value in paths.items():
            print(f"{key:<{width}}  {value}")
    return 0
