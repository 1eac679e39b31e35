"""The terminal app (Textual). Talks only to ``gradio_tui.client``."""
