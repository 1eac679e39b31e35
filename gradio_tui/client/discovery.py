"""Finding out what an app is: login, config, API info — everything connecting does.

``AsyncClient.connect`` hands its arguments here and gets back a ready
``Session`` plus the app's API info; the core itself only drives jobs. The
parsing half (``parse_app`` and what it calls) does no I/O, so the property
tests feed it garbage directly.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from packaging.version import Version

from .config import AppConfig
from .endpoints import EndpointTable, build_endpoints
from .errors import (
    AppConnectionError,
    AuthenticationError,
    NotAGradioAppError,
    ServerResponseError,
)
from .headers import check_headers
from .http import (
    SAFE_TO_RESEND,
    HfTokenAuth,
    TooDeeplyNested,
    decode_json,
    detail_of,
    make_http_client,
    origin,
    status_error,
    transport_error,
)
from .protocols import Session, new_session_hash
from .sources import Source, resolve_source

_HTML_CONFIG = re.compile(r"window\.gradio_config\s*=\s*(\{.*?\});?\s*</script>", re.DOTALL)


def check_max_workers(max_workers: object) -> int:
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError(f"max_workers must be a positive integer, not {max_workers!r}.")
    return max_workers


def default_output_dir() -> str:
    """Where downloads go unless told otherwise: ``GRADIO_TEMP_DIR``, else ``<tmp>/gradio``."""
    return os.environ.get("GRADIO_TEMP_DIR") or str(Path(tempfile.gettempdir()) / "gradio")


@dataclass
class Discovered:
    """A reachable app, logged in to and described: what a client is built from."""

    source: Source
    session: Session
    info: dict[str, Any] | None
    info_error: str | None
    output_dir: Path


async def discover(
    src: str,
    hf_token: str | None,
    *,
    max_workers: int,
    output_dir: str | Path | None,
    verbose: bool,
    auth: tuple[str, str] | None,
    headers: dict[str, str] | None,
    ssl_verify: bool,
    httpx_kwargs: dict[str, Any] | None,
    space_timeout: float | None,
    oauth_token: str | None,
) -> Discovered:
    """Check the arguments, resolve ``src``, log in if asked, load config and API info.

    The connection pool made here belongs to the returned session; it is
    closed again if anything on the way fails.
    """
    if not isinstance(src, str) or not src.strip():
        raise ValueError("src must be a Space id such as 'owner/name' or an app URL.")
    check_max_workers(max_workers)
    headers = check_headers(headers)
    if auth is not None and (
        not isinstance(auth, tuple | list)
        or len(auth) != 2
        or not all(isinstance(x, str) for x in auth)
    ):
        raise ValueError("auth must be a (username, password) tuple of strings.")
    out_dir = Path(output_dir if output_dir is not None else default_output_dir())
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"output_dir {str(out_dir)!r} exists and is not a directory.")

    source = await resolve_source(src.strip(), hf_token, verbose=verbose, timeout=space_timeout)
    token_auth = None
    if source.token:
        # The token goes to the app host when the user gave it for that URL, or
        # when the Hub itself named the host as the Space's.
        trusted = source.token_explicit or source.space_id is not None
        token_auth = HfTokenAuth(source.token, [origin(source.url)] if trusted else [])
    http = make_http_client(
        auth=token_auth,
        headers=headers,
        max_connections=max_workers + 8,
        verify=ssl_verify,
        extra=httpx_kwargs,
    )
    try:
        if auth is not None:
            await login(http, source.url, auth)
        config, info, info_error = await load_app(http, source.url)
        session = Session(
            http=http, config=config, session_hash=new_session_hash(), oauth_token=oauth_token
        )
        if httpx_kwargs and "timeout" in httpx_kwargs:
            # The reference's way to bound every request, event streams included.
            session.user_timeout = httpx.Timeout(httpx_kwargs["timeout"])
            session.stream_timeout = session.user_timeout.read
    except BaseException:
        await http.aclose()
        raise
    return Discovered(source, session, info, info_error, out_dir)


async def login(http: httpx.AsyncClient, src: str, auth: tuple[str, str]) -> None:
    url = src + "login"
    try:
        response = await http.post(
            url, data={"username": auth[0], "password": auth[1]}, extensions=SAFE_TO_RESEND
        )
    except httpx.TransportError as exc:
        raise transport_error(exc, src) from exc
    if response.status_code in (400, 401, 403):
        raise AuthenticationError(f"Could not login to {src}: {detail_of(response)}")
    if response.status_code in (301, 302, 303, 307, 308):
        # The server redirects /login to its root when it has no login at all.
        return
    if response.status_code >= 300:
        raise AuthenticationError(
            f"Could not login to {src}: HTTP {response.status_code}: {detail_of(response)}"
        )


async def _get(http: httpx.AsyncClient, url: str) -> httpx.Response:
    try:
        return await http.get(url)
    except httpx.TransportError as exc:
        raise transport_error(exc, url) from exc


async def load_app(
    http: httpx.AsyncClient, src: str
) -> tuple[AppConfig, dict[str, Any] | None, str | None]:
    """Config and API info. On current servers both requests go out together."""
    speculative = asyncio.ensure_future(_get(http, src + "gradio_api/info?all_endpoints=True"))
    try:
        config = await _load_config(http, src)
    except BaseException:
        speculative.cancel()
        raise
    info_url = _info_url(config)
    info_error: str | None = None
    info: dict[str, Any] | None = None
    response: httpx.Response | None = None
    try:
        if info_url == src + "gradio_api/info?all_endpoints=True":
            response = await speculative
        elif info_url:
            speculative.cancel()
            response = await _get(http, info_url)
        if response is not None:
            if response.status_code == 200:
                body = decode_json(response, f"GET {info_url}")
                info, info_error = checked_info(body, str(info_url))
            else:
                info_error = f"GET {info_url} answered HTTP {response.status_code}."
    except (AppConnectionError, ServerResponseError) as exc:
        info_error = str(exc)
    finally:
        if not speculative.done():
            speculative.cancel()
    info, info_error = fallback_info(config, info, info_error)
    return config, info, info_error


def _info_url(config: AppConfig) -> str | None:
    version = config.version
    if version >= Version("4.32"):
        return config.url("info") + "?all_endpoints=True"
    if version > Version("3.36.1"):
        return config.url("info") + ("?serialize=False" if version < Version("4") else "")
    return None


async def _load_config(http: httpx.AsyncClient, src: str) -> AppConfig:
    response = await _get(http, src + "config")
    if response.status_code == 401:
        raise AuthenticationError(
            f"Could not load {src} as credentials were not provided. Please login "
            "with auth=(username, password)."
        )
    if response.status_code == 429 or response.status_code >= 500:
        raise status_error(response, src + "config", "Loading the app's config")
    if response.status_code == 200:
        try:
            return parse_config(src, decode_json(response, f"GET {src}config"))
        except TooDeeplyNested:
            raise  # a config, but not one to walk: say so rather than "not a Gradio app"
        except (ServerResponseError, NotAGradioAppError):
            pass
    # Very old 3.x apps only embed their config in the page.
    page = await _get(http, src)
    if page.status_code == 200:
        match = _HTML_CONFIG.search(page.text)
        if match:
            import json

            try:
                return parse_config(src, json.loads(match.group(1)))
            except (ValueError, RecursionError):
                pass
    if page.status_code == 401 or response.status_code == 401:
        raise AuthenticationError(f"{src} needs a login.")
    raise NotAGradioAppError(
        f"{src} does not look like a Gradio app: GET {src}config answered HTTP "
        f"{response.status_code} without a Gradio config."
    )


# -- what connecting makes of the server's answers (no I/O: the property tests call these) --

# Gradio's own configs and API infos nest a few dozen levels at most; anything
# far deeper is refused up front, so no walk over it can exhaust the stack.
MAX_SCHEMA_DEPTH = 100


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists/dicts in ``value`` nest more than ``limit`` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def parse_config(src: str, raw: Any) -> AppConfig:
    """A decoded ``/config`` body → ``AppConfig``, or one of our typed errors."""
    if nested_deeper_than(raw, MAX_SCHEMA_DEPTH):
        raise TooDeeplyNested(
            f"{src} answered with a config nested too deeply (over {MAX_SCHEMA_DEPTH} levels)."
        )
    return AppConfig.parse(src, raw)


def checked_info(body: Any, info_url: str) -> tuple[dict[str, Any] | None, str | None]:
    """A decoded ``/info`` body → (info, None), or (None, why it cannot be used)."""
    if not (isinstance(body, dict) and isinstance(body.get("named_endpoints"), dict)):
        return None, f"GET {info_url} did not return API info."
    if nested_deeper_than(body, MAX_SCHEMA_DEPTH):
        return None, f"GET {info_url} answered with API info nested too deeply."
    return body, None


def fallback_info(
    config: AppConfig, info: dict[str, Any] | None, info_error: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    if info is None and config.protocol == "ws":
        # 3.x before 3.37 has no /info (and a broken one should not cost the
        # API view): the config says enough, and no outside service is asked.
        from .info_local import local_api_info

        info, info_error = local_api_info(config.raw), None
    if info is None and info_error is None:
        info_error = "This server has no API info route."
    return info, info_error


@dataclass
class AppSchema:
    """What connecting makes of an app's config and API info."""

    config: AppConfig
    info: dict[str, Any] | None
    info_error: str | None
    endpoints: EndpointTable


def parse_app(src: str, config_raw: Any, info_raw: Any) -> AppSchema:
    """The decoded ``/config`` and ``/info`` bodies as connecting reads them (``info_raw``
    None: the server gave none). Ends in a value or in one of our typed errors."""
    config = parse_config(src, config_raw)
    info, info_error = (None, None) if info_raw is None else checked_info(info_raw, "/info")
    info, info_error = fallback_info(config, info, info_error)
    return AppSchema(config, info, info_error, endpoint_table(config, info))


def endpoint_table(config: AppConfig, info: dict[str, Any] | None) -> EndpointTable:
    return EndpointTable(build_endpoints(config, info))


__all__ = [
    "AppSchema",
    "Discovered",
    "check_max_workers",
    "default_output_dir",
    "discover",
    "endpoint_table",
    "parse_app",
]
