"""Same server, same calls: our client and the reference ``gradio_client`` must agree."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

gradio_client = pytest.importorskip("gradio_client")

from gradio_tui import Client  # noqa: E402

SEED_KEYS = ("type_python", "type_description")


@pytest.fixture(scope="module")
def pair(core_url: str) -> Iterator[tuple[Client, Any]]:
    ours = Client(core_url, verbose=False)
    ref = gradio_client.Client(core_url, verbose=False)
    yield ours, ref
    ours.close()
    ref.close()


CALLS = [
    ((3, "add", 4), {"api_name": "/predict"}),
    ((1.5, "divide", 4), {"api_name": "/predict"}),
    ((), {"api_name": "/predict", "num1": 9, "operation": "subtract", "num2": 1}),
    (("hello",), {"api_name": "/echo"}),
    (("multi\nline ✓",), {"api_name": "/echo"}),
    (("hi", 4), {"api_name": "/stream"}),
    (("abc",), {"api_name": "/two_outputs"}),
    ((3,), {"api_name": "/progress"}),
    (("h",), {"api_name": "/hidden"}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_same_values(
    pair: tuple[Client, Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    ours, ref = pair
    assert ours.predict(*args, **kwargs) == ref.predict(*args, **kwargs)


def test_same_generator_outputs(pair: tuple[Client, Any]) -> None:
    ours, ref = pair
    a = ours.submit("g", 5, api_name="/stream")
    b = ref.submit("g", 5, api_name="/stream")
    a.result()
    b.result()
    assert a.outputs() == b.outputs()


def test_same_errors(pair: tuple[Client, Any]) -> None:
    ours, ref = pair
    for args, api in [(("msg",), "/error"), ((1, "divide", 0), "/predict"), (("x",), "/crash")]:
        with pytest.raises(Exception) as ref_err:
            ref.predict(*args, api_name=api)
        with pytest.raises(Exception) as our_err:
            ours.predict(*args, api_name=api)
        assert str(our_err.value) == str(ref_err.value)
        assert isinstance(our_err.value, ValueError) == isinstance(ref_err.value, ValueError)


def _without_seed_keys(d: dict[str, Any]) -> dict[str, Any]:
    d = copy.deepcopy(d)
    for group in ("named_endpoints", "unnamed_endpoints"):
        for ep in d[group].values():
            for p in ep["parameters"] + ep["returns"]:
                for k in SEED_KEYS:
                    p.pop(k, None)
    return d


@pytest.mark.parametrize("all_endpoints", [None, False, True])
def test_same_view_api(pair: tuple[Client, Any], all_endpoints: bool | None) -> None:
    """The app has undocumented endpoints (``/hidden``), which the reference never lists."""
    ours, ref = pair
    shown = {"all_endpoints": all_endpoints, "print_info": False}
    assert ours.view_api(**shown, return_format="str") == ref.view_api(**shown, return_format="str")
    ours_dict = ours.view_api(**shown, return_format="dict")
    assert isinstance(ours_dict, dict)
    assert _without_seed_keys(ours_dict) == ref.view_api(**shown, return_format="dict")
    # The dict lists every endpoint whatever all_endpoints says, as the reference documents.
    assert ours_dict == ours.view_api(print_info=False, return_format="dict")
    assert repr(ours) == repr(ref)


def test_view_api_has_both_eras_keys(pair: tuple[Client, Any]) -> None:
    ours, _ = pair
    info = ours.view_api(print_info=False, return_format="dict")
    assert isinstance(info, dict)
    params = info["named_endpoints"]["/predict"]["parameters"]
    for p in params:
        for key in (
            "label",
            "type_python",
            "type_description",
            "component",
            "example_input",
            "parameter_name",
            "parameter_has_default",
            "parameter_default",
            "python_type",
            "type",
        ):
            assert key in p, key
    assert params[0]["type_python"] == "float"
    assert params[0]["type_description"] == "numeric value"
    assert "/hidden" not in info["named_endpoints"] and "/private" not in info["named_endpoints"]
    everything = ours.view_api(print_info=False, return_format="dict", undocumented=True)
    assert isinstance(everything, dict)
    assert "/hidden" in everything["named_endpoints"]
    assert "/private" not in everything["named_endpoints"]
    text = ours.view_api(print_info=False, return_format="str", undocumented=True)
    assert isinstance(text, str) and "/private" not in text
    documented, section = text.split("\nUndocumented API endpoints: 1\n")
    assert documented == ours.view_api(print_info=False, return_format="str")
    assert 'api_name="/hidden"' in section


def test_view_api_prints(pair: tuple[Client, Any], capsys: pytest.CaptureFixture[str]) -> None:
    ours, ref = pair
    assert ours.view_api() is None
    mine = capsys.readouterr().out
    ref.view_api()
    assert mine == capsys.readouterr().out
    assert mine.startswith("Client.predict() Usage Info\n")
