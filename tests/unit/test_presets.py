"""Presets on disk: one readable JSON file per app, hand edits kept, damaged files kept aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gradio_tui.presets import PRESETS_VERSION, PresetError, PresetFile, check_name
from gradio_tui.store import Store, write_json_atomic


def presets(tmp_path: Path) -> PresetFile:
    return PresetFile(tmp_path / "app.json", "https://user:pw@host/app/?token=x")


def test_save_load_rename_delete(tmp_path: Path) -> None:
    book = presets(tmp_path)
    book.save("/predict", "  three  plus four ", {"num1": 3, "operation": "add"}, replace=False)
    book.save("/predict", "Alpha", {"num1": 1}, replace=False)
    book.save("/other", "x", {}, replace=False)
    assert book.names("/predict") == ["Alpha", "three plus four"]
    data = json.loads((tmp_path / "app.json").read_text())
    # Human-readable: versioned, sorted, values by parameter name, no credentials.
    assert data["version"] == PRESETS_VERSION
    assert data["app"] == "https://host/app/"
    assert data["endpoints"]["/predict"]["three plus four"]["values"] == {
        "num1": 3,
        "operation": "add",
    }
    assert (tmp_path / "app.json").read_text().startswith("{\n  ")

    with pytest.raises(PresetError, match="already a preset named 'Alpha'"):
        book.save("/predict", "Alpha", {"num1": 2}, replace=False)
    book.save("/predict", "Alpha", {"num1": 2}, replace=True)
    assert book.load().endpoints["/predict"]["Alpha"].values == {"num1": 2}

    book.rename("/predict", "Alpha", "Beta")
    assert book.names("/predict") == ["Beta", "three plus four"]
    with pytest.raises(PresetError, match="already a preset"):
        book.rename("/predict", "Beta", "three plus four")
    with pytest.raises(PresetError, match="no preset named"):
        book.rename("/predict", "Gamma", "Delta")

    book.delete("/predict", "Beta")
    book.delete("/other", "x")
    assert book.names("/predict") == ["three plus four"]
    assert "/other" not in json.loads((tmp_path / "app.json").read_text())["endpoints"]
    with pytest.raises(PresetError, match="no preset named"):
        book.delete("/predict", "Beta")


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "bad\x1b[2Jname", "bidi\u202ename"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(PresetError):
        check_name(name)


def test_hand_edits_between_changes_are_kept(tmp_path: Path) -> None:
    book = presets(tmp_path)
    book.save("/predict", "mine", {"a": 1}, replace=False)
    data = json.loads((tmp_path / "app.json").read_text())
    data["endpoints"]["/predict"]["shared by a colleague"] = {"values": {"a": 42}}
    (tmp_path / "app.json").write_text(json.dumps(data))
    book.save("/predict", "another", {"a": 2}, replace=False)
    assert book.names("/predict") == ["another", "mine", "shared by a colleague"]
    assert book.load().endpoints["/predict"]["shared by a colleague"].values == {"a": 42}


@pytest.mark.parametrize(
    "content",
    [
        '{"version": 1, "endpoints": {"/p": {"x": {"values": ',  # truncated
        '{"version": 7, "endpoints": {}}',
        '{"version": 1, "endpoints": {"/p": ["not", "a", "dict"]}}',
        '{"version": 1, "endpoints": {"/p": {"x": {"no values": 1}}}}',
        '{"version": 1, "endpoints": {"/p": {"bad\\u001bname": {"values": {}}}}}',
        "[]",
    ],
)
def test_a_damaged_file_is_kept_aside_and_presets_go_on(tmp_path: Path, content: str) -> None:
    path = tmp_path / "app.json"
    path.write_text(content)
    loaded = presets(tmp_path).load()
    assert loaded.endpoints == {}
    assert loaded.warning is not None and "damaged" in loaded.warning
    (aside,) = tmp_path.glob("app.json.broken-*")
    assert aside.read_text() == content
    assert aside.name in loaded.warning
    # A new file starts cleanly.
    presets(tmp_path).save("/p", "fresh", {}, replace=False)
    assert presets(tmp_path).names("/p") == ["fresh"]


def test_presets_live_per_app_in_the_data_dir() -> None:
    store = Store()
    a = PresetFile.for_app(store.paths, "owner/space")
    b = PresetFile.for_app(store.paths, "http://127.0.0.1:7860/")
    assert a.path.parent == store.paths.presets_dir and a.path != b.path
    write_json_atomic(a.path, {"version": 1, "endpoints": {"/x": {"p": {"values": {}}}}})
    assert a.names("/x") == ["p"] and b.names("/x") == []
