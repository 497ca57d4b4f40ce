"""The update PUT: the changed top-level fields of a resume (and its access type), as JSON,
and whether the new access type lets more employers see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from resumesync.endpoints import resume_write_call
from resumesync.model import Action, Change, DesiredResume, LiveResume
from resumesync.normalize import (
    MetroAreas,
    fields_equal,
    live_field,
    normalize_field,
    server_ignores,
)

# How many employers can see a resume, narrowest first. `direct` (anyone holding the link) is
# wider than a list of chosen employers and narrower than search by every employer but a few.
# `everyone` can no longer be saved but may still be what the live resume has.
ACCESS_BREADTH: dict[str, int] = {
    "no_one": 0,
    "whitelist": 1,
    "direct": 2,
    "blacklist": 3,
    "clients": 4,
    "everyone": 5,
}


def access_widens(old: str | None, new: str) -> bool:
    """Whether switching access type `old` -> `new` lets more employers see the resume."""
    if old not in ACCESS_BREADTH:
        return new != "no_one"  # unknown before: only "nobody" is surely not wider
    return ACCESS_BREADTH.get(new, len(ACCESS_BREADTH)) > ACCESS_BREADTH[old]


def json_safe(value: Any) -> Any:
    """`value` as JSON data: YAML dates become ISO strings, tuples lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


def planned_body(
    resume: DesiredResume, document: dict[str, Any], metro_areas: MetroAreas | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The PUT body of `resume` against the live `document` (only the changed top-level
    fields, and `access` when visibility.yaml changes it) and its diff; both empty when the
    resume's fields already match. Needs the document alone, not the lists: the reads learn
    from it which resumes the plan writes (their conditions and dictionaries are read then)."""
    body: dict[str, Any] = {}
    diff: dict[str, dict[str, Any]] = {}
    for name, value in resume.fields.items():
        if name == "access" and resume.access is not None:
            continue  # visibility.yaml decides the access type
        if server_ignores(name, resume.fields, document, metro_areas):
            continue
        old = live_field(document, name)
        if not fields_equal(name, value, old):
            body[name] = json_safe(value)
            diff[name] = {"old": old, "new": body[name]}
    live_access = ((document.get("access") or {}).get("type") or {}).get("id")
    if resume.access is not None and resume.access != live_access:
        body["access"] = {"type": {"id": resume.access}}
        diff["access"] = {"old": live_access, "new": resume.access}
    return body, diff


def plan_update(
    resume: DesiredResume, live_resume: LiveResume, metro_areas: MetroAreas | None
) -> Change | None:
    body, diff = planned_body(resume, live_resume.document, metro_areas)
    if not body:
        return None
    widens = False
    new_access = normalize_field("access", body.get("access"))
    if isinstance(new_access, dict) and new_access.get("type"):
        widens = access_widens(live_resume.access, new_access["type"]["id"])
    write_method, write_path = resume_write_call(resume.resume_id)
    return Change(
        action=Action.UPDATE,
        resume=resume.key,
        resume_id=resume.resume_id,
        method=write_method,
        path=write_path,
        body=body,
        diff=diff,
        widens_visibility=widens,
    )
