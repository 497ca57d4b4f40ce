"""`HHClient`: one method per API call resumesync makes (resumes, visibility lists, resume
creation, artifacts, employers and the public dictionaries), each a thin layer over
`Transport.request`. Paths come from resumesync.endpoints."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from resumesync.client.concurrency import gather_or_cancel
from resumesync.client.errors import ApiError
from resumesync.client.paging import get_all_pages
from resumesync.client.transport import Transport
from resumesync.endpoints import (
    artifact_conditions_path,
    artifact_path,
    artifacts_path,
    create_resume_path,
    creation_availability_path,
    list_path,
    metro_path,
    new_resume_conditions_path,
    publish_path,
    resume_path,
    resume_write_call,
    segment,
)
from resumesync.model import ListKind

MAX_BATCH = 100  # employers per list POST / DELETE call (documented limit for POST)
_LOCATION_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


class HHClient(Transport):
    """`async with HHClient(settings) as client: await client.get_mine()`.

    `request_count` counts calls (one per `request`), `attempt_count` the HTTP attempts made,
    retries included; `retry_count` is the difference and `retry_events` says what they were.
    """

    # --- reads ------------------------------------------------------------------------------

    async def get_mine(self) -> list[dict[str, Any]]:
        """Every resume of the account (GET /resumes/mine, all pages)."""
        _, items = await get_all_pages(self, "/resumes/mine")
        return items

    async def get_resume(self, resume_id: str) -> dict[str, Any]:
        return await self.request("GET", resume_path(resume_id)) or {}

    async def get_list(self, resume_id: str, kind: ListKind) -> dict[str, Any]:
        """A visibility list with all its pages: {"items", "limit", "can_add", "found"}, each
        item {"id", "name"} (the urls and logos of up to 2,000 employers are dropped)."""
        first, items = await get_all_pages(self, list_path(resume_id, kind), keep=_id_and_name)
        return {
            "items": items,
            "limit": first.get("limit"),
            "can_add": first.get("can_add"),
            "found": first.get("found", len(items)),
        }

    async def get_conditions(self, resume_id: str) -> dict[str, Any]:
        return await self.request("GET", f"{resume_path(resume_id)}/conditions") or {}

    async def get_creation_availability(self) -> dict[str, Any]:
        """{"is_creation_available", "max", "created", "remaining"}."""
        return await self.request("GET", creation_availability_path()) or {}

    async def get_new_resume_conditions(self) -> dict[str, Any]:
        """The rules for the fields of a new resume (GET /resume_conditions)."""
        return await self.request("GET", new_resume_conditions_path()) or {}

    async def get_artifacts(self, artifact_type: str) -> list[dict[str, Any]]:
        """Every uploaded image of a type (GET /artifacts/{photo,portfolio}, all pages)."""
        _, items = await get_all_pages(self, artifacts_path(artifact_type))
        return items

    async def get_artifact_conditions(self, artifact_type: str) -> dict[str, Any]:
        return await self.request("GET", artifact_conditions_path(artifact_type)) or {}

    async def upload_artifact(
        self,
        artifact_type: str,
        content: bytes,
        *,
        filename: str,
        mime: str,
        description: str | None = None,
    ) -> dict[str, Any]:
        """POST /artifacts (multipart): the new artifact ({"id", "state", ...}). Like a create,
        never repeated once it may have reached the server."""
        data = {"type": artifact_type}
        if description is not None:
            data["description"] = description
        body = await self.request(
            "POST",
            artifacts_path(),
            files={"file": (filename, content, mime)},
            data=data,
            idempotent=False,
        )
        return body if isinstance(body, dict) else {}

    async def describe_artifact(self, artifact_id: str, description: str) -> None:
        """PUT /artifacts/{id} with the new `description` (multipart, as the spec says)."""
        await self.request(
            "PUT",
            artifact_path(artifact_id),
            files={"description": (None, description)},
        )

    async def wait_for_artifact(self, artifact_type: str, artifact_id: str) -> str:
        """Polls the image's `state` until it is not `processing` any more (`ok` or
        `failed`), with the retries' backoff and bound; "processing" if it never ends."""
        for attempt in range(1, self.settings.retries + 2):
            items = await self.get_artifacts(artifact_type)
            item = next((i for i in items if str(i.get("id")) == artifact_id), None)
            state = ((item or {}).get("state") or {}).get("id") if item else "missing"
            if state != "processing":
                return str(state)
            if attempt <= self.settings.retries:
                await self._sleep(self._backoff(attempt, None))
        return "processing"

    async def get_employer(self, employer_id: str) -> dict[str, Any]:
        return await self.request("GET", f"/employers/{segment(employer_id)}") or {}

    async def get_metro(self, city_id: str) -> dict[str, Any]:
        """The metro directory of a city: {"id", "name", "lines": [{..., "stations"}]};
        NotFoundError for a city hh.ru has no metro directory for."""
        return await self.request("GET", metro_path(city_id)) or {}

    async def get_dictionary(self, path: str) -> Any:
        """A public dictionary (`/dictionaries`, `/languages`, `/industries`, ...) as sent."""
        return await self.request("GET", path)

    async def get_area(self, area_id: str) -> dict[str, Any]:
        """`GET /areas/{id}`; NotFoundError for an id hh.ru does not know."""
        return await self.request("GET", f"/areas/{segment(area_id)}") or {}

    # --- writes (all idempotent) -------------------------------------------------------------

    async def put_resume(self, resume_id: str, body: dict[str, Any]) -> None:
        method, path = resume_write_call(resume_id)
        await self.request(method, path, json=body)

    async def add_to_list(self, resume_id: str, kind: ListKind, ids: Sequence[str]) -> None:
        """POST the employers in batches of at most 100 (an empty list is a no-op)."""
        path = list_path(resume_id, kind)
        await gather_or_cancel(
            self.request("POST", path, json={"items": [{"id": str(i)} for i in batch]})
            for batch in _batches(ids)
        )

    async def remove_from_list(self, resume_id: str, kind: ListKind, ids: Sequence[str]) -> None:
        """DELETE .../employer?id=..&id=.. in batches of at most 100 ids."""
        path = f"{list_path(resume_id, kind)}/employer"
        await gather_or_cancel(
            self.request("DELETE", path, params={"id": [str(i) for i in batch]})
            for batch in _batches(ids)
        )

    async def clear_list(self, resume_id: str, kind: ListKind) -> None:
        await self.request("DELETE", list_path(resume_id, kind))

    async def create_resume(
        self, body: dict[str, Any] | None, source_resume_id: str | None = None
    ) -> str:
        """POST /resumes (a copy of `source_resume_id` when given); the new resume's id, from
        the `Location` header of the 201. Never retried once it may have reached the server:
        a repeated POST would create a second resume (the intent record covers a lost answer).
        """
        return await self.create(create_resume_path(source_resume_id), body)

    async def create(self, path: str, body: dict[str, Any] | None) -> str:
        """POST `path` (a create_resume_path) and return the id its `Location` names."""
        seen: list[str] = []
        await self.request(
            "POST",
            path,
            json=body,
            idempotent=False,
            on_success=lambda response: seen.append(response.headers.get("Location") or ""),
        )
        resume_id = resume_id_from_location(seen[0] if seen else "")
        if resume_id is None:
            raise ApiError(
                201,
                "POST",
                path,
                message="the server created the resume but its answer names no valid id "
                "(Location header)",
            )
        return resume_id

    async def publish(self, resume_id: str) -> None:
        """POST .../publish; raises PublishNotYet when hh.ru says "not yet" (429)."""
        await self.request("POST", publish_path(resume_id))


def resume_id_from_location(location: str) -> str | None:
    """`/resumes/0123abcd` (or a full URL ending so) -> "0123abcd"; None for anything else."""
    path = urlsplit(location.strip()).path.rstrip("/")
    head, _, last = path.rpartition("/")
    if not head.endswith("/resumes") or not _LOCATION_ID.fullmatch(last):
        return None
    return last


def _id_and_name(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": item.get("id"), "name": item.get("name")}


def _batches(ids: Sequence[str], size: int = MAX_BATCH) -> list[list[str]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]
