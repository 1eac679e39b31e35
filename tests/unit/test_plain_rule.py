"""The safe way is the only easy way: widget text is built with ``tui/plain.py``.

A static check of the terminal app's source, beside the behavioural tests in
``tests/tui/test_hostile.py``: a widget that takes text (``Label``, ``Static``,
``Option``, ``.update()``, a tooltip) must not be handed a string built at run
time (an f-string, ``str()``, ``.format()``, ``+``, ``%``), which Textual would
read as markup, and nothing may switch markup on. Literal strings are ours and
may hold markup; anything built from data goes through ``plain()``,
``plain_line()`` or ``plain_text()``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gradio_tui.tui

TUI = Path(gradio_tui.tui.__file__).parent
TEXT_WIDGETS = {"Label", "Static", "Option", "Selection", "Tooltip"}
TEXT_METHODS = {"update", "write"}


def built_at_run_time(node: ast.expr) -> bool:
    """A str expression made from data (as opposed to a literal or a plain*() call)."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "str":
            return True
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
            # Content("\n").join(parts) joins Content: no string is built.
            joiner = func.value
            return not (
                isinstance(joiner, ast.Call)
                and isinstance(joiner.func, ast.Name)
                and joiner.func.id in ("Content", "Text")
            )
    return False


def offences() -> list[str]:
    found: list[str] = []
    for path in sorted(TUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(TUI.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else None
                method = func.attr if isinstance(func, ast.Attribute) else None
                for keyword in node.keywords:
                    if (
                        keyword.arg == "markup"
                        and isinstance(keyword.value, ast.Constant)
                        and keyword.value.value is True
                    ):
                        found.append(f"{where}: markup=True")
                takes_text = name in TEXT_WIDGETS or method in TEXT_METHODS
                if takes_text and node.args and built_at_run_time(node.args[0]):
                    found.append(f"{where}: {name or method}() given a built string")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr in ("tooltip", "border_title", "border_subtitle")
                        and built_at_run_time(node.value)
                    ):
                        found.append(f"{where}: .{target.attr} given a built string")
    return found


def test_no_widget_text_is_built_from_data_outside_plain() -> None:
    assert offences() == []


def test_the_check_finds_what_it_looks_for() -> None:
    """The rule above must be able to fail: a built string is spotted."""
    bad = ast.parse('Label(f"File for {label}")').body[0]
    assert isinstance(bad, ast.Expr) and isinstance(bad.value, ast.Call)
    assert built_at_run_time(bad.value.args[0])
    good = ast.parse('Label("Python")').body[0]
    assert isinstance(good, ast.Expr) and isinstance(good.value, ast.Call)
    assert not built_at_run_time(good.value.args[0])
