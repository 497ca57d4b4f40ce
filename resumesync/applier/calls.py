"""The one call of a change: the ids this apply learnt (uploads, created resumes) put in
place of their stand-ins, then the request rebuilt by the client's endpoint code."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from resumesync.apply_errors import ImageError, RefusedCallError
from resumesync.artifacts import is_pending_artifact
from resumesync.client import HHClient
from resumesync.endpoints import resume_path
from resumesync.model import LIST_KINDS, Action, Change, is_pending


def bind_uploads(change: Change, uploads: dict[str, str]) -> Change:
    """`change` with the artifact ids of this apply's uploads in place of their stand-ins
    (`upload:TYPE:SHA256` in the body); ImageError naming the image if one is missing."""
    missing: list[str] = []

    def bound(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: bound(item) for key, item in value.items()}
        if isinstance(value, list):
            return [bound(item) for item in value]
        if is_pending_artifact(value):
            if value in uploads:
                return uploads[value]
            missing.append(value)
        return value

    if change.body is None:
        return change
    body = bound(change.body)
    if missing:
        raise ImageError("an image this change shows was not uploaded (see the upload above)")
    return replace(change, body=body)


def bind_pending(change: Change, ids: dict[str, str]) -> Change:
    """`change` with the id of the resume created earlier in this apply in place of its
    pending id (in `resume_id` and the path); a change of no pending resume as it is."""
    if not is_pending(change.resume_id):
        return change
    new_id = ids.get(change.resume_id)
    if new_id is None:
        raise RuntimeError(f"{change.resume}: its resume was not created first")
    old_prefix, new_prefix = resume_path(change.resume_id), resume_path(new_id)
    if change.path != old_prefix and not change.path.startswith(old_prefix + "/"):
        raise RuntimeError(f"{change.resume}: a change of a new resume with another path")
    return replace(change, resume_id=new_id, path=new_prefix + change.path[len(old_prefix) :])


async def send(client: HHClient, change: Change) -> None:
    """The one call of `change`, rebuilt from its meaning (action, resume id, list kind,
    employer ids, fields) by the client's own endpoint code: a change's `method`, `path` and
    list `body` are for people and plan files, never sent as written (a saved plan is applied
    only as the plan made again now, see applied.replan_saved)."""
    resume_id, kind = change.resume_id, change.list_kind
    if change.action is Action.UPDATE:
        await client.put_resume(resume_id, dict(change.body or {}))
    elif change.action is Action.PUBLISH:
        await client.publish(resume_id)
    elif kind not in LIST_KINDS:
        raise RefusedCallError(f"{change.action.value} of an unknown list {kind!r}: not sent")
    elif change.action is Action.LIST_ADD:
        await client.add_to_list(resume_id, kind, change.employers)
    elif change.action is Action.LIST_REMOVE:
        await client.remove_from_list(resume_id, kind, change.employers)
    elif change.action is Action.LIST_CLEAR:
        await client.clear_list(resume_id, kind)
    else:
        raise RefusedCallError(f"{change.action.value}: not a call resumesync makes")


_CREATE_PATH = re.compile(r"/resumes(?:\?source_resume_id=[0-9A-Za-z]+)?")


def create_path(change: Change) -> str:
    """A create's path: POST /resumes, or a copy of one resume; anything else is refused."""
    if not _CREATE_PATH.fullmatch(change.path):
        raise RefusedCallError(f"create {change.resume}: not a create call: not sent")
    return change.path
