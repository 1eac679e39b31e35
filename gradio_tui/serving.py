"""Run a Gradio app in a child process, on 127.0.0.1, and stop exactly it.

One launcher for everything that starts a real server: the bundled demo
(``gradio-tui --demo``), the test suite's apps and the benchmark's. The child
leads its own process group, so :meth:`AppServer.stop` ends it and Gradio's
helpers by its PID and touches nothing else; everything the child writes (its
log, Gradio's temp files) goes into one temporary folder, removed on stop.

:func:`launch` starts (:func:`spawn`) and then waits (:meth:`AppServer.wait_ready`),
with the caller's ``while_starting`` in between: Gradio takes seconds to import,
time a second core can spend on the caller's own start-up (``--demo`` imports
the terminal app then).

Standard library only: the demo starts this before the terminal app is loaded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

QUIET_ENV: Mapping[str, str] = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
    "PYTHONUNBUFFERED": "1",
}
"""Set for every app started here: nothing may try the internet (telemetry, Hub
look-ups) from a machine that has none, or wait on it."""


class ServerStartError(RuntimeError):
    """The app exited, or did not answer, before it served its config."""


class PortTakenError(ServerStartError):
    """Another process answered on the app's port: a free port was taken before the
    app could listen on it. Starting again on a new port is the cure."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppServer:
    """A Gradio app running in a child process, and the folder it writes to."""

    name: str
    port: int
    proc: subprocess.Popen[bytes]
    work_dir: Path
    started: float = field(default_factory=time.monotonic)
    started_in: float = 0.0  # seconds from spawn to the first good answer
    extra: dict[str, str] = field(default_factory=dict)  # what a caller wants to keep with it

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.work_dir / "server.log"

    def log(self) -> str:
        """The end of what the app printed (for error messages)."""
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def answers(self, path: str, accept: Collection[int]) -> bool:
        # urllib, not httpx: cheap to import, and the demo calls this before anything else.
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as response:
                return int(response.status) in accept
        except urllib.error.HTTPError as exc:
            return exc.code in accept
        except (urllib.error.URLError, OSError):
            return False

    def listens(self) -> bool | None:
        """Whether the socket listening on 127.0.0.1:port belongs to this app's
        process group; None where that cannot be read (no Linux ``/proc``).

        A port from :func:`free_port` is only free when asked: another process
        can take it before the app listens, and then answers in its place.
        """
        try:
            table = Path("/proc/net/tcp").read_text()
        except OSError:
            return None
        local = f"0100007F:{self.port:04X}"
        sockets = set()
        for line in table.splitlines()[1:]:
            fields = line.split()
            if len(fields) > 9 and fields[1] == local and fields[3] == "0A":  # LISTEN
                sockets.add(f"socket:[{fields[9]}]")
        if not sockets:
            return None
        for pid in _process_group(self.proc.pid):
            with contextlib.suppress(OSError), os.scandir(f"/proc/{pid}/fd") as fds:
                for fd in fds:
                    with contextlib.suppress(OSError):
                        if os.readlink(fd.path) in sockets:
                            return True
        return False

    def wait_ready(
        self,
        timeout: float = 120.0,
        *,
        ready_path: str = "config",
        accept: Collection[int] = (200,),
    ) -> AppServer:
        """Block until ``GET ready_path`` answers with a status in ``accept``.

        On failure the process is stopped and its folder removed; the error
        quotes the app's log.
        """
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                said = self.log()
                self.stop()
                raise ServerStartError(f"The {self.name} app exited early:\n{said}")
            if self.answers(ready_path, accept):
                if self.listens() is False:
                    self.stop()
                    raise PortTakenError(
                        f"Port {self.port} answered, but not from the {self.name} app: "
                        "another process took it first."
                    )
                self.started_in = time.monotonic() - self.started
                return self
            # A refused connection costs next to nothing: poll often, so the app is
            # used within a few milliseconds of its first answer.
            time.sleep(0.02)
        said = self.log()
        self.stop()
        raise ServerStartError(f"The {self.name} app did not start in {timeout:.0f} s:\n{said}")

    def stop(self) -> None:
        try:
            self._stop_process()
        finally:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _stop_process(self) -> None:
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def _process_group(pgid: int) -> list[int]:
    """The PIDs of a process group (its leader first), from ``/proc``."""
    members = [pgid]
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and int(entry.name) != pgid:
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:
                    members.append(int(entry.name))
    return members


def spawn(
    name: str,
    command: Sequence[str],
    *,
    port: int,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    work_root: str | Path | None = None,
) -> AppServer:
    """Start ``command`` (which must listen on ``port``) without waiting for it.

    The child's environment is ours plus :data:`QUIET_ENV`, ``GRADIO_TEMP_DIR``
    in its own folder (named in ``GRADIO_TUI_SERVER_DIR``), then ``env``; it
    never inherits ``HF_ENDPOINT`` (a local Hub stub of the caller's is not the
    app's business). It runs in ``cwd``, by default that folder.
    """
    work_dir = Path(tempfile.mkdtemp(prefix=f"gradio-tui-{name}-", dir=work_root))
    full_env = {
        **os.environ,
        **QUIET_ENV,
        "GRADIO_TEMP_DIR": str(work_dir / "gradio"),
        "GRADIO_TUI_SERVER_DIR": str(work_dir),  # the app may clean up after itself
        **(env or {}),
    }
    if "HF_ENDPOINT" not in (env or {}):
        full_env.pop("HF_ENDPOINT", None)
    with open(work_dir / "server.log", "wb") as log:
        proc = subprocess.Popen(
            list(command),
            cwd=cwd if cwd is not None else work_dir,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return AppServer(name, port, proc, work_dir)


def launch(
    name: str,
    command: Callable[[int], Sequence[str]],
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    work_root: str | Path | None = None,
    timeout: float = 120.0,
    ready_path: str = "config",
    accept: Collection[int] = (200,),
    while_starting: Callable[[], object] | None = None,
) -> AppServer:
    """:func:`spawn` ``command(port)``, then :meth:`AppServer.wait_ready`.

    Without a fixed ``port`` a free one is taken, and another (three tries) when
    some other process takes it first (:class:`PortTakenError`): a free port is
    only free until someone binds it. ``while_starting`` runs once, after the
    first spawn and before the wait (the demo imports the terminal app meanwhile).
    """
    tries = 1
    while True:
        chosen = port or free_port()
        server = spawn(name, command(chosen), port=chosen, env=env, cwd=cwd, work_root=work_root)
        if while_starting is not None:
            try:
                while_starting()
            except BaseException:
                server.stop()
                raise
            while_starting = None
        try:
            return server.wait_ready(timeout, ready_path=ready_path, accept=accept)
        except PortTakenError:
            if port is not None or tries == 3:
                raise
            tries += 1


__all__ = [
    "QUIET_ENV",
    "AppServer",
    "PortTakenError",
    "ServerStartError",
    "free_port",
    "launch",
    "spawn",
]
