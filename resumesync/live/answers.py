"""The server's answers checked before use (UnexpectedAnswerError): a resume that is not an
object, an employer id that is not a string of digits, a `limit` that is not a count."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from resumesync.client import UnexpectedAnswerError
from resumesync.model import ListKind, LiveList, ResumeSummary

_EMPLOYER_ID = re.compile(r"[0-9]{1,20}")
_RESUME_ID = re.compile(r"[0-9A-Za-z_-]{1,100}")


def checked_object(body: Any, path: str) -> dict[str, Any]:
    """`body` when it is a JSON object; UnexpectedAnswerError otherwise."""
    return json_object(body, path)


def checked_list(kind: ListKind, body: dict[str, Any], path: str) -> LiveList:
    """A list's pages (client.get_list) as a LiveList, every id and count checked."""
    return live_list(kind, body, path)


def json_object(body: Any, path: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise UnexpectedAnswerError("GET", path, f"expected a JSON object, got {_kind(body)}")
    return body


def summaries(mine: list[dict[str, Any]]) -> list[ResumeSummary]:
    """The account's resumes (GET /resumes/mine items) as id and title, each checked."""
    return [_summary(item, index) for index, item in enumerate(mine)]


def _summary(item: dict[str, Any], index: int) -> ResumeSummary:
    """One `/resumes/mine` item (already an object: the client checks pages)."""
    resume_id = item.get("id")
    if not (isinstance(resume_id, str) and _RESUME_ID.fullmatch(resume_id)):
        raise UnexpectedAnswerError(
            "GET", "/resumes/mine", f"items[{index}].id is not a resume id ({_kind(resume_id)})"
        )
    title = item.get("title")
    return ResumeSummary(resume_id=resume_id, title=title if isinstance(title, str) else "")


def live_list(
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
