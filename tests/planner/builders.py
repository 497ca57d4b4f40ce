"""Small constructors for desired and live states in planner tests."""

from __future__ import annotations

from typing import Any

from resumesync.model import (
    DesiredList,
    DesiredResume,
    DesiredState,
    ListKind,
    LiveList,
    LiveResume,
    LiveState,
    Location,
    PublishMode,
    ResumeSummary,
    SourceMap,
)

BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
API = "https://api.hh.example"


def dlist(
    kind: ListKind,
    employers: list[str] | tuple[str, ...] | range,
    *,
    exact: bool = True,
    names: dict[str, str] | None = None,
    line: int = 5,
) -> DesiredList:
    return DesiredList(
        kind=kind,
        employers=tuple(str(item) for item in employers),
        exact=exact,
        names=names or {},
        source=SourceMap(default=Location("visibility.yaml", line)),
    )


def desired(
    key: str = "backend",
    resume_id: str = BACKEND,
    *,
    fields: dict[str, Any] | None = None,
    access: str | None = None,
    lists: list[DesiredList] | None = None,
    publish: PublishMode = PublishMode.NEVER,
) -> DesiredResume:
    return DesiredResume(
        key=key,
        resume_id=resume_id,
        file=f"resumes/{key}.yaml",
        publish=publish,
        fields=fields or {},
        access=access,
        lists={item.kind: item for item in lists or []},
        source=SourceMap(default=Location(f"resumes/{key}.yaml", 1)),
    )


def live(
    resume_id: str = BACKEND,
    *,
    document: dict[str, Any] | None = None,
    access: str = "blacklist",
    status: str = "published",
    blacklist: list[str] | tuple[str, ...] | range = (),
    whitelist: list[str] | tuple[str, ...] | range = (),
    limit: int = 2000,
    can_add: dict[str, int] | None = None,
    **extra: Any,
) -> LiveResume:
    doc: dict[str, Any] = {
        "id": resume_id,
        "title": "Python developer",
        "access": {"type": {"id": access, "name": access}},
        "status": {"id": status, "name": status},
        "blocked": False,
        "can_publish_or_update": False,
        "next_publish_at": "2025-06-01T16:00:00+0300",
        "progress": {"mandatory": []},
    }
    doc.update(document or {})
    doc.update(extra)
    lists = {}
    for kind, ids in (("blacklist", blacklist), ("whitelist", whitelist)):
        employers = {str(item): f"Employer {item}" for item in ids}
        room = (can_add or {}).get(kind, limit - len(employers))
        lists[kind] = LiveList(kind=kind, employers=employers, limit=limit, can_add=room)  # type: ignore[arg-type]
    return LiveResume(resume_id=resume_id, document=doc, lists=lists)  # type: ignore[arg-type]


def desired_state(*resumes: DesiredResume) -> DesiredState:
    return DesiredState(root=".", resumes=list(resumes))


def live_state(*resumes: LiveResume, extra_account: tuple[ResumeSummary, ...] = ()) -> LiveState:
    state = LiveState(api_url=API)
    for resume in resumes:
        state.resumes[resume.resume_id] = resume
        state.account.append(ResumeSummary(resume.resume_id, resume.title))
    state.account.extend(extra_account)
    return state
