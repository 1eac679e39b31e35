"""The bundled demo app (``gradio_tui/demo/app.py``), served for the TUI tests.

It has one endpoint per kind of form field (Number, Slider, Radio, Dropdown,
CheckboxGroup, Checkbox, Textbox, password Textbox, JSON, Dataframe, File),
so the form tests cover every widget against a real server.
"""

from __future__ import annotations

from gradio_tui.demo.app import build

demo = build()
