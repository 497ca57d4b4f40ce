"""The reads that gate a plan's writes and nothing else: a written resume's conditions, the
metro directory of a declared station, the dictionaries of the ids a body sends; each at most
once per run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from resumesync import dictionaries
from resumesync.client import ApiError, HHClient, NotFoundError, gather_or_cancel
from resumesync.model import DesiredResume
from resumesync.normalize import metro_to_check

# The PUT body the plan would send each file of a resume, given the live document.
Sent = Callable[[DesiredResume, dict[str, Any]], dict[str, Any]]


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
