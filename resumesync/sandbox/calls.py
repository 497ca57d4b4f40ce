"""Calls: routing and the checks every call shares (user agent, then token).

An endpoint is a function of a Call (the request, the caller's account, the sandbox state)
that returns a Response or raises ApiError. Endpoints run under the state lock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from resumesync.sandbox import errors
from resumesync.sandbox.account import Account, Resume
from resumesync.sandbox.render import View
from resumesync.sandbox.state import Request, Response, SandboxState

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
# Default agents of HTTP libraries: hh.ru wants the application named (errors.md,
# bad_user_agent/blacklisted), which is what HH-User-Agent is for.
LIBRARY_AGENTS = re.compile(r"^(python-httpx|python-requests|python-urllib|aiohttp)\b", re.I)


@dataclass
class Call:
    request: Request
    state: SandboxState
    base_url: str
    token: str | None  # the key of the caller's account (None when the token opens none)
    params: dict[str, str]
    bearer: str | None = None  # the token as sent

    @property
    def account(self) -> Account:
        assert self.token is not None, "routes that need an account check the token"
        return self.state.accounts[self.token]

    @property
    def view(self) -> View:
        return View(self.base_url, self.state.now(), self.state.dictionaries)

    def resume(self) -> Resume:
        resume = self.account.resumes.get(self.params["resume_id"])
        if resume is None:
            raise errors.not_found()
        return resume

    def json_body(self) -> Any:
        try:
            return json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise errors.bad_request("the body is not valid JSON") from None

    def page(self, default_per_page: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
        page = _integer(self.request.query, "page", 0)
        per_page = _integer(self.request.query, "per_page", default_per_page)
        if page < 0:
            raise errors.bad_argument("page")
        if not 0 < per_page <= MAX_PER_PAGE:
            raise errors.bad_argument("per_page")
        return page, per_page


def _integer(query: dict[str, list[str]], name: str, default: int) -> int:
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[-1])
    except ValueError:
        raise errors.bad_argument(name) from None


Endpoint = Callable[[Call], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    endpoint: Endpoint
    needs_token: bool = True


def route(method: str, path: str, endpoint: Endpoint, needs_token: bool = True) -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
    return Route(method, re.compile(f"^{regex}$"), endpoint, needs_token)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization") or ""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def user_agent(request: Request) -> str:
    """HH-User-Agent wins over User-Agent when both are sent."""
    return (request.headers.get("HH-User-Agent") or request.headers.get("User-Agent") or "").strip()


def dispatch(routes: list[Route], request: Request, state: SandboxState, base_url: str) -> Response:
    matches = [
        (candidate, match)
        for candidate in routes
        if (match := candidate.pattern.match(request.path))
    ]
    if not matches:
        raise errors.not_found()
    chosen = next(
        ((candidate, match) for candidate, match in matches if candidate.method == request.method),
        None,
    )
    if chosen is None:
        raise errors.ApiError(405, [{"type": "method_not_allowed"}])
    agent = user_agent(request)
    if not agent:
        raise errors.bad_user_agent()
    if LIBRARY_AGENTS.match(agent):
        raise errors.ApiError(400, [{"type": "bad_user_agent", "value": "blacklisted"}])
    endpoint_route, match = chosen
    token = bearer_token(request)
    with state.lock:
        try:
            account = state.account_key(token)
        except errors.ApiError:
            if endpoint_route.needs_token:
                raise
            account = None
        call = Call(request, state, base_url, account, match.groupdict(), bearer=token)
        return endpoint_route.endpoint(call)
