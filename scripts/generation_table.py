"""Print the generation × behaviour table: our client beside gradio_client.

``.venv/bin/python scripts/generation_table.py`` starts ``tests/apps/core_app.py``
on each Gradio generation (3.50.2, 4.44.1, 5.50.0 from the venvs of
``scripts/gradio_venvs.sh``, and the project's own 6.x), runs the same short
scripts with ``gradio_tui.Client`` and ``gradio_client.Client`` against it, and
prints a Markdown table: "ok", or what went wrong. A report, not a test: the
pytest suite (``tests/client/test_generations.py``) holds our side of it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.servers import generation_python, start_gradio

GENERATIONS = {"g3": "3.50.2", "g4": "4.44.1", "g5": "5.50.0", "g6": "6.x (this venv)"}


def probe(client: Any, handle_file: Callable[[str], Any]) -> dict[str, str]:
    """Each behaviour: "ok", or a short account of what happened instead."""
    out: dict[str, str] = {}

    def check(name: str, fn: Callable[[], object]) -> None:
        try:
            result = fn()
        except Exception as exc:  # a report: every failure is a cell
            out[name] = f"{type(exc).__name__}: {str(exc)[:60]}"
            return
        out[name] = "ok" if result is True else str(result)[:60]

    def predict() -> object:
        value = client.predict(3, "multiply", 4, api_name="/predict")
        return value == 12 or value

    def streaming() -> object:
        job = client.submit("a", 3, api_name="/stream")
        job.result()
        time.sleep(0.2)
        outputs = job.outputs()
        return outputs == ["a#1", "a#1 a#2", "a#1 a#2 a#3"] or f"outputs {outputs}"

    def error_text() -> object:
        try:
            client.predict("boom 'x'", api_name="/error")
        except Exception as exc:
            return str(exc) == "boom 'x'" or f"message {str(exc)!r}"
        return "no error raised"

    def statuses() -> object:
        job = client.submit(3, api_name="/progress")
        codes: set[str] = set()
        while not job.done():
            codes.add(str(job.status().code).rsplit(".", 1)[-1])
            time.sleep(0.005)
        job.result()
        wanted = {"PROGRESS", "LOG"}
        return wanted <= codes or f"missing {sorted(wanted - codes)}"

    def state() -> object:
        client.predict("x", api_name="/stateful")
        value = client.predict("y", api_name="/stateful")
        return value == "x | y" or value

    def files() -> object:
        with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as handle:
            handle.write(b"hello")
        value = client.predict(handle_file(handle.name), api_name="/file")
        path = value.get("path") if isinstance(value, dict) else value
        return Path(path).read_bytes() == b"hello" or value

    def cancel() -> object:
        job = client.submit(20, api_name="/long_stream")
        while len(job.outputs()) < 2:
            time.sleep(0.02)
        job.cancel()
        time.sleep(1.0)
        code = str(job.status().code).rsplit(".", 1)[-1]
        extra = len(job.outputs()) - 2
        return (code == "CANCELLED" and extra <= 1) or f"{code}, {extra} more outputs"

    def view_api() -> object:
        info = client.view_api(print_info=False, return_format="dict")
        return "/predict" in info["named_endpoints"] or list(info)

    for name, fn in [
        ("predict", predict),
        ("generator outputs", streaming),
        ("gr.Error message", error_text),
        ("PROGRESS + LOG statuses", statuses),
        ("State", state),
        ("files in/out", files),
        ("cancel a generator", cancel),
        ("view_api dict", view_api),
    ]:
        check(name, fn)
    return out


def main() -> None:
    from gradio_client import Client as Reference
    from gradio_client import handle_file as ref_handle_file

    from gradio_tui import Client as Ours
    from gradio_tui import handle_file

    rows: dict[str, dict[str, str]] = {}
    for generation, version in GENERATIONS.items():
        python = generation_python(generation)
        if python is None:
            print(f"{generation}: no venv (run scripts/gradio_venvs.sh)", file=sys.stderr)
            continue
        server = start_gradio("core_app", python=python)
        try:
            with Ours(server.url, verbose=False) as ours:
                rows[f"{version}: gradio-tui"] = probe(ours, handle_file)
            reference = Reference(server.url, verbose=False)
            rows[f"{version}: gradio_client"] = probe(reference, ref_handle_file)
        finally:
            server.stop()
    names = list(next(iter(rows.values())))
    print("| server: client | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for row, cells in rows.items():
        print(f"| {row} | " + " | ".join(cells[n].replace("|", "/") for n in names) + " |")


if __name__ == "__main__":
    main()
