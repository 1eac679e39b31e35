"""What the app remembers about the current connection, in memory only.

Tokens and passwords live here for the life of the process (so "reconnect"
works) and are never written to disk: the store gets ``public_src`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..client.sources import parse_auth

__all__ = ["ConnectRequest", "parse_auth"]


@dataclass
class ConnectRequest:
    """How to (re)connect: the source and the credentials the user gave."""

    src: str
    hf_token: str | None = field(default=None, repr=False)
    auth: tuple[str, str] | None = field(default=None, repr=False)
    ephemeral: bool = False
    """A throwaway app (``--demo`` on a random port): not added to the recent list."""

    @property
    def uses_login(self) -> bool:
        return self.auth is not None

    @property
    def uses_token(self) -> bool:
        return self.hf_token is not None


@dataclass
class SpacesRequest:
    """How to open the Spaces console: whose Spaces (None: yours and your orgs'), or a search."""

    owner: str | None = None
    search: str | None = None
    sdk: str | None = None
    hf_token: str | None = field(default=None, repr=False)
