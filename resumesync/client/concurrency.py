"""Running calls concurrently without leaving any behind: the first error cancels the
siblings, and a long range of calls is started only as workers become free."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def gather_or_cancel(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Like asyncio.gather, but the first error cancels (and awaits) the siblings."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def bounded_map(
    function: Callable[[int], Awaitable[T]], numbers: range, limit: int
) -> list[T]:
    """`function` over `numbers` with at most `limit` calls alive at a time, results in order;
    the first error cancels the rest. Nothing is created for a number until a worker takes it,
    so a huge range costs no memory."""
    results: dict[int, T] = {}
    queue = iter(numbers)

    async def worker() -> None:
        for number in queue:  # shared iterator: each number is taken once
            results[number] = await function(number)

    await gather_or_cancel(worker() for _ in range(max(1, min(limit, len(numbers)))))
    return [results[number] for number in numbers]
