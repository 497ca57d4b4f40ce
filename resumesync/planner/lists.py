"""A managed list's changes: additions and removals in batches, a clear, the out-of-band
notice of an `include` list, and the room check."""

from __future__ import annotations

from collections.abc import Iterable

from resumesync.endpoints import list_employers_path, list_path
from resumesync.model import (
    Action,
    Change,
    DesiredList,
    DesiredResume,
    ListKind,
    LiveList,
    Notice,
    NoticeKind,
)
from resumesync.planner.parts import ListPlan, ResumePlan
from resumesync.problems import Problem

BATCH_SIZE = 100  # employers per POST, ids per DELETE (resume_visibility docs)


def plan_list(
    resume: DesiredResume,
    desired_list: DesiredList,
    live_list: LiveList,
    lists: ListPlan,
    part: ResumePlan,
) -> None:
    kind = desired_list.kind
    live_ids = list(live_list.employers)
    wanted = set(desired_list.employers)
    present = set(live_ids)
    to_add = [employer for employer in desired_list.employers if employer not in present]
    extra = [employer for employer in live_ids if employer not in wanted]
    removals: list[Change] = []
    if desired_list.exact and extra:
        if not desired_list.employers:
            removals = [_clear_change(resume, kind, live_ids)]
        else:
            removals = _remove_changes(resume, kind, extra)
    elif extra:
        part.notices.append(
            Notice(
                NoticeKind.OUT_OF_BAND,
                f"{len(extra)} employer{'' if len(extra) == 1 else 's'} on the {kind} that no "
                "file declares (added on hh.ru; kept, as the list is `include`)",
                resume=resume.key,
                resume_id=resume.resume_id,
                employers=tuple(extra),
            )
        )
    removed = sum(len(change.employers) for change in removals)
    # Whitelist removals run before its additions and free room; blacklist additions run first.
    room = live_list.can_add + (removed if kind == "whitelist" else 0)
    if len(to_add) > room:
        part.problems.append(
            Problem(
                f"resume {resume.key}: {len(to_add)} employers to add to the {kind}, but it has "
                f"room for {room} (limit {live_list.limit})",
                location=desired_list.source.locate(()),
            )
        )
    additions = _add_changes(resume, kind, to_add)
    if kind == "blacklist":
        lists.tightening.extend(additions)
        lists.loosening.extend(removals)
    else:
        lists.tightening.extend(removals)
        lists.loosening.extend(additions)


def _batches(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _add_changes(resume: DesiredResume, kind: ListKind, employers: list[str]) -> list[Change]:
    return [
        Change(
            action=Action.LIST_ADD,
            resume=resume.key,
            resume_id=resume.resume_id,
            method="POST",
            path=list_path(resume.resume_id, kind),
            body={"items": [{"id": employer} for employer in batch]},
            list_kind=kind,
            employers=tuple(batch),
            widens_visibility=kind == "whitelist",
        )
        for batch in _batches(employers)
    ]


def _remove_changes(resume: DesiredResume, kind: ListKind, employers: list[str]) -> list[Change]:
    changes = []
    for batch in _batches(employers):
        changes.append(
            Change(
                action=Action.LIST_REMOVE,
                resume=resume.key,
                resume_id=resume.resume_id,
                method="DELETE",
                path=list_employers_path(resume.resume_id, kind, batch),
                list_kind=kind,
                employers=tuple(batch),
                widens_visibility=kind == "blacklist",
            )
        )
    return changes


def _clear_change(resume: DesiredResume, kind: ListKind, employers: list[str]) -> Change:
    return Change(
        action=Action.LIST_CLEAR,
        resume=resume.key,
        resume_id=resume.resume_id,
        method="DELETE",
        path=list_path(resume.resume_id, kind),
        list_kind=kind,
        employers=tuple(employers),
        widens_visibility=kind == "blacklist",
    )
