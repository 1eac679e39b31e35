"""Hub operations for ops work: duplicating Spaces and setting them up.

Everything goes through ``huggingface_hub`` on the endpoint ``HF_ENDPOINT``
names, with exactly the token the caller resolved (never a saved one behind
their back). Refusals come back as typed errors carrying the Hub's message.
Progress is reported through a callback so the terminal app can show it; the
``verbose`` printing of the sync API is one such callback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .errors import (
    AuthenticationError,
    SpaceDuplicationError,
    SpaceNotFoundError,
    SpaceNotRunningError,
    TooManyRequestsError,
)
from .space_ids import NAME, validate_space_id
from .spaces import ADVICE, hub_api, hub_unreachable, is_network_failure

FREE_HARDWARE = "cpu-basic"
Progress = Callable[[str], None]


class HubRefusedError(SpaceDuplicationError):
    """The Hub said no; ``status_code`` and the Hub's own message tell why."""

    def __init__(self, message: str, status_code: int | None) -> None:
        self.status_code = status_code
        super().__init__(message)


class BillingError(HubRefusedError):
    """HTTP 402: the account cannot pay for the requested hardware."""


class PermissionDeniedError(HubRefusedError):
    """HTTP 403: the token may not write there (e.g. an organization it is not in)."""


class ConflictError(HubRefusedError):
    """HTTP 409: the name is taken or the operation clashes with the Space's state."""


class HubServerError(HubRefusedError):
    """HTTP 5xx: the Hub failed on its side; the same request may work later."""


def hub_endpoint() -> str:
    """The Hub this process talks to (``HF_ENDPOINT``, read now, as ``hub_api`` does)."""
    import os

    return (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


def hub_message(exc: BaseException) -> str:
    """The Hub's own explanation inside a ``huggingface_hub`` error."""
    message = getattr(exc, "server_message", None)
    if message:
        return str(message).strip()
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def hub_error(exc: BaseException, doing: str) -> Exception:
    """A ``huggingface_hub`` failure as one of our typed errors."""
    from huggingface_hub.errors import RepositoryNotFoundError

    if is_network_failure(exc):
        return hub_unreachable(exc, doing)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is None and isinstance(exc, RepositoryNotFoundError):
        status = 404
    return status_error(status, hub_message(exc), doing)


def status_error(status: int | None, message: str, doing: str) -> Exception:
    """The Hub's refusal (``status``, its ``message``) of ``doing`` as a typed error whose
    text says what happened and what to do; one wording per status, everywhere."""
    text = f"{doing}: {message}"
    if status == 404:
        return SpaceNotFoundError(
            f"{text} (HTTP 404: no such Space, or your token cannot see it)", ""
        )
    if status == 401:
        return AuthenticationError(f"{text} (HTTP 401: check your Hugging Face token)")
    if status == 402:
        return BillingError(
            f"{text} (HTTP 402: add a payment method at https://huggingface.co/settings/billing)",
            status,
        )
    if status == 403:
        return PermissionDeniedError(
            f"{text} (HTTP 403: this token may not do that; it needs write access to the "
            "Space's owner)",
            status,
        )
    if status == 409:
        return ConflictError(
            f"{text} (HTTP 409: it clashes with the Space's current state, or the name is taken)",
            status,
        )
    if status == 429:
        return TooManyRequestsError(f"{text} (HTTP 429: too many requests, try again later)")
    if status is not None and status >= 500:
        return HubServerError(
            f"{text} (HTTP {status}: the Hub failed on its side; try again later)", status
        )
    return HubRefusedError(f"{text} (HTTP {status})" if status else text, status)


@dataclass
class HubSession:
    """The Hub API plus who the token belongs to."""

    api: Any
    token: str
    user: str
    orgs: list[str]

    @classmethod
    def open(cls, token: str | None) -> HubSession:
        from .sources import implicit_token

        token = token or implicit_token()
        if not token:
            raise AuthenticationError(
                "This needs a Hugging Face token with write access: log in with "
                "`huggingface-cli login` (or set HF_TOKEN), or pass hf_token=."
            )
        api = hub_api(token)
        try:
            me = api.whoami(token=token)
        except Exception as exc:
            raise hub_error(exc, "Checking your Hugging Face token") from exc
        orgs = [o.get("name") for o in me.get("orgs") or [] if isinstance(o, dict)]
        return cls(api=api, token=token, user=str(me.get("name")), orgs=[o for o in orgs if o])

    def full_id(self, to_id: str | None, default_name: str) -> str:
        """``to_id`` may be a bare name (the caller's account) or ``owner/name``
        (an organization); None keeps the default name in the caller's account."""
        if to_id is None or not to_id.strip():
            name, owner = default_name, self.user
        elif "/" in to_id:
            owner, name = validate_space_id(to_id, "to_id").split("/")
        else:
            owner, name = self.user, to_id.strip()
        if not NAME.match(name):
            raise ValueError(f"{name!r} is not a valid Space name.")
        return f"{owner}/{name}"

    def hardware_names(self) -> list[str]:
        """The Hub's current hardware flavours (asked live, never a stale list)."""
        try:
            listed = self.api.list_spaces_hardware(token=self.token)
        except Exception as exc:
            raise hub_error(exc, "Listing the Hub's hardware") from exc
        return [str(getattr(h, "name", h)) for h in listed]

    def runtime(self, space_id: str) -> Any | None:
        """The Space's runtime, or None when it does not exist (for this token)."""
        from huggingface_hub.errors import RepositoryNotFoundError

        try:
            return self.api.get_space_runtime(space_id, token=self.token)
        except RepositoryNotFoundError:
            return None
        except Exception as exc:
            raise hub_error(exc, f"Reading the runtime of {space_id}") from exc


def _stage(runtime: Any) -> str:
    stage = getattr(runtime, "stage", None)
    return str(getattr(stage, "value", stage) or "UNKNOWN")


def _hardware(runtime: Any) -> str:
    hw = getattr(runtime, "hardware", None)
    return str(getattr(hw, "value", hw) or FREE_HARDWARE)


@dataclass
class DuplicatePlan:
    """What ``duplicate`` will do, checked before the Hub is changed."""

    from_id: str
    target: str
    exists: bool
    hardware: str
    secrets: dict[str, str]
    sleep_seconds: int | None
    private: bool


def plan_duplicate(
    hub: HubSession,
    from_id: str,
    to_id: str | None,
    *,
    private: bool,
    hardware: str | None,
    secrets: dict[str, str] | None,
    sleep_timeout: int | None,
) -> DuplicatePlan:
    from_id = validate_space_id(from_id, "from_id")
    if secrets is not None and (
        not isinstance(secrets, dict)
        or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in secrets.items())
    ):
        raise ValueError("secrets must be a dict of non-empty string keys to string values.")
    if sleep_timeout is not None and (
        isinstance(sleep_timeout, bool) or not isinstance(sleep_timeout, int) or sleep_timeout < 1
    ):
        raise ValueError(
            f"sleep_timeout is in minutes and must be a positive integer, not {sleep_timeout!r}."
        )
    source = hub.runtime(from_id)
    if source is None:
        raise SpaceNotFoundError(
            f"Could not find Space: {from_id}. If it is a private Space, pass an hf_token "
            "that can read it.",
            from_id,
        )
    target = hub.full_id(to_id, from_id.split("/")[1])
    if target == from_id:
        raise ValueError(f"{from_id} is already yours: choose another to_id to duplicate it.")
    if hardware is not None:
        names = hub.hardware_names()
        if hardware not in names:
            raise ValueError(f"Unknown hardware {hardware!r}; the Hub offers: {', '.join(names)}.")
    wanted = hardware or _hardware(source)
    existing = hub.runtime(target)
    return DuplicatePlan(
        from_id=from_id,
        target=target,
        exists=existing is not None,
        hardware=wanted,
        secrets=dict(secrets or {}),
        sleep_seconds=sleep_timeout * 60 if sleep_timeout and wanted != FREE_HARDWARE else None,
        private=private,
    )


def space_url(space_id: str) -> str:
    import os

    base = (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")
    return f"{base}/spaces/{space_id}"


def apply_duplicate(hub: HubSession, plan: DuplicatePlan, say: Progress) -> None:
    """Create the copy (or bring an existing one to the plan): hardware, secrets, sleep."""
    api, token, target = hub.api, hub.token, plan.target
    if plan.exists:
        say(f"Using your existing Space: {space_url(target)} 🤗")
        runtime = hub.runtime(target)
        if runtime is not None and _hardware(runtime) != plan.hardware:
            hub_call(
                lambda: api.request_space_hardware(target, plan.hardware, token=token),
                f"Requesting {plan.hardware} for {target}",
            )
            say(f"Requested hardware {plan.hardware} for {target}.")
        for key, value in plan.secrets.items():
            try:
                api.add_space_secret(target, key, value, token=token)
            except Exception as exc:
                raise hub_error(exc, f"Setting secret {key} on {target}") from exc
        if plan.secrets:
            say(f"Updated {len(plan.secrets)} secret(s) on {target}: {', '.join(plan.secrets)}.")
        if plan.sleep_seconds is not None:
            hub_call(
                lambda: api.set_space_sleep_time(target, plan.sleep_seconds, token=token),
                f"Setting the sleep time of {target}",
            )
            say(f"Sleep time of {target} set to {plan.sleep_seconds // 60} minutes.")
        return
    say(f"Creating a duplicate of {plan.from_id} for your own use... 🤗")
    from huggingface_hub.errors import HfHubHTTPError

    try:
        api.duplicate_repo(
            plan.from_id,
            to_id=target,
            repo_type="space",
            private=plan.private,
            token=token,
            space_hardware=plan.hardware,
            space_sleep_time=plan.sleep_seconds,
            space_secrets=[{"key": k, "value": v} for k, v in plan.secrets.items()] or None,
        )
    except HfHubHTTPError as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status != 409:
            raise hub_error(exc, f"Duplicating {plan.from_id} to {target}") from exc
        # Someone created it between our check and now: treat it as existing.
        apply_duplicate(hub, DuplicatePlan(**{**plan.__dict__, "exists": True}), say)
        return
    say(f"Created new Space: {space_url(target)}")
    if plan.hardware != FREE_HARDWARE:
        say(
            f"NOTE: this Space uses upgraded hardware: {plan.hardware}... see billing info "
            "at https://huggingface.co/settings/billing"
        )


def hub_call(fn: Callable[[], Any], doing: str) -> Any:
    try:
        return fn()
    except Exception as exc:
        raise hub_error(exc, doing) from exc


def wait_until_running(
    hub: HubSession,
    space_id: str,
    say: Progress,
    *,
    timeout: float | None = 900.0,
    poll: float = 2.0,
    log_lines: Callable[[str], None] | None = None,
) -> None:
    """Wait for a Space to run, reporting its stage and build log lines as they come."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last = None
    logs: _LogFollower | None = None
    tail: list[str] = []

    def on_line(line: str) -> None:
        tail.append(line)
        del tail[:-20]
        if log_lines is not None:
            log_lines(line)

    try:
        while True:
            runtime = hub.runtime(space_id)
            stage = _stage(runtime) if runtime is not None else "NOT_FOUND"
            if stage != last:
                say(f"{space_id}: {stage.lower().replace('_', ' ')}")
                last = stage
            if stage == "RUNNING":
                return
            if stage in ADVICE or stage == "NOT_FOUND":
                detail = ("\n" + "\n".join(tail[-10:])) if tail else ""
                raise SpaceNotRunningError(
                    f"Space {space_id} is {stage}. {ADVICE.get(stage, '')}{detail}".strip(),
                    space_id,
                    stage,
                )
            if stage in ("BUILDING", "RUNNING_BUILDING") and logs is None:
                logs = _LogFollower(hub, space_id, on_line)
            if deadline is not None and time.monotonic() > deadline:
                raise SpaceNotRunningError(
                    f"Space {space_id} was still {stage} after {timeout:.0f} s.", space_id, stage
                )
            time.sleep(poll)
    finally:
        if logs is not None:
            logs.stop()


class _LogFollower:
    """Streams a Space's build log lines on a thread until told to stop."""

    def __init__(self, hub: HubSession, space_id: str, on_line: Callable[[str], None]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(hub, space_id, on_line), daemon=True, name="space-build-logs"
        )
        self._thread.start()

    def _run(self, hub: HubSession, space_id: str, on_line: Callable[[str], None]) -> None:
        try:
            lines: Iterable[str] = hub.api.fetch_space_logs(
                space_id, build=True, follow=True, token=hub.token
            )
            for line in lines:
                if self._stop.is_set():
                    return
                on_line(str(line).rstrip("\n"))
        except Exception:
            return  # logs are a courtesy: never fail the wait because of them

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(0.5)


def duplicate_space(
    from_id: str,
    to_id: str | None = None,
    hf_token: str | None = None,
    *,
    private: bool = True,
    hardware: str | None = None,
    secrets: dict[str, str] | None = None,
    sleep_timeout: int | None = 5,
    say: Progress = lambda _msg: None,
    log_lines: Callable[[str], None] | None = None,
    timeout: float | None = 900.0,
    poll: float = 2.0,
) -> tuple[str, str]:
    """Duplicate (or update) and wait until the copy runs; ``(space_id, token)``."""
    hub = HubSession.open(hf_token)
    plan = plan_duplicate(
        hub,
        from_id,
        to_id,
        private=private,
        hardware=hardware,
        secrets=secrets,
        sleep_timeout=sleep_timeout,
    )
    apply_duplicate(hub, plan, say)
    wait_until_running(hub, plan.target, say, timeout=timeout, poll=poll, log_lines=log_lines)
    return plan.target, hub.token
