"""The token endpoint: exchanging a code and refreshing a pair, form-encoded as documented
(authorization_for_user.md), and its errors (errors.md, "oauth-get-errors") as messages that
say what to do.

The default endpoint is `{API URL}/token`, the one the spec names as current
(`POST https://hh.ru/oauth/token` is the older one). The refresh token is a credential: the
endpoint must be https on an hh.ru host, or loopback (the sandbox), whoever configured it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from resumesync.auth.errors import LOGIN_AGAIN, LoginRequired, OAuthError, TokenError
from resumesync.auth.pair import TokenPair
from resumesync.auth.request import bounded_request
from resumesync.hosts import hh_url_problem

MAX_ANSWER_BYTES = 64 * 1024  # a token answer is a few hundred bytes


def default_token_url(api_url: str) -> str:
    return f"{api_url.rstrip('/')}/token"


def token_url_problem(url: str) -> str | None:
    """Why `url` may not receive credentials (None: it may): the one rule of hosts.py, https
    on an hh.ru API host (api.hh.ru, hh.ru) or loopback."""
    why = hh_url_problem(url)
    if why is None:
        return None
    return f"the token endpoint {url} is {why}: the refresh token is only ever sent to hh.ru"


# error_description -> what to do; `None` keys are the fallbacks per error.
_INVALID_GRANT = {
    "token has already been refreshed": (
        "this refresh token was already used (invalid_grant: token has already been "
        "refreshed): another process or run refreshed the pair and kept the new one"
    ),
    "token was revoked": "the token was revoked (invalid_grant: token was revoked)",
    "token deactivated": (
        "the token was deactivated after a password change (invalid_grant: token deactivated)"
    ),
    "bad token": "hh.ru does not accept this refresh token (invalid_grant: bad token)",
    "code has already been used": (
        "the authorization code was already used (invalid_grant: code has already been used)"
    ),
    "code expired": "the authorization code expired (invalid_grant: code expired)",
    "code was revoke": "the authorization code was revoked (invalid_grant: code was revoke)",
}
_INVALID_REQUEST = {
    "account not found": (
        "hh.ru does not know this client_id and client_secret (invalid_request: account not "
        "found): check HH_CLIENT_ID and HH_CLIENT_SECRET against your application at "
        "https://dev.hh.ru/admin"
    ),
    "account is locked": (
        "the hh.ru account is locked (invalid_request: account is locked): write to hh.ru "
        "support (api@hh.ru)"
    ),
    "password invalidated": (
        "the account's password has expired (invalid_request: password invalidated): set a "
        "new one at https://hh.ru, then run `resumesync login` again"
    ),
    "login not verified": (
        "the hh.ru account is not verified (invalid_request: login not verified): contact "
        "hh.ru support"
    ),
    "bad redirect url": (
        "the redirect URI is not the one saved in the application's settings (invalid_request: "
        "bad redirect url): use the redirect URI of your application at https://dev.hh.ru/admin"
    ),
    "token is empty": "no refresh token was sent (invalid_request: token is empty)",
    "token not found": "hh.ru does not know this refresh token (invalid_request: token not found)",
    "code not found": (
        "hh.ru does not know this authorization code (invalid_request: code not found)"
    ),
}
_NEEDS_LOGIN = {
    *_INVALID_GRANT,
    "token is empty",
    "token not found",
    "code not found",
}


def oauth_error(body: Any, status: int) -> OAuthError:
    """The exception for an error answer of the token endpoint."""
    error = str(body.get("error") or "") if isinstance(body, Mapping) else ""
    description = str(body.get("error_description") or "") if isinstance(body, Mapping) else ""
    key = description.strip()
    if error == "invalid_grant" and key == "token not expired":
        return OAuthError(
            "hh.ru refreshes a pair only after its access token expired (invalid_grant: token "
            "not expired): use the access token until then",
            error,
            key,
        )
    if error == "invalid_grant" or (error == "invalid_request" and key in _NEEDS_LOGIN):
        text = _INVALID_GRANT.get(key) or _INVALID_REQUEST.get(key) or f"{error}: {key}"
        exception: OAuthError = LoginRequired(f"{text}; {LOGIN_AGAIN}")  # type: ignore[assignment]
        exception.error, exception.description = error, key
        return exception
    if error == "invalid_request" and key in _INVALID_REQUEST:
        return OAuthError(_INVALID_REQUEST[key], error, key)
    if error == "invalid_client":
        return OAuthError(
            "hh.ru does not know this client_id or client_secret (invalid_client): check "
            "HH_CLIENT_ID and HH_CLIENT_SECRET against your application at "
            "https://dev.hh.ru/admin",
            error,
            key,
        )
    if error:
        return OAuthError(f"the token endpoint refused: {error}: {key or status}", error, key)
    return OAuthError(f"the token endpoint answered HTTP {status}", "", "")


@dataclass(frozen=True)
class TokenEndpoint:
    url: str
    user_agent: str
    timeout: float = 30.0
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def __post_init__(self) -> None:
        problem = token_url_problem(self.url)
        if problem:
            raise TokenError(problem)

    def exchange(
        self, *, client_id: str, client_secret: str, code: str, redirect_uri: str | None
    ) -> TokenPair:
        form = {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "client_secret": client_secret,
            "code": code,
        }
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        return self._post(form)

    def refresh(self, refresh_token: str) -> TokenPair:
        return self._post({"grant_type": "refresh_token", "refresh_token": refresh_token})

    def _post(self, form: dict[str, str]) -> TokenPair:
        secrets = [value for name, value in form.items() if name != "grant_type"]
        headers = {"User-Agent": self.user_agent, "HH-User-Agent": self.user_agent}
        try:
            # One attempt: a refresh whose answer was lost may have spent the refresh token,
            # and a second one would then only get "token has already been refreshed".
            answer = bounded_request(
                "POST",
                self.url,
                timeout=self.timeout,
                max_bytes=MAX_ANSWER_BYTES,
                headers=headers,
                data=form,
            )
        except httpx.HTTPError as error:
            raise TokenError(
                f"cannot reach the token endpoint {self.url}: {_redact(str(error), secrets)}"
            ) from None
        body: Any = None
        if answer.body is not None:
            try:
                body = json.loads(answer.body)
            except ValueError:
                body = None
        if answer.status != 200:
            error = oauth_error(body, answer.status)
            error.args = (_redact(str(error), secrets),)
            raise error
        if not isinstance(body, dict):
            raise TokenError(f"the token endpoint {self.url} answered with no token pair")
        try:
            return TokenPair.from_response(body, self.clock())
        except ValueError as error:
            raise TokenError(f"{self.url}: {error}") from None


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "(secret)")
    return text
