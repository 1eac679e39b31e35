"""Extra HTTP headers: the client's own (``client.headers``), per call, and ZeroGPU's.

The reference keeps a plain dict of the headers it sends and lets scripts
read and change it; here the headers live in the one ``httpx`` client every
request goes through, and :class:`ClientHeaders` is a live view of them. A
call's own headers (``predict(..., headers=...)``) go on the request that
puts that job on the queue, as the reference sends them.

Header values are often secrets (tokens, cookies, ZeroGPU's ``x-ip-token``):
no error message here quotes a value, and the view's ``repr`` hides them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING

from .untrusted import shorten, visible

if TYPE_CHECKING:
    import httpx

TOKEN_HEADER = "x-hf-authorization"
ZERO_GPU_HEADER = "x-ip-token"
_SECRET = frozenset(
    {TOKEN_HEADER, "authorization", "proxy-authorization", "cookie", ZERO_GPU_HEADER}
)
# RFC 9110 field names (tokens), and values httpx can encode (ASCII, no line breaks).
_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"[\t\x20-\x7e]*")


def check_headers(headers: object, what: str = "headers") -> dict[str, str]:
    """``headers`` as a dict of str to str, or a clear error before anything is sent."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(
            f"{what} must be a dict of header names to values, not {type(headers).__name__}."
        )
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            shown = visible(shorten(repr(name), 60))
            raise ValueError(f"{what}: {shown} is not a valid HTTP header name.")
        if not isinstance(value, str):
            raise TypeError(f"{what}[{name!r}] must be a string, not {type(value).__name__}.")
        if not _VALUE.fullmatch(value):
            raise ValueError(
                f"{what}[{name!r}]: a header value must be printable ASCII on one line "
                "(no line breaks, control or non-ASCII characters)."
            )
        checked[name] = value
    return checked


def caller_ip_token() -> str | None:
    """The ``x-ip-token`` of the Gradio request this code runs inside, if any.

    A Gradio app on ZeroGPU hardware that calls another ZeroGPU Space forwards
    its visitor's token so that the visitor's quota is used, not the app's.
    Gradio keeps the current request in a context variable; if Gradio is not
    even imported, this code cannot be running inside one of its requests, so
    it is never imported here.
    """
    context = sys.modules.get("gradio.context")
    local = getattr(context, "LocalContext", None) if context is not None else None
    variable = getattr(local, "request", None)
    if variable is None:
        return None
    try:
        request = variable.get(None)
        headers = getattr(request, "headers", None)
        token = headers[ZERO_GPU_HEADER] if headers and ZERO_GPU_HEADER in headers else None
    except Exception:  # not the request object we know: nothing to forward
        return None
    return token if isinstance(token, str) and _VALUE.fullmatch(token) else None


def add_zero_gpu_headers(headers: dict[str, str]) -> dict[str, str]:
    """``headers`` (changed in place, as the reference does) plus the caller's ZeroGPU token."""
    token = caller_ip_token()
    if token is not None:
        headers[ZERO_GPU_HEADER] = token
    return headers


class ClientHeaders(MutableMapping[str, str]):
    """``client.headers``: what every request of the client carries, live.

    Shows the ``httpx`` client's headers (its defaults, our user agent, the
    ``headers=`` given to ``Client``) and ``x-hf-authorization`` when the HF
    token goes to this app. Changes apply to later requests, as changing the
    reference's dict does; setting or deleting ``x-hf-authorization`` replaces
    the token the client would attach. Names are case-insensitive.
    """

    def __init__(self, http: httpx.AsyncClient, app_url: str) -> None:
        self._http = http
        self._app_url = app_url

    def _token_value(self) -> str | None:
        from .http import HfTokenAuth

        auth = self._http.auth
        if isinstance(auth, HfTokenAuth) and auth.allows(self._app_url):
            return auth.header_value()
        return None

    def _drop_token(self) -> None:
        import httpx

        self._http.auth = httpx.Auth()  # the base class adds nothing to a request

    def __getitem__(self, name: str) -> str:
        if name.lower() == TOKEN_HEADER:
            token = self._token_value()
            if token is not None:
                return token
        return self._http.headers[name]

    def __setitem__(self, name: str, value: str) -> None:
        checked = check_headers({name: value}, "client.headers")
        if name.lower() == TOKEN_HEADER:
            self._drop_token()  # the caller's value replaces the token
        self._http.headers.update(checked)

    def __delitem__(self, name: str) -> None:
        if name.lower() == TOKEN_HEADER and self._token_value() is not None:
            self._drop_token()
            if name in self._http.headers:
                del self._http.headers[name]
            return
        del self._http.headers[name]

    def __iter__(self) -> Iterator[str]:
        names = list(self._http.headers.keys())
        if TOKEN_HEADER not in names and self._token_value() is not None:
            names.append(TOKEN_HEADER)
        return iter(names)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def copy(self) -> dict[str, str]:
        """A plain dict of the current headers (the reference's is a dict)."""
        return dict(self.items())

    def __repr__(self) -> str:
        shown = {k: ("<hidden>" if k.lower() in _SECRET else v) for k, v in self.items()}
        return repr(shown)


__all__ = [
    "TOKEN_HEADER",
    "ZERO_GPU_HEADER",
    "ClientHeaders",
    "add_zero_gpu_headers",
    "caller_ip_token",
    "check_headers",
]
