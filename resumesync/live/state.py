"""read_live_state: `/resumes/mine` leads, the reads the files name go out beside it or after
it, then the answers are put together as the LiveState (or the files that name resumes the
account does not have are refused)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from resumesync.client import HHClient, gather_or_cancel
from resumesync.imageplan import existing_artifact
from resumesync.lead import Lead
from resumesync.live.answers import summaries
from resumesync.live.gates import Sent, WriteGates
from resumesync.live.resume import OnResume, read_resume
from resumesync.model import (
    DesiredResume,
    DesiredState,
    ListKind,
    LiveState,
    Location,
    ResumeSummary,
)
from resumesync.preflight import clone_put_body, new_resume_body
from resumesync.problems import Problem, ProblemsError

READ_AHEAD = 4  # resumes read at once, per request the client runs at once


class NotInAccountError(ProblemsError):
    """Files name resumes the token's account does not have; `account_ids` is what it has."""

    def __init__(self, problems: list[Problem], account_ids: list[str]) -> None:
        super().__init__(problems)
        self.account_ids = account_ids


async def read_live_state(
    desired: DesiredState,
    client: HHClient,
    *,
    sent: Sent | None = None,
    on_resume: OnResume | None = None,
) -> LiveState:
    """The live documents and declared lists of every managed resume, plus the account summary.
    With `sent` (the plan's reads), also what gates the writes of each resume that `sent` gives
    a body: its conditions, metro directory and dictionaries (see the module doc), and, when a
    file asks for a new resume, `GET /resumes/creation_availability` and
    `GET /resume_conditions`. `on_resume` gets each resume as soon as its own reads are in: the
    preflight checks it while the other reads are in flight.

    Raises NotInAccountError naming every file whose `id` is not a resume of this account.
    """
    kinds_by_id: dict[str, set[ListKind]] = {}
    files_by_id: dict[str, list[DesiredResume]] = {}
    creating = any(resume.to_create for resume in desired.resumes)
    for resume in desired.resumes:  # two files with one id are read once
        if resume.to_create:
            continue  # nothing to read yet: see creations.py
        kinds_by_id.setdefault(resume.resume_id, set()).update(resume.lists)
        files_by_id.setdefault(resume.resume_id, []).append(resume)
    ids = list(kinds_by_id)
    gates = None if sent is None else WriteGates(client, sent)
    conditions = sent is not None  # the plan's reads, not a saved plan's re-read

    # /resumes/mine leads: a bad token or a dead server fails it, and its error is the run's.
    # The reads the files name need not wait for it: as many as the client runs at once go
    # out beside it (their retries wait for it: lead.py), the others once it is in.
    room = client.settings.parallelism - 1
    # Resumes read at once: enough to keep every connection busy, few enough that the page 0s
    # of a thousand lists are not all held while their other pages wait (memory).
    reading = asyncio.Semaphore(READ_AHEAD * client.settings.parallelism)
    resume_reads: list[tuple[bool, Callable[[], Awaitable[Any]]]] = []  # (beside the lead, read)
    for resume_id in ids:
        cost = 1 + len(kinds_by_id[resume_id])  # the document and each list's page 0
        beside = cost <= room
        room -= cost if beside else 0
        read = partial(
            read_resume,
            reading,
            client,
            resume_id,
            kinds_by_id[resume_id],
            files_by_id[resume_id],
            gates,
            on_resume,
        )
        resume_reads.append((beside, read))
    image_types = sorted(
        {image.artifact_type for resume in desired.resumes for image in resume.images}
    )
    # the artifacts tell whether the lock's images are still there; their conditions are
    # for the plan's checks of new uploads only (like the resumes' conditions)
    artifact_reads = [
        partial(_read_artifacts, client, desired, kind, with_conditions=conditions)
        for kind in image_types
    ]
    creation_reads = (
        # also without `conditions`: what a new resume lacks to be published decides the plan
        [client.get_creation_availability, client.get_new_resume_conditions] if creating else []
    )
    # the dictionaries of the ids a new resume's POST sends (the preflight checks them)
    new_ids = (
        [
            partial(gates.dictionaries.read_for, new_resume_body(r))
            for r in desired.resumes
            if r.to_create
        ]
        if gates is not None
        else []
    )
    lead = Lead(_account(client))  # running from here: nothing may raise before the gather
    account, *reads = await gather_or_cancel(
        [
            lead.task,
            *(lead.after(read) for read in [*creation_reads, *artifact_reads]),
            *(lead.beside(read) if beside else lead.after(read) for beside, read in resume_reads),
            *(lead.after(read) for read in new_ids),
        ]
    )
    reads = reads[: len(reads) - len(new_ids)]
    creation, new_conditions = reads[: len(creation_reads)] or (None, None)
    reads = reads[len(creation_reads) :]
    artifact_answers, reads = reads[: len(artifact_reads)], reads[len(artifact_reads) :]
    artifacts = {
        kind: items for kind, (items, _) in zip(image_types, artifact_answers, strict=True)
    }
    artifact_conditions = {
        kind: found
        for kind, (_, found) in zip(image_types, artifact_answers, strict=True)
        if found is not None
    }
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
    if gates is not None:
        # a clone's PUT is what differs from its source, known only now: its dictionaries
        # (those not read already) cost one more round, and only when a file clones
        await gather_or_cancel(
            [
                gates.dictionaries.read_for(clone_put_body(resume, desired, resumes))
                for resume in desired.resumes
                if resume.to_create and resume.clone is not None
            ]
        )
    return LiveState(
        api_url=client.api_name,
        resumes=resumes,
        account=account,
        metro=gates.metro.found if gates is not None else {},
        dictionaries=dict(gates.dictionaries.known) if gates is not None else {},
        creation=creation,
        new_resume_conditions=new_conditions,
        artifacts=artifacts,
        artifact_conditions=artifact_conditions,
    )


async def _read_artifacts(
    client: HHClient, desired: DesiredState, kind: str, *, with_conditions: bool
) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """GET /artifacts/{kind} (id -> item) and, with `with_conditions`, its conditions, but
    only when an image of that kind is to be uploaded: beside the list when an image is not in
    the lock at all, after it when the lock names an artifact the account no longer has."""
    images = [image for resume in desired.resumes for image in resume.images]
    images = [image for image in images if image.artifact_type == kind]
    unlocked = with_conditions and any(image.key not in desired.lock for image in images)
    if unlocked:
        listed, found = await gather_or_cancel(
            [client.get_artifacts(kind), client.get_artifact_conditions(kind)]
        )
    else:
        listed, found = await client.get_artifacts(kind), None
    items = {str(item.get("id")): item for item in listed if isinstance(item, dict)}
    if (
        with_conditions
        and found is None
        and any(existing_artifact(image, desired, items) is None for image in images)
    ):
        found = await client.get_artifact_conditions(kind)
    return items, found


async def _account(client: HHClient) -> list[ResumeSummary]:
    return summaries(await client.get_mine())


def _not_in_account(resume: DesiredResume) -> Problem:
    location = resume.source.locations.get(("id",)) or Location(resume.file, 1)
    return Problem(
        message=f"resume {resume.resume_id} is not in this account",
        location=location,
        field="id",
    )
