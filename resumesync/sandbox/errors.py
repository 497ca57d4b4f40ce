"""Error answers in the shapes that errors.md and the official spec give them.

An endpoint raises ApiError; the HTTP layer turns it into the status, headers and
`{"errors": [...]}` body (plus the `request_id` every error body carries in the spec).
Descriptions never repeat the submitted values: they may be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer to the given path."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


@dataclass(frozen=True)
class FieldError:
    """One violation in a resume body: becomes one `bad_json_data` error."""

    pointer: str
    reason: str
    description: str

    @property
    def field(self) -> str:
        """The top-level field the pointer is in (the error's `value`)."""
        return self.pointer.split("/")[1].replace("~1", "/").replace("~0", "~")

    def to_json(self) -> dict[str, str]:
        return {
            "type": "bad_json_data",
            "value": self.field,
            "reason": self.reason,
            "description": self.description,
            "pointer": self.pointer,
        }


@dataclass
class ApiError(Exception):
    status: int
    errors: list[dict[str, Any]]
    headers: dict[str, str] = field(default_factory=dict)
    description: str | None = None

    def body(self, request_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {"errors": self.errors, "request_id": request_id}
        if self.description:
            body["description"] = self.description
        return body


def not_found() -> ApiError:
    return ApiError(404, [{"type": "not_found"}])


def bad_request(description: str | None = None) -> ApiError:
    return ApiError(400, [{"type": "bad_request"}], description=description)


def bad_argument(name: str, reason: str | None = None) -> ApiError:
    error = {"type": "bad_argument", "value": name}
    if reason:
        error["reason"] = reason
    return ApiError(400, [error])


def bad_json_data(errors: list[FieldError]) -> ApiError:
    return ApiError(400, [error.to_json() for error in errors])


def bad_authorization() -> ApiError:
    return ApiError(403, [{"type": "oauth", "value": "bad_authorization"}])


def bad_user_agent() -> ApiError:
    return ApiError(400, [{"type": "bad_user_agent", "value": "unset"}])


def touch_limit_exceeded() -> ApiError:
    """Publishing before next_publish_at."""
    return ApiError(429, [{"type": "resumes", "value": "touch_limit_exceeded"}])


def visibility_error(value: str, kind: str = "resume_visibility_list") -> ApiError:
    return ApiError(400, [{"type": kind, "value": value}])


def artifact_error(value: str, status: int = 400) -> ApiError:
    return ApiError(status, [{"type": "artifacts", "value": value}])
