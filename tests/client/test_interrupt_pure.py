"""interrupt.Interrupt without HTTP: the grace period, abandoning, and the probe."""

from __future__ import annotations

import asyncio

import pytest

from resumesync.interrupt import AbandonedInFlight, CallProbe, Interrupt


def test_calls_in_flight_finish_within_the_grace() -> None:
    async def main() -> list[int]:
        interrupt = Interrupt(grace=30)
        gate = asyncio.Event()

        async def call() -> int:
            await gate.wait()
            return 1

        async def one() -> int:
            return await interrupt.guard(call(), CallProbe(interrupt))

        both = asyncio.ensure_future(asyncio.gather(one(), one()))
        await asyncio.sleep(0)
        interrupt.request("SIGTERM")
        await asyncio.sleep(0)
        gate.set()
        return await both

    assert asyncio.run(main()) == [1, 1]


def test_a_second_request_abandons_the_calls_at_once() -> None:
    async def main() -> None:
        interrupt = Interrupt(grace=600)
        never = asyncio.Event()
        guarded = asyncio.ensure_future(interrupt.guard(never.wait(), CallProbe(interrupt)))
        await asyncio.sleep(0)
        interrupt.request("SIGTERM")
        await asyncio.sleep(0)
        interrupt.request("SIGTERM")
        with pytest.raises(AbandonedInFlight):
            await guarded

    asyncio.run(main())


def test_the_probe_refuses_to_send_once_interrupted() -> None:
    interrupt = Interrupt()
    probe = CallProbe(interrupt)
    assert probe.may_send() and probe.sent
    interrupt.request("SIGINT")
    late = CallProbe(interrupt)
    assert not late.may_send() and not late.sent
    assert interrupt.reason == "SIGINT"
