"""API info for Gradio 3.x apps older than 3.37, computed from their config.

Those servers have no ``/info`` route; the reference client sent the config to
a hosted helper Space instead. This client never calls an outside service:
it derives the same ``{"named_endpoints", "unnamed_endpoints"}`` value (the
``serialize=False`` view that newer 3.x servers answer) from the config's
components, their serializers and their ``api_info``.
"""

from __future__ import annotations

from typing import Any

from packaging.version import Version

from .config import SKIPPED_3X, parse_version
from .schema_types import python_type
from .untrusted import json_int

_FILE_OBJECT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "name of file"},
        "data": {"type": "string", "description": "base64 representation of file"},
        "size": {"type": "integer", "description": "size of image in bytes"},
        "is_file": {
            "type": "boolean",
            "description": "true if the file has been uploaded to the server",
        },
        "orig_name": {"type": "string", "description": "original name of the file"},
    },
    "required": ["name", "data"],
}
_FILE_PATH = {"type": "string", "description": "filepath on your computer (or URL) of file"}

# The wire type of each 3.x serializer (what the server takes and gives).
_SERIALIZER_INFO: dict[str, dict[str, Any]] = {
    "SimpleSerializable": {"type": {}, "description": "any valid value"},
    "StringSerializable": {"type": "string"},
    "ListStringSerializable": {"type": "array", "items": {"type": "string"}},
    "BooleanSerializable": {"type": "boolean"},
    "NumberSerializable": {"type": "number"},
    "ImgSerializable": {"type": "string", "description": "base64 representation of an image"},
    "FileSerializable": {"oneOf": [_FILE_PATH, _FILE_OBJECT]},
    "MultipleFileSerializable": {"type": "array", "items": {"anyOf": [_FILE_PATH, _FILE_OBJECT]}},
    "JSONSerializable": {"type": {}, "description": "any valid json"},
    "GallerySerializable": {
        "type": "array",
        "items": {
            "type": "array",
            "items": False,
            "maxSize": 2,
            "minSize": 2,
            "prefixItems": [
                _FILE_OBJECT,
                {
                    "oneOf": [
                        {"type": "string", "description": "caption of image"},
                        {"type": "null"},
                    ]
                },
            ],
        },
    },
}
_SERIALIZER_EXAMPLE: dict[str, Any] = {
    "StringSerializable": "Howdy!",
    "ListStringSerializable": ["Howdy!", "Merhaba"],
    "BooleanSerializable": True,
    "NumberSerializable": 5,
    "JSONSerializable": {"a": 1, "b": 2},
}

# Which serializer a 3.x component type uses when its config does not say.
_COMPONENT_SERIALIZER = {
    "textbox": "StringSerializable",
    "number": "NumberSerializable",
    "slider": "NumberSerializable",
    "checkbox": "BooleanSerializable",
    "checkboxgroup": "ListStringSerializable",
    "radio": "StringSerializable",
    "dropdown": "SimpleSerializable",
    "image": "ImgSerializable",
    "video": "FileSerializable",
    "audio": "FileSerializable",
    "file": "FileSerializable",
    "dataframe": "JSONSerializable",
    "timeseries": "JSONSerializable",
    "fileexplorer": "JSONSerializable",
    "state": "SimpleSerializable",
    "button": "StringSerializable",
    "uploadbutton": "FileSerializable",
    "colorpicker": "StringSerializable",
    "label": "JSONSerializable",
    "highlightedtext": "JSONSerializable",
    "json": "JSONSerializable",
    "html": "StringSerializable",
    "gallery": "GallerySerializable",
    "chatbot": "JSONSerializable",
    "model3d": "FileSerializable",
    "plot": "JSONSerializable",
    "barplot": "JSONSerializable",
    "lineplot": "JSONSerializable",
    "scatterplot": "JSONSerializable",
    "markdown": "StringSerializable",
    "code": "StringSerializable",
    "annotatedimage": "JSONSerializable",
}

# Configs from after 3.28.3 carry each component's own (more precise) api_info.
_COMPONENT_INFO_SINCE = Version("3.28.3")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _serializer_of(component: dict[str, Any]) -> str | None:
    # The server names the serializer of the component type (e.g. File for a
    # Video) and only falls back to the config's own for custom components.
    known = _COMPONENT_SERIALIZER.get(_text(component.get("type")).lower())
    name = component.get("serializer")
    return known or (name if isinstance(name, str) and name else None)


def _describe(component: dict[str, Any], serializer: str, new_format: bool) -> tuple[Any, Any, str]:
    """(wire schema, example, description) of one component."""
    api_info = component.get("api_info")
    if new_format and isinstance(api_info, dict) and "info" in api_info:
        info = api_info["info"]
        examples = component.get("example_inputs")
        example = examples.get("serialized") if isinstance(examples, dict) else None
    else:
        props = component.get("props")
        multiple = isinstance(props, dict) and props.get("file_count", "single") != "single"
        key = "MultipleFileSerializable" if serializer == "FileSerializable" and multiple else ""
        info = _SERIALIZER_INFO.get(
            key or serializer, {"type": {}, "description": "any valid value"}
        )
        example = _SERIALIZER_EXAMPLE.get(serializer)
    description = info.get("description", "") if isinstance(info, dict) else ""
    return info, example, description if isinstance(description, str) else ""


def local_api_info(config: dict[str, Any]) -> dict[str, Any]:
    """``/info?serialize=False`` as a 3.37+ server would answer it, from the config alone."""
    info: dict[str, Any] = {"named_endpoints": {}, "unnamed_endpoints": {}}
    components = {
        c["id"]: c
        for c in _list(config.get("components"))
        if isinstance(c, dict) and isinstance(c.get("id"), int)
    }
    new_format = parse_version(config.get("version")) > _COMPONENT_INFO_SINCE
    mode = config.get("mode")
    for index, dep in enumerate(_list(config.get("dependencies"))):
        if not isinstance(dep, dict) or dep.get("backend_fn") is False:
            continue
        entry = _endpoint(dep, components, new_format)
        if entry is None:
            continue
        api_name = dep.get("api_name")
        if isinstance(api_name, str) and api_name:
            info["named_endpoints"]["/" + api_name] = entry
        elif api_name is False or mode in ("interface", "tabbed_interface"):
            continue  # API disabled, or unnamed events of an Interface (not listed)
        else:
            fn_index = json_int(dep.get("id"))
            info["unnamed_endpoints"][str(index if fn_index is None else fn_index)] = entry
    return info


def _endpoint(
    dep: dict[str, Any], components: dict[int, dict[str, Any]], new_format: bool
) -> dict[str, Any] | None:
    """One endpoint's entry; None when a component is missing or cannot be serialised."""
    entry: dict[str, list[dict[str, Any]]] = {"parameters": [], "returns": []}
    for key, out in (("inputs", "parameters"), ("outputs", "returns")):
        for cid in _list(dep.get(key)):
            component = components.get(cid) if json_int(cid) is not None else None
            if component is None:
                return None
            ctype = _text(component.get("type")).lower()
            if ctype in SKIPPED_3X:
                continue
            serializer = _serializer_of(component)
            if serializer is None:
                return None
            schema, example, description = _describe(component, serializer, new_format)
            props = component.get("props") if isinstance(component.get("props"), dict) else {}
            fallback = f"parameter_{cid}" if key == "inputs" else f"value_{cid}"
            label = (props or {}).get("label")
            item: dict[str, Any] = {
                "label": label if isinstance(label, str) else fallback,
                "type": schema,
                "python_type": {
                    "type": python_type(schema, legacy=True),
                    "description": description,
                },
                "component": ctype.capitalize(),
            }
            if key == "inputs":
                item["example_input"] = example
            item["serializer"] = serializer
            entry[out].append(item)
    return entry


__all__ = ["local_api_info"]
