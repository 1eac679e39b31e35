"""The script commands: ``info``, ``call``, ``batch``, ``locate``.

They print plain text or JSON and never start the terminal app (an
import-linter contract keeps Textual, Rich and ``gradio_tui.tui`` out of this
package). Each module defines ``add_arguments(parser)`` and ``run(args) -> int``
and imports nothing heavy until it runs, so ``--help`` stays fast;
``gradio_tui.cli.COMMANDS`` names them, one line each.
"""
