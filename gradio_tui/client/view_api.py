"""``view_api``: the app's API as the reference prints it, or as a dict.

The text and the dict are the reference's (people paste the text into issues
and diff it; scripts walk the dict): they list the documented endpoints, and the
dict lists all of them whatever ``all_endpoints`` says, as the reference
documents. Undocumented endpoints (``show_api=False``, the helpers Interface and
ChatInterface add) are left out, as the reference never sees them; the terminal
app and ``gradio-tui info --all`` ask for them with ``undocumented=True``, and get
them in a section of their own.
"""

from __future__ import annotations

import copy
from typing import Any

from .endpoints import Endpoint, sanitize_name
from .filedata import has_file_meta

_ENDPOINT_KEYS_DROPPED = ("code_snippets", "show_api", "api_visibility")


def endpoint_dict(endpoint: Endpoint) -> dict[str, Any]:
    """One endpoint's entry of the ``view_api(return_format="dict")`` value."""
    d = {k: copy.deepcopy(v) for k, v in endpoint.info.items() if k not in _ENDPOINT_KEYS_DROPPED}
    d["parameters"] = [p.to_dict() for p in endpoint.parameters]
    d["returns"] = [r.to_dict() for r in endpoint.returns]
    return d


def api_dict(endpoints: list[Endpoint], *, undocumented: bool = False) -> dict[str, Any]:
    """``{'named_endpoints': {...}, 'unnamed_endpoints': {...}}`` in the reference's shape.

    Unnamed keys are strings of the fn_index, as in the server's JSON.
    """
    named: dict[str, Any] = {}
    unnamed: dict[str, Any] = {}
    for e in endpoints:
        if not e.documented and not undocumented:
            continue
        if e.api_name:
            named[e.api_name] = endpoint_dict(e)
        else:
            unnamed[str(e.fn_index)] = endpoint_dict(e)
    return {"named_endpoints": named, "unnamed_endpoints": unnamed}


def _traverse_files(value: Any) -> Any:
    """FileData defaults are shown as the ``handle_file(...)`` call that makes them."""
    if isinstance(value, dict):
        if has_file_meta(value):
            return f'handle_file("{value.get("url")}")'
        return {k: _traverse_files(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_traverse_files(v) for v in value]
    return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _name(parameter: dict[str, Any]) -> str:
    return sanitize_name(_text(parameter.get("parameter_name")) or _text(parameter.get("label")))


def render_endpoint(key: str | int, d: dict[str, Any]) -> str:
    """The reference's text block for one endpoint (``key``: api name or fn_index)."""
    params = [p for p in _list(d.get("parameters")) if isinstance(p, dict)]
    names = [_name(p) for p in params]
    rendered_params = ", ".join(names)
    if rendered_params:
        rendered_params += ", "
    return_dicts = [r for r in _list(d.get("returns")) if isinstance(r, dict)]
    returns = [sanitize_name(_text(r.get("label"))) for r in return_dicts]
    rendered_returns = ", ".join(returns)
    if len(returns) > 1:
        rendered_returns = f"({rendered_returns})"
    final = f'api_name="{key}"' if isinstance(key, str) else f"fn_index={key}"
    out = f"\n - predict({rendered_params}{final}) -> {rendered_returns}\n"
    if d.get("oauth_token"):
        out += (
            "    Acts on your behalf: this endpoint takes your Hugging Face token "
            f"({d['oauth_token']}). Pass it with Client(..., oauth_token=...) to grant it.\n"
        )
    out += "    Parameters:\n"
    if params:
        for p in params:
            pt = _dict(p.get("python_type"))
            desc = f" ({pt['description']})" if pt.get("description") else ""
            if "serializer" in p:
                # 3.x info (it names a serializer): no parameter names or defaults
                # exist there, so the line is the 3.x-era reference's.
                label = sanitize_name(_text(p.get("label")))
                out += f"     - [{p.get('component')}] {label}: {pt.get('type', 'Any')}{desc} \n"
                continue
            default = _traverse_files(p.get("parameter_default"))
            has_default = p.get("parameter_has_default", False)
            default_info = (
                f"(not required, defaults to:   {default})" if has_default else "(required)"
            )
            type_ = str(pt.get("type", "Any"))
            if has_default and default is None:
                type_ += " | None"
            name = _name(p)
            out += f"     - [{p.get('component')}] {name}: {type_} {default_info} {desc} \n"
    else:
        out += "     - None\n"
    out += "    Returns:\n"
    if return_dicts:
        for r in return_dicts:
            pt = _dict(r.get("python_type"))
            desc = f" ({pt['description']})" if pt.get("description") else ""
            out += (
                f"     - [{r.get('component')}] {sanitize_name(_text(r.get('label')))}: "
                f"{pt.get('type', 'Any')}{desc} \n"
            )
    else:
        out += "     - None\n"
    return out


def render_text(
    endpoints: list[Endpoint], all_endpoints: bool | None = None, *, undocumented: bool = False
) -> str:
    """The text ``view_api()`` prints; ``undocumented`` adds those endpoints at the end."""
    public = api_dict(endpoints)
    named, unnamed = public["named_endpoints"], public["unnamed_endpoints"]
    if not named and all_endpoints is None:
        all_endpoints = True
    text = "Client.predict() Usage Info\n---------------------------\n"
    text += f"Named API endpoints: {len(named)}\n"
    for name, d in named.items():
        text += render_endpoint(name, d)
    if all_endpoints:
        text += f"\nUnnamed API endpoints: {len(unnamed)}\n"
        for index, d in unnamed.items():
            text += render_endpoint(int(index), d)
    elif unnamed:
        text += (
            f"\nUnnamed API endpoints: {len(unnamed)}, to view, run "
            "Client.view_api(all_endpoints=True)\n"
        )
    hidden = [e for e in endpoints if not e.documented] if undocumented else []
    if hidden:
        text += f"\nUndocumented API endpoints: {len(hidden)}\n"
        for e in hidden:
            text += render_endpoint(e.api_name or e.fn_index, endpoint_dict(e))
    return text
