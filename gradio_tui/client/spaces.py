"""Hugging Face Spaces: from a Space id to a running app's URL.

All Hub calls go through ``huggingface_hub`` (so ``HF_ENDPOINT`` and its token
handling apply), run in a worker thread because that library is synchronous,
and are imported only when a Space is actually involved.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from .errors import (
    AuthenticationError,
    HubUnreachableError,
    SpaceNotFoundError,
    SpaceNotRunningError,
)
from .untrusted import print_visible

RUNNING = "RUNNING"
WAITING_STAGES = frozenset(
    {"BUILDING", "RUNNING_BUILDING", "APP_STARTING", "RUNNING_APP_STARTING", "SLEEPING"}
)
ADVICE = {
    "PAUSED": "Its owner paused it; only they can restart it. To use it now, duplicate it "
    "with Client.duplicate().",
    "STOPPED": "It is stopped; ask its owner to restart it, or duplicate it with "
    "Client.duplicate().",
    "BUILD_ERROR": "Its build failed; ask its owner to fix it, or duplicate it and fix your copy.",
    "RUNTIME_ERROR": "Its app crashed; ask its owner to fix it, or duplicate it and fix your copy.",
    "CONFIG_ERROR": "Its configuration is invalid; ask its owner to fix it.",
    "NO_APP_FILE": "It has no app file; ask its owner to add one.",
    "DELETING": "It is being deleted.",
}
POLL_SECONDS = 2.0


def _stage_of(runtime: Any) -> str | None:
    stage = getattr(runtime, "stage", None)
    if stage is None and isinstance(runtime, dict):
        stage = runtime.get("stage")
    return str(getattr(stage, "value", stage)) if stage is not None else None


def _hub_errors() -> tuple[type[BaseException], ...]:
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    return RepositoryNotFoundError, HfHubHTTPError


def hub_api(token: str | None) -> Any:
    """An ``HfApi`` on the endpoint ``HF_ENDPOINT`` names *now* (the library reads it
    once at import), using exactly the given token and never a saved one behind
    our back."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token or False)


def _space_info(space_id: str, token: str | None) -> Any:
    return hub_api(token).space_info(space_id, token=token or False)


def _runtime(space_id: str, token: str | None) -> Any:
    return hub_api(token).get_space_runtime(space_id, token=token or False)


# Exceptions (by class name, so no HTTP library is imported to check) that mean the
# request never got an answer: no network, DNS, refused, timed out, a proxy.
_TRANSPORT_NAMES = frozenset(
    {
        "ConnectError",
        "ConnectTimeout",
        "ReadTimeout",
        "WriteTimeout",
        "PoolTimeout",
        "TimeoutException",
        "NetworkError",
        "ReadError",
        "WriteError",
        "RemoteProtocolError",
        "ProxyError",
        "ConnectionError",
        "OfflineModeIsEnabled",
        "gaierror",
        "TransportError",
        "SSLError",
    }
)


def is_network_failure(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) means nothing answered, as opposed to a refusal.

    Matched by class name (through the class's bases: httpx's ``TransportError``
    family, ``requests``' ``ConnectionError``…), so no HTTP library is imported here.
    """
    node: BaseException | None = exc
    seen: set[int] = set()
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        if getattr(getattr(node, "response", None), "status_code", None) is not None:
            return False  # an answer came: a refusal, not a network failure
        names = {cls.__name__ for cls in type(node).__mro__}
        if names & _TRANSPORT_NAMES or isinstance(node, ConnectionError | TimeoutError):
            return True
        node = node.__cause__ or node.__context__
    return False


def hub_unreachable(exc: BaseException, doing: str) -> HubUnreachableError:
    """Nothing answered ``doing``: the Hub (``HF_ENDPOINT``) is out of reach, not refusing."""
    endpoint = (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")
    reason = str(exc).splitlines()[0] if str(exc) else ""
    return HubUnreachableError(
        f"{doing}: cannot reach the Hugging Face Hub at {endpoint} "
        f"({type(exc).__name__}{': ' + reason if reason else ''}). "
        "Check the network, or HF_ENDPOINT."
    )


def describe_hub_error(space_id: str, exc: BaseException, token: str | None) -> Exception:
    """A Hub refusal as a typed error that says what to do."""
    if is_network_failure(exc):
        return hub_unreachable(exc, f"Looking up Space {space_id}")
    not_found, http_error = _hub_errors()
    if isinstance(exc, not_found):
        if token:
            return SpaceNotFoundError(
                f"Space {space_id} was not found, or your token cannot see it. Check the "
                "id, or ask its owner for access.",
                space_id,
            )
        return AuthenticationError(
            f"Space {space_id} was not found. If it is a private Space, log in with "
            "`huggingface-cli login` or pass hf_token=."
        )
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(exc, http_error) and status in (401, 403):
        return AuthenticationError(
            f"The Hub refused access to Space {space_id} (HTTP {status}); check your token."
        )
    return SpaceNotRunningError(
        f"Could not look up Space {space_id} on the Hub: {exc}", space_id, None
    )


async def _wake(host: str) -> None:
    """Any request to a sleeping Space's host wakes it; the answer does not matter."""
    import httpx

    try:
        async with httpx.AsyncClient(timeout=10.0) as http:
            await http.get(host.rstrip("/") + "/config")
    except httpx.HTTPError:
        pass


async def resolve_space(
    space_id: str,
    token: str | None,
    *,
    verbose: bool = True,
    timeout: float | None = 300.0,
) -> tuple[str, str]:
    """The host of a running Space (waking or waiting for it), and how to show it."""
    try:
        info = await asyncio.to_thread(_space_info, space_id, token)
    except Exception as exc:
        raise describe_hub_error(space_id, exc, token) from exc
    host = getattr(info, "host", None)
    if not host:
        raise SpaceNotRunningError(
            f"Could not find Space: {space_id}. If it is a private Space, please provide a "
            "Hugging Face token.",
            space_id,
            _stage_of(getattr(info, "runtime", None)),
        )
    stage = _stage_of(getattr(info, "runtime", None)) or RUNNING
    deadline = None if timeout is None else time.monotonic() + timeout
    last_said = None
    woke = False
    while True:
        if stage.startswith(RUNNING) and stage not in WAITING_STAGES:
            return host, host
        if stage in ADVICE:
            raise SpaceNotRunningError(
                f"Space {space_id} is {stage}. {ADVICE[stage]}", space_id, stage
            )
        if stage not in WAITING_STAGES:
            raise SpaceNotRunningError(
                f"Space {space_id} is in an unknown state {stage!r}.", space_id, stage
            )
        if stage == "SLEEPING" and not woke:
            woke = True
            await _wake(host)
        if verbose and stage != last_said:
            print_visible(
                f"Space {space_id} is {stage.lower().replace('_', ' ')}; waiting for it to run..."
            )
            last_said = stage
        if deadline is not None and time.monotonic() >= deadline:
            raise SpaceNotRunningError(
                f"Space {space_id} was still {stage} after {timeout:.0f} s; try again later "
                "or raise space_timeout.",
                space_id,
                stage,
            )
        await asyncio.sleep(POLL_SECONDS)
        try:
            stage = _stage_of(await asyncio.to_thread(_runtime, space_id, token)) or RUNNING
        except Exception as exc:
            raise describe_hub_error(space_id, exc, token) from exc
