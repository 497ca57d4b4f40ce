"""One managed resume's reads: its document and lists at once, then what gates its writes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from resumesync.client import HHClient, NotFoundError, gather_or_cancel
from resumesync.endpoints import list_path, resume_path
from resumesync.live.answers import json_object, live_list
from resumesync.live.gates import WriteGates
from resumesync.model import LIST_KINDS, DesiredResume, ListKind, LiveResume

OnResume = Callable[[LiveResume], None]  # what a resume's reads are for, as soon as they are in


async def read_resume(
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
        document = json_object(await client.get_resume(resume_id), resume_path(resume_id))
        if gates is None:
            return document, None
        conditions = await gates.read_for(resume_id, files, document)
        if conditions is None:
            return document, None
        return document, json_object(conditions, f"{resume_path(resume_id)}/conditions")

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
            kind: live_list(kind, body, list_path(resume_id, kind), _declared(files, kind))
            for kind, body in zip(ordered, lists, strict=True)
        },
        conditions=conditions,
    )
    if on_resume is not None:
        on_resume(live)
    return live


def _declared(files: list[DesiredResume], kind: ListKind) -> dict[str, str]:
    """The employer ids the files declare for a list, each its own key and value."""
    return {e: e for resume in files if kind in resume.lists for e in resume.lists[kind].employers}
