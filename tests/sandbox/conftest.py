"""Fixtures for the sandbox's own tests: a sandbox on loopback with a hand-moved clock, and
an httpx client that talks to it the way a real client must (token + HH-User-Agent)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from resumesync.sandbox import Account, ManualClock, RunningSandbox, SandboxConfig
from resumesync.sandbox import running_sandbox as start_sandbox

from .support import TOKEN, make_client


@pytest.fixture(scope="session")
def example_account() -> Account:
    return Account.example()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def start(example_account: Account, clock: ManualClock) -> Iterator[Callable[..., Any]]:
    """start(**config) -> (sandbox, client); every sandbox is stopped and checked after."""
    started: list[tuple[RunningSandbox, httpx.Client, Any]] = []

    def run(**config: Any) -> tuple[RunningSandbox, httpx.Client]:
        config.setdefault("accounts", {TOKEN: example_account.copy()})
        config.setdefault("clock", clock)
        manager = start_sandbox(SandboxConfig(**config))
        sandbox = manager.__enter__()
        client = make_client(sandbox.url, token=next(iter(config["accounts"]), TOKEN))
        started.append((sandbox, client, manager))
        return sandbox, client

    yield run
    for sandbox, client, manager in reversed(started):
        client.close()
        errors = sandbox.internal_errors
        manager.__exit__(None, None, None)
        assert errors == [], "the sandbox hit a bug:\n" + "\n".join(errors)


@pytest.fixture
def running(start: Callable[..., Any]) -> tuple[RunningSandbox, httpx.Client]:
    return start()


@pytest.fixture
def sandbox(running: tuple[RunningSandbox, httpx.Client]) -> RunningSandbox:
    return running[0]


@pytest.fixture
def client(running: tuple[RunningSandbox, httpx.Client]) -> httpx.Client:
    return running[1]
