"""The first read of a run leads the others: reads started beside it retry only once it is in.

`GET /resumes/mine` is what tells a bad token or a dead server: when it fails, that one error
is the run's answer. The reads that do not depend on it (the files name the resume ids) need
not wait for it, though: a first round of them goes out with it (live/state.py), and only their
retries wait for it. When it failed they give up at once, so an outage costs one attempt of
each of that round's reads, never a retry per read (no flood of "retrying" lines); when it
succeeded they retry as any read does.

The client asks `may_retry()` before every retry (a context variable: a task and the tasks it
starts see the lead that `Lead.beside` set for them; other reads see none).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

_LEAD: contextvars.ContextVar[Lead | None] = contextvars.ContextVar("resumesync_lead", default=None)


async def may_retry() -> bool:
    """Whether a failed attempt of this task may be retried: no lead, or a lead that is in."""
    lead = _LEAD.get()
    return lead is None or await lead.succeeded()


class Lead:
    """One leading read (a task from the moment it is made) and the reads that follow it."""

    def __init__(self, first: Awaitable[T]) -> None:
        self.task: asyncio.Future[T] = asyncio.ensure_future(first)

    async def succeeded(self) -> bool:
        """Waits for the lead (never cancelling it) and says whether it succeeded."""
        await asyncio.wait([self.task])
        return not self.task.cancelled() and self.task.exception() is None

    async def beside(self, read: Callable[[], Awaitable[T]]) -> T:
        """`read()` at once; its retries (and those of the tasks it starts) wait for the lead,
        and so does its error: when the lead failed too, the lead's error is the one raised."""
        token = _LEAD.set(self)  # the tasks `read()` starts copy it
        try:
            return await read()
        except Exception:
            if not await self.succeeded():
                return await self.task  # raises the lead's error
            raise
        finally:
            _LEAD.reset(token)

    async def after(self, read: Callable[[], Awaitable[T]]) -> T:
        """`read()` once the lead succeeded; the lead's error when it failed."""
        if not await self.succeeded():
            return await self.task  # raises the lead's error (or its cancellation)
        return await read()
