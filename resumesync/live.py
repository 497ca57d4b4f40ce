"""Reads the live state of the resumes the files manage, concurrently and with no request twice.

Every resume id is known from the files, so `/resumes/mine`, every managed resume (with its
conditions, when asked for) and every managed list start at once; the longest chain is a
list's page 0 -> its remaining pages. The metro directory of an area (when asked for) is read
only for a declared station the apply would change, so it waits for that resume's document
alone: resume -> `/metro/{area}`, once per area, side by side with the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
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
from resumesync.normalize import metro_to_check
from resumesync.problems import Problem, ProblemsError


class NotInAccountError(ProblemsError):
    """Files name resumes the token's account does not have; `account_ids` is what it has."""

    def __init__(self, problems: list[Problem], account_ids: list[str]) -> None:
        super().__init__(problems)
        self.account_ids = account_ids


Then = Callable[[dict[str, Any]], Awaitable[None]]  # what waits for a resume's document
OnResume = Callable[[LiveResume], None]  # what a resume's reads are for, as soon as they are in


async def read_live_state(
    desired: DesiredState,
    client: HHClient,
    *,
    conditions: bool = False,
    metro: bool = False,
    on_resume: OnResume | None = None,
) -> LiveState:
    """The live documents and declared lists of every managed resume, plus the account summary;
    with `conditions`, also each resume's `GET /resumes/{id}/conditions` (and, when a file
    asks for a new resume, `GET /resumes/creation_availability` and `GET /resume_conditions`),
    and with `metro`,
    `GET /metro/{area}` for each declared station the apply would change (both for the
    preflight; see normalize.metro_to_check). `on_resume` gets each resume as soon as its own
    reads are in: the preflight checks it while the other reads are in flight.

    Raises NotInAccountError naming every file whose `id` is not a resume of this account.
    """
    kinds_by_id: dict[str, set[ListKind]] = {}
    fields_by_id: dict[str, list[dict[str, Any]]] = {}
    creating = any(resume.to_create for resume in desired.resumes)
    for resume in desired.resumes:  # two files with one id are read once
        if resume.to_create:
            continue  # nothing to read yet: see creations.py
        kinds_by_id.setdefault(resume.resume_id, set()).update(resume.lists)
        fields_by_id.setdefault(resume.resume_id, []).append(resume.fields)
    ids = list(kinds_by_id)
    directory = MetroDirectory(client) if metro else None

    def then(resume_id: str) -> Then | None:
        return None if directory is None else partial(directory.read_for, fields_by_id[resume_id])

    image_types = sorted(
        {image.artifact_type for resume in desired.resumes for image in resume.images}
    )
    # the artifacts tell whether the lock's images are still there; their conditions are
    # for the plan's checks of new uploads only (like the resumes' conditions)
    artifact_reads = [
        read
        for kind in image_types
        for read in (
            (client.get_artifacts(kind), client.get_artifact_conditions(kind))
            if conditions
            else (client.get_artifacts(kind),)
        )
    ]
    creation_reads = (
        # also without `conditions`: what a new resume lacks to be published decides the plan
        [client.get_creation_availability(), client.get_new_resume_conditions()] if creating else []
    )
    mine, *reads = await gather_or_cancel(
        [
            client.get_mine(),
            *creation_reads,
            *artifact_reads,
            *(
                _read_resume(
                    client,
                    resume_id,
                    kinds_by_id[resume_id],
                    conditions,
                    then(resume_id),
                    on_resume,
                )
                for resume_id in ids
            ),
        ]
    )
    creation, new_conditions = reads[: len(creation_reads)] or (None, None)
    reads = reads[len(creation_reads) :]
    artifact_answers, reads = reads[: len(artifact_reads)], reads[len(artifact_reads) :]
    step = 2 if conditions else 1
    artifacts = {
        kind: {
            str(item.get("id")): item
            for item in artifact_answers[step * n]
            if isinstance(item, dict)
        }
        for n, kind in enumerate(image_types)
    }
    artifact_conditions = (
        {kind: artifact_answers[2 * n + 1] for n, kind in enumerate(image_types)}
        if conditions
        else {}
    )
    account = summaries(mine)
    in_account = {summary.resume_id for summary in account}
    resumes = {
        resume_id: live
        for resume_id, live in zip(ids, reads, strict=True)
        if live is not None and resume_id in in_account
    }
    problems = [
        _not_in_account(resume)
        for resume in desired.resumes
        if not resume.to_create and resume.resume_id not in resumes
    ]
    if problems:
        raise NotInAccountError(problems, [summary.resume_id for summary in account])
    stations = directory.found if directory is not None else {}
    return LiveState(
        api_url=client.api_name,
        resumes=resumes,
        account=account,
        metro=stations,
        creation=creation,
        new_resume_conditions=new_conditions,
        artifacts=artifacts,
        artifact_conditions=artifact_conditions,
    )


def summaries(mine: list[dict[str, Any]]) -> list[ResumeSummary]:
    """The account's resumes (GET /resumes/mine items) as id and title."""
    return [
        ResumeSummary(resume_id=str(item.get("id")), title=str(item.get("title") or ""))
        for item in mine
    ]


async def _read_resume(
    client: HHClient,
    resume_id: str,
    kinds: set[ListKind],
    conditions: bool,
    then: Then | None = None,
    on_resume: OnResume | None = None,
) -> LiveResume | None:
    """The resume, its lists and (optionally) its conditions, all at once, `then` as soon as
    the document is in and `on_resume` once everything is; None when the account has no such
    resume (404)."""
    ordered = [kind for kind in LIST_KINDS if kind in kinds]
    reads = [_document(client, resume_id, then), *(client.get_list(resume_id, k) for k in ordered)]
    if conditions:
        reads.append(client.get_conditions(resume_id))
    try:
        document, *rest = await gather_or_cancel(reads)
    except NotFoundError:
        return None
    lists = rest[: len(ordered)]
    live = LiveResume(
        resume_id=resume_id,
        document=document,
        lists={kind: _live_list(kind, body) for kind, body in zip(ordered, lists, strict=True)},
        conditions=rest[len(ordered)] if conditions else None,
    )
    if on_resume is not None:
        on_resume(live)
    return live


async def _document(client: HHClient, resume_id: str, then: Then | None) -> dict[str, Any]:
    document = await client.get_resume(resume_id)
    if then is not None:
        await then(document)
    return document


class MetroDirectory:
    """`GET /metro/{area}` at most once per area, however many resumes ask for it."""

    def __init__(self, client: HHClient) -> None:
        self._client = client
        self._locks: dict[str, asyncio.Lock] = {}
        self.found: dict[str, frozenset[str]] = {}  # area id -> its station ids

    async def read_for(self, declared: list[dict[str, Any]], document: dict[str, Any]) -> None:
        """Reads the areas of the declared stations (one resume's files) that need checking
        against the live `document`."""
        areas = {check[1] for fields in declared if (check := metro_to_check(fields, document))}
        await gather_or_cancel(self.stations(area) for area in sorted(areas))

    async def stations(self, area_id: str) -> frozenset[str]:
        # A lock, not a shared task: a caller cancelled half-way cancels no one else's read.
        async with self._locks.setdefault(area_id, asyncio.Lock()):
            if area_id not in self.found:
                self.found[area_id] = await _metro_stations(self._client, area_id)
        return self.found[area_id]


async def _metro_stations(client: HHClient, area_id: str) -> frozenset[str]:
    """The station ids of an area's metro; none when hh.ru has no metro there (404)."""
    try:
        body = await client.get_metro(area_id)
    except NotFoundError:
        return frozenset()
    return frozenset(
        str(station["id"])
        for line in body.get("lines") or []
        if isinstance(line, dict)
        for station in line.get("stations") or []
        if isinstance(station, dict) and station.get("id") is not None
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
