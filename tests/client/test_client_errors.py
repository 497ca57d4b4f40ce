"""Error answers become typed exceptions with clear messages (pure: no HTTP)."""

from __future__ import annotations

import pytest

from resumesync import __version__
from resumesync.client import (
    DEFAULT_USER_AGENT,
    ApiError,
    AuthError,
    BadJsonDataError,
    BadUserAgentError,
    ClientSettings,
    NotFoundError,
    PublishNotYet,
    RetryEvent,
    TransportError,
    describe_errors,
    error_from_response,
    publish_not_yet,
)
from resumesync.endpoints import resume_write_call


def _oauth(value: str) -> dict[str, object]:
    return {"errors": [{"type": "oauth", "value": value}]}


def test_bad_authorization_says_which_setting_to_fix() -> None:
    error = error_from_response(403, "GET", "/resumes/mine", _oauth("bad_authorization"))
    assert isinstance(error, AuthError)
    assert error.oauth_value == "bad_authorization"
    assert "the token was rejected (bad_authorization): set HH_TOKEN / --token" in str(error)
    assert str(error).startswith("GET /resumes/mine: HTTP 403: ")


def test_expired_token_explains_the_lifetime() -> None:
    error = error_from_response(403, "GET", "/resumes/mine", _oauth("token_expired"))
    assert isinstance(error, AuthError)
    assert "access tokens live 14 days; refresh it" in str(error)


@pytest.mark.parametrize("body", [None, {}, {"errors": []}])
def test_401_without_details_is_an_auth_error(body: object) -> None:
    error = error_from_response(401, "GET", "/resumes/mine", body)
    assert isinstance(error, AuthError)
    assert "set HH_TOKEN / --token" in str(error)


def test_403_without_oauth_is_not_blamed_on_the_token() -> None:
    body = {"errors": [{"type": "forbidden"}]}
    error = error_from_response(403, "PUT", "/resumes/abc", body)
    assert type(error) is ApiError
    assert "forbidden" in str(error)


def test_404_is_not_found() -> None:
    error = error_from_response(404, "GET", "/resumes/abc", {"errors": [{"type": "not_found"}]})
    assert isinstance(error, NotFoundError)
    assert error.status == 404 and error.path == "/resumes/abc"


def test_bad_user_agent_names_the_setting() -> None:
    body = {"errors": [{"type": "bad_user_agent", "value": "blacklisted"}]}
    error = error_from_response(400, "GET", "/resumes/mine", body)
    assert isinstance(error, BadUserAgentError)
    assert "bad_user_agent: blacklisted" in str(error)
    assert "HH_USER_AGENT / --user-agent" in str(error)


def test_bad_json_data_keeps_the_raw_errors_with_their_pointers() -> None:
    raw = [
        {
            "type": "bad_json_data",
            "value": "year",
            "reason": "greater_than_max",
            "pointer": "/education/additional/1/year",
            "description": "Значение выше допустимого",
        },
        {"type": "bad_json_data", "value": "title", "reason": "is_too_long", "pointer": "/title"},
    ]
    error = error_from_response(400, "PUT", "/resumes/abc", {"errors": raw, "request_id": "r1"})
    assert isinstance(error, BadJsonDataError)
    assert error.field_errors == raw
    assert error.types == ("bad_json_data", "bad_json_data")
    assert "at /education/additional/1/year" in str(error)
    assert "title (is_too_long) at /title" in str(error)


def test_publish_429_means_not_yet_but_other_429_do_not() -> None:
    body = {"errors": [{"type": "resumes", "value": "touch_limit_exceeded"}]}
    publish = error_from_response(429, "POST", "/resumes/abc/publish", body)
    assert isinstance(publish, PublishNotYet)
    assert "cannot be published again yet" in str(publish)
    other = error_from_response(429, "GET", "/resumes/abc", body, attempts=6)
    assert type(other) is ApiError
    assert "gave up after 6 attempts" in str(other)


def test_a_5xx_without_json_is_described_by_its_status() -> None:
    error = error_from_response(502, "GET", "/resumes/mine", None)
    assert type(error) is ApiError
    assert str(error) == "GET /resumes/mine: HTTP 502: Bad Gateway"


def test_other_errors_list_every_type_and_value() -> None:
    body = {
        "errors": [{"type": "resumes", "value": "total_limit_exceeded"}, {"type": "bad_argument"}],
        "description": "too many",
    }
    error = error_from_response(400, "POST", "/resumes", body)
    assert str(error) == (
        "POST /resumes: HTTP 400: resumes: total_limit_exceeded; bad_argument (too many)"
    )


def test_describe_errors() -> None:
    assert describe_errors([]) == ""
    assert describe_errors([{"type": "oauth", "value": "token_revoked"}]) == (
        "oauth: token_revoked"
    )


def test_transport_error_names_the_server_and_the_call() -> None:
    error = TransportError("http://127.0.0.1:9", "GET", "/resumes/mine", 6, "ConnectError: refused")
    assert str(error) == (
        "cannot reach http://127.0.0.1:9: GET /resumes/mine failed after 6 attempts: "
        "ConnectError: refused"
    )


def test_settings_never_show_the_token() -> None:
    settings = ClientSettings(token="USERsecret-token-value")
    assert "USERsecret-token-value" not in repr(settings)
    assert settings.user_agent == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith(f"resumesync/{__version__} (+https://")


def test_retry_event_text() -> None:
    event = RetryEvent("GET", "/resumes/mine", 2, 5, "HTTP 503", 1.5)
    assert str(event) == "GET /resumes/mine: HTTP 503; retry 2 of 5 in 1.50s"


def test_the_resume_write_call_lives_in_one_place() -> None:
    assert resume_write_call("abc") == ("PUT", "/resumes/abc")
    assert resume_write_call("a/b") == ("PUT", "/resumes/a%2Fb")


def test_only_touch_limit_exceeded_on_publish_means_not_yet() -> None:
    touch = {"errors": [{"type": "resumes", "value": "touch_limit_exceeded"}]}
    limit = {"errors": [{"type": "too_many_requests"}]}
    assert publish_not_yet(429, "POST", "/resumes/r1/publish", touch)
    assert not publish_not_yet(429, "POST", "/resumes/r1/publish", limit)
    assert not publish_not_yet(429, "POST", "/resumes/r1/publish", None)
    assert not publish_not_yet(429, "POST", "/resumes/r1/blacklist", touch)
    assert not publish_not_yet(400, "POST", "/resumes/r1/publish", touch)
