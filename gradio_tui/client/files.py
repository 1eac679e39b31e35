"""Files in and out: uploads before a job, downloads after it.

Inputs: a file parameter takes a local path, a URL, or ``handle_file(...)``;
local files are checked (exists, is a file, readable, not over the app's
``max_file_size``) before anything is sent, then uploaded with a streamed
body. Outputs: server file values are downloaded (streamed) into
``output_dir/<sha256 of content>/<safe name>`` and returned as local paths.
A server-given name can never leave ``output_dir``, and a cut download
leaves nothing behind.

How a file value is spelled on the wire differs by server generation; that
is the transport's business (``Transport.file_payload`` and
``Transport.output_file``), so nothing here branches on versions.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import mimetypes
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    AppConnectionError,
    FileTooLargeError,
    ServerResponseError,
)
from .filedata import (
    FileData,
    FileRef,
    PreparedFile,
    file,
    file_meta,
    handle_file,
    is_file_data,
    is_url,
)

if TYPE_CHECKING:
    import httpx

    from .endpoints import Endpoint, Parameter
    from .protocols import Session, Transport

_MAX_REDIRECTS = 5
_UNSAFE = re.compile(r'[<>:"/\\|?*`$!{}\x00-\x1f\x7f]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def safe_filename(name: str, fallback: str = "file") -> str:
    """A file name that is only a name: no directories, no control or shell characters."""
    name = unicodedata.normalize("NFC", name)
    # Drop any directory part, whichever separator the server used.
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("", name).strip().strip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if not stem:
        stem = fallback
    if stem.upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    name = f"{stem}.{ext}" if ext else stem
    encoded = name.encode()
    if len(encoded) > 200:
        keep = 200 - len(ext.encode()) - 1 if ext else 200
        stem = stem.encode()[:keep].decode(errors="ignore") or fallback
        name = f"{stem}.{ext}" if ext else stem
    return name or fallback


class FileCodec:
    """Turns user values into wire values and back, for one client."""

    def __init__(
        self,
        session: Session,
        transport: Transport,
        output_dir: Path,
        *,
        enabled: bool,
        download: bool = True,
    ) -> None:
        self.session = session
        # How this server generation spells file values (see the module docstring).
        self.transport = transport
        self.output_dir = output_dir
        self.enabled = enabled
        self.download_outputs = download

    # -- inputs -------------------------------------------------------------------------

    def check_inputs(self, endpoint: Endpoint, values: list[Any]) -> None:
        """Refuse missing, unreadable or too large local files before anything is sent."""
        if not self.enabled:
            return
        for param, value in zip(endpoint.parameters, values, strict=False):
            for path in self._local_paths(param, value):
                self._check_local(path, param)

    def _local_paths(self, param: Parameter, value: Any) -> list[str]:
        found: list[str] = []

        def visit(v: Any, as_file: bool) -> None:
            if is_file_data(v):
                if not is_url(v["path"]):
                    found.append(v["path"])
            elif isinstance(v, str | Path) and as_file:
                s = str(v)
                if not is_url(s) and not s.startswith("data:"):
                    found.append(s)
            elif isinstance(v, dict):
                for item in v.values():
                    visit(item, False)
            elif isinstance(v, list | tuple):
                for i, item in enumerate(v):
                    # (path, caption) gallery pairs: only the first element is a file
                    visit(item, as_file and not (isinstance(v, tuple) and i > 0))

        visit(value, param.is_file)
        return found

    def _check_local(self, path: str, param: Parameter) -> None:
        p = Path(path).expanduser()
        where = f" (parameter '{param.name}')"
        if not p.exists():
            raise ValueError(f"File not found: {path}{where}. Nothing was sent.")
        if p.is_dir():
            raise ValueError(f"{path} is a directory, not a file{where}. Nothing was sent.")
        if not os.access(p, os.R_OK):
            raise PermissionError(f"File {path} is not readable{where}. Nothing was sent.")
        limit = self.session.config.max_file_size
        size = p.stat().st_size
        if limit is not None and size > limit:
            # "exceeds the maximum file size" is the reference's wording: scripts match on it.
            raise FileTooLargeError(
                f"File {path} is {size} bytes and exceeds the maximum file size of "
                f"{limit} bytes (the app's max_file_size){where}. Nothing was sent."
            )

    async def prepare_inputs(self, endpoint: Endpoint, values: list[Any]) -> list[Any]:
        """Upload local files and spell every file value as this server expects."""
        if not self.enabled:
            return values
        out = []
        for param, value in zip(endpoint.parameters, values, strict=False):
            out.append(await self._prepare(param, value))
        return out

    async def _prepare(self, param: Parameter, value: Any) -> Any:
        component = param.component.lower()
        if component == "gallery" and isinstance(value, list | tuple):
            return [await self._gallery_item(item) for item in value]
        return await self._walk(value, param.is_file, component)

    async def _gallery_item(self, item: Any) -> Any:
        if isinstance(item, tuple | list) and len(item) == 2 and not isinstance(item[1], dict):
            image = await self._walk(item[0], True, "image")
            return {"image": image, "caption": item[1]}
        if isinstance(item, str | Path) or is_file_data(item):
            return {"image": await self._walk(item, True, "image"), "caption": None}
        return await self._walk(item, False, "gallery")

    async def _walk(self, value: Any, as_file: bool, component: str) -> Any:
        if is_file_data(value):
            return await self._encode(value["path"], component, value.get("orig_name"))
        if isinstance(value, str | Path) and as_file:
            s = str(value)
            if s.startswith("data:"):
                return s
            return await self._encode(s, component, None)
        if isinstance(value, dict):
            if as_file and isinstance(value.get("path"), str):
                # A server file value (e.g. from serialize=False output): pass it on,
                # with the meta marker 5.5+ servers require.
                return {**value, "meta": value.get("meta") or file_meta()}
            return {k: await self._walk(v, False, component) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [await self._walk(v, as_file, component) for v in value]
        return value

    async def _encode(self, path_or_url: str, component: str, orig_name: str | None) -> Any:
        transport = self.transport
        if is_url(path_or_url):
            name = orig_name or path_or_url.rstrip("/").split("/")[-1].split("?")[0] or "file"
            return transport.file_payload(PreparedFile(orig_name=name, url=path_or_url), component)
        local = Path(path_or_url).expanduser()
        name = orig_name or local.name
        size = local.stat().st_size
        mime = mimetypes.guess_type(local.name)[0]
        if transport.wants_data_url(component):
            data = await asyncio.to_thread(local.read_bytes)
            data_url = (
                f"data:{mime or 'application/octet-stream'};base64,"
                + base64.b64encode(data).decode()
            )
            prepared = PreparedFile(orig_name=name, data_url=data_url, size=size, mime_type=mime)
            return transport.file_payload(prepared, component)
        server_path = await self.upload(local)
        prepared = PreparedFile(
            orig_name=safe_filename(name), server_path=server_path, size=size, mime_type=mime
        )
        return transport.file_payload(prepared, component)

    async def upload(self, path: Path) -> str:
        """Upload one file with a streamed body; the server's path for it."""
        import httpx

        from .http import SAFE_TO_RESEND, status_error
        from .transfer import MultipartFileBody

        url = self.session.config.url("upload")
        try:
            # Read from disk as it goes out, 256 KB at a time: memory stays flat.
            body = MultipartFileBody("files", path, path.name)
            response = await self.session.http.post(
                url,
                content=body,
                headers=body.headers,
                # A second upload of the same file only leaves a second temp file.
                extensions=SAFE_TO_RESEND,
                timeout=self.session.timeout(httpx.Timeout(30.0, write=None, read=300.0)),
            )
        except httpx.TransportError as exc:
            raise AppConnectionError(f"Uploading {path} to {url} failed: {exc}") from exc
        if response.status_code != 200:
            raise status_error(response, url, f"Uploading {path}")
        try:
            paths = response.json()
        except (ValueError, RecursionError):
            paths = None
        if not (isinstance(paths, list) and len(paths) == 1 and isinstance(paths[0], str)):
            raise ServerResponseError(
                f"Uploading {path}: {url} did not answer with a list of server paths: "
                f"{response.text[:200].strip()!r}",
                status_code=response.status_code,
            )
        return paths[0]

    # -- outputs ------------------------------------------------------------------------

    async def postprocess(
        self, endpoint: Endpoint, data: list[Any], output_dir: Path | None = None
    ) -> Any:
        """Wire outputs → what the user gets: files downloaded, State dropped, unwrapped.

        Files go to ``output_dir`` when given (one job's own folder), else to the client's.
        """
        if self.enabled and self.download_outputs:
            data = await self._download_all(data, output_dir or self.output_dir)
        return endpoint.user_outputs(data)

    async def _download_all(self, data: list[Any], output_dir: Path) -> list[Any]:
        transport = self.transport
        jobs: list[tuple[FileRef, asyncio.Future[str]]] = []
        loop = asyncio.get_running_loop()

        def replace(value: Any) -> Any:
            ref = transport.output_file(value)
            if ref is not None:
                fut: asyncio.Future[str] = loop.create_future()
                jobs.append((ref, fut))
                return fut
            if isinstance(value, dict):
                return {k: replace(v) for k, v in value.items()}
            if isinstance(value, list):
                return [replace(v) for v in value]
            return value

        replaced = [replace(v) for v in data]
        if not jobs:
            return data
        results = await asyncio.gather(*(self.download(ref, output_dir) for ref, _ in jobs))
        for (_, fut), local in zip(jobs, results, strict=True):
            fut.set_result(local)

        def resolve(value: Any) -> Any:
            if isinstance(value, asyncio.Future):
                return value.result()
            if isinstance(value, dict):
                return {k: resolve(v) for k, v in value.items()}
            if isinstance(value, list):
                return [resolve(v) for v in value]
            return value

        return [resolve(v) for v in replaced]

    def _target_name(self, ref: FileRef) -> str:
        source = ref.server_path or ref.url or ""
        base = re.split(r"[/\\]", source.split("?")[0])[-1] if source else ""
        name = safe_filename(base or ref.orig_name or "file")
        if ref.data_url is not None and not Path(name).suffix:
            # 3.x sends images inline, unnamed: the type names the extension, which is
            # what viewers and scripts go by.
            mime = ref.data_url[5:].partition(",")[0].partition(";")[0].strip().lower()
            name += mimetypes.guess_extension(mime) or ""
        return name

    async def download(self, ref: FileRef, output_dir: Path | None = None) -> str:
        """Fetch one output file into ``output_dir`` (default: the client's); the absolute path."""
        name = self._target_name(ref)
        out_dir = output_dir or self.output_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = out_dir / f".partial-{secrets.token_hex(8)}"
        digest = hashlib.sha256()
        try:
            if ref.data_url is not None:
                payload = _decode_data_url(ref.data_url)
                digest.update(payload)
                await asyncio.to_thread(partial.write_bytes, payload)
            else:
                await self._fetch(ref, partial, digest)
            folder = out_dir / digest.hexdigest()
            folder.mkdir(parents=True, exist_ok=True)
            target = (folder / name).resolve()
            root = out_dir.resolve()
            if os.path.commonpath([root, target]) != str(root):  # pragma: no cover - defence
                raise ServerResponseError(f"Refusing to write outside {root}: {name!r}")
            os.replace(partial, target)
            return str(target)
        finally:
            if partial.exists():
                partial.unlink()

    async def _fetch(self, ref: FileRef, partial: Path, digest: Any) -> None:
        import httpx

        from .http import status_error

        url = self._download_url(ref)
        http = self.session.http
        for _ in range(_MAX_REDIRECTS + 1):
            timeout = self.session.timeout(httpx.Timeout(30.0, read=300.0))
            request = http.build_request("GET", url, timeout=timeout)
            try:
                response = await http.send(request, stream=True, follow_redirects=False)
            except httpx.TransportError as exc:
                raise AppConnectionError(f"Downloading {url} failed: {exc}") from exc
            try:
                if response.is_redirect and response.next_request is not None:
                    # Redirects are followed here, one hop at a time, so the token
                    # policy (httpx.Auth) judges every host on the way.
                    url = str(response.next_request.url)
                    continue
                if response.status_code != 200:
                    await response.aread()
                    raise status_error(response, url, "Downloading a result file")
                await self._stream_to(response, partial, digest, url)
                return
            finally:
                await response.aclose()
        raise ServerResponseError(f"Too many redirects while downloading {url}.")

    async def _stream_to(
        self, response: httpx.Response, partial: Path, digest: Any, url: str
    ) -> None:
        import httpx

        expected = response.headers.get("content-length")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        # Raw chunks are the fast path, but a server may compress a file on the way
        # (Gradio's middleware sends text files brotli- or gzip-encoded): then the
        # chunks are decoded, or the file on disk would be the compressed bytes.
        encoded = encoding not in ("", "identity")
        chunks = response.aiter_bytes() if encoded else response.aiter_raw()
        received = 0
        try:
            with open(partial, "wb") as out:
                async for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise AppConnectionError(
                f"Downloading {url} was cut after {received} bytes: {exc}"
            ) from exc
        if (
            expected is not None
            and expected.isdigit()
            and int(expected) != received
            and "content-encoding" not in response.headers
        ):
            raise AppConnectionError(
                f"Downloading {url} was cut after {received} of {expected} bytes."
            )

    def _download_url(self, ref: FileRef) -> str:
        config = self.session.config
        if ref.server_path is not None and not is_url(ref.server_path):
            return config.file_url(ref.server_path)
        url = ref.url or ref.server_path or ""
        if is_url(url):
            return url
        return config.src + url.lstrip("/")


def _decode_data_url(data_url: str) -> bytes:
    header, _, payload = data_url.partition(",")
    if not header.startswith("data:") or not payload:
        raise ServerResponseError(f"Malformed data URL from the server: {data_url[:60]!r}")
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        from urllib.parse import unquote_to_bytes

        return unquote_to_bytes(payload)
    except ValueError as exc:
        raise ServerResponseError(f"Malformed data URL from the server: {exc}") from exc


__all__ = [
    "FileCodec",
    "FileData",
    "FileRef",
    "PreparedFile",
    "file",
    "handle_file",
    "is_file_data",
    "is_url",
    "safe_filename",
]
