"""Pure parts of the applier: RFC 6901 pointers -> paths, and how changes are described."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.applier import (
    ApplyEvent,
    ApplyResult,
    ChangeOutcome,
    EventKind,
    Outcome,
    describe_change,
    path_to_pointer,
    pointer_to_path,
)
from resumesync.client import RetryEvent, error_from_response
from resumesync.model import Action, Change


@pytest.mark.parametrize(
    ("pointer", "path"),
    [
        ("/education/additional/1/year", ("education", "additional", 1, "year")),
        ("", ()),
        ("/", ("",)),
        ("/title", ("title",)),
        ("/a~1b", ("a/b",)),
        ("/m~0n", ("m~n",)),
        ("/~01", ("~1",)),  # ~0 is unescaped last: "~01" is "~1", not "/"
        ("/experience/01", ("experience", "01")),  # not an array index in RFC 6901
        ("/contact/0/value", ("contact", 0, "value")),
        ("title", ("title",)),  # tolerated without the leading slash
    ],
)
def test_pointer_to_path(pointer: str, path: tuple[str | int, ...]) -> None:
    assert pointer_to_path(pointer) == path


_keys = st.text(max_size=8).filter(lambda text: not re.fullmatch(r"0|[1-9][0-9]*", text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_keys, st.integers(min_value=0, max_value=10_000)), max_size=6))
def test_pointers_round_trip(path: list[str | int]) -> None:
    assert pointer_to_path(path_to_pointer(tuple(path))) == tuple(path)


def test_outcome_turns_bad_json_data_into_paths() -> None:
    raw = [
        {
            "type": "bad_json_data",
            "value": "year",
            "reason": "greater_than_max",
            "pointer": "/education/additional/1/year",
            "description": "too late",
        },
        {"type": "bad_json_data", "value": "salary", "reason": "invalid"},
    ]
    error = error_from_response(400, "PUT", "/resumes/r1", {"errors": raw})
    change = Change(Action.UPDATE, "backend", "r1", "PUT", "/resumes/r1", body={"title": "x"})
    outcome = ChangeOutcome(change, Outcome.FAILED, error)
    errors = outcome.field_errors
    assert [e.path for e in errors] == [("education", "additional", 1, "year"), ("salary",)]
    assert [e.pointer for e in errors] == ["/education/additional/1/year", ""]
    assert str(errors[0]) == "education.additional[1].year: too late"
    assert str(errors[1]) == "salary: invalid"


def test_changes_are_described_without_values() -> None:
    update = Change(
        Action.UPDATE,
        "backend",
        "r1",
        "PUT",
        "/resumes/r1",
        body={"title": "x", "contact": [{"value": "me@example.com"}]},
    )
    assert describe_change(update) == "update backend (title, contact)"
    add = Change(
        Action.LIST_ADD,
        "backend",
        "r1",
        "POST",
        "/resumes/r1/blacklist",
        list_kind="blacklist",
        employers=("1", "2", "3"),
    )
    assert describe_change(add) == "list_add backend blacklist (3 employers)"
    clear = Change(
        Action.LIST_CLEAR, "backend", "r1", "DELETE", "/resumes/r1/whitelist", list_kind="whitelist"
    )
    assert describe_change(clear) == "list_clear backend whitelist"
    publish = Change(Action.PUBLISH, "backend", "r1", "POST", "/resumes/r1/publish")
    assert describe_change(publish) == "publish backend"


def test_events_and_summary_lines() -> None:
    change = Change(Action.UPDATE, "backend", "r1", "PUT", "/resumes/r1", body={"title": "x"})
    error = error_from_response(404, "PUT", "/resumes/r1", {"errors": [{"type": "not_found"}]})
    started = ApplyEvent(EventKind.STARTED, change, 0, 1)
    failed = ApplyEvent(EventKind.FAILED, change, 0, 1, error)
    assert not started.finished and failed.finished
    assert started.describe() == "started: update backend (title)"
    assert (
        failed.describe() == "failed: update backend (title): PUT /resumes/r1: HTTP 404: not found"
    )
    retry = RetryEvent("PUT", "/resumes/r1", 1, 5, "HTTP 503", 0.5)
    result = ApplyResult([ChangeOutcome(change, Outcome.FAILED, error)], retries=[retry])
    assert result.failure_lines() == [
        "update backend (title): resume r1 is not in this account "
        "(PUT /resumes/r1: HTTP 404: not found)"
    ]
    assert result.retry_lines() == ["PUT /resumes/r1: HTTP 503; retry 1 of 5 in 0.50s"]
    assert not result.ok
