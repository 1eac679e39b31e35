"""The "API as code" snippet: valid Python, secrets from the environment, runs for real."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from gradio_tui.client.core import AsyncClient
from gradio_tui.client.endpoints import Endpoint
from gradio_tui.client.snippets import python_literal, python_snippet


def endpoints(url: str) -> dict[str, Endpoint]:
    async def load() -> dict[str, Endpoint]:
        client = await AsyncClient.connect(url, verbose=False)
        try:
            return {e.name: e for e in client.endpoints}
        finally:
            await client.aclose()

    return asyncio.run(load())


def test_literals_round_trip() -> None:
    for value in [1, 2.5, -0.0, "a'b\"c\n", True, None, [1, [2]], {"k": (1,)}, (1,), ()]:
        assert eval(python_literal(value)) == value  # our own literal, built above
    assert python_literal(float("inf")) == 'float("inf")'
    file_value = {"path": "/x/y.png", "meta": {"_type": "gradio.FileData"}}
    assert python_literal(file_value) == "handle_file('/x/y.png')"


def test_snippet_runs_against_the_app_and_prints_the_result(core_url: str) -> None:
    eps = endpoints(core_url)
    code = python_snippet(core_url, eps["/predict"], [6, "multiply", 7])
    compile(code, "<snippet>", "exec")
    assert "num1=6" in code and "operation='multiply'" in code
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "42"


def test_generator_snippet_streams(core_url: str) -> None:
    eps = endpoints(core_url)
    code = python_snippet(core_url, eps["/stream"], ["hi", 2])
    assert "client.submit(" in code and "for output in job:" in code
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.splitlines()[-1] == "hi#1 hi#2"


def test_secrets_come_from_the_environment(core_url: str) -> None:
    eps = endpoints(core_url)
    code = python_snippet("owner/space", eps["/echo"], ["x"], uses_token=True, uses_login=True)
    assert 'hf_token=os.environ["HF_TOKEN"]' in code
    assert 'auth=(os.environ["GRADIO_USER"], os.environ["GRADIO_PASSWORD"])' in code
    assert code.startswith("import os\n")
    compile(code, "<snippet>", "exec")


def test_unnamed_or_missing_values_fall_back(core_url: str) -> None:
    eps = endpoints(core_url)
    # No values given: defaults, then examples.
    code = python_snippet(core_url, eps["/predict"])
    assert "num1=3" in code and "num2=4" in code
    # An endpoint addressed by index gets positional arguments.
    ep = eps["/echo"]
    ep_unnamed = Endpoint(
        fn_index=ep.fn_index,
        api_name=None,
        visibility=ep.visibility,
        parameters=ep.parameters,
        returns=ep.returns,
        dependency=ep.dependency,
    )
    code = python_snippet(core_url, ep_unnamed, ["y"])
    assert f"fn_index={ep.fn_index}" in code and "text=" not in code
    compile(code, "<snippet>", "exec")
    assert os.environ.get("HF_TOKEN") is None  # the isolation fixture holds
