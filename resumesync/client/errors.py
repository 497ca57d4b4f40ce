"""What the client raises: one exception class per kind of failure, each message free of the
token (the transport redacts them before they leave) and naming the call that failed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx


class ClientError(Exception):
    """Anything the client raises about the API or the network."""


class SettingsError(ClientError):
    """A token, user agent or API URL that cannot be sent: refused before any request."""


class HaltedError(ClientError):
    """Not sent: the apply was interrupted (interrupt.py) before this attempt went out."""


class UnexpectedAnswerError(ClientError):
    """A successful answer that is not what the API documents (too large, not the shape the
    call returns): nothing is built on it."""

    def __init__(self, method: str, path: str, problem: str) -> None:
        self.method = method
        self.path = path
        self.problem = problem
        super().__init__(f"{method} {shown_path(path)}: unexpected answer: {problem}")


class SecretInRequestError(ClientError):
    """A write would carry the token in its path, query or body: refused, nothing sent."""

    def __init__(self, method: str, path: str) -> None:
        super().__init__(
            f"{method} {shown_path(path)} would send the token's value in the request: "
            "refused, nothing was sent"
        )


class TransportError(ClientError):
    """The server could not be reached or dropped the connection, after every retry."""

    def __init__(self, base_url: str, method: str, path: str, attempts: int, cause: str) -> None:
        self.base_url = base_url
        self.method = method
        self.path = path
        self.attempts = attempts
        self.cause = cause
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        call = f"{method} {shown_path(path)}"
        super().__init__(f"cannot reach {base_url}: {call} failed{tries}: {cause}")


class ApiError(ClientError):
    """The server answered with an error status."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        errors: list[dict[str, Any]] | None = None,
        description: str = "",
        *,
        message: str | None = None,
        attempts: int = 1,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.errors = errors or []
        self.description = description
        self.attempts = attempts
        text = message or self._default_message()
        if attempts > 1:
            text += f" (gave up after {attempts} attempts)"
        super().__init__(f"{method} {shown_path(path)}: HTTP {status}: {text}")

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(str(error.get("type")) for error in self.errors if error.get("type"))

    def _default_message(self) -> str:
        details = describe_errors(self.errors)
        if details and self.description:
            return f"{details} ({self.description})"
        return details or self.description or _reason_phrase(self.status)


class AuthError(ApiError):
    """401, or 403 with an `oauth` error: the token is missing, wrong, expired or revoked."""

    @property
    def oauth_value(self) -> str | None:
        for error in self.errors:
            if error.get("type") == "oauth":
                return str(error.get("value") or "") or None
        return None


class NotFoundError(ApiError):
    """404: callers say "resume <id> is not in this account"."""


class BadUserAgentError(ApiError):
    """400 bad_user_agent: the API refuses requests without a proper User-Agent."""


class BadJsonDataError(ApiError):
    """400 bad_json_data: the body was rejected; each error keeps its RFC 6901 `pointer`."""

    @property
    def field_errors(self) -> list[dict[str, Any]]:
        """The bad_json_data entries: `pointer`, `value` (field), `reason`, `description`."""
        return [error for error in self.errors if error.get("type") == "bad_json_data"]


class PublishNotYet(ApiError):
    """429 on publish: hh.ru does not allow renewing the resume yet. Not a failure.

    `maybe_applied` is set when an earlier attempt of the same call lost its connection after
    the request was sent: the 429 then most likely answers our own successful publication.
    """

    maybe_applied: bool = False


def shown_path(path: str) -> str:
    """A call's path for messages: a long query (a DELETE of 100 employer ids) is cut to its
    first parameter and a count, so that the line stays readable."""
    base, _, query = path.partition("?")
    parameters = query.split("&") if query else []
    if len(parameters) <= 3:
        return path
    return f"{base}?{parameters[0]}&… ({len(parameters)} parameters)"


def describe_errors(errors: Iterable[dict[str, Any]]) -> str:
    """The server's error list in one line: "bad_json_data: year (invalid) at /education/..."."""
    parts = []
    for error in errors:
        text = str(error.get("type") or "error")
        if error.get("value") not in (None, ""):
            text += f": {error['value']}"
        if error.get("reason"):
            text += f" ({error['reason']})"
        if error.get("pointer"):
            text += f" at {error['pointer']}"
        parts.append(text)
    return "; ".join(parts)


def _reason_phrase(status: int) -> str:
    try:
        return httpx.codes(status).phrase
    except ValueError:
        return "error"
