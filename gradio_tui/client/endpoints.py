"""Endpoints and their parameters, typed, from the config and the API info.

This is the one place that reads the app's schema. The terminal app builds
its forms from these objects and never looks at Gradio JSON itself; the
client uses them to turn ``(*args, **kwargs)`` into the wire ``data`` list and
the wire result back into what the user gets.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from .config import AppConfig, Component, Dependency, untranslated
from .errors import InvalidAPIEndpointError
from .schema_types import FILE_COMPONENTS, describe_type, is_file_value_schema, python_type
from .untrusted import json_int


def warn_at_caller(message: str) -> None:
    """``warnings.warn`` pointing at the user's line: the first frame outside this package."""
    import sys
    import warnings

    package = __name__.partition(".")[0]
    level = 2
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == package:
        frame = frame.f_back
        level += 1
    warnings.warn(message, UserWarning, stacklevel=level)


_NO_VALUE = object()


def sanitize_name(original: str) -> str:
    """The reference's parameter-name cleaning: alphanumerics, ``_``, spaces → ``_``, lower."""
    return "".join(c for c in original if c.isalnum() or c in " _").replace(" ", "_").lower()


@dataclass
class Parameter:
    """One user-facing input of an endpoint (State inputs are not parameters)."""

    name: str
    label: str
    component: str
    python_type: str
    description: str
    type_schema: Any
    has_default: bool
    default: Any
    example: Any
    position: int  # index among the dependency's inputs (wire position)
    component_id: int | None = None
    props: dict[str, Any] = field(default_factory=dict, repr=False)
    info: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_file(self) -> bool:
        """Its value is a file (or a list of them): a plain path given here is uploaded.

        A Chatbot or MultimodalTextbox value only holds files among text; there
        only values spelled as files (``handle_file``) are uploaded.
        """
        return (
            self.component.lower() in FILE_COMPONENTS
            or is_file_value_schema(self.type_schema)
            or self.python_type == "filepath"
        )

    @property
    def choices(self) -> list[Any] | None:
        """Allowed values (Radio, Dropdown, CheckboxGroup, enum schemas), or None."""
        raw = self.props.get("choices")
        if isinstance(raw, list) and raw:
            values = []
            for c in raw:
                # 4.x+: [display, value] pairs; 3.x: plain values.
                values.append(c[1] if isinstance(c, list | tuple) and len(c) == 2 else c)
            return values
        schema = self.type_schema
        if isinstance(schema, dict):
            if isinstance(schema.get("enum"), list):
                return list(schema["enum"])
            items = schema.get("items")
            if isinstance(items, dict) and isinstance(items.get("enum"), list):
                return list(items["enum"])
        return None

    @property
    def multiple(self) -> bool:
        """Whether the value is a list of choices (CheckboxGroup, multiselect Dropdown)."""
        if self.component.lower() == "checkboxgroup":
            return True
        if self.props.get("multiselect"):
            return True
        return self.props.get("file_count") in ("multiple", "directory")

    @property
    def minimum(self) -> float | None:
        return self._number_prop("minimum")

    @property
    def maximum(self) -> float | None:
        return self._number_prop("maximum")

    @property
    def step(self) -> float | None:
        return self._number_prop("step")

    def _number_prop(self, name: str) -> float | None:
        value = self.props.get(name)
        return (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )

    @property
    def is_integer(self) -> bool:
        if isinstance(self.type_schema, dict) and self.type_schema.get("type") == "integer":
            return True
        return self.props.get("precision") == 0

    @property
    def lines(self) -> int:
        """Text lines the app shows for it (Textbox ``lines``); 1 when not said."""
        value = self.props.get("lines")
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1

    @property
    def placeholder(self) -> str | None:
        value = self.props.get("placeholder")
        return value if isinstance(value, str) and value else None

    @property
    def is_password(self) -> bool:
        """A Textbox of ``type="password"``: front ends should mask what is typed."""
        return self.props.get("type") == "password"

    def to_dict(self) -> dict[str, Any]:
        """The view_api parameter dict: current keys plus the seed era's keys."""
        return _api_entry(
            self,
            label=self.label,
            parameter_name=self.name,
            parameter_has_default=self.has_default,
            parameter_default=self.default,
            type=self.type_schema,
            python_type={"type": self.python_type, "description": self.description},
            component=self.component,
            example_input=self.example,
        )


@dataclass
class ReturnValue:
    """One output of an endpoint as the user receives it (skipped outputs excluded)."""

    label: str
    component: str
    python_type: str
    description: str
    type_schema: Any
    info: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_file(self) -> bool:
        return self.component.lower() in FILE_COMPONENTS or is_file_value_schema(self.type_schema)

    def to_dict(self) -> dict[str, Any]:
        """The view_api return dict: current keys plus the seed era's keys."""
        return _api_entry(
            self,
            label=self.label,
            type=self.type_schema,
            python_type={"type": self.python_type, "description": self.description},
            component=self.component,
        )


def _api_entry(value: Parameter | ReturnValue, **keys: Any) -> dict[str, Any]:
    """The server's entry for ``value`` with ``keys`` filled in where it has none, plus
    the seed era's ``type_python`` and ``type_description``."""
    d = copy.deepcopy(value.info) if value.info else {}
    for key, default in keys.items():
        d.setdefault(key, default)
    d["type_python"] = value.python_type
    d["type_description"] = value.description or describe_type(
        value.python_type, value.type_schema, value.component
    )
    return d


@dataclass
class Endpoint:
    """A callable event listener of the app."""

    fn_index: int
    api_name: str | None  # "/predict", or None for an unnamed (3.x–4.11) endpoint
    visibility: str  # "public" | "undocumented"
    parameters: list[Parameter]
    returns: list[ReturnValue]
    dependency: Dependency = field(repr=False)
    input_skipped: list[bool] = field(default_factory=list, repr=False)
    output_skipped: list[bool] = field(default_factory=list, repr=False)
    description: str = ""
    has_info: bool = True  # False: no /info entry, positional arguments only
    info: dict[str, Any] = field(default_factory=dict, repr=False)
    reads_state: bool = False  # a State component is among its inputs

    @property
    def name(self) -> str:
        """How a user addresses it: ``/predict`` or ``fn_index=8``."""
        return self.api_name or f"fn_index={self.fn_index}"

    @property
    def is_generator(self) -> bool:
        return self.dependency.generator

    @property
    def documented(self) -> bool:
        return self.visibility == "public"

    def construct_args(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], *, strict: bool = False
    ) -> list[Any]:
        """Positional + keyword arguments → one value per parameter, defaults filled.

        Extra positional arguments are dropped with a warning, or refused when
        ``strict`` (the command line: an extra word there is a mistake). The
        reference sends them and Gradio servers ignore them, so scripts that
        pass, say, a chat history to a ChatInterface's ``/chat`` work with it;
        they work here too, and the warning says what happened. Missing or
        unknown arguments are refused before anything is sent.
        """
        params = self.parameters
        if len(args) > len(params):
            count = (
                f"{self.name} takes {len(params)} argument{'s' if len(params) != 1 else ''} "
                f"({', '.join(p.name for p in params) or 'none'}) but {len(args)} "
                f"{'was' if len(args) == 1 else 'were'} given"
            )
            if strict:
                raise TypeError(f"{count}.")
            extra = len(args) - len(params)
            warn_at_caller(
                f"{count}; the extra {'one is' if extra == 1 else f'{extra} are'} not sent "
                "(Gradio servers ignore them)."
            )
            args = args[: len(params)]
        if kwargs and not self.has_info:
            raise ValueError(
                # The reference's words first: scripts match on them.
                f"This endpoint does not support key-word arguments: {self.name} does not "
                "name its parameters (the API info of Gradio 3.x and older servers has "
                "none); pass its values positionally."
            )
        values: list[Any] = list(args) + [_NO_VALUE] * (len(params) - len(args))
        by_name = {p.name: i for i, p in enumerate(params)}
        for key, value in kwargs.items():
            if key not in by_name:
                raise TypeError(
                    # The reference's sentence, then what it would have to look up.
                    f"Parameter `{key}` is not a valid key-word argument. "
                    f"The parameters of {self.name} are: {', '.join(by_name) or 'none'}."
                )
            index = by_name[key]
            if index < len(args):
                raise TypeError(f"Parameter `{key}` is already set as a positional argument.")
            values[index] = value
        for i, p in enumerate(params):
            if values[i] is _NO_VALUE:
                if p.has_default:
                    values[i] = copy.deepcopy(p.default)
                else:
                    raise TypeError(f"No value provided for required argument: {p.name}")
        return values

    def wire_data(self, values: list[Any]) -> list[Any]:
        """User values → the ``data`` list: ``None`` at every State/skipped input."""
        out: list[Any] = []
        it = iter(values)
        for skipped in self.input_skipped:
            out.append(None if skipped else next(it))
        return out

    def user_outputs(self, data: list[Any]) -> Any:
        """Wire outputs → what ``predict`` returns: skipped ones dropped, one value unwrapped."""
        kept = [
            v for v, skipped in zip(data, self._skip_mask(len(data)), strict=False) if not skipped
        ]
        if len(kept) == 1:
            return kept[0]
        return tuple(kept)

    def _skip_mask(self, n: int) -> list[bool]:
        mask = list(self.output_skipped[:n])
        # Outputs can grow after a hot reload; unknown extra ones are kept.
        return mask + [False] * (n - len(mask))


def _component_name(comp: Component | None) -> str:
    if comp is None:
        return "Unknown"
    t = comp.type
    return t[:1].upper() + t[1:] if t else "Unknown"


def _label(comp: Component | None, fallback: str) -> str:
    if comp is not None and comp.label:
        return comp.label
    return fallback


def build_endpoints(config: AppConfig, info: dict[str, Any] | None) -> list[Endpoint]:
    """Join the config's dependencies with the API info into typed endpoints.

    Private and front-end-only listeners are left out: they can never be
    called by an API client. Endpoints missing from the info (undocumented on
    old servers, or all of them when ``/info`` failed) get parameters derived
    from the config and take positional arguments only.
    """
    named = (info or {}).get("named_endpoints") or {}
    unnamed = (info or {}).get("unnamed_endpoints") or {}
    endpoints: list[Endpoint] = []
    for dep in config.dependencies:
        if not dep.callable:
            continue
        api_name = "/" + dep.api_name if dep.api_name else None
        ep_info = named.get(api_name) if api_name is not None else unnamed.get(str(dep.fn_index))
        if not isinstance(ep_info, dict):
            ep_info = None
        endpoints.append(_build_endpoint(config, dep, api_name, ep_info))
    return endpoints


def _build_endpoint(
    config: AppConfig, dep: Dependency, api_name: str | None, ep_info: dict[str, Any] | None
) -> Endpoint:
    in_comps = [config.components.get(i) for i in dep.inputs]
    out_comps = [config.components.get(o) for o in dep.outputs]
    input_skipped = [bool(c is not None and c.skip_api) for c in in_comps]
    output_skipped = [bool(c is not None and c.skip_api) for c in out_comps]
    visible_inputs = [
        (pos, cid, c)
        for pos, (cid, c) in enumerate(zip(dep.inputs, in_comps, strict=False))
        if not input_skipped[pos]
    ]
    visible_outputs = [
        (cid, c)
        for (cid, c), skip in zip(
            zip(dep.outputs, out_comps, strict=False), output_skipped, strict=False
        )
        if not skip
    ]

    params: list[Parameter] = []
    info_params = ep_info.get("parameters") if ep_info else None
    has_info = isinstance(info_params, list) and len(info_params) == len(visible_inputs)
    for i, (pos, cid, comp) in enumerate(visible_inputs):
        p_info = info_params[i] if has_info and isinstance(info_params[i], dict) else {}  # type: ignore[index]
        pt = p_info.get("python_type")
        if isinstance(pt, dict):
            py_type, py_desc = str(pt.get("type", "Any")), str(pt.get("description") or "")
        elif isinstance(pt, str):  # pre-1.x info shape
            py_type, py_desc = pt, str(p_info.get("type_description") or "")
        else:
            schema = comp.api_info if comp else None
            py_type, py_desc = python_type(schema), ""
        raw_name = p_info.get("parameter_name")
        given = raw_name if isinstance(raw_name, str) and raw_name else None
        label = untranslated(p_info.get("label")) or _label(comp, given or f"parameter_{cid}")
        name = given or sanitize_name(label) or f"param_{i}"
        schema = p_info.get("type") if "type" in p_info else (comp.api_info if comp else None)
        if "parameter_has_default" in p_info:
            has_default = bool(p_info["parameter_has_default"])
            default = p_info.get("parameter_default")
        else:
            # Servers before the key (3.x, early 4.x): today's rule, so every
            # generation behaves alike: a component's initial value is the default.
            initial = comp.props.get("value") if comp is not None else None
            has_default, default = initial is not None, initial
        params.append(
            Parameter(
                name=name,
                label=label,
                component=str(p_info.get("component") or _component_name(comp)),
                python_type=py_type,
                description=py_desc,
                type_schema=schema,
                has_default=has_default,
                default=default,
                example=p_info.get("example_input"),
                position=pos,
                component_id=cid,
                props=comp.props if comp else {},
                info=p_info,
            )
        )

    returns: list[ReturnValue] = []
    info_returns = ep_info.get("returns") if ep_info else None
    returns_ok = isinstance(info_returns, list) and len(info_returns) == len(visible_outputs)
    for i, (cid, comp) in enumerate(visible_outputs):
        r_info = info_returns[i] if returns_ok and isinstance(info_returns[i], dict) else {}  # type: ignore[index]
        pt = r_info.get("python_type")
        if isinstance(pt, dict):
            py_type, py_desc = str(pt.get("type", "Any")), str(pt.get("description") or "")
        elif isinstance(pt, str):
            py_type, py_desc = pt, str(r_info.get("type_description") or "")
        else:
            py_type, py_desc = python_type(comp.api_info if comp else None), ""
        returns.append(
            ReturnValue(
                label=untranslated(r_info.get("label")) or _label(comp, f"value_{cid}"),
                component=str(r_info.get("component") or _component_name(comp)),
                python_type=py_type,
                description=py_desc,
                type_schema=r_info.get("type")
                if "type" in r_info
                else (comp.api_info if comp else None),
                info=r_info,
            )
        )

    description = ""
    if ep_info and isinstance(ep_info.get("description"), str):
        description = ep_info["description"]
    return Endpoint(
        fn_index=dep.fn_index,
        api_name=api_name,
        visibility=dep.visibility,
        parameters=params,
        returns=returns,
        dependency=dep,
        input_skipped=input_skipped,
        output_skipped=output_skipped,
        description=description,
        # 3.x info names no parameters: keyword arguments would rest on guesses.
        has_info=(bool(has_info) and _names_parameters(info_params)) or not visible_inputs,
        info=ep_info or {},
        reads_state=any(c is not None and c.type.lower() == "state" for c in in_comps),
    )


def _names_parameters(info_params: Any) -> bool:
    return isinstance(info_params, list) and all(
        isinstance(p, dict) and "parameter_name" in p for p in info_params
    )


class EndpointTable:
    """Looks endpoints up the way the reference does, with errors that help."""

    def __init__(self, endpoints: list[Endpoint]) -> None:
        self.endpoints = endpoints
        self._by_index = {e.fn_index: e for e in endpoints}
        self._by_name: dict[str, Endpoint] = {}
        for e in endpoints:
            if e.api_name and e.api_name not in self._by_name:
                self._by_name[e.api_name] = e

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.endpoints)

    def __len__(self) -> int:
        return len(self.endpoints)

    def _available(self) -> list[str]:
        return [e.api_name for e in self.endpoints if e.api_name and e.documented]

    def resolve(self, api_name: str | None = None, fn_index: int | None = None) -> Endpoint:
        """``api_name`` wins over ``fn_index``; with neither, the one named endpoint."""
        if api_name is not None:
            if not isinstance(api_name, str):
                raise InvalidAPIEndpointError(
                    f"api_name must be a string such as '/predict', not {type(api_name).__name__}.",
                    self._available(),
                )
            endpoint = self._by_name.get(api_name)
            if endpoint is not None:
                return endpoint
            message = f"Cannot find a function with `api_name`: {api_name}."
            if not api_name.startswith("/") and ("/" + api_name) in self._by_name:
                message += " Did you mean to use a leading slash?"
            available = self._available()
            message += (
                " Available endpoints: " + ", ".join(available) + "."
                if available
                else " This app has no named endpoints."
            )
            raise InvalidAPIEndpointError(message, available)
        if fn_index is not None:
            endpoint = self._by_index.get(fn_index) if json_int(fn_index) is not None else None
            if endpoint is None:
                raise InvalidAPIEndpointError(
                    f"Invalid function index: {fn_index}. Callable indices: "
                    + ", ".join(str(i) for i in sorted(self._by_index))
                    + ".",
                    self._available(),
                )
            return endpoint
        public_named = [e for e in self.endpoints if e.api_name and e.documented]
        if len(public_named) == 1:
            return public_named[0]
        available = self._available()
        raise InvalidAPIEndpointError(
            "This Gradio app might have multiple endpoints. Please specify an `api_name` or "
            "`fn_index`. Available endpoints: " + (", ".join(available) or "none") + ".",
            available,
        )
