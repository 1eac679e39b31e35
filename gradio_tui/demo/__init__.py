"""The bundled demo: a small local Gradio app for ``gradio-tui --demo``.

``app.py`` is the Gradio app (needs the ``demo`` extra, i.e. gradio);
``server.py`` starts it in a child process on a free 127.0.0.1 port and
stops it by PID. Nothing here reaches the internet.
"""
