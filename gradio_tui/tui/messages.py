"""Messages the terminal app's workers and widgets post to each other.

Handlers update widgets; workers only post. ``JobUpdated`` can replace an
older copy of itself still in the queue, so a burst of status updates for one
job collapses to the latest (the jobs panel also coalesces on a timer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ..client.core import AsyncClient
    from ..client.endpoints import Endpoint
    from .jobs_model import JobRecord
    from .session import ConnectRequest


class Connected(Message):
    """A connection worker finished: ``client`` is ready to use.

    ``again`` marks a reconnect (F7, or automatic once the app is back): the
    main screen keeps its jobs, results and forms if it shows the same app.
    """

    def __init__(self, client: AsyncClient, request: ConnectRequest, again: bool = False) -> None:
        super().__init__()
        self.client = client
        self.request = request
        self.again = again


class ConnectFailed(Message):
    """A connection attempt failed; ``error`` is the typed client error."""

    def __init__(self, error: BaseException, request: ConnectRequest, again: bool = False) -> None:
        super().__init__()
        self.error = error
        self.request = request
        self.again = again


class ConnectionBack(Message):
    """The app answers again on the same connection (it never really went away)."""


class EndpointSelected(Message):
    """The user picked an endpoint in the sidebar or the palette."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__()
        self.endpoint = endpoint


class JobSubmitted(Message):
    """A form was sent; the job is running."""

    def __init__(self, record: JobRecord) -> None:
        super().__init__()
        self.record = record


class JobUpdated(Message, bubble=False):
    """A job has news (status, progress, output, log) since the last repaint."""

    def __init__(self, record: JobRecord) -> None:
        super().__init__()
        self.record = record

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JobUpdated) and message.record is self.record


class JobFinished(Message):
    """A job ended: finished, failed or cancelled (see ``record.outcome``)."""

    def __init__(self, record: JobRecord) -> None:
        super().__init__()
        self.record = record
