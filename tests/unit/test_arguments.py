"""Text typed by its parameter (``name=value`` and CSV cells), and garbage refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradio_tui.client.arguments import from_text, kind_of
from gradio_tui.client.config import AppConfig
from gradio_tui.client.endpoints import Endpoint, Parameter, build_endpoints

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gradio-6"


def endpoints() -> dict[str, Endpoint]:
    config = AppConfig.parse(
        "http://127.0.0.1:1/", json.loads((FIXTURES / "config.json").read_text())
    )
    info = json.loads((FIXTURES / "info.json").read_text())
    return {e.api_name or "": e for e in build_endpoints(config, info)}


def param(api_name: str, name: str) -> Parameter:
    return next(p for p in endpoints()[api_name].parameters if p.name == name)


def make(component: str, python_type: str = "Any", **props: object) -> Parameter:
    return Parameter(
        name="p",
        label="p",
        component=component,
        python_type=python_type,
        description="",
        type_schema={},
        has_default=False,
        default=None,
        example=None,
        position=0,
        props=dict(props),
    )


def test_numbers_choices_text_and_files_from_a_real_apps_schema() -> None:
    assert from_text(param("/predict", "num1"), "3") == 3
    assert isinstance(from_text(param("/predict", "num1"), "3"), int)
    assert from_text(param("/predict", "num1"), " 2.5 ") == 2.5
    assert from_text(param("/predict", "num1"), "1e3") == 1000.0
    assert from_text(param("/predict", "operation"), "divide") == "divide"
    assert from_text(param("/echo", "text"), " keep  spaces ") == " keep  spaces "
    assert from_text(param("/echo", "text"), "3") == "3"
    assert from_text(param("/file", "uploaded"), "./a b.txt") == "./a b.txt"
    assert kind_of(param("/file", "uploaded")) == "file"


@pytest.mark.parametrize("garbage", ["", "abc", "nan", "inf", "-inf", "1,5", "0x10", "\x1b[2J"])
def test_a_number_parameter_refuses_what_is_not_a_finite_number(garbage: str) -> None:
    with pytest.raises(ValueError, match="num1"):
        from_text(param("/predict", "num1"), garbage)


@pytest.mark.parametrize("garbage", ["Divide", "", "add ", "\x00"])
def test_a_choice_must_be_one_of_the_apps_choices(garbage: str) -> None:
    with pytest.raises(ValueError, match="not one of its choices"):
        from_text(param("/predict", "operation"), garbage)


def test_a_dropdown_with_custom_values_takes_any_text() -> None:
    p = make("dropdown", choices=[["A", "a"], ["B", "b"]], allow_custom_value=True)
    assert from_text(p, "a") == "a"
    assert from_text(p, "zzz") == "zzz"


def test_integers_booleans_lists_and_json() -> None:
    assert from_text(make("slider", "int", precision=0), "4") == 4
    with pytest.raises(ValueError, match="whole number"):
        from_text(make("number", "int", precision=0), "4.5")
    for word, value in [("true", True), ("Yes", True), ("1", True), ("off", False), ("NO", False)]:
        assert from_text(make("checkbox", "bool"), word) is value
    with pytest.raises(ValueError, match="true or false"):
        from_text(make("checkbox", "bool"), "maybe")
    group = make("checkboxgroup", choices=[["x", "x"], ["y", "y"]])
    assert from_text(group, '["x", "y"]') == ["x", "y"]
    assert from_text(group, "x") == ["x"]
    with pytest.raises(ValueError):
        from_text(group, '["x", "z"]')
    assert from_text(make("json"), '{"a": [1, 2]}') == {"a": [1, 2]}
    assert from_text(make("json"), "not json") == "not json"
    assert from_text(make("file", multiple=True, file_count="multiple"), '["a", "b"]') == ["a", "b"]
    assert from_text(make("file", file_count="multiple"), "one.txt") == ["one.txt"]


FILE_DATA = {
    "properties": {"path": {"type": "string"}, "meta": {"default": {"_type": "gradio.FileData"}}},
    "title": "FileData",
    "type": "object",
}
DEFS = {"$defs": {"FileData": FILE_DATA, "FileMessage": {"properties": {"file": FILE_DATA}}}}
# Shapes of the schemas Gradio 4-6 publish (trimmed): which values are files themselves.
FILE_VALUES = {
    "a File": {**DEFS, "properties": FILE_DATA["properties"], "title": "FileData"},
    "File(file_count='multiple')": {**DEFS, "items": {"$ref": "#/$defs/FileData"}, "type": "array"},
    "an optional Image": {"anyOf": [{"$ref": "#/$defs/FileData"}, {"type": "null"}], **DEFS},
}
HOLDS_FILES = {  # a string inside these is text: only handle_file(...) values are files
    "a 4.x/5.x Chatbot (pairs)": {
        **DEFS,
        "type": "array",
        "items": {
            "type": "array",
            "prefixItems": [{"anyOf": [{"type": "string"}, {"$ref": "#/$defs/FileMessage"}]}],
        },
    },
    "a 6.x Chatbot (messages)": {
        **DEFS,
        "type": "array",
        "items": {"properties": {"content": {"items": {"$ref": "#/$defs/FileMessage"}}}},
    },
    "a MultimodalTextbox": {
        **DEFS,
        "properties": {
            "text": {"type": "string"},
            "files": {"items": {"$ref": "#/$defs/FileData"}},
        },
    },
    "a ref to FileDataMeta": {"$ref": "#/$defs/FileDataMeta"},
}


@pytest.mark.parametrize("what", FILE_VALUES)
def test_a_file_valued_parameter_is_a_file(what: str) -> None:
    p = make("customfile")
    p.type_schema = FILE_VALUES[what]
    assert p.is_file and kind_of(p) == "file"


@pytest.mark.parametrize("what", HOLDS_FILES)
def test_a_value_that_only_holds_files_is_not_a_file(what: str) -> None:
    p = make("chatbot" if "Chatbot" in what else "multimodaltextbox")
    p.type_schema = HOLDS_FILES[what]
    assert not p.is_file and kind_of(p) == "json"
