"""Issue 16, no work a run does not need: what the plan sends a resume (its PUT body, every
declared field normalized and compared) is worked out once for the preflight, not once by the
reads' gates, again when the resume is checked and again for the problems. At agency scale that
was a tenth of the plan's CPU. (The planner makes its own once more: it plans the change.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from resumesync import pipeline
from resumesync.client import ClientSettings, HHClient
from resumesync.model import DesiredResume
from resumesync.preflight import bodies
from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .support import TOKEN, copy_example, replace_in


def test_each_files_body_is_worked_out_once_for_the_preflight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_example(tmp_path / "repo")
    replace_in(repo / "resumes" / "backend.yaml", "title: ", "title: Edited ")  # one PUT
    made: Counter[str] = Counter()
    original = bodies.planned_body

    def counted(resume: DesiredResume, document: dict[str, Any], *args: Any) -> Any:
        made[resume.key] += 1
        return original(resume, document, *args)

    monkeypatch.setattr(bodies, "planned_body", counted)
    desired = pipeline.load(repo, {})

    async def plan(url: str) -> pipeline.PlanResult:
        settings = ClientSettings(base_url=url, token=TOKEN, max_rps=None)
        async with HHClient(settings) as client:
            return await pipeline.plan_async(desired, client, with_fingerprint=False)

    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        result = asyncio.run(plan(sandbox.url))
    assert any(change.resume == "backend" for change in result.plan.changes)
    managed = [resume.key for resume in desired.resumes if not resume.to_create]
    assert managed  # (a clone's PUT, against its source, is worked out apart: not counted)
    assert {key: made[key] for key in managed} == {key: 1 for key in managed}
