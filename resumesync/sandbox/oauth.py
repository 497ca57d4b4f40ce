"""OAuth as authorization_for_user.md documents it: the authorize page, the token endpoint
(`POST /token`, and the older `POST /oauth/token`), revocation, and expiring access tokens.

- `GET /oauth/authorize?response_type=code&client_id=..&state=..&redirect_uri=..` shows a
  consent page; its form (`POST /oauth/authorize`, `decision=allow|deny`) redirects to the
  redirect URI with `code` and `state`, or with `error=access_denied` and `state`.
- Codes are single-use and short-lived. Access tokens expire after `expires_in` seconds of
  the sandbox clock (tests move it); a refresh token works once, and only after its access
  token expired ("token not expired" before). The new pair replaces both.
- `DELETE /oauth/token` revokes a live access token; its refresh token dies with it.

The accounts the sandbox starts with keep their static tokens, which never expire (the
`--sandbox` quick start needs no login). A consent grants access to the first account, or to
the account whose index the form's `account` field names.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from resumesync.sandbox import errors
from resumesync.sandbox.multipart import parse_form
from resumesync.sandbox.state import Request, Response

ACCESS_LIFETIME = 1_209_600.0  # 14 days, as in the docs' example answer
CODE_LIFETIME = 600.0  # "a rather short life"


@dataclass(frozen=True)
class Application:
    """An application registered at dev.hh.ru: its secret and the redirect URI saved in its
    settings."""

    client_secret: str = field(repr=False)
    redirect_uri: str


@dataclass
class Code:
    client_id: str
    account: str  # the key of the account that consented
    redirect_uri: str | None  # as given to /oauth/authorize (must be repeated on exchange)
    expires_at: float
    used: bool = False


@dataclass
class Issued:
    """One access token with its refresh token."""

    account: str
    refresh_token: str = field(repr=False)
    expires_at: float
    revoked: bool = False  # DELETE /oauth/token
    refreshed: bool = False  # its refresh token was spent: both are gone


class OAuthState:
    """Everything the sandbox has issued. Callers hold the sandbox state lock."""

    def __init__(
        self,
        applications: dict[str, Application],
        access_lifetime: float = ACCESS_LIFETIME,
        code_lifetime: float = CODE_LIFETIME,
    ) -> None:
        self.applications = dict(applications)
        self.access_lifetime = access_lifetime
        self.code_lifetime = code_lifetime
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Issued] = {}  # access token -> issue
        self.by_refresh: dict[str, str] = {}  # refresh token -> access token

    def issue(self, account: str, now: float) -> dict[str, object]:
        access, refresh = f"USER{secrets.token_hex(24)}", f"REFR{secrets.token_hex(24)}"
        self.tokens[access] = Issued(account, refresh, now + self.access_lifetime)
        self.by_refresh[refresh] = access
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": int(self.access_lifetime),
            "refresh_token": refresh,
        }

    def new_code(self, client_id: str, account: str, redirect_uri: str | None, now: float) -> str:
        code = secrets.token_hex(16)
        self.codes[code] = Code(client_id, account, redirect_uri, now + self.code_lifetime)
        return code

    def exchange(self, params: dict[str, str], now: float) -> Response:
        """grant_type=authorization_code, with the errors errors.md names."""
        application = self.applications.get(params.get("client_id", ""))
        if application is None or params.get("client_secret") != application.client_secret:
            return oauth_error("invalid_client", "client_id or client_secret not found")
        code = self.codes.get(params.get("code", ""))
        if code is None or code.client_id != params["client_id"]:
            return oauth_error("invalid_request", "code not found")
        if code.used:
            return oauth_error("invalid_grant", "code has already been used")
        if now >= code.expires_at:
            return oauth_error("invalid_grant", "code expired")
        # "if redirect_uri was given at authorization, the same one must be passed"
        if code.redirect_uri and params.get("redirect_uri") != code.redirect_uri:
            return oauth_error("invalid_request", "bad redirect url")
        code.used = True
        return Response(200, self.issue(code.account, now))

    def refresh(self, refresh_token: str, now: float) -> Response:
        """grant_type=refresh_token: once, and only after the access token expired."""
        if not refresh_token:
            return oauth_error("invalid_request", "token is empty")
        access = self.by_refresh.get(refresh_token)
        if access is None:
            return oauth_error("invalid_request", "token not found")
        issued = self.tokens[access]
        if issued.refreshed:
            return oauth_error("invalid_grant", "token has already been refreshed")
        if issued.revoked:
            return oauth_error("invalid_grant", "token was revoked")
        if now < issued.expires_at:
            return oauth_error("invalid_grant", "token not expired")
        issued.refreshed = True
        return Response(200, self.issue(issued.account, now))

    def account_of(self, token: str | None, now: float) -> str:
        """The account of an issued access token; the documented 403s otherwise."""
        issued = self.tokens.get(token or "")
        if issued is None or issued.refreshed:
            raise errors.bad_authorization()
        if issued.revoked:
            raise errors.ApiError(403, [{"type": "oauth", "value": "token_revoked"}])
        if now >= issued.expires_at:
            raise errors.ApiError(403, [{"type": "oauth", "value": "token_expired"}])
        return issued.account


def oauth_error(error: str, description: str, status: int = 400) -> Response:
    """The token endpoint's error body (errors.md, "oauth-get-errors")."""
    return Response(status, {"error": error, "error_description": description})


def redirect_allowed(saved: str, given: str) -> bool:
    """authorization_for_user.md's rules: same scheme, the saved host or a subdomain of it, the
    saved port, the saved path or a path under it; extra query parameters are fine."""
    a, b = urlsplit(saved), urlsplit(given)
    if a.scheme != b.scheme or a.port != b.port or not b.hostname or not a.hostname:
        return False
    if b.hostname != a.hostname and not b.hostname.endswith("." + a.hostname):
        return False
    base = a.path.rstrip("/")
    return b.path == a.path or b.path.rstrip("/") == base or b.path.startswith(base + "/")


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def form_fields(request: Request) -> dict[str, str]:
    """The fields of a urlencoded form body (ValueError for anything else)."""
    content_type = request.headers.get("Content-Type") or ""
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        raise ValueError("the body must be application/x-www-form-urlencoded")
    fields = parse_form(content_type, request.body)
    return {key: value for key, value in fields.items() if isinstance(value, str)}


CONSENT_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>resumesync sandbox: allow access</title></head>
<body>
<h1>Allow the application {client} to use your sandbox account?</h1>
<form method="post" action="/oauth/authorize">
{hidden}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
"""


def consent_page(params: dict[str, str]) -> bytes:
    hidden = "\n".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in params.items()
    )
    text = CONSENT_PAGE.format(client=html.escape(params.get("client_id", "")), hidden=hidden)
    return text.encode("utf-8")
