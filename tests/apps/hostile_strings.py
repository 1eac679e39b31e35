"""The hostile app's payloads, without Gradio: the tests import these, not the app.

Importing the app itself would build its Blocks in the test process (Gradio
makes an event loop there, never closed) just to read a marker.
"""

from __future__ import annotations

ESC, BEL = "\x1b", "\x07"
PREFIX = "ZQ"
CLIPBOARD = "cm0gLXJmIH4gIyBpbmplY3RlZA=="  # base64 of "rm -rf ~ # injected"
EVIL_HOST = "evil.invalid"
LONG = 10_000


def evil(tag: str) -> str:
    """The payload for one place, marked ``ZQ<tag>`` throughout."""
    m = PREFIX + tag
    return (
        f"[b]{m}[/b] [@click=app.quit]{m}-click[/] [link=http://{EVIL_HOST}/{m}]{m}-link[/link] "
        f"{ESC}]0;TITLE-{m}{BEL}{ESC}]52;c;{CLIPBOARD}{BEL}{ESC}[2J{m}-clear "
        f"{ESC}]8;;http://{EVIL_HOST}/{m}{ESC}\\{m}-osc8{ESC}]8;;{ESC}\\ "
        f"\u202e{m}-bidi\u202c {m}\x9b31m [/] [bold red"
    )


def long(tag: str) -> str:
    """A 10,000-character string, with markup at both ends."""
    m = PREFIX + tag
    head = f"[b]{m}[/b] "
    return head + ("x" * (LONG - len(head) - len(m) - 4)) + f" [/]{m}"
