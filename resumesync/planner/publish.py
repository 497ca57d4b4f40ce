"""Publishing: the publish call if the file asks for one now, the notices when it cannot be
made, and the mandatory fields that would make the server refuse it."""

from __future__ import annotations

import datetime as dt

from resumesync.endpoints import publish_path
from resumesync.model import (
    Action,
    Change,
    DesiredResume,
    LiveResume,
    Location,
    Notice,
    NoticeKind,
    PublishMode,
)
from resumesync.planner.parts import ResumePlan
from resumesync.problems import Problem

# `progress.mandatory` ids that name something other than the writable field that fills them.
MANDATORY_ALIASES: dict[str, tuple[str, ...]] = {
    "skills": ("skills", "skill_set"),  # "Key skills"
    "specialization": ("specialization", "professional_roles"),
}


def plan_publish(
    resume: DesiredResume,
    live_resume: LiveResume,
    update: Change | None,
    now: dt.datetime | None,
    part: ResumePlan,
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
