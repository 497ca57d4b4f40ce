"""pipeline.Session against the sandbox: one client per account from the plan to the apply."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from resumesync import pipeline
from resumesync.problems import ProblemsError
from resumesync.sandbox import Account, running_sandbox
from resumesync.settings import Settings

from .support import TOKEN, example_config

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "repo"))


def settings_for(repo: Path, url: str, token: str | None = TOKEN) -> Settings:
    return Settings(directory=repo, token=token, api_url=url, max_rps=1000.0)


def test_a_session_plans_and_applies_with_one_client_and_no_second_read(repo: Path) -> None:
    desired = pipeline.load(repo, {})
    with running_sandbox(example_config()) as server:
        settings = settings_for(repo, server.url)
        with pipeline.Session() as session:
            (planned,) = session.plan([(desired, settings)])
            assert not isinstance(planned, Exception)
            reads = len(server.requests)
            (applied,) = session.apply([(planned.plan, desired, settings)])
            client = session.client(settings)
        log = server.requests
        (created,) = set(server.account().resumes) - set(Account.example().resumes)
    assert not isinstance(applied, Exception) and applied.ok
    # the plan read, the apply only wrote: one call per change, nothing read again
    assert all(entry.method == "GET" for entry in log[:reads])
    assert sorted((entry.method, entry.path) for entry in log[reads:]) == sorted(
        # the changes of data-analyst, a resume to create, name its id once it is created
        (change.method, change.path.split("?")[0].replace("new%3Adata-analyst", created))
        for change in planned.plan.changes
    )
    # and every call of both went through the one client, which the session closed
    assert client.request_count == len(log)
    assert not client.is_open


def test_one_accounts_failure_is_returned_in_its_place(repo: Path) -> None:
    desired = pipeline.load(repo, {})
    with running_sandbox(example_config()) as server:
        good = settings_for(repo, server.url)
        tokenless = settings_for(repo, server.url, token=None)
        with pipeline.Session() as session:
            first, second = session.plan([(desired, tokenless), (desired, good)])
    assert isinstance(first, ProblemsError) and "no token" in str(first)
    assert not isinstance(second, Exception) and second.plan.has_changes


def test_a_closed_session_refuses_work(repo: Path) -> None:
    session = pipeline.Session()
    settings = settings_for(repo, "http://127.0.0.1:9")
    with pytest.raises(RuntimeError, match="not open"):
        session.plan([(pipeline.load(repo, {}), settings)])
    with session:
        pass
    with pytest.raises(RuntimeError, match="not open"):
        session.client(settings)


def test_a_session_never_formats_the_plans(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """asyncio.Runner formats its main task (and so its result) when it restores the SIGINT
    handler: the session's main task must not hold the plans, whose repr is megabytes."""
    formatted: list[str] = []

    def counting_repr(self: object) -> str:
        formatted.append(type(self).__name__)
        return "PlanResult(...)"

    monkeypatch.setattr(pipeline.PlanResult, "__repr__", counting_repr)
    desired = pipeline.load(repo, {})
    with running_sandbox(example_config()) as server, pipeline.Session() as session:
        (planned,) = session.plan([(desired, settings_for(repo, server.url))])
    assert not isinstance(planned, Exception) and planned.plan.has_changes
    assert repr(planned) == "PlanResult(...)" and formatted == ["PlanResult"]
