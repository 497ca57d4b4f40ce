"""The sandbox's OAuth endpoints behave as authorization_for_user.md and errors.md say."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from .conftest import STATIC_TOKEN, OAuthSandbox
from .support import AGENT, CLIENT_ID, CLIENT_SECRET, consent, grant_pair

FOURTEEN_DAYS = 14 * 24 * 3600


def _app(sandbox: OAuthSandbox) -> httpx.Client:
    return httpx.Client(base_url=sandbox.url, headers={"HH-User-Agent": AGENT}, timeout=10)


def _authorize(sandbox: OAuthSandbox, state: str = "xyz") -> str:
    return (
        f"{sandbox.url}/oauth/authorize?response_type=code&client_id={CLIENT_ID}"
        f"&state={state}&redirect_uri={sandbox.redirect_uri}"
    )


def _exchange(app: httpx.Client, sandbox: OAuthSandbox, code: str, **extra: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code,
        "redirect_uri": sandbox.redirect_uri,
        **extra,
    }
    return app.post("/token", data=form)


def _refresh(app: httpx.Client, refresh_token: str) -> httpx.Response:
    return app.post("/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token})


def _me(app: httpx.Client, token: str) -> httpx.Response:
    return app.get("/me", headers={"Authorization": f"Bearer {token}"})


def test_consent_redirects_with_code_and_state_and_denial_with_access_denied(
    oauth: OAuthSandbox,
) -> None:
    allowed = urlsplit(consent(_authorize(oauth, "st-1")))
    assert f"{allowed.scheme}://{allowed.netloc}{allowed.path}" == oauth.redirect_uri
    query = parse_qs(allowed.query)
    assert query["state"] == ["st-1"] and len(query["code"][0]) >= 16
    denied = parse_qs(urlsplit(consent(_authorize(oauth, "st-2"), "deny")).query)
    assert denied == {"error": ["access_denied"], "state": ["st-2"]}


def test_authorize_refuses_unknown_clients_and_foreign_redirects(oauth: OAuthSandbox) -> None:
    with _app(oauth) as app:
        unknown = app.get("/oauth/authorize?response_type=code&client_id=nobody")
        assert unknown.status_code == 400
        foreign = app.get(
            f"/oauth/authorize?response_type=code&client_id={CLIENT_ID}"
            "&redirect_uri=http://evil.example/callback"
        )
        assert foreign.json()["errors"] == [{"type": "bad_argument", "value": "redirect_uri"}]


def test_a_code_works_once_and_only_for_a_short_time(oauth: OAuthSandbox) -> None:
    with _app(oauth) as app:
        code = parse_qs(urlsplit(consent(_authorize(oauth))).query)["code"][0]
        first = _exchange(app, oauth, code)
        assert first.status_code == 200
        body = first.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == FOURTEEN_DAYS
        again = _exchange(app, oauth, code)
        assert again.status_code == 400
        assert again.json() == {
            "error": "invalid_grant",
            "error_description": "code has already been used",
        }
        late = parse_qs(urlsplit(consent(_authorize(oauth))).query)["code"][0]
        oauth.clock.advance(601)
        assert _exchange(app, oauth, late).json()["error_description"] == "code expired"
        wrong = _exchange(app, oauth, "nonsense", client_secret="wrong")
        assert wrong.json()["error"] == "invalid_client"
        assert _exchange(app, oauth, "nonsense").json() == {
            "error": "invalid_request",
            "error_description": "code not found",
        }


def test_access_tokens_expire_and_refresh_only_after_expiry_and_once(oauth: OAuthSandbox) -> None:
    pair = grant_pair(oauth.url, oauth.redirect_uri)
    with _app(oauth) as app:
        assert _me(app, pair["access_token"]).json()["first_name"] == "Sandbox"
        early = _refresh(app, pair["refresh_token"])
        assert early.status_code == 400
        assert early.json()["error_description"] == "token not expired"
        oauth.clock.advance(FOURTEEN_DAYS)
        expired = _me(app, pair["access_token"])
        assert expired.status_code == 403
        assert expired.json()["errors"] == [{"type": "oauth", "value": "token_expired"}]
        renewed = _refresh(app, pair["refresh_token"])
        assert renewed.status_code == 200
        new = renewed.json()
        assert new["access_token"] != pair["access_token"]
        assert _me(app, new["access_token"]).status_code == 200
        spent = _refresh(app, pair["refresh_token"])
        assert spent.json() == {
            "error": "invalid_grant",
            "error_description": "token has already been refreshed",
        }
        assert _me(app, pair["access_token"]).status_code == 403  # the old pair is gone
        assert app.post("/token", data={"grant_type": "password"}).json()["error"] == (
            "unsupported_grant_type"
        )


def test_revoked_token_is_refused_and_cannot_be_refreshed(oauth: OAuthSandbox) -> None:
    pair = grant_pair(oauth.url, oauth.redirect_uri)
    with _app(oauth) as app:
        bearer = {"Authorization": f"Bearer {pair['access_token']}"}
        assert app.delete("/oauth/token", headers=bearer).status_code == 204
        refused = _me(app, pair["access_token"])
        assert refused.json()["errors"] == [{"type": "oauth", "value": "token_revoked"}]
        oauth.clock.advance(FOURTEEN_DAYS)
        assert _refresh(app, pair["refresh_token"]).json()["error_description"] == (
            "token was revoked"
        )


def test_seed_tokens_never_expire(oauth: OAuthSandbox) -> None:
    oauth.clock.advance(365 * 24 * 3600)
    with _app(oauth) as app:
        assert _me(app, STATIC_TOKEN).status_code == 200
        assert (
            app.delete(
                "/oauth/token", headers={"Authorization": f"Bearer {STATIC_TOKEN}"}
            ).status_code
            == 204
        )
        assert _me(app, STATIC_TOKEN).status_code == 200


def test_the_request_log_never_shows_the_token_endpoint_secrets(oauth: OAuthSandbox) -> None:
    grant_pair(oauth.url, oauth.redirect_uri)
    (exchange,) = oauth.token_requests()
    assert exchange.body["client_secret"] == "(secret)" and exchange.body["code"] == "(secret)"
    assert exchange.body["grant_type"] == "authorization_code"


def test_serve_registers_an_application_from_the_environment() -> None:
    from resumesync.sandbox import SandboxConfig

    config = SandboxConfig().with_env(
        {"HH_SANDBOX_CLIENT_ID": "mine", "HH_SANDBOX_CLIENT_SECRET": "also-mine"}
    )
    (application,) = config.applications.values()
    assert config.applications.keys() == {"mine"}
    assert application.redirect_uri == "http://127.0.0.1:8765/callback"
    assert "also-mine" not in repr(application)
    import pytest

    with pytest.raises(ValueError, match="HH_SANDBOX_CLIENT_SECRET"):
        SandboxConfig().with_env({"HH_SANDBOX_CLIENT_ID": "mine"})
