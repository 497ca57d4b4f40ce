"""Work a run does not need is not done: one TLS context per run, no failed import per
request, no fingerprint for a plan that is not saved, no pacing of the in-process sandbox."""

from __future__ import annotations

import importlib.abc
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from resumesync import pipeline
from resumesync.cli import Console, accounts
from resumesync.client import ClientSettings, HHClient
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
TOKEN = "USERperftests-token"


class _Lookups(importlib.abc.MetaPathFinder):
    """Records every module name the import system searches for (a failed import searches)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        self.names.append(fullname)
        return None


def test_requests_after_the_first_search_for_no_module() -> None:
    """httpcore imports sniffio on every lock and event; missing, each is a search of
    sys.path (0.2-1 ms of CPU a request). Installed, it is found in sys.modules."""
    import asyncio

    config = SandboxConfig(accounts={TOKEN: Account.example()})
    with running_sandbox(config) as sandbox:
        settings = ClientSettings(base_url=sandbox.url, token=TOKEN, max_rps=None)

        async def main() -> list[str]:
            async with HHClient(settings) as client:
                await client.get_mine()  # first request: imports anyio's backend and so on
                lookups = _Lookups()
                sys.meta_path.insert(0, lookups)
                try:
                    for _ in range(5):
                        await client.get_mine()
                finally:
                    sys.meta_path.remove(lookups)
                return lookups.names

        searched = asyncio.run(main())
    assert searched == []


def test_https_clients_of_a_session_share_one_tls_context(tmp_path: Path) -> None:
    """Opening a client does no I/O; loading certifi's CA bundle costs 20-60 ms per context."""
    first = Settings(directory=tmp_path, token="a", api_url="https://api.hh.ru")
    second = Settings(directory=tmp_path, token="b", api_url="https://api.hh.ru")
    with pipeline.Session() as session:
        one, two = session.client(first), session.client(second)
        assert one is not two
        assert one.ssl_context is not None
        assert one.ssl_context is two.ssl_context
    with pipeline.Session() as other:
        assert other.client(first).ssl_context is not one.ssl_context  # per run, not global


def test_a_plan_that_is_not_saved_has_no_fingerprint(tmp_path: Path) -> None:
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "repo"))
    desired = pipeline.load(repo, {})
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        settings = Settings(directory=repo, token=TOKEN, api_url=sandbox.url, max_rps=1000.0)
        with pipeline.Session() as session:
            (unsaved,) = session.plan([(desired, settings)], with_fingerprint=False)
            (saved,) = session.plan([(desired, settings)])
    assert not isinstance(unsaved, Exception) and not isinstance(saved, Exception)
    assert unsaved.plan.fingerprint == ""
    assert saved.plan.fingerprint.startswith("sha256:")
    assert unsaved.plan.changes == saved.plan.changes


def _connection(repo: Path, **options: Any) -> dict[str, Any]:
    return {
        "directory": repo,
        "token": None,
        "api_url": None,
        "user_agent": None,
        "parallelism": None,
        "max_rps": None,
        "timeout": None,
        "connect_timeout": None,
        "retries": None,
        "retry_wait": None,
        "profile": (),
        "sandbox": True,
        **options,
    }


def test_the_in_process_sandbox_is_not_paced_unless_asked(tmp_path: Path) -> None:
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "repo"))
    console = Console(env={})
    with accounts(console, _connection(repo)) as (target,):
        assert target.settings.max_rps == 0  # no limit: it is not hh.ru
        assert target.settings.api_url.startswith("http://127.0.0.1:")
    with accounts(console, _connection(repo, max_rps=3.0)) as (target,):
        assert target.settings.max_rps == 3.0
