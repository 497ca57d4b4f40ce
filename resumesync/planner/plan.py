"""build_plan: every resume's changes (images first, then creations), the unmanaged resumes'
notices, the problems that stop the plan, and the policy checks over the whole of it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from resumesync import creations
from resumesync.fingerprint import fingerprint
from resumesync.imageplan import plan_images
from resumesync.model import (
    Change,
    DesiredState,
    ListKind,
    LiveResume,
    LiveState,
    Location,
    Notice,
    NoticeKind,
    Plan,
)
from resumesync.normalize import MetroAreas
from resumesync.planner.names import collect_names
from resumesync.planner.resume import plan_resume
from resumesync.policy import check_plan
from resumesync.problems import Problem, ProblemsError


def build_plan(
    desired: DesiredState,
    live: LiveState,
    *,
    force: bool = False,
    now: dt.datetime | None = None,
    metro_areas: MetroAreas | None = None,
    with_fingerprint: bool = True,
) -> Plan:
    """The changes that make `live` match `desired`, in the order they must be applied.

    `with_fingerprint=False` leaves `fingerprint` empty: only a saved plan needs it, and it
    hashes the whole live state (a fifth of planning's CPU at 100 resumes with long lists).

    `now` enables the renew timing check (`next_publish_at` in the past); without it the
    planner trusts `can_publish_or_update`. `metro_areas` (station id -> area id) lets the
    normaliser see a metro station the server would ignore.

    Raises ProblemsError (nothing may be written) when a list has no room for its additions or
    a managed resume is not on the account; ProtectedEmployerError when a protected employer
    could find a resume (policy.py, whatever `force`), and UnsafePlanError unless `force`.
    """
    result = Plan(api_url=live.api_url, fingerprint=fingerprint(live) if with_fingerprint else "")
    problems: list[Problem] = []
    sources: dict[tuple[str, ListKind], Location | None] = {}
    created: dict[str, LiveResume] = {}  # resumes to create, as the POST leaves them
    problems.extend(creations.creation_problems(desired, live))
    images = plan_images(desired, live)
    problems.extend(images.problems)
    image_changes: dict[str, list[Change]] = {}
    for change in images.changes:
        image_changes.setdefault(change.resume, []).append(change)
    for resume in desired.resumes:
        result.changes.extend(image_changes.pop(resume.key, []))  # before the calls naming them
        resume = images.resumes.get(resume.key, resume)
        if resume.to_create:
            create = creations.create_change(resume, desired, live)
            expected = creations.expected_resume(resume, desired, live, create)
            pending = dataclasses.replace(resume, resume_id=expected.resume_id)
            created[expected.resume_id] = expected
            part = plan_resume(pending, expected, now=now, metro_areas=metro_areas)
            result.changes.append(create)
            result.changes.extend(part.changes)
            result.notices.extend(part.notices)
            problems.extend(part.problems)
            collect_names(result.employer_names, pending, expected, part)
            continue
        live_resume = live.resumes.get(resume.resume_id)
        if live_resume is None:
            problems.append(
                Problem(
                    f"resume {resume.resume_id} ({resume.key}) is not on the account",
                    location=resume.source.default or Location(resume.file, 1),
                )
            )
            continue
        part = plan_resume(resume, live_resume, now=now, metro_areas=metro_areas)
        if resume.adopted:
            result.changes.append(creations.adopt_change(resume))
        result.changes.extend(part.changes)
        result.notices.extend(part.notices)
        problems.extend(part.problems)
        for kind, desired_list in resume.lists.items():
            sources[(resume.resume_id, kind)] = desired_list.source.locate(())
        collect_names(result.employer_names, resume, live_resume, part)
    result.notices.extend(images.notices)
    result.account_ids = tuple(summary.resume_id for summary in live.account)
    result.artifact_ids = {kind: tuple(items) for kind, items in live.artifacts.items()}
    managed = {resume.resume_id for resume in desired.resumes}
    for summary in live.account:
        if summary.resume_id not in managed:
            result.notices.append(
                Notice(
                    NoticeKind.UNMANAGED_RESUME,
                    f'resume "{summary.title}" ({summary.resume_id}) is on the account '
                    "but no file manages it; it is left alone",
                    resume_id=summary.resume_id,
                )
            )
    if problems:
        raise ProblemsError(problems)
    check_plan(result, desired, live, force=force, sources=sources, created=created)
    return result
