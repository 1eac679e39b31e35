""" "API as code": a ready-to-paste Python snippet that calls an endpoint.

UI-free so the terminal app, the CLI and tests share one generator. Secrets
never appear in a snippet: a token or a login is read from the environment
by the generated code instead.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Sequence
from typing import Any

from .endpoints import Endpoint
from .filedata import has_file_meta

TOKEN_ENV = "HF_TOKEN"
USER_ENV = "GRADIO_USER"
PASSWORD_ENV = "GRADIO_PASSWORD"


def python_literal(value: Any) -> str:
    """Python source that evaluates to ``value``; files become ``handle_file(...)``."""
    if has_file_meta(value):
        return f"handle_file({python_literal(value.get('url') or value.get('path'))})"
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, str | int | bool) or value is None:
        return repr(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(python_literal(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    if isinstance(value, dict):
        items = ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    # Anything else (a Path, say) is shown as its text: still pasteable.
    return repr(str(value))


def _uses_files(values: Sequence[Any]) -> bool:
    def walk(v: Any) -> bool:
        if has_file_meta(v):
            return True
        if isinstance(v, list | tuple):
            return any(walk(x) for x in v)
        if isinstance(v, dict):
            return any(walk(x) for x in v.values())
        return False

    return any(walk(v) for v in values)


def python_snippet(
    src: str,
    endpoint: Endpoint,
    values: Sequence[Any] | None = None,
    *,
    uses_token: bool = False,
    uses_login: bool = False,
    package: str = "gradio_tui",
) -> str:
    """A script that calls ``endpoint`` of ``src`` with ``values`` and prints the result.

    ``values`` holds one value per parameter (the form's current values);
    parameters without a value use their example, then their default.
    Named endpoints with API info get keyword arguments, as the reference's
    docs show them; the rest get positional ones with ``fn_index``.
    """
    given = list(values) if values is not None else []
    args: list[Any] = []
    for i, p in enumerate(endpoint.parameters):
        if i < len(given):
            args.append(given[i])
        elif p.has_default:
            args.append(p.default)
        else:
            args.append(p.example)

    imports = ["Client"]
    if _uses_files(args):
        imports.append("handle_file")
    lines = []
    if uses_token or uses_login:
        lines.append("import os")
    lines.append(f"from {package} import {', '.join(imports)}")
    lines.append("")
    client_args = [python_literal(src)]
    if uses_token:
        client_args.append(f'hf_token=os.environ["{TOKEN_ENV}"]')
    if uses_login:
        client_args.append(f'auth=(os.environ["{USER_ENV}"], os.environ["{PASSWORD_ENV}"])')
    lines.append(f"client = Client({', '.join(client_args)})")

    # Keywords only when every name can be one: mixing would put a positional
    # argument after a keyword argument, which is not Python.
    keywords = (
        endpoint.api_name is not None
        and endpoint.has_info
        and all(
            p.name.isidentifier() and not keyword.iskeyword(p.name) for p in endpoint.parameters
        )
    )
    call_args: list[str] = []
    for p, value in zip(endpoint.parameters, args, strict=True):
        literal = python_literal(value)
        call_args.append(f"{p.name}={literal}" if keywords else literal)
    if endpoint.api_name is not None:
        call_args.append(f"api_name={python_literal(endpoint.api_name)}")
    else:
        call_args.append(f"fn_index={endpoint.fn_index}")

    if endpoint.is_generator:
        lines.append("job = client.submit(")
        lines.extend(f"    {a}," for a in call_args)
        lines.append(")")
        lines.append("for output in job:")
        lines.append("    print(output)")
        lines.append("print(job.result())")
    else:
        lines.append("result = client.predict(")
        lines.extend(f"    {a}," for a in call_args)
        lines.append(")")
        lines.append("print(result)")
    return "\n".join(lines) + "\n"


__all__ = ["python_literal", "python_snippet"]
