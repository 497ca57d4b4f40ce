"""Fixtures for the preflight tests: a copy of examples/basic and a sandbox on 127.0.0.1."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .support import TOKEN, Cli, copy_example


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "repo")


@pytest.fixture
def start(repo: Path) -> Iterator[Callable[[Account], Cli]]:
    """Starts a sandbox serving `account` (the sandbox keeps its own copy from then on)."""
    with contextlib.ExitStack() as stack:

        def started(account: Account) -> Cli:
            config = SandboxConfig(accounts={TOKEN: account})
            return Cli(sandbox=stack.enter_context(running_sandbox(config)), repo=repo)

        yield started


@pytest.fixture
def cli(start: Callable[[Account], Cli]) -> Cli:
    return start(Account.example())
