"""Renewal on time: raise the `publish: renew` resumes that hh.ru allows to raise now.

A cheap run for an hourly schedule: one read of `/resumes/mine` (whose items carry `status`,
`can_publish_or_update` and `next_publish_at`), then `POST /resumes/{id}/publish` for each
resume that is due, and one more read of `/resumes/mine` only when something was raised, to
say when each resume is next due. It never reads a resume's fields or lists and never writes
anything but a publication: `apply` does the rest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from resumesync.client import ClientError, HHClient, PublishNotYet, RetryEvent
from resumesync.model import DesiredState, PublishMode
from resumesync.settings import Settings


class Outcome(enum.Enum):
    RENEWED = "renewed"
    NOT_DUE = "not due"  # next_publish_at is still ahead
    NOT_YET = "not yet"  # due by the clock, but hh.ru answered 429
    NOT_PUBLISHED = "not published"  # apply publishes it first
    NOT_POSSIBLE = "not possible"  # blocked, on moderation, mandatory fields empty
    NOT_IN_ACCOUNT = "not in account"
    FAILED = "failed"


FAILURES = {Outcome.FAILED, Outcome.NOT_IN_ACCOUNT}


@dataclass(frozen=True)
class Renewal:
    """What happened to one `publish: renew` resume, and when it may be raised next."""

    resume: str  # the file key
    resume_id: str
    outcome: Outcome
    next_due: dt.datetime | None = None  # None: unknown (not published, blocked, ...)
    message: str = ""

    def describe(self, now: dt.datetime) -> str:
        text = f"{self.resume}: {self.outcome.value}"
        if self.message:
            text += f" ({self.message})"
        if self.next_due is not None:
            text += f"; next due {format_moment(self.next_due, now)}"
        return text


@dataclass
class RenewResult:
    renewals: list[Renewal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(renewal.outcome in FAILURES for renewal in self.renewals)

    @property
    def renewed(self) -> list[Renewal]:
        return [r for r in self.renewals if r.outcome is Outcome.RENEWED]

    def next_due(self) -> Renewal | None:
        """The resume that is due soonest."""
        timed = [r for r in self.renewals if r.next_due is not None]
        return min(timed, key=lambda r: r.next_due or dt.datetime.max, default=None)


def parse_moment(text: object) -> dt.datetime | None:
    """hh.ru's `2013-05-31T14:27:04+0400`, as an aware datetime; None when absent or odd."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def format_moment(moment: dt.datetime, now: dt.datetime) -> str:
    """`2026-12-01 12:23 UTC (in 3 h 10 min)`: UTC, as cron and CI logs speak."""
    text = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return f"{text} (now)"
    hours, minutes = divmod((seconds + 59) // 60, 60)
    span = (
        f"{hours} h {minutes} min"
        if hours and minutes
        else f"{hours} h"
        if hours
        else f"{minutes} min"
    )
    return f"{text} (in {span})"


def _status(item: dict[str, Any]) -> str | None:
    status = item.get("status")
    return status.get("id") if isinstance(status, dict) else None


def _judge(key: str, resume_id: str, item: dict[str, Any] | None, now: dt.datetime) -> Renewal:
    """Whether a resume is due, from its `/resumes/mine` item alone."""
    if item is None:
        return Renewal(key, resume_id, Outcome.NOT_IN_ACCOUNT, message="no such resume here")
    next_due = parse_moment(item.get("next_publish_at"))
    status = _status(item)
    if item.get("blocked") or status == "blocked":
        return Renewal(key, resume_id, Outcome.NOT_POSSIBLE, message="blocked by a moderator")
    if status != "published":
        return Renewal(
            key,
            resume_id,
            Outcome.NOT_PUBLISHED,
            message=f"status {status or 'unknown'}: `resumesync apply` publishes it first",
        )
    if next_due is not None and next_due > now:
        return Renewal(key, resume_id, Outcome.NOT_DUE, next_due)
    if not item.get("can_publish_or_update"):
        if next_due is not None:  # its clock is behind ours: it is simply not time yet
            return Renewal(key, resume_id, Outcome.NOT_YET, next_due, message="hh.ru says not yet")
        return Renewal(
            key,
            resume_id,
            Outcome.NOT_POSSIBLE,
            message="hh.ru does not allow raising it now (can_publish_or_update is false)",
        )
    return Renewal(key, resume_id, Outcome.RENEWED, next_due)  # due: to be published


async def renew_async(
    desired: DesiredState, client: HHClient, *, now: dt.datetime | None = None
) -> RenewResult:
    """Publishes every `publish: renew` resume that is due; see the module docstring."""
    moment = now or dt.datetime.now(dt.UTC)
    wanted: dict[str, str] = {}  # resume id -> file key (two files with one id: the first)
    for resume in desired.resumes:
        if resume.publish is PublishMode.RENEW:
            wanted.setdefault(resume.resume_id, resume.key)
    if not wanted:
        return RenewResult()
    items = {str(item.get("id")): item for item in await client.get_mine()}
    judged = [_judge(key, rid, items.get(rid), moment) for rid, key in wanted.items()]
    due = [renewal for renewal in judged if renewal.outcome is Outcome.RENEWED]
    published = await asyncio.gather(*(_publish(client, r) for r in due))
    outcome = {r.resume_id: r for r in published}
    if any(r.outcome is Outcome.RENEWED for r in published):
        # hh.ru sets the next moment itself: read it rather than guess the interval
        fresh = {str(item.get("id")): item for item in await client.get_mine()}
        outcome = {
            rid: _with_next_due(r, fresh.get(rid)) if r.outcome is Outcome.RENEWED else r
            for rid, r in outcome.items()
        }
    return RenewResult([outcome.get(r.resume_id, r) for r in judged])


async def _publish(client: HHClient, renewal: Renewal) -> Renewal:
    try:
        await client.publish(renewal.resume_id)
    except PublishNotYet:
        return Renewal(
            renewal.resume,
            renewal.resume_id,
            Outcome.NOT_YET,
            renewal.next_due,
            message="hh.ru answered 429: it will be raised on a later run",
        )
    except ClientError as error:
        return Renewal(renewal.resume, renewal.resume_id, Outcome.FAILED, message=str(error))
    return renewal


def _with_next_due(renewal: Renewal, item: dict[str, Any] | None) -> Renewal:
    next_due = parse_moment(item.get("next_publish_at")) if item else None
    return Renewal(renewal.resume, renewal.resume_id, renewal.outcome, next_due, renewal.message)


def renew(
    desired: DesiredState,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> RenewResult:
    """renew_async with its own client, for callers without an event loop."""
    from resumesync.pipeline import client_settings

    async def main() -> RenewResult:
        async with HHClient(client_settings(settings, on_retry)) as client:
            return await renew_async(desired, client, now=now)

    return asyncio.run(main())
