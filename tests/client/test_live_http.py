"""read_live_state against the sandbox: everything read once, concurrently; unknown ids."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from resumesync.live import read_live_state
from resumesync.model import DesiredList, DesiredResume, DesiredState, ListKind, LiveState
from resumesync.problems import ProblemsError
from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .support import BACKEND, DATA_ENGINEER, TOKEN, RecordingTransport, make_client, run


def resume(key: str, resume_id: str, *kinds: ListKind) -> DesiredResume:
    return DesiredResume(
        key=key,
        resume_id=resume_id,
        file=f"resumes/{key}.yaml",
        lists={kind: DesiredList(kind=kind, employers=("1455",), exact=True) for kind in kinds},
    )


def read(url: str, *resumes: DesiredResume, conditions: bool = False, **settings: Any) -> LiveState:
    async def main() -> LiveState:
        async with make_client(url, **settings) as client:
            desired = DesiredState(root=".", resumes=list(resumes))
            return await read_live_state(desired, client, sent=written if conditions else None)

    def written(resume: DesiredResume, document: dict[str, Any]) -> dict[str, Any]:
        return {"title": "A new title"}  # every resume gets a PUT: its conditions are read

    return run(main())


def test_reads_each_resource_once(sandbox: Any) -> None:
    live = read(
        sandbox.url,
        resume("backend", BACKEND, "blacklist"),
        resume("data-engineer", DATA_ENGINEER, "whitelist", "blacklist"),
    )
    calls = Counter((r.method, r.path, tuple(r.query.get("page", []))) for r in sandbox.requests)
    assert calls == Counter(
        {
            ("GET", "/resumes/mine", ("0",)): 1,
            ("GET", f"/resumes/{BACKEND}", ()): 1,
            ("GET", f"/resumes/{BACKEND}/blacklist", ("0",)): 1,
            ("GET", f"/resumes/{DATA_ENGINEER}", ()): 1,
            ("GET", f"/resumes/{DATA_ENGINEER}/whitelist", ("0",)): 1,
            ("GET", f"/resumes/{DATA_ENGINEER}/blacklist", ("0",)): 1,
        }
    )
    account = sandbox.account().to_json()
    assert live.api_url == sandbox.url
    assert [summary.resume_id for summary in live.account] == list(account["resumes"])
    assert set(live.resumes) == {BACKEND, DATA_ENGINEER}
    backend, data_engineer = live.resumes[BACKEND], live.resumes[DATA_ENGINEER]
    assert (
        backend.document["id"] == BACKEND and backend.title == account["resumes"][BACKEND]["title"]
    )
    assert set(backend.lists) == {"blacklist"}  # only the declared lists are read
    assert list(data_engineer.lists["whitelist"].employers) == ["1740", "4181"]
    assert data_engineer.lists["whitelist"].limit == 2000
    assert data_engineer.lists["whitelist"].can_add == 1998
    assert data_engineer.lists["blacklist"].employers == {}
    assert backend.conditions is None  # not asked for: not read


def test_conditions_are_read_once_per_resume_with_the_resume() -> None:
    config = SandboxConfig(accounts={TOKEN: Account.example()}, latency=0.02)
    with running_sandbox(config) as server:
        transport = RecordingTransport()
        live = read(
            server.url,
            resume("backend", BACKEND, "blacklist"),
            resume("backend-copy", BACKEND),
            resume("data-engineer", DATA_ENGINEER, "whitelist"),
            conditions=True,
            transport=transport,
        )
        paths = Counter(r.path for r in server.requests)
    assert paths[f"/resumes/{BACKEND}/conditions"] == 1
    assert paths[f"/resumes/{DATA_ENGINEER}/conditions"] == 1
    assert len(transport.exchanges) == 7  # mine, 2 resumes, 2 conditions, 2 list pages
    # /resumes/mine first (issue 12 §7: when it fails, nothing else starts); then the
    # resumes and lists, and each resume's conditions once its document says it is written:
    # the chain is mine -> resume -> conditions, beside the lists
    assert transport.max_in_flight >= 4
    conditions = live.resumes[BACKEND].conditions
    assert conditions is not None and conditions["title"]["max_length"] == 100
    assert live.resumes[DATA_ENGINEER].conditions == conditions


def test_no_conditions_for_a_resume_the_plan_does_not_write(sandbox: Any) -> None:
    async def main() -> LiveState:
        async with make_client(sandbox.url) as client:
            desired = DesiredState(root=".", resumes=[resume("backend", BACKEND, "blacklist")])
            return await read_live_state(desired, client, sent=lambda resume, document: {})

    live = run(main())
    assert live.resumes[BACKEND].conditions is None
    assert [r.path for r in sandbox.requests if r.path.endswith("/conditions")] == []


def test_two_files_with_one_id_read_it_once(sandbox: Any) -> None:
    live = read(
        sandbox.url,
        resume("backend", BACKEND, "blacklist"),
        resume("backend-copy", BACKEND, "whitelist"),
    )
    paths = Counter(r.path for r in sandbox.requests)
    assert paths[f"/resumes/{BACKEND}"] == 1
    assert set(live.resumes[BACKEND].lists) == {"blacklist", "whitelist"}


def test_a_long_list_is_the_only_chain() -> None:
    data = Account.example().to_json()
    data["lists"][BACKEND]["blacklist"] = [str(10_000 + n) for n in range(250)]
    config = SandboxConfig(accounts={TOKEN: Account.from_json(data)}, latency=0.02)
    with running_sandbox(config) as server:
        transport = RecordingTransport()
        live = read(
            server.url,
            resume("backend", BACKEND, "blacklist"),
            resume("data-engineer", DATA_ENGINEER, "whitelist"),
            transport=transport,
        )
        pages = sorted(r.query["page"][0] for r in server.requests if r.path.endswith("/blacklist"))
    assert pages == ["0", "1", "2"]
    assert len(live.resumes[BACKEND].lists["blacklist"].employers) == 250
    assert len(transport.exchanges) == 7  # mine, 2 resumes, 3 + 1 list pages
    # after mine, both resumes and both first list pages were all in flight together
    assert transport.max_in_flight >= 4


def test_ids_not_in_the_account_are_all_reported_against_their_files(sandbox: Any) -> None:
    stranger, other = "0" * 38, "f" * 38
    with pytest.raises(ProblemsError) as caught:
        read(
            sandbox.url,
            resume("backend", BACKEND, "blacklist"),
            resume("gone", stranger, "blacklist"),
            resume("lost", other),
        )
    assert [str(problem) for problem in caught.value.problems] == [
        f"resumes/gone.yaml:1: id: resume {stranger} is not in this account",
        f"resumes/lost.yaml:1: id: resume {other} is not in this account",
    ]


def test_an_other_accounts_resume_is_not_in_this_account() -> None:
    """Two accounts on one server: each sees only its own resumes."""
    mine_only = Account.from_json({"resumes": {}})
    config = SandboxConfig(accounts={TOKEN: mine_only, "USERother": Account.example()})
    with running_sandbox(config) as server, pytest.raises(ProblemsError) as caught:
        read(server.url, resume("backend", BACKEND))
    assert str(caught.value) == (
        f"resumes/backend.yaml:1: id: resume {BACKEND} is not in this account"
    )
