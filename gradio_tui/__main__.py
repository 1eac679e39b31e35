"""``python -m gradio_tui`` runs the same entry point as ``gradio-tui``.

``python -m`` puts the working directory first on ``sys.path``: in a folder
that holds a ``gradio/``, ``textual/`` or ``httpx/`` directory (the temp dir,
where Gradio writes, has one) those would shadow the real packages. Our own
package is already imported by now, so the working directory goes.
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from .cli import main

raise SystemExit(main())
