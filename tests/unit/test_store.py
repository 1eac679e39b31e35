"""The store: atomic JSON files under the isolated platformdirs, never a secret."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gradio_tui.history import preview
from gradio_tui.store import Paths, Settings, Store, keep_aside, public_src


def test_paths_follow_xdg_and_the_config_override(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = Paths.default()
    assert str(paths.config_dir).startswith(os.environ["XDG_CONFIG_HOME"])
    assert str(paths.data_dir).startswith(os.environ["XDG_DATA_HOME"])
    assert paths.history_file.name == "history-v1.json"  # the old one, migrated once
    assert paths.history_dir == paths.data_dir / "history"
    assert paths.presets_dir == paths.data_dir / "presets"
    monkeypatch.setenv("GRADIO_TUI_CONFIG_FILE", "/tmp/elsewhere.json")
    assert Paths.default().settings_file == Path("/tmp/elsewhere.json")


@pytest.mark.parametrize(
    ("src", "stored"),
    [
        (
            "https://user:secret@host.example:8443/app/?token=hf_abc#x",
            "https://host.example:8443/app/",
        ),
        ("http://127.0.0.1:7860/", "http://127.0.0.1:7860/"),
        ("owner/space", "owner/space"),
        ("  http://[::1]:7860/  ", "http://[::1]:7860/"),
    ],
)
def test_public_src_drops_credentials(src: str, stored: str) -> None:
    assert public_src(src) == stored


def test_recent_apps_are_deduplicated_bounded_and_tokenless() -> None:
    store = Store()
    store.save_settings(Settings(recent_size=3))
    for src in ["a/b", "https://u:pw@x.example/", "c/d", "a/b", "e/f"]:
        store.add_recent(src)
    assert [r.src for r in store.recent()] == ["e/f", "a/b", "c/d"]
    text = store.paths.recent_file.read_text()
    assert "pw" not in text
    store.forget_recent("a/b")
    assert [r.src for r in store.recent()] == ["e/f", "c/d"]


def test_a_file_kept_aside_never_overwrites_another(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("one")
    first = keep_aside(path)
    path.write_text("two")
    second = keep_aside(path)
    assert first and second and first != second
    assert (first.read_text(), second.read_text()) == ("one", "two")
    assert keep_aside(tmp_path / "missing.json") is None


@pytest.mark.parametrize(
    "garbage",
    ["", "{", "[]", '"x"', '{"jobs": 3}', '{"jobs": [1, {"bad": 1}, {"src": 1}]}', "\x00\xff"],
)
def test_garbage_files_are_ignored_not_fatal(garbage: str) -> None:
    store = Store()
    for path in (store.paths.recent_file, store.paths.settings_file):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(garbage, errors="replace")
    assert store.recent() == []
    assert store.settings == Settings()


def test_settings_ignore_wrong_types_and_take_env_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = {
        "theme": 3,
        "history_size": -1,
        "recent_size": "10",
        "redact": "yes",
        "keymap": {"run": "f9", "bad": 1},
        "unknown": True,
    }
    settings = Settings.from_dict(raw)
    assert settings.theme == "textual-dark"
    assert settings.history_size == 1000
    assert settings.redact is False
    assert settings.keymap == {"run": "f9"}
    monkeypatch.setenv("GRADIO_TUI_THEME", "nord")
    monkeypatch.setenv("GRADIO_TUI_REDACT", "1")
    monkeypatch.setenv("GRADIO_TUI_HISTORY_SIZE", "nope")
    monkeypatch.setenv("GRADIO_TUI_KEYMAP", '{"cancel-job": "ctrl+k"}')
    env = settings.with_env()
    assert (env.theme, env.redact, env.history_size) == ("nord", True, 1000)
    assert env.keymap == {"cancel-job": "ctrl+k"}


def test_settings_file_round_trip() -> None:
    store = Store()
    store.save_settings(Settings(theme="gruvbox", keymap={"run": "f9"}))
    assert json.loads(store.paths.settings_file.read_text())["theme"] == "gruvbox"
    assert Store().settings.keymap == {"run": "f9"}


def test_preview_is_one_short_line() -> None:
    assert preview("a\n b\tc") == "a b c"
    assert len(preview("x" * 1000)) == 400
    assert preview({"k": [1, 2]}) == '{"k": [1, 2]}'
    assert preview(object()).startswith('"<object')
