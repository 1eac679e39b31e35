"""Looking after Spaces from Python: list, search, act on one or many, secrets, logs.

The Spaces console's whole Hub side, with no UI in it: the terminal app
awaits these coroutines on its own loop, a script runs them with
``asyncio.run``::

    async def main() -> None:
        async with await SpaceOps.open() as ops:
            rows = await ops.list_spaces()            # yours and your orgs'
            run = ops.restart_many([r.id for r in rows if r.stage == "RUNTIME_ERROR"])
            report = await run.wait()
            print(report.summary())                   # "restart: 17 done, 3 failed"

Every call goes through ``huggingface_hub``'s ``HfApi`` (so ``HF_ENDPOINT``
applies) in a small thread pool of its own, because that client is
synchronous; logs are the one exception (see :mod:`.space_logs`). Token
rules are the client's: the token passed, else the one ``huggingface_hub``
already has; it goes to the Hub (and to a Space's own host, to wake it) and
nowhere else, and it is never printed. Refusals come back as the typed
errors of :func:`.hub.status_error`, one wording per HTTP status; a 429 is
retried after the Hub's ``Retry-After``. Secret values go to the Hub and are
never read back: the Hub does not send them, and nothing here keeps one.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import warnings
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from .bulk import DEFAULT_CONCURRENCY, BulkRun, Outcome
from .errors import (
    AppConnectionError,
    AuthenticationError,
    SpaceNotRunningError,
    TooManyRequestsError,
)
from .hub import hub_error
from .retry import retry_after_seconds
from .space_ids import NAME, validate_space_id
from .space_rows import (
    LIST_EXPAND,
    HardwareOption,
    SpaceDetails,
    SpaceRow,
    hardware_from_hub,
    row_from_info,
)

T = TypeVar("T")

OWNER = NAME
"""An owner (user or organization) follows the Hub's name rule."""
VARIABLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""Secrets and variables become environment variables in the Space: their names must be."""
RETRIES_429 = 5
MAX_RETRY_AFTER = 120.0
"""Seconds: a longer ``Retry-After`` is waited this long, then the request is tried again."""
NEEDS_TOKEN = (
    "needs a Hugging Face token with write access: log in with `hf auth login` "
    "(or set HF_TOKEN), or pass hf_token="
)

# The Hub ignores a sleep time on free hardware and huggingface_hub warns about it on
# stderr; the console says so in its confirmation instead.
warnings.filterwarnings(
    "ignore", message="If your Space runs on the default 'cpu-basic' hardware", category=UserWarning
)


def _status(exc: BaseException) -> int | None:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def retry_after(exc: BaseException, attempt: int, cap: float = MAX_RETRY_AFTER) -> float:
    """Seconds to wait before trying again: the Hub's ``Retry-After`` (seconds or an
    HTTP date), else 1, 2, 4… seconds; never more than ``cap``."""
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    value = headers.get("retry-after") if hasattr(headers, "get") else None
    wait = retry_after_seconds(value) if isinstance(value, str) else None
    if wait is None:
        wait = float(2 ** (attempt - 1))
    return max(0.0, min(cap, wait))


def check_key(key: str, what: str) -> str:
    key = (key or "").strip()
    if not VARIABLE_KEY.match(key):
        raise ValueError(
            f"{key!r} cannot be a {what} name: letters, digits and '_', not starting with a "
            "digit (it becomes an environment variable in the Space)."
        )
    return key


def _describe(space_id: str, result: Any) -> str:
    """A done Space's note: its stage now, when the Hub said."""
    stage = getattr(result, "stage", None)
    return f"now {stage}" if stage else ""


@dataclass(frozen=True)
class DuplicatePlan:
    """Where each Space goes: ``{source id: target id}``, checked before anything is sent."""

    targets: dict[str, str]
    private: bool
    hardware: str | None
    sleep_time: int | None


class SpaceOps:
    """The Hub operations of one token. Open with ``await SpaceOps.open(hf_token)``."""

    def __init__(
        self,
        token: str | None,
        *,
        user: str | None = None,
        orgs: Iterable[str] = (),
        concurrency: int = DEFAULT_CONCURRENCY,
        retries: int = RETRIES_429,
        max_retry_after: float = MAX_RETRY_AFTER,
    ) -> None:
        from .spaces import hub_api

        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency!r}.")
        self._token = token
        self.user = user
        self.orgs = list(orgs)
        self.concurrency = concurrency
        self.retries = retries
        self.max_retry_after = max_retry_after
        self.api = hub_api(token)
        self._pool = ThreadPoolExecutor(concurrency + 2, thread_name_prefix="gradio-tui-hub")
        self._hardware: list[HardwareOption] | None = None
        self._http: Any = None
        self._closed = False

    def __repr__(self) -> str:
        who = self.user or "anonymous"
        token = "<hidden>" if self._token else None
        return f"SpaceOps(user={who!r}, orgs={self.orgs!r}, token={token})"

    @property
    def token(self) -> str | None:
        """The token in use (for connecting to a Space); never put it in text."""
        return self._token

    @classmethod
    async def open(cls, hf_token: str | None = None, **kwargs: Any) -> SpaceOps:
        """Resolve the token (given, else ``huggingface_hub``'s) and ask the Hub whose it is.

        Without any token the operations that only read public data (an
        owner's list, search, logs of public Spaces) still work; the others
        say that they need one, before sending anything.
        """
        from .sources import implicit_token

        if hf_token is not None and (not isinstance(hf_token, str) or not hf_token.strip()):
            raise ValueError(
                "hf_token must be a non-empty string (or None to use your saved token)."
            )
        token = hf_token.strip() if hf_token else implicit_token()
        # Off the caller's loop: the first HfApi imports huggingface_hub (~0.3 s), and the
        # first HTTP client loads the CA bundle; a terminal app must not freeze for either.
        ops = await asyncio.to_thread(cls, token, **kwargs)
        try:
            await asyncio.get_running_loop().run_in_executor(ops._pool, ops._warm_http)
            if token:
                me = await ops._call(
                    "Checking your Hugging Face token", ops.api.whoami, token=token
                )
                ops.user = str(me.get("name")) if me.get("name") else None
                ops.orgs = [
                    str(o["name"])
                    for o in me.get("orgs") or []
                    if isinstance(o, dict) and o.get("name")
                ]
        except BaseException:
            await ops.aclose()
            raise
        return ops

    async def __aenter__(self) -> SpaceOps:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._http is not None:
            http, self._http = self._http, None
            await http.aclose()

    # -- plumbing -------------------------------------------------------------------

    @property
    def _tok(self) -> str | bool:
        return self._token or False  # False: never a saved token behind the caller's back

    def _need_token(self, doing: str) -> None:
        if not self._token:
            raise AuthenticationError(f"{doing} {NEEDS_TOKEN}.")

    async def _call(self, doing: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on the Hub pool; 429s retried, failures typed."""
        if self._closed:
            raise RuntimeError("These Space operations are closed.")
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            try:
                return await loop.run_in_executor(self._pool, partial(fn, *args, **kwargs))
            except Exception as exc:
                if _status(exc) == 429 and attempt < self.retries:
                    attempt += 1
                    await asyncio.sleep(retry_after(exc, attempt, self.max_retry_after))
                    continue
                error = hub_error(exc, doing)
                if isinstance(error, TooManyRequestsError) and attempt:
                    error = TooManyRequestsError(f"{error} Gave up after {attempt} retries.")
                raise error from exc

    def _warm_http(self) -> None:
        """Make the HTTP client, and import what its first request would (the async
        backend, ~0.1 s), here on a pool thread rather than later on the caller's loop."""
        self._http_client()
        for name in ("anyio._backends._asyncio", "httpcore._backends.anyio"):
            try:
                importlib.import_module(name)
            except ImportError:  # another httpx stack: then it pays on first use
                pass

    def _http_client(self) -> Any:
        if self._http is None:
            from ._httpx_import import import_httpx_without_cli

            import_httpx_without_cli()
            from .http import make_http_client

            self._http = make_http_client(
                auth=None, headers=None, max_connections=self.concurrency + 4
            )
        return self._http

    # -- reading --------------------------------------------------------------------

    @property
    def owners(self) -> list[str]:
        """Whose Spaces "mine" means: the token's user, then each of their organizations."""
        return [self.user, *self.orgs] if self.user else []

    async def list_spaces(self, owner: str | None = None) -> list[SpaceRow]:
        """The Spaces of ``owner``, or of the token's user and each of their orgs."""
        if owner is not None:
            owner = owner.strip()
            if not OWNER.match(owner):
                raise ValueError(f"{owner!r} is not a user or organization name.")
        owners = [owner] if owner else self.owners
        if not owners:
            raise AuthenticationError(
                f"Listing your Spaces {NEEDS_TOKEN}; or name an owner (gradio-tui spaces OWNER)."
            )

        async def one(name: str) -> list[SpaceRow]:
            infos = await self._call(
                f"Listing the Spaces of {name}",
                lambda: list(
                    self.api.list_spaces(author=name, expand=LIST_EXPAND, token=self._tok)
                ),
            )
            return [row_from_info(info) for info in infos]

        pages = await asyncio.gather(*(one(name) for name in owners))
        return [row for page in pages for row in page]

    async def search(
        self, query: str, *, sdk: str | None = None, limit: int = 200
    ) -> list[SpaceRow]:
        """Spaces matching ``query`` on the whole Hub (``sdk``: gradio, docker, static…)."""
        query = (query or "").strip()
        if not query:
            raise ValueError("Type something to search for.")
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit!r}.")
        infos = await self._call(
            f"Searching the Hub's Spaces for {query!r}",
            lambda: list(
                self.api.list_spaces(
                    search=query,
                    filter=sdk.strip().lower() if sdk and sdk.strip() else None,
                    expand=LIST_EXPAND,
                    limit=limit,
                    token=self._tok,
                )
            ),
        )
        return [row_from_info(info) for info in infos]

    async def space(self, space_id: str) -> SpaceRow:
        """One Space's row, fresh."""
        space_id = validate_space_id(space_id)
        info = await self._call(
            f"Reading {space_id}",
            self.api.space_info,
            space_id,
            expand=LIST_EXPAND,
            token=self._tok,
        )
        return row_from_info(info)

    async def runtime(self, space_id: str) -> Any:
        """The Space's runtime (stage, hardware, sleep time) as ``huggingface_hub`` has it."""
        space_id = validate_space_id(space_id)
        return await self._call(
            f"Reading the runtime of {space_id}",
            self.api.get_space_runtime,
            space_id,
            token=self._tok,
        )

    async def refresh(self, row: SpaceRow) -> SpaceRow:
        return row.with_runtime(await self.runtime(row.id))

    async def hardware(self, *, reload: bool = False) -> list[HardwareOption]:
        """The Hub's hardware flavours and prices, asked once per session (or on ``reload``)."""
        if self._hardware is None or reload:
            listed = await self._call(
                "Listing the Hub's hardware", self.api.list_spaces_hardware, token=self._tok
            )
            self._hardware = [hardware_from_hub(item) for item in listed]
        return list(self._hardware)

    async def hardware_option(self, flavor: str) -> HardwareOption:
        """``flavor`` as the Hub offers it now, or ValueError naming what it offers."""
        options = await self.hardware()
        for option in options:
            if option.name == flavor:
                return option
        raise ValueError(
            f"Unknown hardware {flavor!r}; the Hub offers: {', '.join(o.name for o in options)}."
        )

    async def secret_names(self, space_id: str) -> list[str]:
        """The names of the Space's secrets (the Hub never sends their values)."""
        space_id = validate_space_id(space_id)
        self._need_token(f"Reading the secrets of {space_id}")
        found = await self._call(
            f"Listing the secrets of {space_id}",
            self.api.get_space_secrets,
            space_id,
            token=self._tok,
        )
        return sorted(str(k) for k in found)

    async def variables(self, space_id: str) -> dict[str, str]:
        space_id = validate_space_id(space_id)
        found = await self._call(
            f"Listing the variables of {space_id}",
            self.api.get_space_variables,
            space_id,
            token=self._tok,
        )
        return {str(k): str(getattr(v, "value", v) or "") for k, v in sorted(found.items())}

    async def details(self, row: SpaceRow) -> SpaceDetails:
        """Runtime, secret names and variables of one Space; a part the token may not
        read is a note, not a failure."""
        notes: list[str] = []

        async def part(name: str, read: Callable[[], Awaitable[T]]) -> T | None:
            try:
                return await read()
            except Exception as exc:
                notes.append(f"{name}: {exc}")
                return None

        async def no_secrets() -> list[str] | None:
            return None  # without a token there is nothing to ask: not a failure

        runtime, secrets, variables = await asyncio.gather(
            part("runtime", lambda: self.runtime(row.id)),
            part("secrets", lambda: self.secret_names(row.id) if self._token else no_secrets()),
            part("variables", lambda: self.variables(row.id)),
        )
        fresh = row.with_runtime(runtime) if runtime is not None else row
        return SpaceDetails(fresh, secrets, variables, notes)

    def logs(
        self,
        space_id: str,
        *,
        build: bool = False,
        follow: bool = False,
        tail: int | None = None,
    ) -> AsyncGenerator[str, None]:
        """The build (``build=True``) or run log, line by line; see :mod:`.space_logs`."""
        from .space_logs import space_log_lines

        space_id = validate_space_id(space_id)
        if tail is not None and (follow or tail < 0):
            # Checked here too: a generator's own checks wait for its first step.
            raise ValueError(
                "tail=N takes the last N lines of what the Hub has now: not with follow."
            )
        return space_log_lines(
            space_id,
            token=self._token,
            build=build,
            follow=follow,
            tail=tail,
            http=self._http_client(),
        )

    # -- acting on one Space ---------------------------------------------------------

    async def restart(self, space_id: str, *, factory: bool = False) -> Any:
        """Restart the app; ``factory=True`` rebuilds the image from scratch first."""
        space_id = validate_space_id(space_id)
        doing = f"{'Rebuilding' if factory else 'Restarting'} {space_id}"
        self._need_token(doing)
        return await self._call(
            doing, self.api.restart_space, space_id, token=self._tok, factory_reboot=factory
        )

    async def pause(self, space_id: str) -> Any:
        space_id = validate_space_id(space_id)
        self._need_token(f"Pausing {space_id}")
        return await self._call(
            f"Pausing {space_id}", self.api.pause_space, space_id, token=self._tok
        )

    async def wake(self, space_id: str) -> Any:
        """Wake a sleeping Space the way a visitor does: one request to its app.

        A paused Space is not woken by visitors (only a restart brings it back),
        so that is refused with the reason. Returns the runtime the Hub reported.
        """
        space_id = validate_space_id(space_id)
        info = await self._call(
            f"Reading {space_id}", self.api.space_info, space_id, token=self._tok
        )
        runtime = getattr(info, "runtime", None)
        stage = row_from_info(info).stage
        if stage == "PAUSED":
            raise SpaceNotRunningError(
                f"{space_id} is paused: visitors do not wake it; restart it instead.",
                space_id,
                stage,
            )
        host = getattr(info, "host", None)
        if not host:
            raise SpaceNotRunningError(
                f"{space_id} has no app host to wake (stage {stage}).",
                space_id,
                stage,
            )
        await self._knock(str(host), space_id)
        return runtime

    async def _knock(self, host: str, space_id: str) -> None:
        http = self._http_client()
        import httpx

        headers = {}
        if self._token:
            # The Hub named this host as the Space's own: the token may go there, in
            # the header the Spaces proxy reads (as connecting to a Space does).
            headers["x-hf-authorization"] = f"Bearer {self._token}"
        try:
            response = await http.get(
                host.rstrip("/") + "/", headers=headers, timeout=httpx.Timeout(30.0)
            )
            await response.aclose()
        except httpx.HTTPError as exc:
            raise AppConnectionError(
                f"Waking {space_id}: its app at {host} did not answer ({type(exc).__name__})."
            ) from exc

    async def set_hardware(self, space_id: str, flavor: str) -> Any:
        """Request ``flavor`` (checked against the Hub's current list first)."""
        space_id = validate_space_id(space_id)
        self._need_token(f"Changing the hardware of {space_id}")
        await self.hardware_option(flavor)
        return await self._call(
            f"Requesting {flavor} for {space_id}",
            self.api.request_space_hardware,
            space_id,
            flavor,
            token=self._tok,
        )

    async def set_sleep_time(self, space_id: str, seconds: int) -> Any:
        """Sleep after ``seconds`` without visitors; -1 never sleeps (paid hardware only)."""
        space_id = validate_space_id(space_id)
        seconds = check_sleep_time(seconds)
        self._need_token(f"Setting the sleep time of {space_id}")
        return await self._call(
            f"Setting the sleep time of {space_id}",
            self.api.set_space_sleep_time,
            space_id,
            seconds,
            token=self._tok,
        )

    async def set_dev_mode(self, space_id: str, enabled: bool) -> Any:
        space_id = validate_space_id(space_id)
        doing = f"{'Enabling' if enabled else 'Disabling'} dev mode on {space_id}"
        self._need_token(doing)
        call = self.api.enable_space_dev_mode if enabled else self.api.disable_space_dev_mode
        return await self._call(doing, call, space_id, token=self._tok)

    async def delete(self, space_id: str, *, typed: str) -> None:
        """Delete the Space for good; ``typed`` must be its id, typed back by the user."""
        space_id = validate_space_id(space_id)
        if (typed or "").strip() != space_id:
            raise ValueError(f"To delete {space_id}, type its id exactly; nothing was deleted.")
        self._need_token(f"Deleting {space_id}")
        await self._call(
            f"Deleting {space_id}",
            self.api.delete_repo,
            space_id,
            repo_type="space",
            token=self._tok,
        )

    async def set_secret(self, space_id: str, key: str, value: str) -> None:
        """Add or update a secret; its value goes to the Hub only, never returned or kept."""
        space_id = validate_space_id(space_id)
        key = check_key(key, "secret")
        if not isinstance(value, str) or not value:
            raise ValueError(f"The secret {key} has no value.")
        self._need_token(f"Setting the secret {key} on {space_id}")
        await self._call(
            f"Setting the secret {key} on {space_id}",
            self.api.add_space_secret,
            space_id,
            key,
            value,
            token=self._tok,
        )

    async def delete_secret(self, space_id: str, key: str) -> None:
        space_id = validate_space_id(space_id)
        key = check_key(key, "secret")
        self._need_token(f"Deleting the secret {key} of {space_id}")
        await self._call(
            f"Deleting the secret {key} of {space_id}",
            self.api.delete_space_secret,
            space_id,
            key,
            token=self._tok,
        )

    async def set_variable(self, space_id: str, key: str, value: str) -> None:
        space_id = validate_space_id(space_id)
        key = check_key(key, "variable")
        if not isinstance(value, str):
            raise ValueError(f"The variable {key} must have a text value.")
        self._need_token(f"Setting the variable {key} on {space_id}")
        await self._call(
            f"Setting the variable {key} on {space_id}",
            self.api.add_space_variable,
            space_id,
            key,
            value,
            token=self._tok,
        )

    async def delete_variable(self, space_id: str, key: str) -> None:
        space_id = validate_space_id(space_id)
        key = check_key(key, "variable")
        self._need_token(f"Deleting the variable {key} of {space_id}")
        await self._call(
            f"Deleting the variable {key} of {space_id}",
            self.api.delete_space_variable,
            space_id,
            key,
            token=self._tok,
        )

    # -- acting on many ---------------------------------------------------------------

    def bulk(
        self,
        action: str,
        space_ids: Iterable[str],
        act: Callable[[str], Any],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        """Run ``act(space_id)`` on each Space, ``concurrency`` at a time (see :class:`BulkRun`)."""
        ids = [validate_space_id(s) for s in space_ids]
        return BulkRun(
            action,
            ids,
            act,
            concurrency=self.concurrency,
            on_outcome=on_outcome,
            describe=_describe,
        )

    def restart_many(
        self,
        space_ids: Iterable[str],
        *,
        factory: bool = False,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        return self.bulk(
            "factory rebuild" if factory else "restart",
            space_ids,
            lambda sid: self.restart(sid, factory=factory),
            on_outcome=on_outcome,
        )

    def pause_many(
        self, space_ids: Iterable[str], *, on_outcome: Callable[[Outcome], None] | None = None
    ) -> BulkRun:
        return self.bulk("pause", space_ids, self.pause, on_outcome=on_outcome)

    def wake_many(
        self, space_ids: Iterable[str], *, on_outcome: Callable[[Outcome], None] | None = None
    ) -> BulkRun:
        return self.bulk("wake", space_ids, self.wake, on_outcome=on_outcome)

    async def set_hardware_many(
        self,
        space_ids: Iterable[str],
        flavor: str,
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        """Checks ``flavor`` against the Hub's list once, before any Space is touched."""
        await self.hardware_option(flavor)
        return self.bulk(
            f"hardware {flavor}",
            space_ids,
            lambda sid: self.set_hardware(sid, flavor),
            on_outcome=on_outcome,
        )

    def set_sleep_time_many(
        self,
        space_ids: Iterable[str],
        seconds: int,
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        seconds = check_sleep_time(seconds)
        return self.bulk(
            "sleep time",
            space_ids,
            lambda sid: self.set_sleep_time(sid, seconds),
            on_outcome=on_outcome,
        )

    def set_dev_mode_many(
        self,
        space_ids: Iterable[str],
        enabled: bool,
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        return self.bulk(
            "dev mode on" if enabled else "dev mode off",
            space_ids,
            lambda sid: self.set_dev_mode(sid, enabled),
            on_outcome=on_outcome,
        )

    def delete_many(
        self,
        typed: Mapping[str, str],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        """Delete each Space of ``typed`` (``{space id: what the user typed back}``).

        Every id must have been typed back exactly, or nothing at all is deleted.
        """
        wrong = [sid for sid, text in typed.items() if (text or "").strip() != sid]
        if wrong:
            raise ValueError(
                f"Type each Space's id exactly to delete it; not matching: {', '.join(wrong)}. "
                "Nothing was deleted."
            )
        return self.bulk(
            "delete",
            list(typed),
            lambda sid: self.delete(sid, typed=typed[sid]),
            on_outcome=on_outcome,
        )

    async def plan_duplicates(
        self,
        space_ids: Iterable[str],
        *,
        owner: str | None = None,
        pattern: str = "{name}",
        private: bool = True,
        hardware: str | None = None,
        sleep_time: int | None = None,
    ) -> DuplicatePlan:
        """Where each copy goes (``owner``/``pattern``, with ``{name}`` and ``{owner}`` of the
        source), checked: valid, distinct names, an owner the token may write to, and
        hardware the Hub offers. Nothing is sent but the hardware list request."""
        ids = [validate_space_id(s) for s in dict.fromkeys(space_ids)]
        if not ids:
            raise ValueError("Select the Spaces to duplicate.")
        self._need_token("Duplicating Spaces")
        owner = (owner or self.user or "").strip()
        if owner not in self.owners:
            raise ValueError(
                f"You can only duplicate into your account or your organizations "
                f"({', '.join(self.owners)}), not {owner!r}."
            )
        targets: dict[str, str] = {}
        for sid in ids:
            src_owner, name = sid.split("/", 1)
            try:
                new_name = pattern.format(name=name, owner=src_owner)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(
                    f"The name pattern {pattern!r} may use {{name}} and {{owner}} only ({exc})."
                ) from exc
            if not NAME.match(new_name):
                raise ValueError(f"{new_name!r} (for {sid}) is not a valid Space name.")
            target = f"{owner}/{new_name}"
            if target == sid:
                raise ValueError(f"{sid} would be copied onto itself: change the name pattern.")
            if target in targets.values():
                raise ValueError(f"Two Spaces would both be copied to {target}.")
            targets[sid] = target
        if hardware is not None:
            await self.hardware_option(hardware)
        if sleep_time is not None:
            sleep_time = check_sleep_time(sleep_time)
        return DuplicatePlan(targets, private, hardware, sleep_time)

    async def duplicate(
        self,
        from_id: str,
        to_id: str,
        *,
        private: bool = True,
        hardware: str | None = None,
        secrets: Mapping[str, str] | None = None,
        sleep_time: int | None = None,
    ) -> str:
        """Copy one Space to ``to_id`` (which must not exist); the copy's URL."""
        from_id = validate_space_id(from_id)
        to_id = validate_space_id(to_id, "to_id")
        checked = {check_key(k, "secret"): v for k, v in (secrets or {}).items()}
        self._need_token(f"Duplicating {from_id}")
        url = await self._call(
            f"Duplicating {from_id} to {to_id}",
            self.api.duplicate_repo,
            from_id,
            to_id=to_id,
            repo_type="space",
            private=private,
            token=self._tok,
            space_hardware=hardware,
            space_sleep_time=sleep_time,
            space_secrets=[{"key": k, "value": v} for k, v in checked.items()] or None,
        )
        return str(url)

    def duplicate_many(
        self,
        plan: DuplicatePlan,
        *,
        secrets: Mapping[str, str] | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        """Make the copies of a checked :class:`DuplicatePlan` (with the same secrets each)."""
        checked = {check_key(k, "secret"): v for k, v in (secrets or {}).items()}

        async def one(sid: str) -> str:
            await self.duplicate(
                sid,
                plan.targets[sid],
                private=plan.private,
                hardware=plan.hardware,
                secrets=checked,
                sleep_time=plan.sleep_time,
            )
            return plan.targets[sid]

        return BulkRun(
            "duplicate",
            list(plan.targets),
            one,
            concurrency=self.concurrency,
            on_outcome=on_outcome,
            describe=lambda sid, target: f"copied to {target}",
        )

    def copy_variables(
        self,
        variables: Mapping[str, str],
        space_ids: Iterable[str],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        """Set every variable of ``variables`` on each Space (added, or updated if present)."""
        checked = {check_key(k, "variable"): v for k, v in variables.items()}
        if not checked:
            raise ValueError("There are no variables to copy.")

        async def one(sid: str) -> None:
            for key, value in checked.items():
                await self.set_variable(sid, key, value)

        return self.bulk(f"copy {len(checked)} variable(s)", space_ids, one, on_outcome=on_outcome)

    def set_secrets_many(
        self,
        secrets: Mapping[str, str],
        space_ids: Iterable[str],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> BulkRun:
        """Set the same secrets on each Space (their values never come back)."""
        checked = {check_key(k, "secret"): v for k, v in secrets.items()}
        if not checked or not all(isinstance(v, str) and v for v in checked.values()):
            raise ValueError("Each secret needs a name and a value.")

        async def one(sid: str) -> None:
            for key, value in checked.items():
                await self.set_secret(sid, key, value)

        return self.bulk(f"set {len(checked)} secret(s)", space_ids, one, on_outcome=on_outcome)


def check_sleep_time(seconds: object) -> int:
    """Seconds without visitors before sleeping: a positive whole number, or -1 for never."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or (seconds < 1 and seconds != -1):
        raise ValueError(
            "Sleep time is a whole number of seconds (at least 1), or -1 for never; "
            f"not {seconds!r}."
        )
    return seconds
