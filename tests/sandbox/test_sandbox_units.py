"""Pure helpers of the sandbox: pointers, phones, dates, experience months."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.sandbox.clock import api_time, timestamp_of
from resumesync.sandbox.conditions import condition_errors, resume_conditions
from resumesync.sandbox.config import FaultDice, Faults
from resumesync.sandbox.errors import FieldError, pointer
from resumesync.sandbox.normalization import total_experience
from resumesync.sandbox.phones import group_number, split_formatted


def unescape(text: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in text.split("/")[1:]]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4))
def test_pointers_follow_rfc_6901(parts: list[str]) -> None:
    assert unescape(pointer(*parts)) == parts
    assert FieldError(pointer(*parts), "r", "d").field == parts[0]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=30))
def test_splitting_any_text_never_fails_loudly(text: str) -> None:
    parts = split_formatted(text)
    assert parts is None or all(part.isdigit() for part in parts)


@settings(max_examples=50, deadline=None)
@given(st.from_regex(r"[0-9]{1,12}", fullmatch=True))
def test_grouping_keeps_every_digit(number: str) -> None:
    assert group_number(number).replace("-", "") == number


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=4_000_000_000))
def test_api_times_read_back(timestamp: int) -> None:
    text = api_time(timestamp)
    assert text[-5:] == "+0300"
    assert timestamp_of(text) == timestamp


def test_overlapping_jobs_count_once_and_ongoing_runs_to_today() -> None:
    today = dt.date(2020, 6, 15)
    jobs = [{"start": "2020-01-01", "end": "2020-03-01"}, {"start": "2020-02-01", "end": None}]
    assert total_experience(jobs, today) == {"months": 6}
    assert total_experience([], today) is None


def test_rules_apply_inside_list_items_with_their_index() -> None:
    rules = resume_conditions(dt.date(2026, 1, 1))
    body = {
        "recommendation": [
            {"name": "A", "position": "B", "organization": "C"},
            {"name": "", "position": "B", "organization": "C"},
        ],
        "skill_set": ["ok", "x" * 101],
    }
    errors = condition_errors(body, rules)
    assert [(error.pointer, error.reason) for error in errors] == [
        ("/recommendation/1/name", "is_empty"),
        ("/skill_set/1", "is_too_long"),
    ]


def test_reseeded_dice_draw_as_if_nothing_came_before() -> None:
    """The fault tests start each run's dice over: what an earlier run sent (timing decides
    which of its concurrent reads left before it gave up) must not shift the next run's faults."""
    faults = Faults(error_rate=0.5, rate_limit_rate=0.5, drop_rate=0.5)
    used = FaultDice(faults, 7, by_request=True)
    for key in ("GET /resumes/mine", "GET /resumes/mine", "GET /resumes/a"):
        used.draw(key)
    used.reseed(8)
    fresh = FaultDice(faults, 8, by_request=True)
    keys = ["GET /resumes/mine", "GET /resumes/a", "GET /resumes/mine", "PUT /resumes/a"]
    assert [used.draw(key) for key in keys] == [fresh.draw(key) for key in keys]
