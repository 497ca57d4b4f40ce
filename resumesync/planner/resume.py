"""One resume's changes in privacy order: tightening list changes, the PUT, loosening list
changes, publish."""

from __future__ import annotations

import datetime as dt

from resumesync.model import LIST_KINDS, DesiredResume, ListKind, LiveList, LiveResume
from resumesync.normalize import MetroAreas
from resumesync.planner.lists import plan_list
from resumesync.planner.parts import ListPlan, ResumePlan
from resumesync.planner.publish import plan_publish
from resumesync.planner.update import plan_update


def plan_resume(
    resume: DesiredResume,
    live_resume: LiveResume,
    *,
    now: dt.datetime | None,
    metro_areas: MetroAreas | None,
) -> ResumePlan:
    part = ResumePlan()
    lists = ListPlan()
    for kind in LIST_KINDS:
        desired_list = resume.lists.get(kind)
        if desired_list is not None:
            plan_list(resume, desired_list, _live_list(live_resume, kind), lists, part)
    update = plan_update(resume, live_resume, metro_areas)
    part.changes.extend(lists.tightening)
    if update is not None:
        part.changes.append(update)
    part.changes.extend(lists.loosening)
    publish = plan_publish(resume, live_resume, update, now, part)
    if publish is not None:
        part.changes.append(publish)
    return part


def _live_list(live_resume: LiveResume, kind: ListKind) -> LiveList:
    try:
        return live_resume.lists[kind]
    except KeyError:
        raise ValueError(
            f"the live {kind} of resume {live_resume.resume_id} was not read, but a file manages it"
        ) from None
