"""What ``src`` names: an app URL or a Space id, and which token goes with it.

The rule the whole client keeps: the HF token this machine already has goes
only to the Hub and to ``*.hf.space`` apps. A token the user passes explicitly
for a URL goes to that URL's host too, because they asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .config import ensure_slash
from .http import is_hf_host
from .space_ids import is_space_id


@dataclass
class Source:
    """A resolved ``src``: the base URL to talk to and what we know about it."""

    url: str
    display: str
    space_id: str | None = None
    token: str | None = field(default=None, repr=False)
    token_explicit: bool = False

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


def parse_auth(text: str) -> tuple[str, str]:
    """``USER:PASS`` → ``("USER", "PASS")``; the password may contain colons."""
    user, sep, password = text.partition(":")
    if not sep or not user:
        raise ValueError("expected USER:PASSWORD")
    return user, password


def implicit_token() -> str | None:
    """The token huggingface_hub already has (``HF_TOKEN`` or its login), if any."""
    try:
        from huggingface_hub import get_token
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        return get_token()
    except Exception:
        return None


def space_id_from_url(url: str) -> str | None:
    """``https://huggingface.co/spaces/owner/name`` (the Hub page) → ``owner/name``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in ("huggingface.co", "www.huggingface.co", "hf.co"):
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) >= 3 and segments[0] == "spaces":
            return f"{segments[1]}/{segments[2]}"
    return None


async def resolve_source(
    src: str,
    hf_token: str | None,
    *,
    verbose: bool = True,
    timeout: float | None = 300.0,
) -> Source:
    """Turn ``src`` into a base URL, asking the Hub for Space ids."""
    if hf_token is not None and (not isinstance(hf_token, str) or not hf_token.strip()):
        raise ValueError("hf_token must be a non-empty string (or None to use your saved token).")
    explicit = hf_token is not None
    if src.startswith(("http://", "https://")):
        space_id = space_id_from_url(src)
        if space_id is None:
            host = (urlsplit(src).hostname or "").lower()
            if not host:
                raise ValueError(f"{src!r} is not a valid URL.")
            token = hf_token if explicit else (implicit_token() if is_hf_host(host) else None)
            url = ensure_slash(src.split("?", 1)[0].split("#", 1)[0])
            return Source(url=url, display=url, token=token, token_explicit=explicit)
        src = space_id
    if not is_space_id(src):
        raise ValueError(
            f"{src!r} is neither an app URL (http://… or https://…) nor a Space id "
            "such as 'owner/name'."
        )
    from .spaces import resolve_space

    token = hf_token if explicit else implicit_token()
    url, display = await resolve_space(src, token, verbose=verbose, timeout=timeout)
    return Source(url=ensure_slash(url), display=display, space_id=src, token=token)
