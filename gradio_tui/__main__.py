"""``python -m gradio_tui`` runs the same entry point as ``gradio-tui``."""

from .cli import main

raise SystemExit(main())
