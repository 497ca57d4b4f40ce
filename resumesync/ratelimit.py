"""When the next request may go: the client-side rate limit and the wait before a retry.

Pure timing logic with an injectable clock and sleep, so it is tested without real time.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# 2**62 is far beyond any cap; a larger exponent would overflow a float.
_MAX_EXPONENT = 62


class RateLimiter:
    """At most `rate` requests per second, shared by every task that holds this limiter.

    A generic cell rate algorithm: each caller books the next free slot synchronously (no await
    between reading and writing the schedule, so concurrent tasks on one event loop never book
    the same slot), then sleeps until its slot. Slots are `1 / rate` apart; `burst` slots may be
    taken at once after an idle period. `rate` of None or <= 0 means no limit.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        burst: int = 1,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._interval = 1.0 / rate if rate is not None and rate > 0 else 0.0
        self._burst = max(1, burst)
        self._clock = clock
        self._sleep = sleep
        self._theoretical_arrival = -math.inf

    @property
    def limited(self) -> bool:
        return self._interval > 0

    def reserve(self) -> float:
        """Book the next slot; return how many seconds the caller must wait for it."""
        if not self.limited:
            return 0.0
        now = self._clock()
        arrival = max(self._theoretical_arrival, now)
        wait = max(0.0, arrival - (self._burst - 1) * self._interval - now)
        self._theoretical_arrival = arrival + self._interval
        return wait

    async def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            await self._sleep(wait)


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `attempt` (0 for the first retry).

    The server's `Retry-After` wins when it gave one; otherwise exponential backoff with full
    jitter (uniform in [0, base * 2**attempt]). Never more than `cap` either way.
    """
    if retry_after is not None:
        return min(max(retry_after, 0.0), cap)
    ceiling = min(cap, base * 2 ** min(max(attempt, 0), _MAX_EXPONENT))
    return max(0.0, rng() * ceiling)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """A `Retry-After` header as seconds: either delta-seconds or an HTTP date; None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max((when - current).total_seconds(), 0.0)
