"""What a JSON schema says a value is: a Python type string, a few words, a file or not.

The one mapper from Gradio's JSON schemas to the ``python_type`` strings
``view_api`` shows. Two spellings exist because the servers used two: 4.x+
write ``float``, ``list[str]``, ``dict(a: int)``; 3.x wrote ``int | float``,
``List[str]``, ``Dict(a: int)``. The 3.x one is needed where this client
computes a 3.x app's API info itself (``info_local``); the current one names
types the server's API info left out.
"""

from __future__ import annotations

from typing import Any

# JSON type -> (Python type as 4.x+ servers spell it, as 3.x servers did, view_api's words).
_SCALARS: dict[str, tuple[str, str, str]] = {
    "string": ("str", "str", "string value"),
    "number": ("float", "int | float", "numeric value"),
    "integer": ("int", "int", "integer value"),
    "boolean": ("bool", "bool", "boolean value"),
    "null": ("None", "None", "None"),
}
_WORDS = {"array": "list of values", "object": "dictionary value"}

# Components whose values are files, whatever their schema says.
FILE_COMPONENTS = frozenset(
    {
        "file",
        "image",
        "audio",
        "video",
        "model3d",
        "uploadbutton",
        "gallery",
        "imageeditor",
        "imageslider",
        "annotatedimage",
        "simpleimage",
        "dicom",
        "pdf",
    }
)


def _names_file_data(schema: dict[str, Any]) -> bool:
    """The schema is FileData's own: by title, by a ``$ref`` to it, or by its path+meta shape."""
    if schema.get("title") == "FileData":
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.rsplit("/", 1)[-1] == "FileData":
        return True
    props = schema.get("properties")
    return isinstance(props, dict) and "path" in props and "meta" in props


def is_file_value_schema(schema: Any) -> bool:
    """Whether a value of this schema is a file, or a list of files (``file_count="multiple"``).

    Not merely a structure with a file somewhere inside, as a Chatbot's history
    or a MultimodalTextbox's value is: there a string is text, and only a value
    spelled as a file (``handle_file``) is one, as the reference has it.
    """
    if not isinstance(schema, dict):
        return False
    if _names_file_data(schema):
        return True
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict) and _names_file_data(items):
        return True
    options = schema.get("anyOf", schema.get("oneOf"))
    if isinstance(options, list):
        return any(is_file_value_schema(option) for option in options)
    return False


def is_file_schema(schema: Any) -> bool:
    """Whether a JSON schema (or anything inside it) describes a Gradio FileData."""
    if isinstance(schema, dict):
        if schema.get("title") == "FileData" or "FileData" in str(schema.get("$ref", "")):
            return True
        props = schema.get("properties")
        if isinstance(props, dict) and "path" in props and "meta" in props:
            return True
        return any(is_file_schema(v) for v in schema.values() if isinstance(v, dict | list))
    if isinstance(schema, list):
        return any(is_file_schema(v) for v in schema)
    return False


def python_type(schema: Any, *, legacy: bool = False) -> str:
    """The Python type string of a JSON schema; ``legacy``: as 3.x servers spelled it.

    A schema that holds a FileData anywhere is a ``filepath``: that is how a
    file is passed, whatever wraps it.
    """
    if not isinstance(schema, dict) or not schema:
        return "Any"
    if is_file_schema(schema):
        return "filepath"
    if "const" in schema:
        return repr(schema["const"])
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            return " | ".join(python_type(s, legacy=legacy) for s in schema[key])
    if isinstance(schema.get("enum"), list):
        return "Literal[" + ", ".join(repr(v) for v in schema["enum"]) + "]"
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(python_type({**schema, "type": k}, legacy=legacy) for k in kind)
    if isinstance(kind, str) and kind in _SCALARS:
        current, old, _ = _SCALARS[kind]
        return old if legacy else current
    if kind == "array":
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            inner = ", ".join(python_type(s, legacy=legacy) for s in prefix)
            return f"Tuple[{inner}]" if legacy else f"tuple[{inner}]"
        inner = python_type(schema.get("items", {}), legacy=legacy)
        return f"List[{inner}]" if legacy else f"list[{inner}]"
    if kind == "object":
        props = schema.get("properties")
        if not isinstance(props, dict):
            return "Dict[str, Any]" if legacy else "dict[str, Any]"
        fields = []
        for name, sub in props.items():
            desc = sub.get("description") if isinstance(sub, dict) else None
            fields.append(
                f"{name}: {python_type(sub, legacy=legacy)}" + (f" ({desc})" if desc else "")
            )
        return ("Dict(" if legacy else "dict(") + ", ".join(fields) + ")"
    return "Any"


def describe_type(python_type: str, schema: Any, component: str) -> str:
    """A few words for a value's type (the reference's old ``type_description``)."""
    if component.lower() in FILE_COMPONENTS or is_file_schema(schema) or python_type == "filepath":
        return "filepath or URL to file"
    if not isinstance(schema, dict):
        return "any value"
    if isinstance(schema.get("enum"), list):
        return "one of: " + ", ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _SCALARS:
        return _SCALARS[kind][2]
    return _WORDS.get(str(kind), "any value")


__all__ = [
    "FILE_COMPONENTS",
    "describe_type",
    "is_file_schema",
    "is_file_value_schema",
    "python_type",
]
