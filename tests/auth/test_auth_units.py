"""Pure pieces of the auth package: pasted redirects, token answers, the endpoint rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.auth.endpoint import oauth_error, token_url_problem
from resumesync.auth.errors import LoginRequired, OAuthError, TokenError
from resumesync.auth.login import code_from_paste
from resumesync.auth.pair import TokenPair
from resumesync.sandbox.oauth import redirect_allowed
from resumesync.settings import refresh_variable

CODES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789-_", min_size=1, max_size=64)


@settings(derandomize=True, max_examples=50)
@given(code=CODES, state=CODES)
def test_a_pasted_redirect_url_or_bare_code_gives_the_code(code: str, state: str) -> None:
    assert (
        code_from_paste(f"http://127.0.0.1:8765/callback?code={code}&state={state}\n", state)
        == code
    )
    assert code_from_paste(f"  {code}  ", state) == code


def test_a_pasted_redirect_with_another_state_or_an_error_is_refused() -> None:
    with pytest.raises(TokenError, match="state"):
        code_from_paste("https://example.org/cb?code=abc&state=theirs", "ours")
    with pytest.raises(OAuthError, match="access_denied"):
        code_from_paste("https://example.org/cb?error=access_denied&state=ours", "ours")


def test_expires_in_gives_the_expiry() -> None:
    body = {
        "access_token": "a",
        "refresh_token": "r",
        "expires_in": 1209600,
        "token_type": "bearer",
    }
    pair = TokenPair.from_response(body, now=1000.0)
    assert pair.expires_at == 1210600.0
    assert not pair.expired(1210599.0) and pair.expired(1210600.0)
    assert "ACCESS1" not in repr(pair) and "REFRESH1" not in repr(pair)
    for bad in ({}, {"access_token": 5}, {"access_token": "a", "expires_in": "soon"}):
        with pytest.raises(ValueError):
            TokenPair.from_response(bad, now=0.0)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.hh.ru/token", True),
        ("https://hh.ru/oauth/token", True),
        ("http://127.0.0.1:5000/token", True),
        ("http://api.hh.ru/token", False),
        ("https://api.hh.ru.evil.example/token", False),
        ("https://evilhh.ru/token", False),
        ("ftp://127.0.0.1/token", False),
        ("https://other.hh.ru/token", False),
        ("https://api.hh.ru:8443/token", False),
        ("https://user:secret@api.hh.ru/token", False),
    ],
)
def test_the_token_endpoint_is_https_on_hh_ru_or_loopback(url: str, allowed: bool) -> None:
    assert (token_url_problem(url) is None) == allowed


def test_invalid_grant_asks_for_a_login_and_token_not_expired_does_not() -> None:
    spent = oauth_error(
        {"error": "invalid_grant", "error_description": "token has already been refreshed"}, 400
    )
    assert isinstance(spent, LoginRequired) and "run `resumesync login` again" in str(spent)
    early = oauth_error({"error": "invalid_grant", "error_description": "token not expired"}, 400)
    assert not isinstance(early, LoginRequired) and early.description == "token not expired"
    client = oauth_error({"error": "invalid_client", "error_description": "x"}, 400)
    assert "HH_CLIENT_ID" in str(client)
    assert "HTTP 502" in str(oauth_error(None, 502))


def test_each_profile_token_variable_has_its_refresh_variable() -> None:
    assert refresh_variable("HH_TOKEN") == "HH_REFRESH_TOKEN"
    assert refresh_variable("HH_TOKEN_BORIS") == "HH_REFRESH_TOKEN_BORIS"
    assert refresh_variable("ANNA_TOKEN") == "ANNA_TOKEN_REFRESH"


@settings(derandomize=True, max_examples=50)
@given(sub=st.lists(st.sampled_from(["a", "b", "cb", "x1"]), max_size=3))
def test_redirects_under_the_saved_path_are_allowed_and_others_not(sub: list[str]) -> None:
    saved = "http://127.0.0.1:8765/callback"
    assert redirect_allowed(saved, "/".join([saved, *sub]))
    assert not redirect_allowed(saved, "/".join(["http://127.0.0.1:8766/callback", *sub]))
    assert not redirect_allowed(saved, "/".join(["https://127.0.0.1:8765/callback", *sub]))
    assert not redirect_allowed(saved, "http://127.0.0.1:8765/callbacks")
