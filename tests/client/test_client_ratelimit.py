"""The client-side rate limiter and the retry backoff, on a fake clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.ratelimit import RateLimiter, backoff_delay, parse_retry_after


class FakeTime:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_sequential_acquires_are_spaced_one_interval_apart() -> None:
    fake = FakeTime()
    limiter = RateLimiter(10.0, clock=fake.clock, sleep=fake.sleep)

    async def main() -> None:
        for _ in range(5):
            await limiter.acquire()

    asyncio.run(main())
    assert fake.sleeps == pytest.approx([0.1, 0.1, 0.1, 0.1])
    assert fake.now == pytest.approx(0.4)


def test_concurrent_tasks_share_one_schedule() -> None:
    """Tasks that start together get distinct slots: the limit is per client, not per task."""
    fake = FakeTime()
    limiter = RateLimiter(4.0, clock=fake.clock, sleep=lambda s: _record(fake, s))

    async def main() -> None:
        await asyncio.gather(*(limiter.acquire() for _ in range(6)))

    asyncio.run(main())
    # the clock never moved: every wait is measured from 0
    assert sorted(fake.sleeps) == pytest.approx([0.25, 0.5, 0.75, 1.0, 1.25])


async def _record(fake: FakeTime, seconds: float) -> None:
    fake.sleeps.append(seconds)


@pytest.mark.parametrize("rate", [None, 0.0, -1.0])
def test_no_rate_means_no_waiting(rate: float | None) -> None:
    fake = FakeTime()
    limiter = RateLimiter(rate, clock=fake.clock, sleep=fake.sleep)
    assert not limiter.limited
    assert [limiter.reserve() for _ in range(100)] == [0.0] * 100


def test_burst_refills_after_idle_time() -> None:
    fake = FakeTime()
    limiter = RateLimiter(2.0, burst=3, clock=fake.clock, sleep=fake.sleep)
    assert [limiter.reserve() for _ in range(4)] == pytest.approx([0.0, 0.0, 0.0, 0.5])
    fake.now = 100.0
    assert [limiter.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.reserve() > 0


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(min_value=0.5, max_value=200.0),
    burst=st.integers(min_value=1, max_value=5),
    gaps=st.lists(st.floats(min_value=0.0, max_value=2.0), min_size=1, max_size=40),
)
def test_never_more_than_burst_plus_rate_in_any_window(
    rate: float, burst: int, gaps: list[float]
) -> None:
    """GCRA's guarantee: releases i < j are at least (j - i - burst + 1) / rate apart."""
    fake = FakeTime()
    limiter = RateLimiter(rate, burst=burst, clock=fake.clock, sleep=fake.sleep)
    arrivals, releases = [], []
    for gap in gaps:  # callers arrive at arbitrary times
        fake.now += gap
        arrivals.append(fake.now)
        releases.append(fake.now + limiter.reserve())
    interval = 1.0 / rate
    for i in range(len(releases)):
        for j in range(i + 1, len(releases)):
            assert releases[j] - releases[i] >= (j - i - burst + 1) * interval - 1e-9
    assert releases[0] == arrivals[0]  # the first caller never waits
    if burst == 1:  # and nobody waits longer than the spacing requires
        for j in range(1, len(releases)):
            expected = max(arrivals[j], releases[j - 1] + interval)
            assert releases[j] == pytest.approx(expected)


def test_backoff_honours_retry_after_within_the_cap() -> None:
    assert backoff_delay(0, base=1.0, cap=30.0, retry_after=7.0) == 7.0
    assert backoff_delay(3, base=1.0, cap=30.0, retry_after=120.0) == 30.0
    assert backoff_delay(3, base=1.0, cap=30.0, retry_after=-5.0) == 0.0


def test_backoff_is_exponential_with_full_jitter() -> None:
    top = [backoff_delay(n, base=0.5, cap=30.0, rng=lambda: 1.0) for n in range(8)]
    assert top == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert backoff_delay(5, base=0.5, cap=30.0, rng=lambda: 0.0) == 0.0
    assert backoff_delay(2, base=0.5, cap=30.0, rng=lambda: 0.25) == 0.5


@settings(max_examples=100, deadline=None)
@given(
    attempt=st.integers(min_value=0, max_value=10_000),
    base=st.floats(min_value=0.0, max_value=10.0),
    cap=st.floats(min_value=0.0, max_value=120.0),
    draw=st.floats(min_value=0.0, max_value=1.0),
)
def test_backoff_stays_within_zero_and_the_cap(
    attempt: int, base: float, cap: float, draw: float
) -> None:
    delay = backoff_delay(attempt, base=base, cap=cap, rng=lambda: draw)
    assert 0.0 <= delay <= cap


def test_retry_after_in_seconds_and_as_a_date() -> None:
    now = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("5", now=now) == 5.0
    assert parse_retry_after(" 2.5 ", now=now) == 2.5
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now=now) == 90.0
    earlier = format_datetime(now - timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(earlier, now=now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "inf", "nan"])
def test_unusable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value) is None
