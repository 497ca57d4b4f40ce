"""What the sandbox's request log keeps of each request: never a token, never a secret form
field, at most MAX_LOGGED_BODY_BYTES of a body."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from resumesync.sandbox.multipart import FormFile, parse_form
from resumesync.sandbox.state import Request

# Safe to leave running: the log keeps at most this much of each body (the newest
# `log_limit` entries).
MAX_LOGGED_BODY_BYTES = 256 * 1024

# Token endpoint fields the log never shows, as it never shows bearer tokens.
SECRET_FORM_FIELDS = frozenset({"client_secret", "code", "refresh_token", "access_token"})


@dataclass(frozen=True)
class LoggedRequest:
    """One request the sandbox answered (or dropped). The token is kept for tests that check
    which profile was used, and never shown: not in repr, not over HTTP."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    body: Any
    token: str | None = field(default=None, repr=False)
    account_index: int | None = None
    user_agent: str = ""
    dropped: bool = False  # the connection was closed after the write, without an answer
    # "rate_limit", "error" or "drop" when injected; "hold" when a test hold dropped it
    # (status 0: held before it was looked at, so never applied)
    fault: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "body": self.body,
            "account": self.account_index,
            "user_agent": self.user_agent,
            "dropped": self.dropped,
            "fault": self.fault,
        }


def logged_body(request: Request) -> Any:
    """The request body as the log shows it: parsed JSON, form fields, or None."""
    if not request.body:
        return None
    content_type = request.headers.get("Content-Type") or ""
    if len(request.body) > MAX_LOGGED_BODY_BYTES and not content_type.startswith(
        "multipart/form-data"
    ):
        return {"not_logged": "body too large", "size": len(request.body)}
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            form = parse_form(content_type, request.body)
            return {
                name: (
                    {"filename": value.filename, "size": len(value.content)}
                    if isinstance(value, FormFile)
                    else "(secret)"
                    if name in SECRET_FORM_FIELDS
                    else value
                )
                for name, value in form.items()
            }
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return request.body.decode("utf-8", "replace")
