"""A sandbox with a registered application and a hand-moved clock, and a copy of
examples/basic to plan."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from resumesync.sandbox import (
    Account,
    Application,
    ManualClock,
    RunningSandbox,
    SandboxConfig,
    running_sandbox,
)

from .support import CLIENT_ID, CLIENT_SECRET, free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STATIC_TOKEN = "USERstaticauthtests00000000000000000000000000000000000000000000000"


@dataclass
class OAuthSandbox:
    sandbox: RunningSandbox
    clock: ManualClock
    redirect_uri: str

    @property
    def url(self) -> str:
        return self.sandbox.url

    def register(self, redirect_uri: str) -> None:
        """Saves another redirect URI in the application's settings."""
        applications = self.sandbox._server.state.oauth.applications
        applications[CLIENT_ID] = Application(CLIENT_SECRET, redirect_uri)

    def token_requests(self) -> list:
        return [
            r
            for r in self.sandbox.requests
            if r.method == "POST" and r.path in ("/token", "/oauth/token")
        ]

    def refresh_requests(self) -> list:
        return [r for r in self.token_requests() if r.body.get("grant_type") == "refresh_token"]


@pytest.fixture
def oauth() -> Iterator[OAuthSandbox]:
    clock = ManualClock()
    redirect_uri = f"http://127.0.0.1:{free_port()}/callback"
    config = SandboxConfig(
        accounts={STATIC_TOKEN: Account.example()},
        applications={CLIENT_ID: Application(CLIENT_SECRET, redirect_uri)},
        clock=clock,
    )
    with running_sandbox(config) as sandbox:
        yield OAuthSandbox(sandbox, clock, redirect_uri)
        assert sandbox.internal_errors == []


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "basic", target)
    return target
