"""The OAuth endpoints: the authorize page and its form, the token endpoint, revocation, /me.

The rules live in oauth.py; these functions read the request and answer it.
"""

from __future__ import annotations

from resumesync.sandbox import errors
from resumesync.sandbox.calls import Call
from resumesync.sandbox.oauth import (
    OAuthState,
    consent_page,
    form_fields,
    oauth_error,
    redirect_allowed,
    with_query,
)
from resumesync.sandbox.state import Response

AUTHORIZE_PARAMETERS = ("response_type", "client_id", "state", "redirect_uri")


def _oauth(call: Call) -> OAuthState:
    return call.state.oauth


def _checked_authorize(call: Call, params: dict[str, str]) -> str:
    """The redirect target of an authorize request; 400 for a request hh.ru would refuse."""
    if params.get("response_type") != "code":
        raise errors.bad_argument("response_type")
    application = _oauth(call).applications.get(params.get("client_id", ""))
    if application is None:
        raise errors.bad_argument("client_id")
    given = params.get("redirect_uri")
    if given and not redirect_allowed(application.redirect_uri, given):
        raise errors.bad_argument("redirect_uri")
    return given or application.redirect_uri


def authorize_page(call: Call) -> Response:
    params = {key: values[-1] for key, values in call.request.query.items() if values}
    _checked_authorize(call, params)
    shown = {key: params[key] for key in AUTHORIZE_PARAMETERS if key in params}
    return Response(200, consent_page(shown), {"Content-Type": "text/html; charset=UTF-8"})


def authorize_decision(call: Call) -> Response:
    try:
        params = form_fields(call.request)
    except ValueError:
        raise errors.bad_request("the consent form is a urlencoded form") from None
    target = _checked_authorize(call, params)
    state = {"state": params["state"]} if params.get("state") else {}
    if params.get("decision") != "allow":
        return Response(302, None, {"Location": with_query(target, error="access_denied", **state)})
    accounts = call.state.tokens
    try:
        account = accounts[int(params.get("account") or 0)]
    except (ValueError, IndexError):
        raise errors.bad_argument("account") from None
    code = _oauth(call).new_code(
        params["client_id"], account, params.get("redirect_uri"), call.state.now()
    )
    return Response(302, None, {"Location": with_query(target, code=code, **state)})


def token(call: Call) -> Response:
    """POST /token (and the older POST /oauth/token): exchange a code, or refresh a pair."""
    try:
        params = form_fields(call.request)
    except ValueError:
        return oauth_error("invalid_request", "bad request")
    grant = params.get("grant_type")
    oauth, now = _oauth(call), call.state.now()
    if grant == "authorization_code":
        return oauth.exchange(params, now)
    if grant == "refresh_token":
        return oauth.refresh(params.get("refresh_token", ""), now)
    return oauth_error("unsupported_grant_type", "unsupported grant_type")


def revoke(call: Call) -> Response:
    """DELETE /oauth/token: only a live user token; the accounts' static tokens (the quick
    start's) are not issued by OAuth and stay valid."""
    oauth = _oauth(call)
    issued = oauth.tokens.get(call.bearer or "")
    if issued is not None:
        issued.revoked = True
    return Response(204)


def me(call: Call) -> Response:
    index = call.state.tokens.index(call.token or "")
    return Response(
        200,
        {
            "auth_type": "applicant",
            "id": f"{10_000_001 + index}",
            "first_name": "Sandbox",
            "last_name": f"Applicant {index + 1}",
            "middle_name": None,
            "is_applicant": True,
            "is_employer": False,
            "is_admin": False,
            "is_application": False,
            "is_anonymous": False,
        },
    )
