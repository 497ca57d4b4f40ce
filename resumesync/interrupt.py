"""Interrupting an apply: SIGTERM (what CI sends on cancel) handled like SIGINT.

Once interrupted, no new call starts; calls already in flight get a short grace period to
finish (their answers say whether they were applied); a call still in flight after it is
abandoned and reported as "may have been applied". A second signal ends the grace at once.

`Interrupt` is plain library state (the applier checks it); `signals_interrupt(interrupt)`
is what the command line wraps around an apply to connect SIGTERM and SIGINT to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import signal
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
DEFAULT_GRACE = 5.0  # seconds for the calls in flight once interrupted


class AbandonedInFlight(Exception):
    """A call was still in flight when the grace period ended: it may have been applied."""


class CallProbe:
    """One change's calls under an interrupt: the client asks `may_send()` before every HTTP
    attempt (a retry included), so that nothing is sent once interrupted, and `sent` says
    whether anything of the change went out (then it may have been applied)."""

    def __init__(self, interrupt: Interrupt) -> None:
        self._interrupt = interrupt
        self.sent = False

    def may_send(self) -> bool:
        if self._interrupt.requested:
            return False
        self.sent = True
        return True


# The probe of the change whose calls run in this task (set by Interrupt.guard; read by
# client.HHClient.request). A context variable: concurrent changes each see their own.
CURRENT_CALL: contextvars.ContextVar[CallProbe | None] = contextvars.ContextVar(
    "resumesync_current_call", default=None
)


class Interrupt:
    """Whether (and by which signal) an apply was asked to stop; thread- and signal-safe."""

    def __init__(
        self, grace: float = DEFAULT_GRACE, on_request: Callable[[str], None] | None = None
    ) -> None:
        self.grace = grace
        self.reason: str | None = None  # "SIGTERM", "SIGINT"
        self._hurry = False
        self._announced = False
        self._on_request = on_request
        # Reentrant: a signal handler runs in the main thread, possibly while it holds this.
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._now: asyncio.Event | None = None

    @property
    def requested(self) -> bool:
        return self.reason is not None

    def request(self, reason: str) -> None:
        """Stop starting calls (first request); end the grace period (any later one)."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
            else:
                self._hurry = True
            loop = self._loop
        # Nothing else here: this runs inside a signal handler. The loop does the rest.
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        if self.requested and not self._announced:
            self._announced = True
            if self._on_request is not None:
                self._on_request(self.reason or "")
        if self._stop is not None and self.requested:
            self._stop.set()
        if self._now is not None and self._hurry:
            self._now.set()

    def _events(self) -> tuple[asyncio.Event, asyncio.Event]:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._loop is not loop or self._stop is None or self._now is None:
                self._loop = loop
                self._stop, self._now = asyncio.Event(), asyncio.Event()
        self._wake()
        return self._stop, self._now

    async def guard(self, call: Awaitable[T], probe: CallProbe) -> T:
        """`call`'s result, its HTTP attempts checked by `probe`; if interrupted while it
        runs, it gets the grace period, then is cancelled and AbandonedInFlight raised."""
        stop, now = self._events()
        token = CURRENT_CALL.set(probe)
        try:
            task: asyncio.Future[T] = asyncio.ensure_future(call)  # copies the context
        finally:
            CURRENT_CALL.reset(token)
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not task.done():
                hurried = asyncio.ensure_future(now.wait())
                try:
                    await asyncio.wait(
                        {task, hurried}, timeout=self.grace, return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    hurried.cancel()
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise AbandonedInFlight
            return task.result()
        finally:
            stopped.cancel()
            if not task.done():  # we were cancelled ourselves
                task.cancel()


@contextlib.contextmanager
def signals_interrupt(interrupt: Interrupt) -> Iterator[None]:
    """SIGTERM and SIGINT request `interrupt` while inside (main thread only; elsewhere, and
    where a signal does not exist, nothing is installed). The previous handlers come back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}

    def handler(number: int, _frame: Any) -> None:
        interrupt.request(signal.Signals(number).name)

    for name in ("SIGTERM", "SIGINT"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
