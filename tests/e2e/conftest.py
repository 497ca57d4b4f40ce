"""End-to-end fixtures: a real sandbox on 127.0.0.1 and a copy of examples/basic."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.sandbox import Account, SandboxConfig, running_sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "USERe2etesttoken0000000000000000000000000000000000000000000000000000"


@dataclass
class Harness:
    """Runs the CLI against one sandbox account from one repository directory."""

    sandbox: object
    repo: Path

    def run(
        self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> Result:
        command, rest = args[0], list(args[1:])
        connection = (
            []
            if command == "validate"
            else [
                "--api-url",
                self.sandbox.url,
                "--token",
                TOKEN,
                "--max-rps",
                "1000",
            ]
        )
        return CliRunner().invoke(
            cli,
            [command, "--dir", str(self.repo), *connection, *rest],
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None, **(env or {})},
            input=stdin,
            catch_exceptions=False,
        )

    def writes(self) -> list:
        return [r for r in self.sandbox.requests if r.method != "GET" and r.status < 300]

    def account(self) -> Account:
        return self.sandbox.account(TOKEN)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "basic", target)
    return target


@pytest.fixture
def harness(repo: Path) -> Iterator[Harness]:
    config = SandboxConfig(accounts={TOKEN: Account.example()})
    with running_sandbox(config) as sandbox:
        yield Harness(sandbox=sandbox, repo=repo)
