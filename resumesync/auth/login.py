"""The login: authorization code grant with the user's own application.

    1. the browser opens {oauth_url}/oauth/authorize?response_type=code&client_id=..&state=..
       (&redirect_uri=.. when one is given);
    2. the user consents; hh.ru redirects to the redirect URI with `code` and `state`:
       a loopback URI is received by a one-shot listener (loopback.py), any other is pasted
       (the whole redirect URL, or the bare code);
    3. the code is exchanged at the token endpoint, and the pair is saved in the store.

The library never prompts: the CLI passes the application, and callbacks to show the URL,
open a browser and read a pasted line.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx

from resumesync.auth.endpoint import TokenEndpoint
from resumesync.auth.errors import OAuthError, TokenError
from resumesync.auth.loopback import LoopbackListener, Redirect, redirect_from_query
from resumesync.auth.pair import TokenPair
from resumesync.auth.request import bounded_request
from resumesync.auth.store import StoredPair, TokenStore

DEFAULT_OAUTH_URL = "https://hh.ru"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"
LISTEN_TIMEOUT = 300.0  # seconds for the user to log in and consent
ME_MAX_BYTES = 1024 * 1024  # GET /me is a few kilobytes


@dataclass(frozen=True)
class Application:
    """The user's own application at dev.hh.ru (never one shipped with resumesync)."""

    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class LoginRequest:
    application: Application
    endpoint: TokenEndpoint
    oauth_url: str = DEFAULT_OAUTH_URL
    redirect_uri: str | None = DEFAULT_REDIRECT_URI
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def authorize_url(self) -> str:
        params = {
            "response_type": "code",
            "client_id": self.application.client_id,
            "state": self.state,
        }
        if self.redirect_uri:
            params["redirect_uri"] = self.redirect_uri
        return f"{self.oauth_url.rstrip('/')}/oauth/authorize?{urlencode(params)}"


@dataclass(frozen=True)
class Account:
    """Who the token belongs to (GET /me): shown by login and `auth status`."""

    id: str | None
    name: str


def code_from_paste(text: str, expected_state: str) -> str:
    """The code in a pasted redirect URL (its state checked), or a bare code."""
    text = text.strip()
    if not text:
        raise TokenError("nothing was pasted: nothing was saved")
    if "://" in text or text.startswith("?") or "code=" in text or "error=" in text:
        query = urlsplit(text).query if "://" in text else text.lstrip("?")
        return _code_of(redirect_from_query(query, expected_state))
    if any(character.isspace() for character in text) or len(text) > 512:
        raise TokenError("that is neither the redirect URL nor a code: nothing was saved")
    return text


def _code_of(redirect: Redirect) -> str:
    if redirect.error == "access_denied":
        raise OAuthError(
            "access was denied on hh.ru (access_denied): nothing was saved; run `resumesync "
            "login` again and allow the application",
            "access_denied",
        )
    if redirect.error:
        raise OAuthError(f"hh.ru answered {redirect.error}: nothing was saved", redirect.error)
    assert redirect.code is not None
    return redirect.code


def receive_code(
    request: LoginRequest, open_url: Callable[[str], None], timeout: float = LISTEN_TIMEOUT
) -> str:
    """Listens on the loopback redirect URI, then lets `open_url` send the browser there."""
    assert request.redirect_uri, "a loopback login needs the redirect URI"
    with LoopbackListener(request.redirect_uri, request.state) as listener:
        open_url(request.authorize_url())
        return _code_of(listener.wait(timeout))


def exchange(request: LoginRequest, code: str) -> TokenPair:
    app = request.application
    pair = request.endpoint.exchange(
        client_id=app.client_id,
        client_secret=app.client_secret,
        code=code,
        redirect_uri=request.redirect_uri,
    )
    if not pair.refresh_token:
        raise TokenError("the token endpoint gave no refresh token: this is not a user login")
    return pair


def fetch_account(
    api_url: str, access_token: str, user_agent: str, timeout: float = 30.0
) -> Account:
    """GET /me: the account's id and name (never its contacts)."""
    headers = {
        "Authorization": f"Bearer {access_token}",
        "User-Agent": user_agent,
        "HH-User-Agent": user_agent,
        "Accept": "application/json",
    }
    try:
        answer = bounded_request(
            "GET",
            f"{api_url.rstrip('/')}/me",
            timeout=timeout,
            max_bytes=ME_MAX_BYTES,
            headers=headers,
        )
        body = json.loads(answer.body) if answer.status == 200 and answer.body else None
    except (httpx.HTTPError, ValueError):
        body = None
    if not isinstance(body, dict):
        return Account(None, "(unknown: GET /me failed)")
    names = [body.get(key) for key in ("first_name", "last_name")]
    name = " ".join(str(part) for part in names if isinstance(part, str) and part) or "(no name)"
    account_id = body.get("id")
    return Account(str(account_id) if account_id is not None else None, name)


def save_pair(store: TokenStore, key: str, pair: TokenPair, account: Account) -> None:
    with store.locked():
        store.save(key, StoredPair(pair, account.id))


def expiry_text(expires_at: float | None, now: float | None = None) -> str:
    if expires_at is None:
        return "unknown (found out on first use)"
    now = time.time() if now is None else now
    moment = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(expires_at))
    if expires_at <= now:
        return f"{moment} (expired: refreshed on next use)"
    days = (expires_at - now) / 86400
    return f"{moment} (in {days:.1f} days)"
