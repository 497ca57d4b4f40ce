"""Reads the live state of the resumes the files manage, concurrently and with no request twice.

Every resume id is known from the files, so `/resumes/mine`, every managed resume (with its
conditions, when asked for) and every managed list start at once; the longest chain is a
list's page 0 -> its remaining pages.
"""

from __future__ import annotations

from typing import Any

from resumesync.client import HHClient, NotFoundError, gather_or_cancel
from resumesync.model import (
    LIST_KINDS,
    DesiredResume,
    DesiredState,
    ListKind,
    LiveList,
    LiveResume,
    LiveState,
    Location,
    ResumeSummary,
)
from resumesync.problems import Problem, ProblemsError


async def read_live_state(
    desired: DesiredState, client: HHClient, *, conditions: bool = False
) -> LiveState:
    """The live documents and declared lists of every managed resume, plus the account summary;
    with `conditions`, also each resume's `GET /resumes/{id}/conditions` (for the preflight).

    Raises ProblemsError naming every file whose `id` is not a resume of this account.
    """
    kinds_by_id: dict[str, set[ListKind]] = {}
    for resume in desired.resumes:  # two files with one id are read once
        kinds_by_id.setdefault(resume.resume_id, set()).update(resume.lists)
    ids = list(kinds_by_id)

    mine, *reads = await gather_or_cancel(
        [
            client.get_mine(),
            *(
                _read_resume(client, resume_id, kinds_by_id[resume_id], conditions)
                for resume_id in ids
            ),
        ]
    )
    account = [
        ResumeSummary(resume_id=str(item.get("id")), title=str(item.get("title") or ""))
        for item in mine
    ]
    in_account = {summary.resume_id for summary in account}
    resumes = {
        resume_id: live
        for resume_id, live in zip(ids, reads, strict=True)
        if live is not None and resume_id in in_account
    }
    problems = [
        _not_in_account(resume) for resume in desired.resumes if resume.resume_id not in resumes
    ]
    if problems:
        raise ProblemsError(problems)
    return LiveState(api_url=client.base_url, resumes=resumes, account=account)


async def _read_resume(
    client: HHClient, resume_id: str, kinds: set[ListKind], conditions: bool
) -> LiveResume | None:
    """The resume, its lists and (optionally) its conditions, all at once; None when the
    account has no such resume (404)."""
    ordered = [kind for kind in LIST_KINDS if kind in kinds]
    reads = [client.get_resume(resume_id), *(client.get_list(resume_id, k) for k in ordered)]
    if conditions:
        reads.append(client.get_conditions(resume_id))
    try:
        document, *rest = await gather_or_cancel(reads)
    except NotFoundError:
        return None
    lists = rest[: len(ordered)]
    return LiveResume(
        resume_id=resume_id,
        document=document,
        lists={kind: _live_list(kind, body) for kind, body in zip(ordered, lists, strict=True)},
        conditions=rest[len(ordered)] if conditions else None,
    )


def _live_list(kind: ListKind, body: dict[str, Any]) -> LiveList:
    return LiveList(
        kind=kind,
        employers={str(item.get("id")): str(item.get("name") or "") for item in body["items"]},
        limit=int(body.get("limit") or 0),
        can_add=int(body.get("can_add") or 0),
    )


def _not_in_account(resume: DesiredResume) -> Problem:
    location = resume.source.locations.get(("id",)) or Location(resume.file, 1)
    return Problem(
        message=f"resume {resume.resume_id} is not in this account",
        location=location,
        field="id",
    )
