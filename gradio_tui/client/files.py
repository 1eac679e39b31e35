"""Files in and out (filled in by the files issue); values pass through for now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .endpoints import Endpoint
    from .protocols import Session


class FileCodec:
    """Turns user values into wire values and back, for one client."""

    def __init__(self, session: Session, output_dir: Path, *, enabled: bool) -> None:
        self.session = session
        self.output_dir = output_dir
        self.enabled = enabled

    def check_inputs(self, endpoint: Endpoint, values: list[Any]) -> None:
        """Refuse bad file arguments before anything is sent."""

    async def prepare_inputs(self, endpoint: Endpoint, values: list[Any]) -> list[Any]:
        return values

    async def postprocess(self, endpoint: Endpoint, data: list[Any]) -> Any:
        return endpoint.user_outputs(data)


def handle_file(filepath_or_url: str | Path) -> dict[str, Any]:
    """Mark a local path or URL as a file to send (the reference's ``handle_file``)."""
    s = str(filepath_or_url)
    if s.startswith(("http://", "https://")):
        name = s.rstrip("/").split("/")[-1].split("?")[0] or "file"
        return {"path": s, "url": s, "orig_name": name, "meta": {"_type": "gradio.FileData"}}
    if Path(s).exists():
        return {"path": s, "orig_name": Path(s).name, "meta": {"_type": "gradio.FileData"}}
    raise ValueError(f"File {s} does not exist on local filesystem and is not a valid URL.")


file = handle_file
