"""Screenshots of the terminal app, made by the app itself, for the README.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--only app,spaces]

Starts the bundled demo app on 127.0.0.1, drives the terminal app headless
with ``run_test(size=(120, 36))`` the way a user would (keys, not internals
where keys do it), writes one SVG per screen into ``screenshots/`` and turns
each into a PNG. The Spaces console (``spaces``) is shown against the local
Hub stub of the test suite (``tests/support/hub_stub.py``, 127.0.0.1), with a
small made-up ops account: no real Hub, no token.

PNG conversion, first found wins:
  - ``rsvg-convert`` (Debian: ``apt-get install librsvg2-bin``): best text
    rendering of Textual's SVGs;
  - ``cairosvg`` (PyPI: ``pip install 'gradio-tui[screenshots]'``; needs the
    system cairo library, ``libcairo2`` on Debian).
Textual's SVGs ask for the Fira Code font (Debian: ``fonts-firacode``); without
it, the PNGs use the first of DejaVu Sans Mono, Liberation Mono or Noto Sans Mono
that fontconfig knows (a converter's own fallback may be a proportional font,
which breaks the columns). The SVGs are the source; the PNGs are derived.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gradio_tui.demo.server import free_port, start_demo  # noqa: E402
from gradio_tui.store import Paths, Settings, Store  # noqa: E402
from gradio_tui.tui.app import GradioTUI  # noqa: E402
from gradio_tui.tui.results.image import HalfBlockImage  # noqa: E402
from gradio_tui.tui.results.panel import OutputBlock  # noqa: E402
from gradio_tui.tui.screens.history import HistoryScreen  # noqa: E402
from gradio_tui.tui.screens.main import MainScreen  # noqa: E402
from gradio_tui.tui.session import ConnectRequest, SpacesRequest  # noqa: E402
from gradio_tui.tui.widgets.jobs import JobList  # noqa: E402

SIZE = (120, 36)


def temp_store() -> Store:
    """A store of its own, so the user's recent list never shows up in a picture."""
    tmp = Path(tempfile.mkdtemp(prefix="gradio-tui-shots-"))
    store = Store(Paths(tmp, tmp, tmp / "settings.json", tmp / "recent.json", tmp / "h.json"))
    for src in ["http://127.0.0.1:7860/", "gradio/calculator", "abidlabs/whisper"]:
        store.add_recent(src)
    return store


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.02)


def save(app: GradioTUI, out: Path, name: str) -> Path:
    path = out / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"gradio-tui — {name}"), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


async def shoot(url: str, out: Path) -> list[Path]:
    shots: list[Path] = []
    store = temp_store()
    settings = Settings()

    # 1. The connect screen, as `gradio-tui` alone opens it.
    app = GradioTUI(None, store=store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        app.quiet_cursors(app.screen)
        shots.append(save(app, out, "connect"))

    # 2-5. Connected to the demo.
    app = GradioTUI(ConnectRequest(url), store=store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.form)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        jobs = screen.query_one(JobList)

        async def run(api_name: str, **values: str) -> None:
            screen.open_endpoint(screen.client.endpoint(api_name))
            await pilot.pause(0.2)
            assert screen.form is not None
            for field in screen.form.fields:
                if field.param.name in values:
                    field.query_one(Input).value = values[field.param.name]
            before = len(jobs.records)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: len(jobs.records) > before)

        await run("/predict", num1="6", num2="7")
        await run("/greet", name="Ada", times="2")
        await run("/story", words="12")
        await wait_for(pilot, lambda: all(r.done for r in jobs.records.values()))
        await run("/train", epochs="20")
        train = list(jobs.records.values())[-1]
        await wait_for(pilot, lambda: (train.fraction() or 0) >= 0.4)
        await pilot.pause(0.2)
        app.clear_notifications()
        shots.append(save(app, out, "main"))

        await run("/fail", message="The GPU is on fire")
        await wait_for(pilot, lambda: all(r.done and r.reported for r in jobs.records.values()))
        await pilot.pause(0.3)
        shots.append(save(app, out, "error"))

        app.clear_notifications()
        screen.open_endpoint(screen.client.endpoint("/greet"))
        await pilot.pause(0.2)
        await pilot.press("f4")
        await pilot.pause(0.3)
        shots.append(save(app, out, "api"))

        await pilot.press("f4", "f2")
        await pilot.press("f1")
        await pilot.pause(0.5)
        shots.append(save(app, out, "help"))
        await pilot.press("escape")
        await pilot.pause(0.2)

        # 6. An image result, drawn in the terminal (half-blocks here: an SVG has no
        # graphics protocol), with its output focused so the footer shows its keys.
        await run("/julia")
        julia = list(jobs.records.values())[-1]
        await wait_for(pilot, lambda: julia.done and julia.reported)
        images = screen.query(HalfBlockImage)
        await wait_for(pilot, lambda: images.first().drawn if images else False)
        screen.query(OutputBlock).first().focus()
        await pilot.pause(0.5)
        app.clear_notifications()
        shots.append(save(app, out, "image"))

    # 7. The history view, after a restart: every job above, newest first.
    app = GradioTUI(ConnectRequest(url), store=store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.form)
        await pilot.pause(0.5)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        # The newest job, looked at again: its picture drawn from the history.
        images = app.screen.query(HalfBlockImage)
        await wait_for(pilot, lambda: images.first().drawn if images else False)
        await pilot.pause(0.5)
        app.quiet_cursors(app.screen)
        shots.append(save(app, out, "history"))
    return shots


async def shoot_console(out: Path) -> list[Path]:
    """The Spaces console on a made-up account: two Spaces marked, a run log followed,
    then the hardware dialog with its price."""
    from textual.widgets import Select

    from gradio_tui.tui.screens.spaces import SpacesScreen
    from gradio_tui.tui.widgets.log_panel import LogPanel
    from gradio_tui.tui.widgets.spaces_table import SpacesTable
    from tests.support.hub_stub import HubStub

    token = "hf_screenshot_only_0000"
    shots: list[Path] = []
    saved = {k: os.environ.get(k) for k in ("HF_ENDPOINT", "HF_TOKEN")}
    with HubStub(token=token) as hub:
        hub.add_console_demo()
        os.environ["HF_ENDPOINT"], os.environ["HF_TOKEN"] = hub.url, token
        try:
            app = GradioTUI(None, store=temp_store(), settings=Settings(), console=SpacesRequest())
            async with app.run_test(size=SIZE) as pilot:

                def ready() -> bool:
                    screen = app.screen
                    return isinstance(screen, SpacesScreen) and screen.loaded

                await wait_for(pilot, ready)
                screen = app.screen
                assert isinstance(screen, SpacesScreen)
                table = screen.query_one(SpacesTable)
                for space_id in ("ops/docs-site", "ops/whisper-large"):
                    table.move_to_space(space_id)
                    await pilot.press("space")
                table.move_to_space("ops/chat-assistant")
                await pilot.press("l")
                panel = screen.query_one(LogPanel)
                await wait_for(
                    pilot,
                    lambda: (
                        screen.hardware is not None
                        and "ops/chat-assistant" in screen.details
                        and panel.written == 5
                    ),
                )
                await pilot.pause(0.3)
                app.clear_notifications()
                app.quiet_cursors(app.screen)
                shots.append(save(app, out, "spaces"))

                table.move_to_space("ops/whisper-large")
                await wait_for(pilot, lambda: "ops/whisper-large" in screen.details)
                await pilot.press("h")
                await pilot.pause(0.5)
                app.screen.query_one("#hardware", Select).value = "a10g-large"
                await pilot.pause(0.3)
                shots.append(save(app, out, "spaces-hardware"))
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return shots


def monospace_font() -> str | None:
    """A monospace family fontconfig has, when Fira Code (the SVGs' font) is missing."""
    if not shutil.which("fc-list"):
        return None
    families = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    if "Fira Code" in families:
        return None
    for family in ("DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono"):
        if family in families:
            return family
    return None


def renderable_svg(svg: Path) -> str:
    """The SVG with ``xml:space="preserve"`` on its root.

    Textual pads cells with no-break spaces; SVG renderers collapse leading
    white space in a text run unless told to preserve it, which shifts
    columns (``name  Number`` would render as ``nameNumber``).
    """
    text = svg.read_text(encoding="utf-8")
    font = monospace_font()
    if font is not None:
        text = text.replace("Fira Code", font)
    return text.replace("<svg ", '<svg xml:space="preserve" ', 1)


def to_png(svg: Path) -> Path | None:
    png = svg.with_suffix(".png")
    source = renderable_svg(svg)
    if shutil.which("rsvg-convert"):
        subprocess.run(
            ["rsvg-convert", "-w", "1600", "-o", str(png)], input=source.encode(), check=True
        )
        return png
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    cairosvg.svg2png(bytestring=source.encode(), write_to=str(png), output_width=1600)
    return png


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument(
        "--only",
        default="app,spaces",
        help="which pictures: app (the demo app's screens), spaces (the Spaces console)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    only = {part.strip() for part in args.only.split(",")}
    svgs: list[Path] = []
    if "app" in only:
        # Port 7860 when free, so the pictures show the URL people know.
        try:
            port = 7860
            import socket

            with socket.socket() as s:
                s.bind(("127.0.0.1", port))
        except OSError:
            port = free_port()
        demo = start_demo(port=port)
        try:
            svgs += asyncio.run(shoot(demo.url, args.out))
        finally:
            demo.stop()
    if "spaces" in only:
        svgs += asyncio.run(shoot_console(args.out))
    missing = False
    for svg in svgs:
        png = to_png(svg)
        if png is None:
            missing = True
        else:
            print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")
    if missing:
        print(
            "No SVG→PNG converter: apt-get install librsvg2-bin, or "
            "pip install 'gradio-tui[screenshots]' (cairosvg, needs libcairo2).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
