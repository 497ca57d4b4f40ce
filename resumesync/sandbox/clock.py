"""Time as the API shows it, and a clock that tests can move by hand.

hh.ru writes times in Moscow time with a colon-less offset ("2015-02-06T12:00:00+0300").
The sandbox keeps every moment as a Unix timestamp, so a state file saved today still
behaves sensibly when it is loaded tomorrow.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

Clock = Callable[[], float]

MOSCOW = dt.timezone(dt.timedelta(hours=3))


def api_time(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, MOSCOW).strftime("%Y-%m-%dT%H:%M:%S%z")


def api_date(timestamp: float) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp, MOSCOW).date()


def timestamp_of(text: str) -> float:
    """The inverse of api_time (also accepts ISO dates and "+03:00" offsets)."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MOSCOW)
    return moment.timestamp()


class ManualClock:
    """A clock for tests: stands still until advanced, so publish intervals need no sleeping."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T03:00+03:00
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def set(self, timestamp: float) -> None:
        with self._lock:
            self._now = timestamp
