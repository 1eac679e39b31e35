"""One action on many Spaces: bounded, concurrent, one honest result per Space.

A bulk run never stops at the first failure: each Space ends ``done`` or
``failed`` (with the Hub's reason, already in the typed error's message), or
``cancelled`` when the run was stopped before that Space's request had an
answer. The caller sees each result as it comes (``on_outcome``), so a
terminal can show progress per Space, and gets the full :class:`BulkReport`
at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

OutcomeState = Literal["pending", "running", "done", "failed", "cancelled"]
DEFAULT_CONCURRENCY = 8
"""Requests in flight at once: enough to finish 100 Spaces in seconds, few enough that the
Hub's rate limit is rarely met."""


@dataclass(frozen=True)
class Outcome:
    """Where one Space is in a bulk run."""

    space_id: str
    state: OutcomeState
    message: str = ""
    """What happened, in words: the Hub's reason for a failure, a note for a success."""
    error: BaseException | None = field(default=None, compare=False, repr=False)
    result: Any = field(default=None, compare=False, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled")


@dataclass(frozen=True)
class BulkReport:
    """Every Space's outcome, in the order the Spaces were given."""

    action: str
    outcomes: list[Outcome]

    @property
    def done(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "done"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    @property
    def cancelled(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "cancelled"]

    @property
    def ok(self) -> bool:
        return all(o.state == "done" for o in self.outcomes)

    def summary(self) -> str:
        """``"restart: 17 done, 3 failed"``: counts only, never a Space's data."""
        parts = [f"{len(self.done)} done"]
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.cancelled:
            parts.append(f"{len(self.cancelled)} cancelled")
        return f"{self.action}: {', '.join(parts)}"


class BulkRun:
    """A bulk action in progress; ``await run.wait()`` for the report, ``run.cancel()`` to stop.

    Spaces not started when the run is cancelled end ``cancelled`` without a
    request; a Space whose request is in flight ends ``cancelled`` with a note
    that the Hub may still carry it out (a request on the wire cannot be
    taken back).
    """

    def __init__(
        self,
        action: str,
        space_ids: Iterable[str],
        act: Callable[[str], Awaitable[Any]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_outcome: Callable[[Outcome], None] | None = None,
        describe: Callable[[str, Any], str] | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency!r}.")
        self.action = action
        self.space_ids = list(dict.fromkeys(space_ids))  # each Space once, in order
        self._act = act
        self._limit = asyncio.Semaphore(concurrency)
        self._on_outcome = on_outcome
        self._describe = describe
        self.outcomes: dict[str, Outcome] = {sid: Outcome(sid, "pending") for sid in self.space_ids}
        self._tasks = [asyncio.ensure_future(self._one(sid)) for sid in self.space_ids]
        self._all = asyncio.gather(*self._tasks, return_exceptions=True)

    def _set(self, outcome: Outcome) -> None:
        self.outcomes[outcome.space_id] = outcome
        if self._on_outcome is not None:
            try:
                self._on_outcome(outcome)
            except Exception:
                pass  # a progress display's bug must not change the Hub's results

    async def _one(self, space_id: str) -> None:
        started = False
        try:
            async with self._limit:
                started = True
                self._set(Outcome(space_id, "running"))
                result = await self._act(space_id)
        except asyncio.CancelledError:
            note = (
                "stopped before the Hub answered; the Hub may still carry it out"
                if started
                else "not started"
            )
            self._set(Outcome(space_id, "cancelled", note))
            return
        except Exception as exc:
            self._set(Outcome(space_id, "failed", str(exc) or type(exc).__name__, error=exc))
            return
        message = self._describe(space_id, result) if self._describe else ""
        self._set(Outcome(space_id, "done", message, result=result))

    def cancel(self) -> None:
        """Stop: Spaces not finished yet end ``cancelled``; finished ones keep their result."""
        for task in self._tasks:
            task.cancel()

    @property
    def finished(self) -> bool:
        return self._all.done()

    async def wait(self) -> BulkReport:
        # Shielded: cancelling the waiter (say, a closed screen's worker) is not
        # cancelling the run; call cancel() for that.
        await asyncio.shield(self._all)
        return self.report()

    def report(self) -> BulkReport:
        return BulkReport(self.action, [self.outcomes[sid] for sid in self.space_ids])


async def run_bulk(
    action: str,
    space_ids: Iterable[str],
    act: Callable[[str], Awaitable[Any]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BulkReport:
    """Run ``act`` on every Space (at most ``concurrency`` at once) and report each.

    Cancelling the awaiting task cancels the run: unfinished Spaces end ``cancelled``.
    """
    run = BulkRun(action, space_ids, act, concurrency=concurrency, on_outcome=on_outcome)
    try:
        return await run.wait()
    except asyncio.CancelledError:
        run.cancel()
        await asyncio.gather(*run._tasks, return_exceptions=True)
        raise
