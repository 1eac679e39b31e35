"""Property tests: whatever a server sends, every parser ends in a value or in one of
our typed errors (``GradioTuiError``) — never a ``TypeError``, ``KeyError`` or
``RecursionError`` from inside, and never a hang.

Three parsers, at the byte level where they meet the network:

- the config (``/config`` body → ``AppConfig`` → endpoints → ``view_api``),
- the API info (``/info`` body → endpoints → ``view_api``; 3.x: derived from the config),
- the event stream (``queue/data`` body → a job's value or error, through the real
  ``SseTransport`` on an ``httpx.MockTransport``), and single decoded messages.

Inputs are arbitrary JSON, arbitrary bytes, real captured configs and infos with
random parts replaced (which reaches far deeper than random JSON does), and
nesting thousands of levels deep. CI runs a few hundred examples per property
(profile ``ci``); ``python -m bench.fuzz_parsers`` runs the same tests with many more.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradio_tui.client.config import AppConfig
from gradio_tui.client.discovery import parse_app
from gradio_tui.client.errors import GradioTuiError
from gradio_tui.client.http import decode_json
from gradio_tui.client.messages import parse_message
from gradio_tui.client.protocols import Session, make_transport
from gradio_tui.client.sources import Source
from gradio_tui.client.status import StatusUpdate
from gradio_tui.client.view_api import api_dict, render_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SRC = "http://127.0.0.1:7860/"

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("GRADIO_TUI_FUZZ_EXAMPLES", "5000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("GRADIO_TUI_HYPOTHESIS", "ci"))


def fixture(generation: int, name: str) -> Any:
    return json.loads((FIXTURES / f"gradio-{generation}" / name).read_text())


CONFIGS = {g: fixture(g, "config.json") for g in (3, 4, 5, 6)}
INFOS = {g: fixture(g, "info_all_endpoints.json") for g in (4, 5, 6)}

# -- strategies -------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "/", "state", "__i18n__{}", "__i18n__[", "gradio.FileData", "sse_v3"])
)
# Keys Gradio's configs, infos and messages use: random dicts get them often.
KEYS = [
    "id", "type", "props", "inputs", "outputs", "dependencies", "components",
    "api_name", "types", "msg", "event_id", "output", "data", "error", "meta",
    "path", "url", "named_endpoints", "unnamed_endpoints", "parameters", "returns",
    "python_type", "label", "component", "parameter_default", "choices", "value",
    "protocol", "version", "api_prefix", "serializer", "api_info", "skip_api",
    "progress_data", "rank", "queue_size", "rank_eta", "success", "title",
]  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12) | st.sampled_from(KEYS), children, max_size=4)
    ),
    max_leaves=20,
)


def deep(depth: int, leaf: Any = 1) -> Any:
    """A value nested ``depth`` levels (dicts and lists), built without recursion."""
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


def deep_text(depth: int) -> str:
    """The JSON text of ``deep(depth)``, however deep (json.dumps would recurse)."""
    opening = "".join("[" if i % 2 else '{"a": ' for i in reversed(range(depth)))
    closing = "".join("]" if i % 2 else "}" for i in range(depth))
    return opening + "1" + closing


# Deep values inside generated documents are markers, expanded into JSON text by
# ``as_bytes``; values handed to parsers directly are built (up to what the
# json module itself can build).
_DEEP_MARK = re.compile(r'"<<deep:(\d+)>>"')
deep_markers = st.integers(min_value=50, max_value=5000).map(lambda n: f"<<deep:{n}>>")
deep_values = st.integers(min_value=50, max_value=900).map(deep)


def as_bytes(value: Any) -> st.SearchStrategy[bytes]:
    text = _DEEP_MARK.sub(lambda m: deep_text(int(m.group(1))), json.dumps(value))
    return st.just(text.encode())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, doc: Any) -> Any:
    """``doc`` with a few random parts replaced by arbitrary (sometimes deep) JSON, or removed."""
    doc = copy.deepcopy(doc)
    paths = _paths(doc)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(paths))
        replacement = draw(json_values | deep_markers if draw(st.booleans()) else json_values)
        if not path:
            return replacement
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict) and draw(st.integers(0, 4)) == 0:
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = replacement
        except (KeyError, IndexError, TypeError):
            continue
    return doc


config_bodies = (
    st.binary(max_size=200)
    | json_values.flatmap(as_bytes)
    | st.sampled_from(list(CONFIGS.values())).flatmap(mutated).flatmap(as_bytes)
    | st.integers(min_value=900, max_value=4000).map(lambda n: b"[" * n + b"]" * n)
    | st.integers(min_value=900, max_value=4000).map(
        lambda n: (
            json.dumps({"dependencies": [], "version": "6.0.0"}).encode()[:-1]
            + b', "deep": '
            + b"[" * n
            + b"]" * n
            + b"}"
        )
    )
)

# -- helpers ----------------------------------------------------------------------------


def body_json(body: bytes) -> Any:
    return decode_json(httpx.Response(200, content=body), "GET /config")


def describe(src: str, config_body: bytes, info_body: bytes | None) -> str:
    """Everything connecting does with the two bodies, and what a user then reads."""
    info = None if info_body is None else body_json(info_body)
    schema = parse_app(src, body_json(config_body), info)
    text = render_text(list(schema.endpoints), all_endpoints=True, undocumented=True)
    api_dict(list(schema.endpoints), undocumented=True)
    for endpoint in schema.endpoints:
        for p in endpoint.parameters:
            # what the terminal app reads to build its form
            facts = [p.choices, p.multiple, p.minimum, p.maximum, p.step, p.is_file]
            facts += [p.lines, p.placeholder, p.is_password, p.is_integer]
            assert len(facts) == 10
    make_transport(Session(http=None, config=schema.config))  # type: ignore[arg-type]
    return text


def ours_or_value(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except GradioTuiError:
        return None


# -- config ---------------------------------------------------------------------------


@given(config_bodies)
def test_config_bytes_give_a_config_or_our_error(body: bytes) -> None:
    ours_or_value(describe, SRC, body, None)


@given(json_values | deep_values)
def test_any_json_value_as_config(raw: Any) -> None:
    ours_or_value(AppConfig.parse, SRC, raw)


def test_the_issues_hostile_configs() -> None:
    config = copy.deepcopy(CONFIGS[6])
    config["dependencies"][0]["outputs"] = 5
    assert describe(SRC, json.dumps(config).encode(), None)  # `outputs: 5` is no TypeError
    deep_config = json.dumps({**CONFIGS[6], "extra": "<<deep:3000>>"})
    with pytest.raises(GradioTuiError, match="deep"):
        describe(SRC, _DEEP_MARK.sub(deep_text(3000), deep_config).encode(), None)


def test_json_booleans_are_not_ids_indices_or_sizes() -> None:
    # Found by test_3x_configs_give_local_info_or_our_error: `"id": false` became
    # fn_index False, and view_api() failed on it. JSON's true/false are Python ints.
    config = copy.deepcopy(CONFIGS[3])
    config["version"] = "3.30.0"
    config["max_file_size"] = True
    first = config["dependencies"][0]
    config["dependencies"] = [{**first, "id": 5}, {**first, "id": 6}, {**first, "id": True}]
    describe(SRC, json.dumps(config).encode(), None)
    parsed = AppConfig.parse(SRC, config)
    assert [d.fn_index for d in parsed.dependencies] == [5, 6, 2]  # True: its position
    assert parsed.max_file_size is None
    schema = parse_app(SRC, CONFIGS[6], INFOS[6])
    with pytest.raises(GradioTuiError, match="Invalid function index: True"):
        schema.endpoints.resolve(fn_index=True)


# -- info ---------------------------------------------------------------------------------

info_cases = st.sampled_from([4, 5, 6]).flatmap(
    lambda g: st.tuples(
        st.just(g),
        st.binary(max_size=100)
        | json_values.flatmap(as_bytes)
        | mutated(INFOS[g]).flatmap(as_bytes)
        | st.integers(min_value=50, max_value=3000).map(
            lambda n: b'{"named_endpoints": {"/x": ' + deep_text(n).encode() + b"}}"
        ),
    )
)


@given(info_cases)
def test_info_bytes_give_endpoints_or_our_error(case: tuple[int, bytes]) -> None:
    generation, info_body = case
    ours_or_value(describe, SRC, json.dumps(CONFIGS[generation]).encode(), info_body)


@given(mutated(CONFIGS[3]))
def test_3x_configs_give_local_info_or_our_error(config: Any) -> None:
    """3.x apps before 3.37 have no /info: it is derived from the (hostile) config."""
    if isinstance(config, dict):
        config["version"] = "3.30.0"
    ours_or_value(describe, SRC, json.dumps(config).encode(), None)


# -- events ---------------------------------------------------------------------------------


@given(json_values | deep_values)
def test_any_decoded_message_is_an_event_or_our_error(raw: Any) -> None:
    for quoted in (False, True):
        ours_or_value(lambda r, q=quoted: parse_message(r, quoted_errors=q), raw)


def _frames(messages: list[Any]) -> bytes:
    def encode(m: Any) -> bytes:
        if isinstance(m, bytes):
            return m
        return _DEEP_MARK.sub(lambda d: deep_text(int(d.group(1))), json.dumps(m)).encode()

    return b"".join(b"data: " + encode(m) + b"\n\n" for m in messages)


event_messages = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "msg": st.sampled_from(
                [
                    "estimation",
                    "process_starts",
                    "progress",
                    "log",
                    "process_generating",
                    "process_completed",
                    "heartbeat",
                    "unexpected_error",
                    "close_stream",
                    "send_data",
                ]
            ),
            "event_id": st.sampled_from(["e1", "e2", None, 5]),
        },
        optional={
            "output": json_values | deep_values,
            "progress_data": json_values,
            "success": json_values,
            "rank": json_values,
            "log": json_values,
            "rank_eta": json_values,
            "title": json_values,
            "message": json_values,
        },
    ),
    st.binary(max_size=60),
)
stream_bodies = st.one_of(
    st.binary(max_size=300),
    st.lists(event_messages, max_size=6).map(_frames),
    st.lists(event_messages, max_size=6).map(
        lambda ms: (
            _frames(ms)
            + _frames(
                [
                    {
                        "msg": "process_completed",
                        "event_id": "e1",
                        "success": True,
                        "output": {"data": ["done"]},
                    }
                ]
            )
        )
    ),
    st.integers(min_value=900, max_value=3000).map(
        lambda n: (
            b'data: {"msg": "process_completed", "event_id": "e1", "output": {"data": '
            + b"[" * n
            + b"]" * n
            + b"}}\n\n"
        )
    ),
)


async def _run_job(protocol: str, stream: bytes) -> Any:
    """One job of the echo endpoint through the real SSE transport; the stream is ``stream``."""
    from gradio_tui.client.core import AsyncClient

    config = copy.deepcopy(CONFIGS[6])
    config["protocol"] = protocol

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/queue/join"):
            return httpx.Response(200, json={"event_id": "e1"})
        if request.url.path.endswith("/queue/data"):
            return httpx.Response(
                200, content=stream, headers={"content-type": "text/event-stream"}
            )
        return httpx.Response(404, json={"detail": "Not Found"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    schema = parse_app(SRC, config, INFOS[6])
    session = Session(http=http, config=schema.config)
    client = AsyncClient(
        Source(url=SRC, display=SRC),
        session,
        schema.info,
        max_workers=4,
        serialize=False,
        output_dir="/nonexistent",
        verbose=False,
    )
    try:
        job = client.submit("hi", api_name="/echo")
        try:
            return await asyncio.wait_for(job.result(), 10)
        except GradioTuiError:
            return None
        except asyncio.CancelledError:
            assert job.cancelled()  # the server said so (an empty completion)
            return None
        finally:
            for update in job.updates:
                assert isinstance(update, StatusUpdate) or update.type == "output"
    finally:
        await client.aclose()


@given(st.sampled_from(["sse_v3", "sse_v2.1", "sse_v1"]), stream_bodies)
def test_stream_bytes_end_a_job_in_a_value_or_our_error(protocol: str, stream: bytes) -> None:
    asyncio.run(_run_job(protocol, stream))
