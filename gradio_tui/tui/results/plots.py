"""Plot outputs, read for a terminal chart: which series, of what, drawn how.

Gradio sends plots in two families of shapes:

- native plots (``LinePlot``, ``BarPlot``, ``ScatterPlot``):
  ``{"columns": [...], "data": [[...]], "datatypes": {...}, "mark": "line"}``;
- ``gr.Plot``: ``{"type": "matplotlib" | "plotly" | "altair" | "bokeh", "plot": …}``
  where matplotlib is a PNG data URL, plotly and altair a JSON figure or spec.

:func:`chart_of` turns what it can into :class:`Chart` (series of x/y points
and a mark) for textual-plotext; a matplotlib PNG is an image instead
(:func:`plot_png`); anything else (bokeh, specs without inline data) gets the
"open it" fallback, for which :func:`plot_html` writes a page that draws it
in a browser. Pure Python, no widgets.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
from dataclasses import dataclass, field
from typing import Any

MAX_POINTS = 5000
"""Points per series drawn in the terminal (more would not show anyway)."""


@dataclass
class Series:
    name: str
    x: list[Any] = field(default_factory=list)
    y: list[float] = field(default_factory=list)


@dataclass
class Chart:
    mark: str
    """``line``, ``bar`` or ``point``."""
    series: list[Series]
    x_label: str = ""
    y_label: str = ""
    title: str = ""

    @property
    def categorical(self) -> bool:
        return any(not _is_number(x) for s in self.series for x in s.x)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Any) -> float | None:
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


MARKS = {
    "line": "line",
    "lines": "line",
    "area": "line",
    "trail": "line",
    "bar": "bar",
    "point": "point",
    "circle": "point",
    "square": "point",
    "tick": "point",
    "scatter": "point",
    "markers": "point",
}


def plot_table(value: Any) -> dict[str, Any] | None:
    """A native plot's data as a Dataframe-shaped table (for save as CSV)."""
    if isinstance(value, dict) and isinstance(value.get("columns"), list):
        data = value.get("data")
        if isinstance(data, list):
            return {"headers": value["columns"], "data": data}
    return None


def plot_kind(value: Any) -> str:
    """``native``, ``matplotlib``, ``plotly``, ``altair``, ``bokeh`` or ``unknown``."""
    if plot_table(value) is not None:
        return "native"
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return (
            value["type"]
            if value["type"] in ("matplotlib", "plotly", "altair", "bokeh")
            else "unknown"
        )
    return "unknown"


def chart_of(value: Any) -> Chart | None:
    """The chart a terminal can draw from ``value``, or None when the data is not there."""
    kind = plot_kind(value)
    try:
        if kind == "native":
            return _native(value)
        if kind == "plotly":
            return _plotly(_json(value.get("plot")))
        if kind == "altair":
            return _altair(_json(value.get("plot")))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    return None


def _json(text: Any) -> Any:
    return json.loads(text) if isinstance(text, str) else text


def _native(value: dict[str, Any]) -> Chart | None:
    columns: list[str] = [str(c) for c in value["columns"]]
    rows = [r for r in value["data"] if isinstance(r, list) and len(r) == len(columns)]
    raw_types = value.get("datatypes")
    types: dict[str, Any] = raw_types if isinstance(raw_types, dict) else {}
    if len(columns) < 2 or not rows:
        return None
    mark = MARKS.get(str(value.get("mark", "line")), "line")
    # The x is the first column, y the first numeric one after it, and a third,
    # nominal column (if any) splits the points into series (Gradio's ``color``).
    x_col = 0
    y_col = next(
        (i for i in range(1, len(columns)) if all(_number(r[i]) is not None for r in rows)), None
    )
    if y_col is None:
        return None
    color = next(
        (i for i in range(1, len(columns)) if i != y_col and types.get(columns[i]) == "nominal"),
        None,
    )
    series: dict[str, Series] = {}
    for row in rows:
        name = str(row[color]) if color is not None else columns[y_col]
        s = series.setdefault(name, Series(name))
        if len(s.x) < MAX_POINTS:
            s.x.append(row[x_col])
            s.y.append(_number(row[y_col]) or 0.0)
    return Chart(mark, list(series.values()), columns[x_col], columns[y_col])


def _plotly(figure: Any) -> Chart | None:
    if not isinstance(figure, dict) or not isinstance(figure.get("data"), list):
        return None
    series: list[Series] = []
    mark = "line"
    for index, trace in enumerate(figure["data"]):
        if not isinstance(trace, dict) or not isinstance(trace.get("y"), list):
            continue
        y = [_number(v) for v in trace["y"]][:MAX_POINTS]
        if any(v is None for v in y):
            continue
        raw_x = trace.get("x")
        x: list[Any] = raw_x if isinstance(raw_x, list) else list(range(len(y)))
        kind = str(trace.get("type", "scatter"))
        if kind == "bar":
            mark = "bar"
        elif kind == "scatter" and trace.get("mode") == "markers":
            mark = "point"
        raw_name = trace.get("name")
        name = raw_name if isinstance(raw_name, str) else f"trace {index}"
        series.append(Series(name, list(x[: len(y)]), [float(v or 0.0) for v in y]))
    if not series:
        return None
    raw_layout = figure.get("layout")
    layout: dict[str, Any] = raw_layout if isinstance(raw_layout, dict) else {}
    title = layout.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    return Chart(mark, series, title=title if isinstance(title, str) else "")


def _altair(spec: Any) -> Chart | None:
    if not isinstance(spec, dict):
        return None
    values: Any = None
    data = spec.get("data")
    if isinstance(data, dict):
        values = data.get("values")
        if values is None and isinstance(data.get("name"), str):
            values = (spec.get("datasets") or {}).get(data["name"])
    encoding = spec.get("encoding")
    if not isinstance(values, list) or not isinstance(encoding, dict):
        return None
    x_field = (encoding.get("x") or {}).get("field")
    y_field = (encoding.get("y") or {}).get("field")
    color_field = (encoding.get("color") or {}).get("field")
    if not isinstance(x_field, str) or not isinstance(y_field, str):
        return None
    mark = spec.get("mark")
    mark_type = mark.get("type") if isinstance(mark, dict) else mark
    series: dict[str, Series] = {}
    for row in values:
        if not isinstance(row, dict) or _number(row.get(y_field)) is None:
            continue
        name = str(row.get(color_field)) if isinstance(color_field, str) else y_field
        s = series.setdefault(name, Series(name))
        if len(s.x) < MAX_POINTS:
            s.x.append(row.get(x_field))
            s.y.append(_number(row[y_field]) or 0.0)
    if not series:
        return None
    title = spec.get("title")
    return Chart(
        MARKS.get(str(mark_type), "line"),
        list(series.values()),
        x_field,
        y_field,
        title if isinstance(title, str) else "",
    )


def plot_png(value: Any) -> bytes | None:
    """A matplotlib plot's PNG bytes (Gradio sends it as a data URL)."""
    if plot_kind(value) != "matplotlib" or not isinstance(value.get("plot"), str):
        return None
    text: str = value["plot"]
    if text.startswith("data:"):
        text = text.split(",", 1)[-1]
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return None


def plot_html(value: Any) -> str | None:
    """A page that draws a plotly figure or a Vega-Lite spec in a browser (the fallback)."""
    kind = plot_kind(value)
    spec = value.get("plot") if isinstance(value, dict) else None
    if not isinstance(spec, str):
        return None
    # The spec goes in as JSON inside a <script>: "</" is escaped so it cannot end it.
    safe = json.dumps(_json(spec)).replace("</", "<\\/")
    if kind == "plotly":
        script = (
            '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script>'
            f"<script>const fig = {safe}; Plotly.newPlot('plot', fig.data, fig.layout);</script>"
        )
    elif kind == "altair":
        script = (
            '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
            '<script src="https://cdn.jsdelivr.net/npm/vega-lite@5"></script>'
            '<script src="https://cdn.jsdelivr.net/npm/vega-embed@6"></script>'
            f"<script>vegaEmbed('#plot', {safe});</script>"
        )
    else:
        return None
    title = html.escape(f"{kind} plot")
    return (
        f"<!doctype html><meta charset=utf-8><title>{title}</title>"
        f'<div id="plot" style="width:100%;height:90vh"></div>{script}'
    )
