"""visibility.yaml: a resume's `access` and its exact lists (plain sequences in its own
entry) take the live values; `include` lists and `defaults` are left alone (a difference in
the defaults is reported)."""

from __future__ import annotations

from typing import Any

from resumesync import files
from resumesync.model import DesiredResume, JsonPath, LiveResume
from resumesync.problems import Problem
from resumesync.pull.repository import Planned, Repository
from resumesync.validation import employer_id
from resumesync.yamlwrite import Edit


def pull_visibility(repository: Repository, resume: DesiredResume) -> None:
    live = repository.live.resumes.get(resume.resume_id)
    if live is None:
        return
    data = repository.file_data(files.VISIBILITY_FILE)
    entries = (data.get("resumes") or {}) if isinstance(data, dict) else {}
    key = resume.key if resume.key in entries else resume.resume_id
    entry = entries.get(key)
    if not isinstance(entry, dict):
        return
    path: JsonPath = ("resumes", key)
    planned = repository.plan(files.VISIBILITY_FILE)
    access_moved = resume.access is not None and live.access not in (None, resume.access)
    if access_moved and "access" in entry:
        planned.add([Edit.set((*path, "access"), live.access)], f"{key}.access")
    for kind, desired in resume.lists.items():
        own = entry.get(kind)
        if not desired.exact or not isinstance(own, list):
            continue  # `include` lists, and lists only the defaults declare: left alone
        _pull_list(repository, resume, live, kind, own, (*path, kind), planned)


def _pull_list(
    repository: Repository,
    resume: DesiredResume,
    live: LiveResume,
    kind: str,
    own: list[Any],
    path: JsonPath,
    planned: Planned,
) -> None:
    live_list = live.lists.get(kind)  # type: ignore[call-overload]  # a ListKind
    if live_list is None:
        return
    desired = resume.lists[kind]  # type: ignore[index]
    on_hh = set(live_list.employers)
    edits: list[Edit] = []
    own_ids = [employer_id(item) for item in own]
    for index, employer in enumerate(own_ids):
        if employer is not None and employer not in on_hh:
            edits.append(Edit.remove((*path, index)))
    for employer in desired.employers:
        if employer not in on_hh and employer not in own_ids:
            repository.reports.append(
                Problem(
                    f"employer {employer} is no longer on the live {kind}, but it comes "
                    "from `defaults`, which pull leaves alone",
                    desired.source.locate((employer,)),
                    f"resumes.{resume.key}.{kind}",
                )
            )
    added = [employer for employer in live_list.employers if employer not in desired.employers]
    if added:
        edits.append(Edit.append(path, [_list_item(own, e, live_list.employers[e]) for e in added]))
    planned.add(edits, f"{resume.key}.{kind}")


def _list_item(own: list[Any], employer: str, name: str) -> Any:
    """A new employer written as the list's items are: `{id, name}`, a string or a number."""
    sample = own[0] if own else {}
    if isinstance(sample, int) and not isinstance(sample, bool) and employer.isdigit():
        return int(employer)
    if isinstance(sample, str):
        return employer
    return {"id": employer, "name": name} if name else {"id": employer}
