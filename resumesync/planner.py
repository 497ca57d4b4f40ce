"""The planner: a pure function from (desired state, live state) to an ordered Plan.

No I/O. Each Change is exactly one HTTP call; see DESIGN "The plan". Per resume, privacy first:

1. tightening list changes (blacklist additions, whitelist removals or clear);
2. the update PUT (which carries a new `access.type`);
3. loosening list changes (blacklist removals or clear, whitelist additions);
4. publish.

An employer hidden from a resume before and after the apply is then hidden at every step: while
the old access type holds, the whitelist only shrinks and the blacklist only grows; once the PUT
switched the type, the new lists are already complete on the hiding side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from resumesync import creations
from resumesync.endpoints import (
    list_employers_path,
    list_path,
    publish_path,
    resume_write_call,
)
from resumesync.fingerprint import fingerprint
from resumesync.imageplan import plan_images
from resumesync.model import (
    LIST_KINDS,
    Action,
    Change,
    DesiredList,
    DesiredResume,
    DesiredState,
    ListKind,
    LiveList,
    LiveResume,
    LiveState,
    Location,
    Notice,
    NoticeKind,
    Plan,
    PublishMode,
)
from resumesync.normalize import (
    MetroAreas,
    fields_equal,
    live_field,
    normalize_field,
    server_ignores,
)
from resumesync.policy import UnsafePlanError as UnsafePlanError  # re-exported
from resumesync.policy import check_plan
from resumesync.policy import raise_if_unsafe as raise_if_unsafe  # re-exported
from resumesync.problems import Problem, ProblemsError

BATCH_SIZE = 100  # employers per POST, ids per DELETE (resume_visibility docs)

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

# `progress.mandatory` ids that name something other than the writable field that fills them.
MANDATORY_ALIASES: dict[str, tuple[str, ...]] = {
    "skills": ("skills", "skill_set"),  # "Key skills"
    "specialization": ("specialization", "professional_roles"),
}


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
            part = _plan_resume(pending, expected, now=now, metro_areas=metro_areas)
            result.changes.append(create)
            result.changes.extend(part.changes)
            result.notices.extend(part.notices)
            problems.extend(part.problems)
            _collect_names(result.employer_names, pending, expected, part)
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
        part = _plan_resume(resume, live_resume, now=now, metro_areas=metro_areas)
        if resume.adopted:
            result.changes.append(creations.adopt_change(resume))
        result.changes.extend(part.changes)
        result.notices.extend(part.notices)
        problems.extend(part.problems)
        for kind, desired_list in resume.lists.items():
            sources[(resume.resume_id, kind)] = desired_list.source.locate(())
        _collect_names(result.employer_names, resume, live_resume, part)
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


# --- one resume -------------------------------------------------------------------------------


@dataclass
class _ResumePlan:
    changes: list[Change] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _ListPlan:
    tightening: list[Change] = field(default_factory=list)
    loosening: list[Change] = field(default_factory=list)


def _plan_resume(
    resume: DesiredResume,
    live_resume: LiveResume,
    *,
    now: dt.datetime | None,
    metro_areas: MetroAreas | None,
) -> _ResumePlan:
    part = _ResumePlan()
    lists = _ListPlan()
    for kind in LIST_KINDS:
        desired_list = resume.lists.get(kind)
        if desired_list is not None:
            _plan_list(resume, desired_list, _live_list(live_resume, kind), lists, part)
    update = _plan_update(resume, live_resume, metro_areas)
    part.changes.extend(lists.tightening)
    if update is not None:
        part.changes.append(update)
    part.changes.extend(lists.loosening)
    publish = _plan_publish(resume, live_resume, update, now, part)
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


def _plan_update(
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


def _plan_list(
    resume: DesiredResume,
    desired_list: DesiredList,
    live_list: LiveList,
    lists: _ListPlan,
    part: _ResumePlan,
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


# --- publishing -------------------------------------------------------------------------------


def _plan_publish(
    resume: DesiredResume,
    live_resume: LiveResume,
    update: Change | None,
    now: dt.datetime | None,
    part: _ResumePlan,
) -> Change | None:
    """The publish call, if the file asks for one now. A publish the server would refuse
    because mandatory fields stay empty (`progress.mandatory` minus what the PUT fills) fails
    the plan at the `publish:` line: the server's 400 would come after the other writes."""
    if resume.publish is PublishMode.NEVER:
        return None

    def notice(kind: NoticeKind, message: str) -> None:
        part.notices.append(Notice(kind, message, resume=resume.key, resume_id=resume.resume_id))

    if live_resume.blocked or live_resume.status == "blocked":
        notice(NoticeKind.PUBLISH_SKIPPED, "not published: the resume is blocked by a moderator")
        return None
    if live_resume.status == "on_moderation":
        notice(NoticeKind.PUBLISH_SKIPPED, "not published: a moderator is checking the resume")
        return None
    published = live_resume.status == "published"
    if published and resume.publish is not PublishMode.RENEW:
        return None
    missing = _still_missing(live_resume.missing_mandatory, update)
    if missing:
        part.problems.append(
            Problem(
                "cannot publish: mandatory fields are empty: "
                + ", ".join(missing)
                + " (declare them, or set publish: false)",
                location=resume.source.locate(("publish",)) or Location(resume.file, 1),
            )
        )
        return None
    if published:
        if not live_resume.can_publish_or_update or not _renew_time_reached(live_resume, now):
            when = live_resume.next_publish_at
            notice(
                NoticeKind.PUBLISH_NOT_YET,
                f"not renewed: hh.ru allows the next renewal at {when}"
                if when
                else "not renewed: hh.ru does not allow a renewal yet",
            )
            return None
        reason = "renew"
    else:
        reason = "first publication"
    return Change(
        action=Action.PUBLISH,
        resume=resume.key,
        resume_id=resume.resume_id,
        method="POST",
        path=publish_path(resume.resume_id),
        reason=reason,
    )


def _renew_time_reached(live_resume: LiveResume, now: dt.datetime | None) -> bool:
    if now is None or not live_resume.next_publish_at:
        return True  # no timing information: trust can_publish_or_update
    try:
        next_at = dt.datetime.fromisoformat(live_resume.next_publish_at)
    except ValueError:
        return True
    return _aware(next_at) <= _aware(now)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _still_missing(missing: list[str], update: Change | None) -> list[str]:
    """The mandatory fields that stay empty after this plan's PUT."""
    body = (update.body or {}) if update else {}
    filled = {name for name, value in body.items() if value not in (None, "", [], {})}
    return [
        item for item in missing if not filled.intersection(MANDATORY_ALIASES.get(item, (item,)))
    ]


# --- names ------------------------------------------------------------------------------------


def _collect_names(
    names: dict[str, str], resume: DesiredResume, live_resume: LiveResume, part: _ResumePlan
) -> None:
    """Names of the employers this resume's changes and notices mention."""
    mentioned: set[str] = set()
    for change in part.changes:
        mentioned.update(change.employers)
    for item in part.notices:
        mentioned.update(item.employers)
    known: dict[str, str] = {}
    for desired_list in resume.lists.values():
        known.update(desired_list.names)
    for live_list in live_resume.lists.values():
        known.update({key: value for key, value in live_list.employers.items() if value})
    for employer in mentioned:
        if employer in known:
            names[employer] = known[employer]
