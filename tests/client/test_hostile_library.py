"""The library against a hostile app: what it prints never drives the terminal.

``view_api()`` and ``verbose`` lines print what the server said; printing shows
control characters as visible placeholders. What the library *returns* stays
the server's data, byte for byte.
"""

from __future__ import annotations

import re

import pytest

from gradio_tui import Client
from gradio_tui.client.errors import AppError
from tests.support.servers import GradioServer

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_view_api_prints_no_escape_but_returns_the_data(
    hostile_server: GradioServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with Client(hostile_server.url, verbose=True) as client:
        client.view_api()
        printed = capsys.readouterr().out
        text = client.view_api(print_info=False, return_format="str")
        api = client.view_api(print_info=False, return_format="dict")
    assert "Loaded as API" in printed
    assert RAW_CONTROL.search(printed) is None, repr(RAW_CONTROL.search(printed))
    # The endpoint's name is there, every byte of it visible.
    assert "/[b]ZQAPI1[/b] [@click=app.quit]ZQAPI1-click[/]" in printed
    assert "␛]0;TITLE-ZQAPI1␇␛]52;c;" in printed
    assert "<U+202E>ZQAPI1-bidi<U+202C>" in printed
    # Returned values are the server's data, untouched.
    assert isinstance(text, str) and "\x1b]0;TITLE-ZQAPI1\x07" in text
    assert isinstance(api, dict)
    names = list(api["named_endpoints"])
    assert any(name.startswith("/[b]ZQAPI1[/b]") and "\x1b[2J" in name for name in names)


def test_results_and_errors_keep_the_data_and_print_safely(
    hostile_server: GradioServer,
) -> None:
    with Client(hostile_server.url, verbose=False) as client:
        api_name = next(
            name
            for name in client.view_api(print_info=False, return_format="dict")[  # type: ignore[index]
                "named_endpoints"
            ]
            if "ZQAPI1" in name
        )
        result = client.predict("hi", api_name=api_name)
        with pytest.raises(AppError) as caught:
            client.predict("x", api_name="/boom")
    assert "\x1b]52;c;" in result  # the value is the data
    error = caught.value
    assert "\x1b]0;TITLE-ZQERR1\x07" in error.message
    # A traceback prints str(error): it holds no raw control character.
    assert RAW_CONTROL.search(str(error)) is None
    assert "Expected List[int] for x [b]ZQERR1[/b]" in str(error)
