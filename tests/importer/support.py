"""Helpers for the importer tests: a client for the sandbox, import and plan in one call."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from resumesync import files, pipeline
from resumesync.client import ClientSettings, HHClient
from resumesync.importer import ImportResult, import_account
from resumesync.model import Plan
from resumesync.sandbox import Account

TOKEN = "USERimportertests-secret-token-0000000000"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
TEAM_LEAD = "5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1b"
SYSADMIN = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"


def client(url: str) -> HHClient:
    return HHClient(ClientSettings(base_url=url, token=TOKEN, max_rps=None, backoff_base=0.001))


def import_into(
    url: str, directory: Path, *, force: bool = False, resume_ids: Sequence[str] = ()
) -> ImportResult:
    async def main() -> ImportResult:
        async with client(url) as api:
            return await import_account(api, directory, force=force, resume_ids=resume_ids)

    return asyncio.run(main())


def plan_for(url: str, directory: Path) -> Plan:
    """The plan of the repository at `directory` (loaded and validated as `plan` does)."""
    desired = files.load_repository(directory, {})

    async def main() -> Plan:
        async with client(url) as api:
            return (await pipeline.plan_async(desired, api)).plan

    return asyncio.run(main())


def put_resume(url: str, resume_id: str, body: dict[str, Any]) -> None:
    async def main() -> None:
        async with client(url) as api:
            await api.put_resume(resume_id, body)

    asyncio.run(main())


def example_with_artifacts() -> Account:
    """The example account plus an uploaded photo and a portfolio image."""
    data = Account.example().to_json()
    data["artifacts"] = {
        "1": {"type": "photo", "description": "", "size": 100, "created_at": 0.0},
        "2": {"type": "portfolio", "description": "Architecture", "size": 100, "created_at": 0.0},
    }
    data["next_artifact_id"] = 3
    return Account.from_json(data)


def account_with_titles(*titles: str) -> Account:
    """Resumes copied from the example backend resume, one per title, with empty lists."""
    data = Account.example().to_json()
    template = data["resumes"][BACKEND]
    data["resumes"] = {
        f"{index:038x}": {**template, "title": title} for index, title in enumerate(titles, 1)
    }
    data["resume_state"] = {}
    data["lists"] = {}
    return Account.from_json(data)


def resume_files(directory: Path) -> list[str]:
    return sorted(path.name for path in (directory / "resumes").iterdir())
