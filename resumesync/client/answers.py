"""Error answers -> typed exceptions (errors.md): which class, and a message that tells the
user what to do. Pure: the transport hands in the status and the parsed body."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from resumesync.client.errors import (
    ApiError,
    AuthError,
    BadJsonDataError,
    BadUserAgentError,
    NotFoundError,
    PublishNotYet,
)

_OAUTH_MESSAGES = {
    "bad_authorization": (
        "the token was rejected (bad_authorization): set HH_TOKEN / --token, "
        "or run `resumesync login`"
    ),
    "token_expired": (
        "the token has expired (token_expired): access tokens live 14 days; refresh it "
        "and set HH_TOKEN / --token, or use `resumesync login`, whose pair refreshes itself"
    ),
    "token_revoked": (
        "the token was revoked (token_revoked): run `resumesync login` again, "
        "or set a new HH_TOKEN / --token"
    ),
    "application_not_found": (
        "the application that issued the token was deleted (application_not_found): "
        "get a new token and set HH_TOKEN / --token"
    ),
    "user_auth_expected": (
        "this is an application token (user_auth_expected): these methods need the account "
        "holder's token in HH_TOKEN / --token"
    ),
}


def error_from_response(
    status: int,
    method: str,
    path: str,
    body: Any,
    *,
    attempts: int = 1,
) -> ApiError:
    """The typed exception for an error answer (body: the parsed JSON, or None)."""
    errors: list[dict[str, Any]] = []
    description = ""
    if isinstance(body, dict):
        raw = body.get("errors")
        if isinstance(raw, list):
            errors = [error for error in raw if isinstance(error, dict)]
        if isinstance(body.get("description"), str):
            description = body["description"]
    types = {str(error.get("type")) for error in errors}
    args = (status, method, path, errors, description)
    if status == 401 or (status == 403 and "oauth" in types):
        values = [str(e.get("value") or "") for e in errors if e.get("type") == "oauth"]
        value = next((v for v in values if v), "")
        message = _OAUTH_MESSAGES.get(
            value, f"the token was rejected ({value or status}): set HH_TOKEN / --token"
        )
        return AuthError(*args, message=message)
    if status == 404:
        return NotFoundError(*args, message="not found")
    if status == 400 and "bad_user_agent" in types:
        value = next((str(e.get("value")) for e in errors if e.get("type") == "bad_user_agent"), "")
        message = (
            f"the API rejected the User-Agent (bad_user_agent: {value or 'unset'}): set "
            "HH_USER_AGENT / --user-agent to something like 'myapp/1.0 (me@example.com)'"
        )
        return BadUserAgentError(*args, message=message)
    if status == 400 and "bad_json_data" in types:
        return BadJsonDataError(*args)
    if publish_not_yet(status, method, path, body):
        return PublishNotYet(*args, message="the resume cannot be published again yet")
    return ApiError(*args, attempts=attempts)


def _is_publish(method: str, path: str) -> bool:
    return method.upper() == "POST" and urlsplit(path).path.rstrip("/").endswith("/publish")


def publish_not_yet(status: int, method: str, path: str, body: Any) -> bool:
    """A publish answered 429 `touch_limit_exceeded`: renewing is not allowed yet. Any other
    429 (the per-IP request limit) is retried like on every other call."""
    if status != 429 or not _is_publish(method, path) or not isinstance(body, dict):
        return False
    errors = body.get("errors") or []
    return any(isinstance(e, dict) and e.get("value") == "touch_limit_exceeded" for e in errors)


def token_expired(status: int, body: Any) -> bool:
    """403 oauth/token_expired (errors.md): the access token's life is over."""
    if status != 403 or not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return False
    return any(
        isinstance(error, dict)
        and error.get("type") == "oauth"
        and error.get("value") == "token_expired"
        for error in body["errors"]
    )
