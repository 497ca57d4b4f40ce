"""Helpers for the preflight tests: the example repository, the CLI against a sandbox."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from resumesync.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "USERpreflighttests00000000000000000000000000000000000000000000000000"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
TEAM_LEAD = "5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1b"  # a draft: mandatory fields still empty

# `resumes/backend.yaml:4: title: ...`: how every problem starts.
PROBLEM_LINE = re.compile(r"^(resumes/[\w.-]+\.yaml|visibility\.yaml):(\d+): ")
SUMMARY = re.compile(r"^\d+ problems?(; nothing was written)?\.$")


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLES / "basic", target)
    return target


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} in {path}"
    path.write_text(text.replace(old, new))


@dataclass
class Cli:
    """Runs resumesync against one sandbox account from one repository directory."""

    sandbox: Any
    repo: Path

    def run(self, command: str, *args: str, catch: bool = False) -> Result:
        connection = ["--api-url", self.sandbox.url, "--token", TOKEN, "--max-rps", "1000"]
        return CliRunner().invoke(
            cli,
            [command, "--dir", str(self.repo), *connection, *args],
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
            catch_exceptions=catch,
        )

    def writes(self) -> list[Any]:
        """Every request that is not a read, whatever its answer."""
        return [request for request in self.sandbox.requests if request.method != "GET"]

    def conditions_reads(self) -> list[str]:
        return [
            r.path
            for r in self.sandbox.requests
            if r.path.startswith("/resumes/") and r.path.endswith("/conditions")
        ]
