"""Between a job in the app and a job in the history: what is kept, and what comes back.

:func:`entry_from_record` keeps a finished job (its typed endpoint says which
inputs are files and which are passwords); :func:`form_values` turns a kept
job, or a preset, back into values a form can take; :func:`stored_items`
turns its outputs back into result items for "look again".
"""

from __future__ import annotations

import uuid
from typing import Any

from ..client.endpoints import Endpoint, Parameter
from ..client.explain import explain
from ..history import (
    JobEntry,
    StoredError,
    StoredInput,
    StoredOutput,
    file_value,
    keep_value,
)
from .jobs_model import JobRecord
from .results.model import OutputItem, items_for, split_outputs


def is_secret(param: Parameter) -> bool:
    """A password field: its value is never written anywhere."""
    return bool(param.is_password)


def stored_inputs(endpoint: Endpoint, values: list[Any]) -> list[StoredInput]:
    out = []
    for param, value in zip(endpoint.parameters, values, strict=False):
        if is_secret(param):
            out.append(StoredInput(param.name, param.component, None, secret=True))
            continue
        kept, cut = keep_value(value, file=param.is_file)
        out.append(StoredInput(param.name, param.component, kept, file=param.is_file, cut=cut))
    return out


def entry_from_record(record: JobRecord, src: str) -> JobEntry:
    """A finished job as the history keeps it."""
    endpoint = record.endpoint
    job = record.job
    outputs: list[StoredOutput] = []
    error: StoredError | None = None
    exc = job.exception() if job.done() and not job.cancelled() else None
    if exc is not None:
        said = explain(exc)
        error = StoredError(said.kind, said.title, said.message)
    elif record.outcome == "finished":
        has_output, value = record.latest_output()
        if has_output:
            for ret, v in split_outputs(value, endpoint.returns):
                is_file = ret.is_file if ret is not None else False
                kept, cut = keep_value(v, file=is_file)
                outputs.append(
                    StoredOutput(
                        ret.label if ret is not None else "result",
                        ret.component if ret is not None else "",
                        kept,
                        file=is_file,
                        cut=cut,
                    )
                )
    return JobEntry(
        id=uuid.uuid4().hex[:12],
        src=src,
        endpoint=endpoint.name,
        fn_index=endpoint.fn_index,
        status=record.outcome,
        started=job.created.isoformat(timespec="seconds"),
        duration=round(record.elapsed(), 3),
        inputs=stored_inputs(endpoint, record.inputs),
        outputs=outputs,
        error=error,
    )


def form_values(values: dict[str, Any], endpoint: Endpoint) -> dict[str, Any]:
    """Kept values by parameter name, for the parameters ``endpoint`` still has."""
    names = {p.name for p in endpoint.parameters}
    return {k: v for k, v in values.items() if k in names}


def entry_values(entry: JobEntry) -> dict[str, Any]:
    """A past job's inputs by name (passwords and cut values left out)."""
    return {i.name: i.value for i in entry.inputs if not i.secret and not i.cut}


def preset_values(endpoint: Endpoint, values: list[Any]) -> dict[str, Any]:
    """A form's values as a preset keeps them: by name, files as paths, no passwords."""
    out: dict[str, Any] = {}
    for param, value in zip(endpoint.parameters, values, strict=False):
        if is_secret(param):
            continue
        out[param.name] = file_value(value) if param.is_file else value
    return out


def find_endpoint(
    endpoints: list[Endpoint], entry_endpoint: str, fn_index: int | None
) -> Endpoint | None:
    """The endpoint a past job ran: by name first (an app may renumber), then by index."""
    for endpoint in endpoints:
        if endpoint.name == entry_endpoint:
            return endpoint
    if fn_index is not None:
        for endpoint in endpoints:
            if endpoint.fn_index == fn_index and endpoint.api_name is None:
                return endpoint
    return None


def stored_items(entry: JobEntry) -> list[tuple[OutputItem, bool]]:
    """``(item, cut)`` for each part of a past job's outputs."""
    out: list[tuple[OutputItem, bool]] = []
    for output in entry.outputs:
        for item in items_for(output.label, output.component, output.value, output.file):
            out.append((item, output.cut))
    return out
