"""Reads the live state of the resumes the files manage, concurrently and with no request twice.

Every resume id is known from the files, so once `/resumes/mine` is in (when it fails, the token
or the server is wrong, and nothing else is started), every managed resume and every managed
list start at once; the longest chain is `/resumes/mine` -> a list's page 0 -> its remaining
pages.

What only gates a write is read only for the resumes the plan writes (a no-op plan reads
nothing else): once a resume's document is in, `sent` (the planner's own PUT body) says which
fields the plan sends it, and for a resume that gets a PUT the reads go on, side by side with
the lists: its `GET /resumes/{id}/conditions`, `GET /metro/{area}` for a declared station the
apply would change (normalize.metro_to_check), and the dictionaries of the ids the body holds
(dictionaries.py: each endpoint once per run, `/areas/{id}` once per area). So the chain is
resume -> conditions, no longer than a list's page 0 -> its other pages.

Answers are checked before use (UnexpectedAnswerError): a resume that is not an object, an
employer id that is not a string of digits, a `limit` that is not a count. A hostile or broken
server must not make a plan send `id=None` or `id=True` in a DELETE.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from resumesync import dictionaries
from resumesync.client import (
    ApiError,
    HHClient,
    NotFoundError,
    UnexpectedAnswerError,
    gather_or_cancel,
)
from resumesync.endpoints import list_path, resume_path
from resumesync.imageplan import existing_artifact
from resumesync.lead import Lead
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
from resumesync.preflight import clone_put_body, new_resume_body
from resumesync.problems import Problem, ProblemsError

READ_AHEAD = 4  # resumes read at once, per request the client runs at once


class NotInAccountError(ProblemsError):
    """Files name resumes the token's account does not have; `account_ids` is what it has."""

    def __init__(self, problems: list[Problem], account_ids: list[str]) -> None:
        super().__init__(problems)
        self.account_ids = account_ids


OnResume = Callable[[LiveResume], None]  # what a resume's reads are for, as soon as they are in
# The PUT body the plan would send each file of a resume, given the live document.
Sent = Callable[[DesiredResume, dict[str, Any]], dict[str, Any]]


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
            _read_resume,
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


def summaries(mine: list[dict[str, Any]]) -> list[ResumeSummary]:
    """The account's resumes (GET /resumes/mine items) as id and title, each checked."""
    return [_summary(item, index) for index, item in enumerate(mine)]


async def _read_resume(
    reading: asyncio.Semaphore,
    client: HHClient,
    resume_id: str,
    kinds: set[ListKind],
    files: list[DesiredResume],
    gates: WriteGates | None,
    on_resume: OnResume | None,
) -> LiveResume | None:
    """The resume and its lists, all at once (once `reading` lets it start), then (with
    `gates`) what gates its writes as soon as the document is in, and `on_resume` once
    everything is; None when the account has no such resume (404)."""
    ordered = [kind for kind in LIST_KINDS if kind in kinds]

    async def document_then_gates() -> tuple[dict[str, Any], dict[str, Any] | None]:
        document = _object(await client.get_resume(resume_id), resume_path(resume_id))
        if gates is None:
            return document, None
        conditions = await gates.read_for(resume_id, files, document)
        if conditions is None:
            return document, None
        return document, _object(conditions, f"{resume_path(resume_id)}/conditions")

    try:
        async with reading:
            (document, conditions), *lists = await gather_or_cancel(
                [document_then_gates(), *(client.get_list(resume_id, k) for k in ordered)]
            )
    except NotFoundError:
        return None
    live = LiveResume(
        resume_id=resume_id,
        document=document,
        lists={
            kind: _live_list(kind, body, list_path(resume_id, kind), _declared(files, kind))
            for kind, body in zip(ordered, lists, strict=True)
        },
        conditions=conditions,
    )
    if on_resume is not None:
        on_resume(live)
    return live


class WriteGates:
    """The reads that gate the writes of one plan: conditions, metro, dictionaries."""

    def __init__(self, client: HHClient, sent: Sent) -> None:
        self._client = client
        self._sent = sent
        self.metro = MetroDirectory(client)
        self.dictionaries = DictionaryReader(client)

    async def read_for(
        self, resume_id: str, files: list[DesiredResume], document: dict[str, Any]
    ) -> Any:
        """The conditions of a resume the plan writes (None when it gets no PUT), with its
        metro directories and dictionaries read alongside."""
        bodies = [body for resume in files if (body := self._sent(resume, document))]
        if not bodies:
            return None
        declared = [resume.fields for resume in files]
        conditions, *_ = await gather_or_cancel(
            [
                self._client.get_conditions(resume_id),
                self.metro.read_for(declared, document),
                *(self.dictionaries.read_for(body) for body in bodies),
            ]
        )
        return conditions


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


class DictionaryReader:
    """Each dictionary endpoint at most once per run, and only for the ids a body sends."""

    def __init__(self, client: HHClient) -> None:
        self._client = client
        self._locks: dict[str, asyncio.Lock] = {}
        self._read: set[str] = set()  # endpoints (and areas) already read
        self.known: dict[str, frozenset[str]] = {}  # kind -> ids (areas: those found)

    async def read_for(self, body: dict[str, Any]) -> None:
        refs = dictionaries.refs(body)
        endpoints = {dictionaries.source_of(ref.kind) for ref in refs if ref.kind != "areas"}
        areas = {ref.id for ref in refs if ref.kind == "areas"}
        await gather_or_cancel(
            [
                *(self._endpoint(endpoint) for endpoint in sorted(endpoints)),
                *(self._area(area) for area in sorted(areas)),
            ]
        )

    async def _endpoint(self, endpoint: str) -> None:
        async with self._locks.setdefault(endpoint, asyncio.Lock()):
            if endpoint in self._read:
                return
            body = await self._client.get_dictionary(endpoint)
            self.known.update(dictionaries.ids_of(endpoint, body))
            self._read.add(endpoint)

    async def _area(self, area_id: str) -> None:
        key = f"/areas/{area_id}"
        async with self._locks.setdefault(key, asyncio.Lock()):
            if key in self._read:
                return
            try:
                await self._client.get_area(area_id)
                found = True
            except NotFoundError:
                found = False
            except ApiError as error:
                if error.status != 400:  # the spec's answer to a malformed area id
                    raise
                found = False
            areas = self.known.get(dictionaries.AREAS, frozenset())
            self.known[dictionaries.AREAS] = areas | {area_id} if found else areas
            self._read.add(key)


async def _metro_stations(client: HHClient, area_id: str) -> frozenset[str]:
    """The station ids of an area's metro; none when hh.ru has no metro there (404)."""
    try:
        body = await client.get_metro(area_id)
    except NotFoundError:
        return frozenset()
    if not isinstance(body, dict):
        return frozenset()  # no stations known: the server's own check still applies
    return frozenset(
        str(station["id"])
        for line in body.get("lines") or []
        if isinstance(line, dict)
        for station in line.get("stations") or []
        if isinstance(station, dict) and station.get("id") is not None
    )


_EMPLOYER_ID = re.compile(r"[0-9]{1,20}")
_RESUME_ID = re.compile(r"[0-9A-Za-z_-]{1,100}")


def checked_object(body: Any, path: str) -> dict[str, Any]:
    """`body` when it is a JSON object; UnexpectedAnswerError otherwise."""
    return _object(body, path)


def checked_list(kind: ListKind, body: dict[str, Any], path: str) -> LiveList:
    """A list's pages (client.get_list) as a LiveList, every id and count checked."""
    return _live_list(kind, body, path)


def _object(body: Any, path: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise UnexpectedAnswerError("GET", path, f"expected a JSON object, got {_kind(body)}")
    return body


def _summary(item: dict[str, Any], index: int) -> ResumeSummary:
    """One `/resumes/mine` item (already an object: the client checks pages)."""
    resume_id = item.get("id")
    if not (isinstance(resume_id, str) and _RESUME_ID.fullmatch(resume_id)):
        raise UnexpectedAnswerError(
            "GET", "/resumes/mine", f"items[{index}].id is not a resume id ({_kind(resume_id)})"
        )
    title = item.get("title")
    return ResumeSummary(resume_id=resume_id, title=title if isinstance(title, str) else "")


def _declared(files: list[DesiredResume], kind: ListKind) -> dict[str, str]:
    """The employer ids the files declare for a list, each its own key and value."""
    return {e: e for resume in files if kind in resume.lists for e in resume.lists[kind].employers}


def _live_list(
    kind: ListKind, body: dict[str, Any], path: str, declared: Mapping[str, str] | None = None
) -> LiveList:
    """`declared`: the files' ids for this list; a live id they hold is kept as their string
    object, not a second copy (200,000 employers at agency scale: about 10 MB)."""
    employers: dict[str, str] = {}
    declared = declared or {}
    for index, item in enumerate(body["items"]):
        employer = item.get("id")
        if not (isinstance(employer, str) and _EMPLOYER_ID.fullmatch(employer)):
            raise UnexpectedAnswerError(
                "GET", path, f"items[{index}].id is not a string of digits ({_kind(employer)})"
            )
        name = item.get("name")
        employers[declared.get(employer, employer)] = name if isinstance(name, str) else ""
    return LiveList(
        kind=kind,
        employers=employers,
        limit=_count(body.get("limit"), "limit", path),
        can_add=_count(body.get("can_add"), "can_add", path),
    )


def _count(value: Any, name: str, path: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UnexpectedAnswerError(
            "GET", path, f"`{name}` is not a count of employers ({_kind(value)})"
        )
    return value


def _kind(value: Any) -> str:
    """A server value for a message: its JSON type, and the value itself when short."""
    if value is None:
        return "null"
    names = {bool: "boolean", int: "number", float: "number", str: "string"}
    for python_type, name in names.items():
        if type(value) is python_type:
            shown = ascii(value) if isinstance(value, str) else repr(value).lower()
            return f"{name} {shown}" if len(shown) <= 40 else name
    return "an array" if isinstance(value, list) else "an object"


def _not_in_account(resume: DesiredResume) -> Problem:
    location = resume.source.locations.get(("id",)) or Location(resume.file, 1)
    return Problem(
        message=f"resume {resume.resume_id} is not in this account",
        location=location,
        field="id",
    )
