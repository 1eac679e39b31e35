"""The certificate-checking TLS context, with its CA bundle loaded on first use.

httpx builds its ``verify=True`` context eagerly, reading the whole CA bundle
(certifi's, ~150 KB of PEM: ~25 ms), and every client needs one to exist even
when it only ever talks plain HTTP to a local app, which is the common case
for a first ``Client("http://127.0.0.1:7860/")``. ``LazyCAContext`` is that
same context, with the bundle read at the first handshake instead.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any


def _ca_locations(trust_env: bool = True) -> dict[str, str]:
    """Where httpx's ``verify=True`` reads trusted CAs from (environment first, then certifi)."""
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        return {"cafile": os.environ["SSL_CERT_FILE"]}
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        return {"capath": os.environ["SSL_CERT_DIR"]}
    import certifi

    return {"cafile": certifi.where()}


class LazyCAContext(ssl.SSLContext):
    """``ssl.create_default_context(cafile=<httpx's choice>)``, loading the CAs when first used.

    The locations are fixed when the context is made (as httpx does), the
    file is read at the first ``wrap_bio``/``wrap_socket`` (every TLS
    connection starts with one) or when asked what it trusts.
    """

    _locations: dict[str, str]
    _loaded: bool
    _lock: threading.Lock

    def __new__(cls, *args: Any, **kwargs: Any) -> LazyCAContext:
        context = super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)
        # What create_default_context(purpose=SERVER_AUTH) sets besides the CAs.
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        if sys.version_info >= (3, 13):
            context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment:
            context.keylog_filename = keylog
        return context

    def __init__(self, trust_env: bool = True) -> None:
        self._locations = _ca_locations(trust_env)
        self._loaded = False
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self.load_verify_locations(**self._locations)
                self._loaded = True

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load()
        return super().wrap_socket(*args, **kwargs)

    def get_ca_certs(self, binary_form: bool = False) -> Any:
        self._load()
        return super().get_ca_certs(binary_form)

    def cert_store_stats(self) -> dict[str, int]:
        self._load()
        return super().cert_store_stats()
