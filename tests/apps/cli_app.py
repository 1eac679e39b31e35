"""One server for the command line and ``map`` tests: a Gradio app behind each kind of trouble.

Each mount is the same small app (``/echo``, ``/add``) at its own path, with
a middleware in front that plays one part:

- ``/app/``: healthy (a second copy for replica tests).
- ``/flaky/``: refuses the next N ``queue/join`` requests with a status and a
  ``Retry-After`` the test sets (``POST /control/flaky``), then lets them
  through; ``GET /control/joins`` lists every join it saw (time, status), so a
  test can check from the server's side how long the client waited.
- ``/busy/``: always 429 on join.
- ``/garbage/``: answers join with HTTP 200 and a body that is not JSON.
- ``/locked/``: the app with a login (user ``ann``, password ``pw``).
- ``/notgradio/``: a plain web page, no Gradio config.
"""

from __future__ import annotations

import time
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

_flaky: dict[str, Any] = {"fail": 0, "status": 429, "retry_after": None}
_joins: list[dict[str, Any]] = []


def echo(text: str) -> str:
    return text


def add(a: float, b: float) -> float:
    return a + b


def build_blocks() -> gr.Blocks:
    with gr.Blocks() as demo:
        text = gr.Textbox(label="text")
        out = gr.Textbox(label="output")
        gr.Button("echo").click(echo, text, out, api_name="echo")
        a = gr.Number(label="a", value=1)
        b = gr.Number(label="b", value=2)
        total = gr.Number(label="total")
        gr.Button("add").click(add, [a, b], total, api_name="add")
    return demo.queue(default_concurrency_limit=40)


def build() -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def trouble(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if request.method == "POST" and path.endswith("/queue/join"):
            if path.startswith("/flaky/"):
                if _flaky["fail"] > 0:
                    _flaky["fail"] -= 1
                    _joins.append({"t": time.time(), "status": _flaky["status"]})
                    headers = {}
                    if _flaky["retry_after"] is not None:
                        headers["Retry-After"] = str(_flaky["retry_after"])
                    return JSONResponse(
                        {"detail": "not now"}, status_code=_flaky["status"], headers=headers
                    )
                _joins.append({"t": time.time(), "status": 200})
            elif path.startswith("/busy/"):
                return JSONResponse(
                    {"detail": "slow down"}, status_code=429, headers={"Retry-After": "30"}
                )
            elif path.startswith("/garbage/"):
                return PlainTextResponse("<html>surprise</html>", status_code=200)
        return await call_next(request)

    @app.post("/control/flaky")
    async def set_flaky(
        fail: int, status: int = 429, retry_after: float | None = None
    ) -> dict[str, Any]:
        _flaky.update(fail=fail, status=status, retry_after=retry_after)
        _joins.clear()
        return dict(_flaky)

    @app.get("/control/joins")
    async def joins() -> list[dict[str, Any]]:
        return list(_joins)

    @app.get("/notgradio/", response_class=HTMLResponse)
    async def not_gradio() -> str:
        return "<html><body>Just a page.</body></html>"

    for path in ("app", "flaky", "busy", "garbage"):
        app = gr.mount_gradio_app(app, build_blocks(), path=f"/{path}")
    app = gr.mount_gradio_app(app, build_blocks(), path="/locked", auth=("ann", "pw"))
    return app


fastapi_app = build()
