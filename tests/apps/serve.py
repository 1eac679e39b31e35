"""Launch a test app: ``python serve.py <module> <port> [user:password]``.

Runs under whatever Python has the Gradio generation under test; prints
nothing the tests rely on (they poll ``/config``).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def poll_idle_queues_every(seconds: float) -> None:
    """Make every Gradio queue made from now on wait ``seconds`` between idle checks.

    Gradio 6 checks its queue every 1 ms while idle: 3-6 % of a core per queue
    (4.x and 5.x wait 50 ms). The suite keeps a dozen apps waiting, one of them
    mounting five, and that polling took ~80 of its ~490 CPU seconds, more on a
    busy machine, where the suite runs longer. Polled every 50 ms, as 4.x and
    5.x do, they pick a job up a little later and the suite is no slower: its
    time goes to waiting on the app, not on the queue.
    """
    from gradio import queueing

    init = queueing.Queue.__init__

    def patched(self: queueing.Queue, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)
        self.sleep_when_free = max(self.sleep_when_free, seconds)
        self.progress_update_sleep_when_free = max(self.progress_update_sleep_when_free, seconds)

    queueing.Queue.__init__ = patched  # type: ignore[method-assign]


def main() -> None:
    module, port = sys.argv[1], int(sys.argv[2])
    if os.environ.get("GRADIO_TUI_QUEUE_POLL"):
        poll_idle_queues_every(float(os.environ["GRADIO_TUI_QUEUE_POLL"]))
    auth = tuple(sys.argv[3].split(":", 1)) if len(sys.argv) > 3 and sys.argv[3] else None
    app = importlib.import_module(module)
    if hasattr(app, "fastapi_app"):
        import uvicorn

        uvicorn.run(app.fastapi_app, host="127.0.0.1", port=port, log_level="warning")
        return
    demo = app.demo
    major = int(__import__("gradio").__version__.split(".")[0])
    queue_params = inspect.signature(demo.queue).parameters
    if major < 4:
        demo.queue(concurrency_count=1, api_open=True)
    elif "default_concurrency_limit" in queue_params:
        demo.queue(default_concurrency_limit=getattr(app, "CONCURRENCY", 40))
    else:  # 4.0.x: the limit exists but is not a named parameter yet
        demo.queue()
    kwargs = {"server_name": "127.0.0.1", "server_port": port, "prevent_thread_lock": False}
    if auth:
        kwargs["auth"] = auth
    if major >= 4:
        kwargs["show_error"] = getattr(app, "SHOW_ERROR", False)
    if os.environ.get("GRADIO_TUI_MAX_FILE_SIZE") and major >= 4:
        kwargs["max_file_size"] = os.environ["GRADIO_TUI_MAX_FILE_SIZE"]
    demo.launch(**kwargs)


if __name__ == "__main__":
    main()
