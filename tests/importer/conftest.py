"""Fixtures for the importer tests: a real sandbox on 127.0.0.1 with the example account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from resumesync.sandbox import SandboxConfig, running_sandbox

from .support import TOKEN, example_with_artifacts


@pytest.fixture
def sandbox() -> Iterator[Any]:
    with running_sandbox(SandboxConfig(accounts={TOKEN: example_with_artifacts()})) as server:
        yield server
