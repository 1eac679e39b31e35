"""The terminal app (Textual). Talks only to ``gradio_tui.client`` and ``gradio_tui.store``.

Layout:

- ``app.py``: ``GradioTUI`` — the connection (an ``AsyncClient`` awaited on
  Textual's loop), the store, app-wide bindings, error routing.
- ``screens/``: ``ConnectScreen``, ``ConnectingScreen``, ``MainScreen`` and
  modals returning typed results (``OnceModal[T]``, ``once.py``: a dismiss
  acts once, whatever keys are still queued to the screen).
- ``widgets/``: grouped by screen area (``sidebar``, ``form/``, ``jobs``,
  ``result``, ``api_view``, ``header``).
- ``commands.py``: the command palette; every binding with an ``id`` is an
  entry, and ``GradioTUI.extra_commands`` lists the key-less ones.
- ``jobs_model.py``, ``render.py``, ``session.py``, ``messages.py``: plain
  Python the widgets share.

Adding a dialog (e.g. "Duplicate this Space"): an ``OnceModal[Result | None]``
module in ``screens/``, an action on the screen that opens it with
``push_screen(dialog, callback)``, and a ``Binding`` with an ``id`` (which also
puts it in the palette, the footer, F1 help and the user keymap).
"""
