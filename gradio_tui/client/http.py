"""The HTTP side: one pooled ``httpx.AsyncClient`` per client, and where tokens may go.

The Hugging Face token is attached by an ``httpx.Auth`` that looks at each
request's host, redirects included: it reaches the Hub and ``*.hf.space`` apps
only, or the app the user explicitly gave it for. Nothing here prints or logs
a token, and the auth object's ``repr`` does not show it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import httpx

from .. import __version__
from .errors import (
    AppConnectionError,
    AuthenticationError,
    FileTooLargeError,
    GradioTuiError,
    QueueFullError,
    ServerResponseError,
    TooManyRequestsError,
    ValidationError,
)
from .keepalive import KEEPALIVE_EXPIRY_S, REPLAYABLE, GuardedAsyncClient, KeepAliveStats
from .retry import retry_after_seconds

if TYPE_CHECKING:
    from collections.abc import Iterable

# Request ``extensions`` of a POST that may be sent twice without doing anything twice.
SAFE_TO_RESEND = {REPLAYABLE: True}

# sys.version starts with what platform.python_version() returns (``3.11.7``), without
# importing platform (~1 ms of a cold start).
USER_AGENT = f"gradio-tui/{__version__}; python/{sys.version.split()[0]}"


def origin(url: str | httpx.URL) -> str:
    """``host:port`` of a URL (default ports spelled out), lower-cased."""
    u = httpx.URL(str(url)) if not isinstance(url, httpx.URL) else url
    port = u.port or (443 if u.scheme == "https" else 80)
    return f"{(u.host or '').lower()}:{port}"


def hub_origin() -> str:
    """Origin of the Hub API, honouring ``HF_ENDPOINT`` like huggingface_hub does."""
    return origin(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")


def is_hf_host(host: str | None) -> bool:
    """Hosts the implicit HF token may be sent to: the Hub and Spaces apps."""
    if not host:
        return False
    host = host.lower()
    return (
        host == "huggingface.co"
        or host.endswith(".huggingface.co")
        or host == "hf.space"
        or host.endswith(".hf.space")
    )


def token_allowed(url: str | httpx.URL, extra_origins: Iterable[str] = ()) -> bool:
    """Whether the HF token may go to ``url``: HF hosts, the configured Hub, or
    an origin the user (or the Hub, for a Space) vouched for."""
    u = httpx.URL(str(url)) if not isinstance(url, httpx.URL) else url
    if u.scheme not in ("http", "https"):
        return False
    return is_hf_host(u.host) or origin(u) == hub_origin() or origin(u) in set(extra_origins)


class HfTokenAuth(httpx.Auth):
    """Adds the HF token only on requests whose host may receive it."""

    def __init__(self, token: str, extra_origins: Iterable[str] = ()) -> None:
        self._token = token
        self._extra = {o.lower() for o in extra_origins}

    def __repr__(self) -> str:
        return "HfTokenAuth(token=<hidden>)"

    def allows(self, url: httpx.URL | str) -> bool:
        return token_allowed(url, self._extra)

    def header_value(self) -> str:
        return f"Bearer {self._token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.allows(request.url):
            # Spaces' proxy reads X-HF-Authorization, leaving the app's own
            # Authorization header alone (as the current reference does).
            request.headers["X-HF-Authorization"] = self.header_value()
        yield request


# (verify, SSL_CERT_FILE, SSL_CERT_DIR) -> context. httpx builds a fresh SSL
# context for every client it creates, loading the whole CA bundle (~25 ms,
# more than connecting to a local app takes); a context is safe to share
# between clients and threads, so each process builds each kind once, and the
# checking kind reads its bundle only when a first https connection needs it.
_SSL_CONTEXTS: dict[tuple[bool, str | None, str | None], Any] = {}


def _shared_ssl_context(verify: bool) -> Any:
    """What ``httpx`` would build for ``verify=True``/``False``, built once per process."""
    key = (verify, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    context = _SSL_CONTEXTS.get(key)
    if context is None:
        if verify:
            from .tls import LazyCAContext

            context = LazyCAContext()
        else:
            context = httpx.create_ssl_context(verify=False)
        _SSL_CONTEXTS[key] = context
    return context


def make_http_client(
    *,
    auth: httpx.Auth | None,
    headers: dict[str, str] | None,
    max_connections: int,
    verify: bool = True,
    extra: dict[str, Any] | None = None,
    stats: KeepAliveStats | None = None,
) -> httpx.AsyncClient:
    """The one connection pool every request of a client goes through.

    Idle connections expire before common server keep-alive limits, and a
    request that dies on a stale one is sent again only when that is safe
    (``keepalive.py``).
    """
    base_headers = {"user-agent": USER_AGENT}
    if headers:
        base_headers.update(headers)
    kwargs: dict[str, Any] = {
        "headers": base_headers,
        "auth": auth,
        "timeout": httpx.Timeout(30.0, connect=10.0),
        "limits": httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY_S,
        ),
        "follow_redirects": False,
        "verify": verify,
    }
    if extra:
        kwargs.update(extra)
    if (
        type(kwargs["verify"]) is bool
        and not kwargs.get("cert")  # httpx would load it into the (shared) context
        and kwargs.get("trust_env", True)
    ):
        kwargs["verify"] = _shared_ssl_context(kwargs["verify"])
    return GuardedAsyncClient(keepalive_stats=stats or KeepAliveStats(), **kwargs)


def transport_error(exc: Exception, url: str) -> AppConnectionError:
    """A connection-level failure, said in words a user can act on."""
    if isinstance(exc, httpx.ConnectError):
        return AppConnectionError(
            f"Could not connect to {url}: the server is down or unreachable ({exc})."
        )
    if isinstance(exc, httpx.TimeoutException):
        return AppConnectionError(f"{url} did not answer in time ({type(exc).__name__}).")
    return AppConnectionError(f"Connection to {url} failed: {type(exc).__name__}: {exc}")


class TooDeeplyNested(ServerResponseError):
    """A server's JSON nests deeper than this client walks (a ``ServerResponseError``)."""


def decode_json(response: httpx.Response, what: str) -> Any:
    """The JSON body, or a ``ServerResponseError`` that quotes the start of the body."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        snippet = response.text[:200].strip()
        deep = isinstance(exc, RecursionError)
        error = TooDeeplyNested if deep else ServerResponseError
        raise error(
            f"{what}: the server answered HTTP {response.status_code} with something that is "
            f"{'nested too deeply' if deep else 'not JSON'}: {snippet[:80]!r}",
            status_code=response.status_code,
            body=snippet,
        ) from exc


def _said(value: Any, limit: int = 300) -> str:
    """A server-given value as a short string, whatever its shape or depth."""
    try:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    except (ValueError, TypeError, RecursionError):
        text = "<a value nested too deeply to show>"
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def detail_of(response: httpx.Response) -> str:
    """The server's explanation of a refusal (FastAPI's ``detail``), else the body text."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _said(response.text) or response.reason_phrase
    if isinstance(body, dict):
        detail = body.get("detail", body.get("error", body))
        if isinstance(detail, dict):
            detail = detail.get("error") or detail.get("message") or detail
        return _said(detail)
    return _said(body)


def validation_message(response: httpx.Response) -> str:
    """422 bodies: Gradio's validator list, or FastAPI's own schema errors."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return detail_of(response)
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):
        failed = [
            d for d in detail if isinstance(d, dict) and (d.get("is_valid") is False or "msg" in d)
        ]
        lines = []
        for d in failed:
            name = d.get("parameter_name")
            if not isinstance(name, str) or not name:
                loc = d.get("loc")
                name = ".".join(_said(x, 60) for x in loc) if isinstance(loc, list) else "?"
            lines.append(f"- {_said(name, 80)}: {_said(d.get('message') or d.get('msg'))}")
        if lines:
            return f"{len(lines)} parameter(s) failed validation:\n" + "\n".join(lines)
    return detail_of(response)


def status_error(response: httpx.Response, url: str, what: str) -> GradioTuiError:
    """The typed error for a refusal, the same for every route, with the server's words.

    ``what`` says what was being done ("Uploading x.png", "Opening the event stream").
    """
    code = response.status_code
    detail = detail_of(response)
    if code == 401:
        return AuthenticationError(
            f"{what}: {url} needs a login: pass auth=(username, password) (server said: {detail})."
        )
    if code == 413:
        return FileTooLargeError(f"{what}: {url} refused it as too large (server said: {detail}).")
    if code == 422:
        return ValidationError(validation_message(response))
    if code == 429:
        return TooManyRequestsError(
            f"{what}: Too many requests, {url} is rate limiting this client (HTTP 429): {detail}",
            retry_after=retry_after(response),
        )
    return ServerResponseError(
        f"{what}: {url} answered HTTP {code}: {detail}",
        status_code=code,
        body=detail,
        retry_after=retry_after(response),
    )


def retry_after(response: httpx.Response) -> float | None:
    """The server's ``Retry-After`` in seconds (a delay or an HTTP date), or None.

    Kept on the typed error so that whoever retries (``client.retry``) waits as
    long as the server asked, not as long as its own backoff guesses.
    """
    value = response.headers.get("retry-after")
    if not value:
        return None
    seconds = retry_after_seconds(value)
    if seconds is None or seconds == float("inf"):  # infinite: not an answer
        return None
    return max(0.0, seconds)


def raise_for_join(response: httpx.Response, url: str) -> None:
    """Map a refused ``queue/join`` (or similar) to the typed error for it.

    A 503 is the queue turning the job away (full, or stopped): ``QueueFullError``
    with the server's own reason.
    """
    code = response.status_code
    if code < 300:
        return
    if code == 503:
        raise QueueFullError(
            detail_of(response) or "Queue is full! Please try again.",
            retry_after=retry_after(response),
        )
    raise status_error(response, url, "Joining the queue")
