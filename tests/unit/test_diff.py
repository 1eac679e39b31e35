"""Diff application for streamed generator outputs (sse_v2+)."""

from __future__ import annotations

import pytest

from gradio_tui.client.diff import DiffError, DiffState, apply_diff


def test_append_and_replace() -> None:
    assert apply_diff("tok0 ", [["append", [], "tok1 "]]) == "tok0 tok1 "
    assert apply_diff("a", [["replace", [], 5]]) == 5
    assert apply_diff({"a": 1}, [["replace", ["a"], 2]]) == {"a": 2}


def test_chatbot_messages() -> None:
    prev = [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "hello"}]},
    ]
    new = apply_diff(prev, [["append", [1, "content", 0, "text"], " there"]])
    assert new[1]["content"][0]["text"] == "hello there"
    assert prev[1]["content"][0]["text"] == "hello"  # the previous value is not touched


def test_add_and_delete() -> None:
    assert apply_diff([1, 2], [["add", [2], 3]]) == [1, 2, 3]
    assert apply_diff([1, 2, 3], [["delete", [0], None]]) == [2, 3]
    assert apply_diff({"a": 1}, [["add", ["b"], 2]]) == {"a": 1, "b": 2}
    assert apply_diff({"a": 1, "b": 2}, [["delete", ["a"], None]]) == {"b": 2}


def test_legacy_ascending_deletes_are_applied_from_the_end() -> None:
    ops = [["delete", [2], None], ["delete", [3], None], ["delete", [4], None]]
    assert apply_diff([0, 1, 2, 3, 4], ops, legacy_deletes=True) == [0, 1]
    # current servers pre-shift the indices: applied in order
    shifted = [["delete", [2], None], ["delete", [2], None], ["delete", [2], None]]
    assert apply_diff([0, 1, 2, 3, 4], shifted) == [0, 1]


@pytest.mark.parametrize(
    "ops",
    [
        "not a list",
        [["append", [], 3]],  # appending an int to a str
        [["replace", [5], 1]],
        [["delete", ["missing"], None]],
        [["frobnicate", [], 1]],
        [["append"]],
        [None],
    ],
)
def test_garbage_diffs_raise_diff_error(ops: object) -> None:
    with pytest.raises(DiffError):
        apply_diff("abc", ops)


@pytest.mark.parametrize("path", [[True], [False, 0], [0, True]])
def test_json_booleans_are_not_list_indices(path: list[object]) -> None:
    # true and false decode to Python ints: a path of them must not reach index 1 or 0
    with pytest.raises(DiffError, match=r"integer|exist"):
        apply_diff([["a", "b"], ["c"]], [["replace", path, "x"]])


def test_state_skips_unappliable_steps_and_stays_honest() -> None:
    state = DiffState()
    assert state.apply(["a"]) == ["a"]
    assert state.apply([[["append", [], "b"]]]) == ["ab"]
    assert state.apply([[["delete", [9], None]]]) is None
    # after a failed step the base is unknown, so later steps are skipped too
    assert state.apply([[["append", [], "c"]]]) is None


def test_outputs_can_grow_mid_run() -> None:
    state = DiffState()
    state.apply(["a"])
    assert state.apply([[["append", [], "b"]], [["replace", [], "new"]]]) == ["ab", "new"]
