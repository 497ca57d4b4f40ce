"""Planning resumes that do not exist yet: files without `id`. Pure functions, no I/O.

- `adopt`: a file whose creation an interrupted apply recorded (intents.py) takes the resume
  the account gained since then with the recorded title, instead of creating another.
- `expected_resume`: the live resume a create would leave right after its POST (the file's
  own fields, or a copy of the `clone` source), so that the planner plans the list changes,
  the PUT of a clone's differing fields and the publish exactly as for any other resume.
- `creation_problems`: the account's room for new resumes (creation_availability), and an
  unmanaged resume with the same title, which in CI (no intent record survives there) is
  how a crashed create shows up: refused, never created twice.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import Any

from resumesync.endpoints import create_resume_path
from resumesync.model import (
    Action,
    Change,
    DesiredResume,
    DesiredState,
    ListKind,
    LiveList,
    LiveResume,
    LiveState,
    Location,
    ResumeSummary,
    pending_id,
)
from resumesync.problems import Problem

# A new resume's visibility lists are empty and hold up to 2000 employers (resume_visibility).
NEW_LIST_LIMIT = 2000
SERVER_KEPT = ("access",)  # the server always sets it: never a missing field


def to_create(desired: DesiredState) -> list[DesiredResume]:
    return [resume for resume in desired.resumes if resume.to_create]


def adopt(desired: DesiredState, account: Iterable[ResumeSummary]) -> DesiredState:
    """`desired` with each recorded, unfinished creation bound to the resume it made.

    A recorded creation is adopted when exactly one resume of the account is new since the
    record (not in its `known_ids`), managed by no file, and has the recorded title."""
    if not any(resume.key in desired.intents for resume in to_create(desired)):
        return desired
    account = list(account)
    managed = {resume.resume_id for resume in desired.resumes if resume.resume_id}
    taken: set[str] = set()
    resumes = []
    for resume in desired.resumes:
        intent = desired.intents.get(resume.key) if resume.to_create else None
        if intent is not None:
            known = set(intent.known_ids)
            found = [
                summary.resume_id
                for summary in account
                if summary.resume_id not in known
                and summary.resume_id not in managed
                and summary.resume_id not in taken
                and summary.title.strip() == intent.title.strip()
            ]
            if len(found) == 1:
                taken.add(found[0])
                resume = dataclasses.replace(resume, resume_id=found[0], adopted=True)
        resumes.append(resume)
    return dataclasses.replace(desired, resumes=resumes)


def adopt_change(resume: DesiredResume) -> Change:
    return Change(
        action=Action.ADOPT,
        resume=resume.key,
        resume_id=resume.resume_id,
        method="",
        path="",
        file=resume.file,
        reason="an earlier apply created this resume and stopped before writing its id",
    )


def expected_title(resume: DesiredResume, desired: DesiredState, live: LiveState) -> str:
    """The title the new resume has right after the POST (a clone's is its source's)."""
    source = clone_source(resume, desired, live)
    if source is not None:
        return source.title
    title = resume.fields.get("title")
    return title if isinstance(title, str) else ""


def clone_source(
    resume: DesiredResume, desired: DesiredState, live: LiveState
) -> LiveResume | None:
    if resume.clone is None:
        return None
    for other in desired.resumes:
        if other.key == resume.clone and other.resume_id:
            return live.resumes.get(other.resume_id)
    return None


def create_change(resume: DesiredResume, desired: DesiredState, live: LiveState) -> Change:
    """The POST of a new resume: every declared field, or (a clone) none: the copy is then
    brought to the file's fields by an ordinary PUT of what differs."""
    source = clone_source(resume, desired, live)
    path = create_resume_path(source.resume_id if source is not None else None)
    body = None if source is not None else creation_body(resume)
    diff = {name: {"old": None, "new": value} for name, value in (body or {}).items()}
    return Change(
        action=Action.CREATE,
        resume=resume.key,
        resume_id=pending_id(resume.key),
        method="POST",
        path=path,
        body=body,
        diff=diff or None,
        clone_of=resume.clone,
        file=resume.file,
        title=expected_title(resume, desired, live),
    )


def creation_body(resume: DesiredResume) -> dict[str, Any]:
    from resumesync.planner import json_safe  # the planner's own JSON conversion

    body = {
        name: json_safe(value)
        for name, value in resume.fields.items()
        if not (name == "access" and resume.access is not None)
    }
    if resume.access is not None:
        body["access"] = {"type": {"id": resume.access}}
    return body


def expected_resume(
    resume: DesiredResume, desired: DesiredState, live: LiveState, create: Change
) -> LiveResume:
    """The live resume right after `create`: not published, empty lists, and the fields of
    its POST body (or of its clone source)."""
    source = clone_source(resume, desired, live)
    if source is not None:
        document = copy.deepcopy(source.document)
    else:
        document = copy.deepcopy(create.body or {})
    conditions = live.new_resume_conditions or {}
    document["status"] = {"id": "not_published"}
    document["blocked"] = False
    document["can_publish_or_update"] = True
    document["next_publish_at"] = None
    document["progress"] = {
        "mandatory": [{"id": name} for name in missing_mandatory(document, conditions)]
    }
    kinds: tuple[ListKind, ...] = tuple(resume.lists)
    return LiveResume(
        resume_id=pending_id(resume.key),
        document=document,
        lists={kind: LiveList(kind, {}, NEW_LIST_LIMIT, NEW_LIST_LIMIT) for kind in kinds},
    )


def missing_mandatory(document: dict[str, Any], conditions: dict[str, Any]) -> list[str]:
    """The top-level fields GET /resume_conditions requires that `document` leaves empty."""
    return [
        name
        for name, rules in conditions.items()
        if isinstance(rules, dict)
        and rules.get("required")
        and name not in SERVER_KEPT
        and document.get(name) in (None, "", [], {})
    ]


def creation_problems(desired: DesiredState, live: LiveState) -> list[Problem]:
    """Refusals before any write: no room on the account for the new resumes, or a resume
    with the new one's title that no file manages (a crashed create whose record is gone)."""
    creating = [resume for resume in to_create(desired)]
    if not creating:
        return []
    problems: list[Problem] = []
    managed = {resume.resume_id for resume in desired.resumes if resume.resume_id}
    for resume in creating:
        title = expected_title(resume, desired, live).strip()
        twins = [
            summary
            for summary in live.account
            if title and summary.title.strip() == title and summary.resume_id not in managed
        ]
        for twin in twins:
            problems.append(
                Problem(
                    f'resume "{twin.title}" ({twin.resume_id}) is on the account with the title '
                    "this file's new resume would have, and no file manages it. If an earlier "
                    f"apply created it, add the line `id: {twin.resume_id}` to {resume.file}; "
                    "otherwise give this resume another title",
                    _where(resume),
                )
            )
    availability = live.creation
    if availability is not None:
        remaining = _count(availability.get("remaining"))
        allowed = availability.get("is_creation_available", True) is not False
        if not allowed or (remaining is not None and len(creating) > remaining):
            limit = _count(availability.get("max"))
            room = 0 if not allowed else remaining
            for resume in creating:
                problems.append(
                    Problem(
                        f"{len(creating)} resume{'s' if len(creating) != 1 else ''} to create, "
                        f"but the account may create {room} more"
                        + (f" (at most {limit} resumes)" if limit is not None else "")
                        + ": remove a resume on hh.ru or a file without `id`",
                        _where(resume),
                    )
                )
    return problems


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _where(resume: DesiredResume) -> Location:
    return resume.source.default or Location(resume.file, 1)
