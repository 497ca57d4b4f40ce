"""Helpers for the client tests: a recording transport, a sleep stand-in, a client factory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from resumesync.client import ClientSettings, HHClient
from resumesync.sandbox import Account, SandboxConfig

TOKEN = "USERclienttests-secret-token"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@dataclass
class Exchange:
    method: str
    path: str  # with the query string
    status: int
    headers: httpx.Headers


@dataclass
class RecordingTransport(httpx.AsyncBaseTransport):
    """A real HTTP transport that also notes what went over the wire and how much at once.

    It measures the client from outside: how many requests were in flight together, and what
    the server answered (status, Retry-After), without replacing any of the client's logic.
    """

    inner: httpx.AsyncBaseTransport = field(default_factory=httpx.AsyncHTTPTransport)
    in_flight: int = 0
    max_in_flight: int = 0
    exchanges: list[Exchange] = field(default_factory=list)
    # ("start" | "end", method, path without the query), in the order they happened
    timeline: list[tuple[str, str, str]] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.timeline.append(("start", request.method, request.url.path))
        try:
            response = await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1
            self.timeline.append(("end", request.method, request.url.path))
        path = request.url.raw_path.decode()
        self.exchanges.append(
            Exchange(request.method, path, response.status_code, response.headers)
        )
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class SleepRecorder:
    """Stands in for asyncio.sleep: records each wait and yields without waiting."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)


def make_client(
    url: str,
    *,
    token: str = TOKEN,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Callable[[float], Coroutine[Any, Any, None]] | None = None,
    **overrides: Any,
) -> HHClient:
    """A client for tests: no rate limit and tiny backoff unless a test asks otherwise."""
    options: dict[str, Any] = {
        "base_url": url,
        "token": token,
        "max_rps": None,
        "backoff_base": 0.001,
        "backoff_cap": 0.01,
        **overrides,
    }
    return HHClient(ClientSettings(**options), transport=transport, sleep=sleep)


def example_config(**overrides: Any) -> SandboxConfig:
    return SandboxConfig(accounts={TOKEN: Account.example()}, **overrides)
