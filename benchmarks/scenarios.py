"""The benchmark scenarios: live sandbox accounts and matching repositories, built from a
workload (benchmarks.workloads) deterministically from its seeds.

Live side: `Account.synthetic(...)` (the example resume, varied), its lists cut to the
workload's lengths. Desired side: one file per resume holding every writable field of the
live resume (as a user's `import` would), with the workload's edits, and a visibility.yaml
with the live access type and the managed lists as exact lists.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.workloads import AccountWork, ListEdit, ResumeEdit
from resumesync.model import (
    LIST_KINDS,
    DesiredList,
    DesiredResume,
    DesiredState,
    ListKind,
    LiveList,
    LiveResume,
    LiveState,
    PublishMode,
)
from resumesync.sandbox import Account
from resumesync.sandbox.account import LIST_LIMIT
from resumesync.sandbox.dictionaries import Dictionaries
from resumesync.sandbox.render import View, full_resume
from resumesync.sandbox.synthetic import resume_id

# Employers the files add come from a range Account.synthetic never uses (it draws below 10M).
NEW_EMPLOYERS = range(10_000_000, 20_000_000)

# How the files change a field the workload names.
FIELD_EDITS: dict[str, Callable[[Any], Any]] = {
    "title": lambda title: f"{title} (edited)",
    "salary": lambda salary: {**salary, "amount": salary["amount"] + 10_000},
    "skill_set": lambda skills: [*skills, "Benchmarks"],
}


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    accounts: tuple[AccountWork, ...]
    apply: bool  # plan and apply (as `resumesync apply --yes`), else plan only
    force: bool = False  # as `--force`: the workload removes more than 30 % of a list
    note: str = ""


@dataclass
class ResumeFiles:
    """One resume as the repository declares it."""

    key: str
    resume_id: str
    document: dict[str, Any]  # resumes/<key>.yaml
    visibility: dict[str, Any]  # its entry under `resumes:` in visibility.yaml


@dataclass
class BuiltAccount:
    work: AccountWork
    account: Account  # the live side, for the sandbox
    files: list[ResumeFiles]


# --- the scenarios ------------------------------------------------------------------------------


def _lists(size: int) -> dict[ListKind, ListEdit]:
    return {"blacklist": ListEdit(size), "whitelist": ListEdit(size)}


def _no_op(key: str, title: str, token: str, seed: int, resumes: int, size: int) -> Scenario:
    edits = tuple(ResumeEdit(_lists(size)) for _ in range(resumes))
    return Scenario(key, title, (AccountWork(token, seed, edits),), apply=False)


SCENARIOS: dict[str, Scenario] = {
    scenario.key: scenario
    for scenario in [
        _no_op("noop", "no-op plan, 20 resumes x (2000 + 2000)", "USERbench1", 1, 20, 2000),
        Scenario(
            "apply",
            "apply +2000 / -1500 on 2 blacklists",
            (
                AccountWork(
                    "USERbench3",
                    3,
                    (
                        ResumeEdit({"blacklist": ListEdit(0, add=2000)}),
                        ResumeEdit({"blacklist": ListEdit(2000, remove=1500)}),
                    ),
                ),
            ),
            apply=True,
            force=True,
            note="apply runs with --yes --force: removing 75 % of a list is refused otherwise",
        ),
        _no_op("agency-100", "agency: no-op plan, 100 x (200 + 200)", "USERagency1", 5, 100, 200),
        _no_op("agency-500", "agency: no-op plan, 500 x (200 + 200)", "USERagency5", 6, 500, 200),
        # small sizes for the CI smoke test
        _no_op("smoke-plan", "smoke: no-op plan, 3 x (150 + 150)", "USERsmoke1", 7, 3, 150),
        Scenario(
            "smoke-apply",
            "smoke: apply +150 / -60, one field",
            (
                AccountWork(
                    "USERsmoke2",
                    8,
                    (
                        ResumeEdit({"blacklist": ListEdit(0, add=150)}, fields=("title",)),
                        ResumeEdit({"blacklist": ListEdit(150, remove=60)}),
                    ),
                ),
            ),
            apply=True,
            force=True,
        ),
    ]
}


# The planner-only row: 100 resumes, two 2000-employer lists each, in memory (no HTTP).
def planner_work(resumes: int = 100, size: int = 2000) -> AccountWork:
    edit = ResumeEdit(
        {
            "blacklist": ListEdit(size),
            "whitelist": ListEdit(size, add=size // 20, remove=size // 20),
        },
        fields=("title",),
    )
    return AccountWork("USERplanner", 100, tuple(edit for _ in range(resumes)))


PLANNER_WORK = planner_work()


# --- building them ------------------------------------------------------------------------------


def build_account(work: AccountWork) -> BuiltAccount:
    """The live account and the repository's content of one workload account."""
    longest = max((edit.live for r in work.resumes for edit in r.lists.values()), default=0)
    account = Account.synthetic(n_resumes=len(work.resumes), list_size=longest, seed=work.seed)
    rng = random.Random(work.seed)
    files = []
    for index, edit in enumerate(work.resumes):
        rid = resume_id(work.seed, index)
        resume = account.resumes[rid]
        visibility: dict[str, Any] = {"access": resume.fields["access"]["type"]["id"]}
        for kind in LIST_KINDS:
            employers = resume.employers(kind)
            list_edit = edit.lists.get(kind)
            if list_edit is None:
                continue
            del employers[list_edit.live :]
            added = [str(number) for number in rng.sample(NEW_EMPLOYERS, list_edit.add)]
            visibility[kind] = employers[list_edit.remove :] + added
            if len(employers) + list_edit.add - list_edit.remove > LIST_LIMIT:
                raise ValueError(f"{kind} of resume {index} would exceed {LIST_LIMIT}")
        fields = {name: copy.deepcopy(value) for name, value in resume.fields.items()}
        del fields["access"]  # visibility.yaml decides it
        for name in edit.fields:
            fields[name] = FIELD_EDITS[name](fields[name])
        document = {"id": rid, "publish": "renew" if edit.publish else False, **fields}
        files.append(ResumeFiles(f"resume-{index:03d}", rid, document, visibility))
    return BuiltAccount(work, account, files)


def write_repository(built: BuiltAccount, directory: Path) -> Path:
    """resumes/*.yaml and visibility.yaml under `directory`; returns it."""
    (directory / "resumes").mkdir(parents=True, exist_ok=True)
    for item in built.files:
        text = yaml.safe_dump(item.document, allow_unicode=True, sort_keys=False)
        (directory / "resumes" / f"{item.key}.yaml").write_text(text, encoding="utf-8")
    visibility = {"resumes": {item.key: item.visibility for item in built.files}}
    (directory / "visibility.yaml").write_text(
        yaml.safe_dump(visibility, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return directory


def in_memory_states(built: BuiltAccount) -> tuple[DesiredState, LiveState]:
    """The planner's two inputs without files or HTTP: the live documents as the sandbox
    renders GET /resumes/{id}, the lists as the client assembles their pages."""
    dictionaries = Dictionaries.builtin()
    view = View(base_url="http://127.0.0.1", now=time.time(), dictionaries=dictionaries)
    live = LiveState(api_url=view.base_url)
    desired = DesiredState(root="(memory)")
    for item in built.files:
        resume = built.account.resumes[item.resume_id]
        lists = {
            kind: LiveList(
                kind=kind,
                employers={
                    employer: built.account.employer_name(employer, dictionaries)
                    for employer in resume.employers(kind)
                },
                limit=LIST_LIMIT,
                can_add=LIST_LIMIT - len(resume.employers(kind)),
            )
            for kind in LIST_KINDS
            if kind in item.visibility
        }
        live.resumes[item.resume_id] = LiveResume(item.resume_id, full_resume(resume, view), lists)
        fields = {k: v for k, v in item.document.items() if k not in ("id", "publish")}
        desired.resumes.append(
            DesiredResume(
                key=item.key,
                resume_id=item.resume_id,
                file=f"resumes/{item.key}.yaml",
                publish=PublishMode.RENEW if item.document["publish"] else PublishMode.NEVER,
                fields=fields,
                access=item.visibility["access"],
                lists={
                    kind: DesiredList(kind=kind, employers=tuple(ids), exact=True)
                    for kind, ids in item.visibility.items()
                    if kind in lists
                },
            )
        )
    return desired, live
