"""The API's paths, in one place for the planner (which writes them into plans) and the client.

The spec deprecates `PUT /resumes/{id}` in favour of `PUT /resume_profile/{id}`: when the API
moves, `resume_write_call` is the one line to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from resumesync.model import ListKind


def segment(value: str) -> str:
    return quote(str(value), safe="")


def resume_path(resume_id: str) -> str:
    return f"/resumes/{segment(resume_id)}"


def resume_write_call(resume_id: str) -> tuple[str, str]:
    """The method and path that save a resume's fields."""
    return "PUT", resume_path(resume_id)


def list_path(resume_id: str, kind: ListKind) -> str:
    return f"{resume_path(resume_id)}/{kind}"


def list_employers_path(resume_id: str, kind: ListKind, employers: Iterable[str]) -> str:
    """DELETE .../employer?id=..&id=.. (the id parameter repeats)."""
    query = "&".join(f"id={segment(employer)}" for employer in employers)
    return f"{list_path(resume_id, kind)}/employer?{query}"


def publish_path(resume_id: str) -> str:
    return f"{resume_path(resume_id)}/publish"


def metro_path(city_id: str) -> str:
    """GET /metro/{city_id}: the metro lines and stations of one city (area)."""
    return f"/metro/{segment(city_id)}"


def create_resume_path(source_resume_id: str | None = None) -> str:
    """POST /resumes creates a resume; `?source_resume_id=` makes it a copy of that one."""
    if source_resume_id is None:
        return "/resumes"
    return f"/resumes?source_resume_id={segment(source_resume_id)}"


def creation_availability_path() -> str:
    return "/resumes/creation_availability"


def new_resume_conditions_path() -> str:
    return "/resume_conditions"


def artifacts_path(artifact_type: str | None = None) -> str:
    """POST /artifacts uploads; GET /artifacts/{photo,portfolio} lists."""
    return "/artifacts" if artifact_type is None else f"/artifacts/{segment(artifact_type)}"


def artifact_conditions_path(artifact_type: str) -> str:
    return f"{artifacts_path(artifact_type)}/conditions"


def artifact_path(artifact_id: str) -> str:
    """PUT (description) and DELETE of one artifact."""
    return f"/artifacts/{segment(artifact_id)}"
