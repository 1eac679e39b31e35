"""Screens of the terminal app.

Full screens (``ConnectScreen``, ``MainScreen``) and modals returning a
typed result (``OnceModal[T]``, see ``tui/once.py``): ``HelpScreen``, ``FilePickerScreen``,
``JumpScreen``, the Hub dialogs. New dialogs follow the same pattern: a module here, a
``OnceModal[ResultDataclass | None]``, opened with ``push_screen(..., callback)``
from an action that has a binding with an id.
"""
