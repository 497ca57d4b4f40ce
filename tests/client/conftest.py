"""Fixtures for the client tests: a real sandbox on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from resumesync.sandbox import running_sandbox

from .support import example_config


@pytest.fixture
def sandbox() -> Iterator[Any]:
    with running_sandbox(example_config()) as server:
        yield server
