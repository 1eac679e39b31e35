"""Streamed generator outputs arrive as edit operations against the previous value.

Servers from 4.17 (``sse_v2``) send the first ``process_generating`` in full
and later ones as ``[op, path, value]`` lists per output. Older servers emit
runs of trailing list deletes with their *original* ascending indices; applied
in order those are wrong, so such runs are applied from the highest index
down. When a diff cannot be applied the caller skips that intermediate value:
``process_completed`` always carries the full final value.
"""

from __future__ import annotations

import copy
from typing import Any

from .untrusted import brief, json_int


class DiffError(ValueError):
    """An edit operation does not fit the value it is applied to."""


def _parent(root: Any, path: list[Any]) -> tuple[Any, Any]:
    node = root
    for key in path[:-1]:
        if isinstance(node, list) and json_int(key) is None:
            raise DiffError(f"path {brief(path)} does not exist")
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError) as exc:
            raise DiffError(f"path {brief(path)} does not exist") from exc
    return node, path[-1]


def _apply_one(value: Any, op: str, path: list[Any], arg: Any) -> Any:
    if not path:
        if op == "replace":
            return copy.deepcopy(arg)
        if op == "append":
            if isinstance(value, str) and isinstance(arg, str):
                return value + arg
            if isinstance(value, list):
                return [*value, copy.deepcopy(arg)]
            raise DiffError(f"cannot append to {type(value).__name__}")
        raise DiffError(f"operation {brief(op)} needs a path")
    parent, key = _parent(value, path)
    if isinstance(parent, list) and json_int(key) is None:
        # (JSON's true is a Python int: it must not stand for index 1)
        raise DiffError(f"list index {brief(key)} is not an integer")
    try:
        if op == "replace":
            parent[key] = copy.deepcopy(arg)
        elif op == "append":
            current = parent[key]
            if isinstance(current, str) and isinstance(arg, str):
                parent[key] = current + arg
            elif isinstance(current, list):
                current.append(copy.deepcopy(arg))
            else:
                raise DiffError(f"cannot append to {type(current).__name__}")
        elif op == "add":
            if isinstance(parent, list):
                if not 0 <= key <= len(parent):
                    raise DiffError(f"list index {brief(key)} out of range")
                parent.insert(key, copy.deepcopy(arg))
            elif isinstance(parent, dict):
                parent[key] = copy.deepcopy(arg)
            else:
                raise DiffError(f"cannot add into {type(parent).__name__}")
        elif op == "delete":
            if isinstance(parent, list | dict):
                del parent[key]
            else:
                raise DiffError(f"cannot delete from {type(parent).__name__}")
        else:
            raise DiffError(f"unknown operation {brief(op)}")
    except (KeyError, IndexError, TypeError) as exc:
        raise DiffError(f"{op} at {brief(path)} failed: {exc}") from exc
    return value


def _reorder_deletes(ops: list[Any]) -> list[Any]:
    """Runs of ascending deletes on one list parent are applied from the end."""
    out: list[Any] = []
    i = 0
    while i < len(ops):
        op = ops[i]
        if _is_delete(op) and json_int(op[1][-1]) is not None:
            j = i
            parent = op[1][:-1]
            while (
                j + 1 < len(ops)
                and _is_delete(ops[j + 1])
                and ops[j + 1][1][:-1] == parent
                and json_int(ops[j + 1][1][-1]) is not None
            ):
                j += 1
            run = ops[i : j + 1]
            indices = [o[1][-1] for o in run]
            if len(run) > 1 and indices == sorted(indices) and len(set(indices)) == len(indices):
                run = sorted(run, key=lambda o: o[1][-1], reverse=True)
            out.extend(run)
            i = j + 1
        else:
            out.append(op)
            i += 1
    return out


def _is_delete(op: Any) -> bool:
    return (
        isinstance(op, list | tuple)
        and len(op) >= 2
        and op[0] == "delete"
        and isinstance(op[1], list)
        and len(op[1]) > 0
    )


def apply_diff(previous: Any, ops: Any, *, legacy_deletes: bool = False) -> Any:
    """The new value: ``ops`` applied to a copy of ``previous`` (which is not changed)."""
    if not isinstance(ops, list):
        raise DiffError(f"a diff must be a list of operations, got {type(ops).__name__}")
    value = copy.deepcopy(previous)
    if legacy_deletes:
        ops = _reorder_deletes(ops)
    for op in ops:
        if not isinstance(op, list | tuple) or len(op) != 3 or not isinstance(op[1], list):
            raise DiffError(f"malformed operation {brief(op)}")
        value = _apply_one(value, str(op[0]), list(op[1]), op[2])
    return value


class DiffState:
    """The running full values of one job's generator outputs."""

    def __init__(self, *, legacy_deletes: bool = False) -> None:
        self.previous: list[Any] | None = None
        self.legacy_deletes = legacy_deletes
        self.broken = False  # after one failed diff every later base is unknown

    def apply(self, data: list[Any]) -> list[Any] | None:
        """Full values for this step, or None when the diff did not apply."""
        if self.broken:
            return None
        if self.previous is None:
            self.previous = copy.deepcopy(data)
            return data
        full: list[Any] = []
        try:
            for i, ops in enumerate(data):
                prev = self.previous[i] if i < len(self.previous) else None
                full.append(apply_diff(prev, ops, legacy_deletes=self.legacy_deletes))
        except DiffError:
            self.broken = True
            return None
        self.previous = copy.deepcopy(full)
        return full
