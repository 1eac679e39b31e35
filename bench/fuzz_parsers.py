"""The parser property tests with many more examples than CI runs: ``python -m bench.fuzz_parsers``.

``tests/unit/test_parsers_property.py`` checks that the config, API info and
event-stream parsers end in a value or one of our typed errors whatever they
are fed. CI runs a few hundred examples per property; this runs the same
properties with ``--examples`` each (default 5,000) and prints pytest's
summary (with Hypothesis' statistics). Not a test: pytest never collects bench/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.fuzz_parsers", description=__doc__)
    ap.add_argument("--examples", type=int, default=5000, help="examples per property")
    ap.add_argument("-k", default=None, help="only the properties matching this pytest -k")
    args = ap.parse_args(argv)
    env = {
        **os.environ,
        "GRADIO_TUI_HYPOTHESIS": "fuzz",
        "GRADIO_TUI_FUZZ_EXAMPLES": str(args.examples),
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/unit/test_parsers_property.py",
        "-q",
        "-p",
        "no:cacheprovider",
        "--timeout=0",
        "--hypothesis-show-statistics",
    ]
    if args.k:
        command += ["-k", args.k]
    return subprocess.call(command, cwd=REPO, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
