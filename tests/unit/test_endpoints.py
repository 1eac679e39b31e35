"""Endpoints from a config and its API info: names and labels users read.

Gradio 6 marks translatable strings (``__i18n__{…}`` in the config,
``{"_type": "translation_metadata", …}`` in the API info); the browser
translates them, a client must not show them raw.
"""

from __future__ import annotations

from typing import Any

import pytest

from gradio_tui.client.config import AppConfig, untranslated
from gradio_tui.client.endpoints import build_endpoints

I18N_PLACEHOLDER = (
    '__i18n__{"__type__": "translation_metadata", "key": "chat_interface.message_placeholder"}'
)
I18N_LABEL = '__i18n__{"__type__": "translation_metadata", "key": "chat_interface.chatbot"}'


def chat_config() -> dict[str, Any]:
    return {
        "version": "6.31.0",
        "protocol": "sse_v3",
        "api_prefix": "/gradio_api",
        "components": [
            {"id": 6, "type": "chatbot", "props": {"label": I18N_LABEL}, "skip_api": False},
            {
                "id": 9,
                "type": "textbox",
                "props": {"placeholder": I18N_PLACEHOLDER, "label": None},
                "skip_api": False,
            },
        ],
        "dependencies": [
            {"id": 0, "api_name": "respond", "inputs": [9], "outputs": [6]},
            {"id": 1, "api_name": "append", "inputs": [6], "outputs": [6]},
        ],
    }


def chat_info() -> dict[str, Any]:
    meta = {"_type": "translation_metadata", "key": "chat_interface.chatbot"}
    return {
        "named_endpoints": {
            "/respond": {
                "parameters": [{"label": "", "parameter_name": "message", "component": "Textbox"}],
                "returns": [{"label": "Response", "component": "Json"}],
            },
            "/append": {
                "parameters": [{"label": meta, "parameter_name": "history"}],
                "returns": [{"label": meta}],
            },
        },
        "unnamed_endpoints": {},
    }


def test_translatable_strings_become_words_and_placeholders_go() -> None:
    config = AppConfig.parse("http://127.0.0.1:1/", chat_config())
    assert config.components[6].label == "Chatbot"
    assert "placeholder" not in config.components[9].props
    respond, append = build_endpoints(config, chat_info())
    assert [(p.name, p.label) for p in respond.parameters] == [("message", "message")]
    assert [r.label for r in respond.returns] == ["Response"]
    assert [(p.name, p.label) for p in append.parameters] == [("history", "Chatbot")]
    assert [r.label for r in append.returns] == ["Chatbot"]


def test_without_info_labels_come_from_the_config() -> None:
    config = AppConfig.parse("http://127.0.0.1:1/", chat_config())
    respond, append = build_endpoints(config, None)
    assert respond.parameters[0].label == "parameter_9"
    assert append.parameters[0].label == "Chatbot"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain text", "plain text"),
        (I18N_LABEL, "Chatbot"),
        ('__i18n__{"key": "a.b.two_words"}', "Two words"),
        ("__i18n__not json", ""),
        ('__i18n__{"key": 3}', ""),
        ("__i18n__[1, 2]", ""),
        ({"_type": "translation_metadata", "key": ""}, ""),
        ({"no": "key"}, ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_untranslated_takes_garbage(value: Any, expected: str) -> None:
    assert untranslated(value) == expected


def test_garbage_i18n_props_do_not_break_parsing() -> None:
    raw = chat_config()
    raw["components"][0]["props"] = {"label": "__i18n__{", "choices": [["__i18n__{}", "x"], 3]}
    config = AppConfig.parse("http://127.0.0.1:1/", raw)
    assert config.components[6].props == {"label": "", "choices": [["", "x"], 3]}
    assert config.components[6].label == ""
