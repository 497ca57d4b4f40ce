"""Fixtures for the trust-boundary tests: the example repository, the sandbox, and a hostile
server on 127.0.0.1 that records what reaches it (above all, the Authorization header)."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.sandbox import Account, RunningSandbox, SandboxConfig, running_sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "USERtrusttoken-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
QUICK = ("--max-rps", "1000", "--retries", "0")


@dataclass
class Recorded:
    method: str
    path: str
    authorization: str | None


@dataclass
class HostileServer:
    """Answers every request with an empty resume list and remembers what it was sent."""

    port: int
    requests: list[Recorded] = field(default_factory=list)

    @property
    def tokens(self) -> set[str]:
        return {r.authorization or "" for r in self.requests}


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    recorder = HostileServer(port=0)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            recorder.requests.append(
                Recorded(self.command, self.path, self.headers.get("Authorization"))
            )
            body = json.dumps({"items": [], "found": 0, "pages": 1, "per_page": 100}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "basic", target)
    return target


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as running:
        yield running


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """The CLI with a clean environment: only what `env` sets (HH_TOKEN by default)."""
    base: dict[str, str | None] = {
        "NO_COLOR": "1",
        "HH_TOKEN": TOKEN,
        "HH_API_URL": None,
        "HH_CLIENT_SECRET": None,
        "HH_REFRESH_TOKEN": None,
    }
    return CliRunner().invoke(cli, list(args), env={**base, **(env or {})})


def writes(sandbox: RunningSandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests if r.method != "GET"]
