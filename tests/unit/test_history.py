"""The job history on disk: per app, bounded, readable, damaged files kept aside, no secrets."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gradio_tui.history import (
    HISTORY_VERSION,
    MAX_VALUE_CHARS,
    HistoryFile,
    JobEntry,
    StoredError,
    StoredInput,
    StoredOutput,
    app_key,
    file_value,
    history_command,
    keep_value,
    load_app_history,
    migrate_v1,
    safe_url,
)
from gradio_tui.store import Paths, Settings, Store, write_json_atomic


def entry(n: int, src: str = "owner/space", **changes: object) -> JobEntry:
    base = JobEntry(
        id=f"job{n}",
        src=src,
        endpoint="/predict",
        fn_index=0,
        status="finished",
        started=f"2025-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}",
        duration=0.5,
        inputs=[StoredInput("text", "textbox", f"hello {n}")],
        outputs=[StoredOutput("result", "textbox", f"HELLO {n}")],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_an_entry_survives_a_round_trip_through_json() -> None:
    original = entry(
        1,
        status="error",
        inputs=[
            StoredInput("text", "textbox", {"nested": [1, None]}),
            StoredInput("pw", "textbox", None, secret=True),
            StoredInput("doc", "file", "/tmp/a.txt", file=True),
        ],
        outputs=[],
        error=StoredError("app", "The app reported an error", "boom [b]x[/b]"),
    )
    data = json.loads(json.dumps(original.to_json()))
    assert JobEntry.from_json(data) == original
    # Flags at their default are left out: the file stays readable.
    assert data["inputs"][0] == {
        "name": "text",
        "component": "textbox",
        "value": {"nested": [1, None]},
    }
    assert data["inputs"][1]["secret"] is True


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        ([], "not a JSON object"),
        ({"id": 1}, "id is not a string"),
        ({**entry(1).to_json(), "status": "exploded"}, "unknown status"),
        ({**entry(1).to_json(), "inputs": "x"}, "inputs is not a list"),
        ({**entry(1).to_json(), "inputs": [{"name": "a", "secret": "yes"}]}, "secret"),
        ({**entry(1).to_json(), "duration": "fast"}, "duration"),
        ({**entry(1).to_json(), "fn_index": True}, "fn_index"),
        ({**entry(1).to_json(), "error": {"kind": "app"}}, "title"),
    ],
)
def test_garbage_entries_are_refused_with_a_reason(garbage: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        JobEntry.from_json(garbage)


def test_the_1001st_job_drops_the_oldest(tmp_path: Path) -> None:
    history = HistoryFile(tmp_path / "app.json", limit=1000)
    history.append(*[entry(n) for n in range(1000)])
    assert len(history.load().entries) == 1000
    history.append(entry(1000))
    kept = history.load().entries
    assert len(kept) == 1000
    assert kept[0].id == "job1"  # job0, the oldest, is gone
    assert kept[-1].id == "job1000"
    data = json.loads((tmp_path / "app.json").read_text())
    assert data["version"] == HISTORY_VERSION and data["app"] == "owner/space"


def test_a_truncated_file_is_kept_aside_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "app.json"
    HistoryFile(path).append(entry(1), entry(2))
    text = path.read_text()
    path.write_text(text[: len(text) // 2])  # a crash mid-write by some other program
    loaded = HistoryFile(path).load()
    assert loaded.entries == []
    assert loaded.warning is not None
    assert "damaged" in loaded.warning and "not valid JSON" in loaded.warning
    assert not path.exists()
    (aside,) = tmp_path.glob("app.json.broken-*")
    assert aside.read_text() == text[: len(text) // 2]  # nothing lost
    assert aside.name in loaded.warning
    # The history goes on in a new file.
    assert HistoryFile(path).append(entry(3)) is None
    assert [e.id for e in HistoryFile(path).load().entries] == ["job3"]


def test_a_hand_broken_entry_keeps_the_readable_ones(tmp_path: Path) -> None:
    path = tmp_path / "app.json"
    jobs = [entry(1).to_json(), {"id": "x", "status": "weird"}, entry(2).to_json()]
    write_json_atomic(path, {"version": HISTORY_VERSION, "jobs": jobs})
    loaded = HistoryFile(path).load()
    assert [e.id for e in loaded.entries] == ["job1", "job2"]
    assert loaded.warning is not None and "1 of 3 jobs could not be read" in loaded.warning
    assert "The 2 readable jobs are kept." in loaded.warning
    assert list(tmp_path.glob("app.json.broken-*"))
    # The readable jobs were written back: the next start has nothing to say.
    assert HistoryFile(path).load().warning is None


@pytest.mark.parametrize(
    "data",
    [{"jobs": "nope"}, {"version": 99, "jobs": []}, ["not", "an", "object"], "just a string"],
)
def test_a_file_of_the_wrong_shape_is_kept_aside(tmp_path: Path, data: object) -> None:
    path = tmp_path / "app.json"
    write_json_atomic(path, data)
    loaded = HistoryFile(path).load()
    assert loaded.entries == [] and loaded.warning and "damaged" in loaded.warning
    assert list(tmp_path.glob("app.json.broken-*"))


def test_values_are_kept_as_data_files_as_paths_long_ones_cut() -> None:
    assert keep_value((1, 2)) == ([1, 2], False)
    assert keep_value({"path": "/tmp/x.png", "meta": {"_type": "gradio.FileData"}}, file=True) == (
        "/tmp/x.png",
        False,
    )
    assert keep_value([{"path": "/a"}, {"url": "https://u:p@h/x?sig=SECRET"}], file=True) == (
        ["/a", "https://h/x"],
        False,
    )
    value, cut = keep_value("x" * (MAX_VALUE_CHARS + 10))
    assert cut and len(value) < 1000
    assert isinstance(keep_value(object())[0], str)  # kept as its text, never fails a write
    # A Gallery item keeps its caption beside the path.
    assert file_value({"image": {"path": "/g.png"}, "caption": "c"}) == {
        "image": "/g.png",
        "caption": "c",
    }


def test_urls_lose_their_credentials() -> None:
    assert safe_url("https://user:pw@host:8443/f.png?token=hf_x#y") == "https://host:8443/f.png"


def test_app_keys_are_readable_unique_and_safe() -> None:
    a = app_key("http://127.0.0.1:7860/")
    b = app_key("http://127.0.0.1:7861/")
    assert a != b and a.startswith("127.0.0.1-7860")
    assert app_key("owner/space").startswith("owner--space-")
    assert app_key("https://user:pw@host/?t=1") == app_key("https://host/")
    assert "/" not in app_key("../../etc/passwd") and not app_key("..").startswith(".")


def test_jobs_match_filters_by_text_endpoint_and_status() -> None:
    e = entry(1, error=StoredError("app", "Failed", "GPU on fire"), status="error")
    assert e.matches("gpu")
    assert e.matches("HELLO 1")
    assert e.matches("", endpoint="/predict", status="error")
    assert not e.matches("", status="finished")
    assert not e.matches("", endpoint="/other")
    assert not e.matches("nothing like it")
    assert not entry(2, inputs=[StoredInput("x", "", None, secret=True)]).rerunnable
    assert not entry(2, inputs=[StoredInput("x", "", "…", cut=True)]).rerunnable
    assert entry(2).rerunnable


def test_the_old_one_file_history_moves_into_the_per_app_files(tmp_path: Path) -> None:
    paths = Paths(tmp_path, tmp_path, tmp_path / "s.json", tmp_path / "r.json", tmp_path / "h.json")
    write_json_atomic(
        paths.history_file,
        {
            "jobs": [
                {
                    "src": "a/b",
                    "endpoint": "/predict",
                    "status": "finished",
                    "started": "2024-01-01T00:00:00",
                    "duration": 1.5,
                    "inputs": {"x": "1"},
                    "result": "2",
                    "error": None,
                },
                {"src": "c/d", "endpoint": "/fail", "status": "error", "error": "boom"},
                "garbage",
            ]
        },
    )
    assert migrate_v1(paths) is None
    assert not paths.history_file.exists()
    assert (tmp_path / "h.json.migrated").exists()
    (old,) = HistoryFile.for_app(paths, "a/b").load().entries
    assert old.outputs[0].value == "2" and old.duration == 1.5
    assert not old.rerunnable  # only previews were kept then
    (failed,) = HistoryFile.for_app(paths, "c/d").load().entries
    assert failed.error is not None and failed.error.message == "boom"
    assert migrate_v1(paths) is None  # once


def test_gradio_tui_history_prints_filters_and_emits_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = Store()
    HistoryFile.for_app(store.paths, "owner/space").append(
        entry(1),
        entry(2, status="error", outputs=[], error=StoredError("app", "Failed", "bad \x1b[2J")),
    )
    HistoryFile.for_app(store.paths, "other/app").append(entry(3, src="other/app"))
    out = io.StringIO()
    assert history_command([], out=out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert "owner/space" in lines[0] and "text=hello 1 → HELLO 1" in lines[0]
    assert "\x1b" not in out.getvalue() and "␛[2J" in out.getvalue()  # shown, not obeyed

    out = io.StringIO()
    history_command(["owner/space", "-s", "error"], out=out)
    (line,) = out.getvalue().splitlines()
    assert "Failed: bad" in line and "owner/space" not in line

    out = io.StringIO()
    history_command(["-q", "hello 3", "--json"], out=out)
    (line,) = out.getvalue().splitlines()
    assert json.loads(line)["id"] == "job3"

    history_command(["nobody/here"], out=io.StringIO())
    assert "No jobs in the history for nobody/here." in capsys.readouterr().err


def test_the_history_limit_comes_from_the_settings() -> None:
    store = Store()
    store.save_settings(Settings(history_size=3))
    HistoryFile.for_app(store.paths, "a/b", 3).append(*[entry(n, src="a/b") for n in range(5)])
    assert [e.id for e in load_app_history(store, "a/b").entries] == ["job2", "job3", "job4"]
    assert Settings().history_size == 1000
