"""Which document each rule is judged on: what the plan sends (pure: desired and live resumes
built by hand)."""

from __future__ import annotations

from typing import Any

from resumesync.model import (
    DesiredResume,
    DesiredState,
    LiveResume,
    LiveState,
    Location,
    SourceMap,
)
from resumesync.preflight import (
    SUFFIX,
    metro_problems,
    preflight_problems,
    resume_problems,
    sent_fields,
)

FILE = "resumes/backend.yaml"
BASE = "resumes/_base.yaml"
CONDITIONS: dict[str, Any] = {
    "title": {"required": True, "min_length": 2, "not_in": ["CV"]},
    "gender": {"required": True},
    "area": {"required": True},
    "salary": {"fields": {"amount": {"min_value": 0}, "currency": {"required": True}}},
    "specialization": {"required": True},  # retired: no file can declare it
    "employment": {"required": True},  # read-only in the spec
}
LIVE = {"title": "Developer", "gender": {"id": "male"}, "area": {"id": "1"}}


def desired(fields: dict[str, Any], key: str = "backend", resume_id: str = "r1") -> DesiredResume:
    lines = {(name,): Location(FILE, 10 + index) for index, name in enumerate(fields)}
    return DesiredResume(
        key=key,
        resume_id=resume_id,
        file=FILE,
        fields=fields,
        source=SourceMap(lines, default=Location(FILE, 2)),
    )


def live(document: dict[str, Any], conditions: dict[str, Any] | None = CONDITIONS) -> LiveResume:
    return LiveResume(resume_id="r1", document=document, conditions=conditions)


def shown(resume: DesiredResume, live_resume: LiveResume) -> list[str]:
    body = sent_fields(resume, live_resume.document)
    return [str(p) for p in resume_problems(resume, body, live_resume.conditions)]


def test_a_declared_field_is_judged_as_declared() -> None:
    assert shown(desired({"title": "CV"}), live(LIVE)) == [
        f"{FILE}:10: title: not accepted: the server refuses CV{SUFFIX}"
    ]


def test_a_declared_field_equal_to_the_live_value_is_not_sent_so_not_judged() -> None:
    """hh.ru's rules change and old resumes keep old values: what the server holds is never
    refused."""
    assert shown(desired({"title": "CV"}), live({**LIVE, "title": "CV"})) == []


def test_a_required_field_the_files_leave_out_is_fine_when_the_live_resume_has_it() -> None:
    assert shown(desired({"title": "Developer"}), live(LIVE)) == []


def test_a_required_field_neither_live_nor_declared_is_not_judged() -> None:
    """`required` means "needed to publish": a draft is saved with mandatory fields empty."""
    document = {key: value for key, value in LIVE.items() if key != "gender"}
    assert shown(desired({"title": "Senior developer"}), live({**document, "area": None})) == []


def test_an_empty_declared_required_field_points_at_its_line() -> None:
    assert shown(desired({"title": "Developer", "gender": None}), live(LIVE)) == [
        f"{FILE}:11: gender: must not be empty: the field is required{SUFFIX}"
    ]


def test_inside_a_declared_field_the_declared_value_is_whole() -> None:
    """A PUT replaces `salary` whole: the live currency does not complete the declared one."""
    live_resume = live({**LIVE, "salary": {"amount": 1, "currency": "RUR"}})
    assert shown(desired({"salary": {"amount": -1}}), live_resume) == [
        f"{FILE}:10: salary.amount: must be >= 0{SUFFIX}",
        f"{FILE}:10: salary.currency: required field is missing{SUFFIX}",
    ]


def test_live_values_no_file_declares_are_not_judged() -> None:
    live_resume = live({**LIVE, "title": "CV", "salary": {"amount": -5}})
    assert shown(desired({"gender": {"id": "female"}}), live_resume) == []


def test_required_fields_no_file_can_declare_are_the_servers() -> None:
    assert "specialization" not in str(shown(desired({}), live(LIVE)))
    assert "employment" not in str(shown(desired({}), live(LIVE)))


def test_without_conditions_there_is_nothing_to_check() -> None:
    assert shown(desired({"title": "CV"}), live(LIVE, conditions=None)) == []


def test_yaml_dates_are_checked_as_the_iso_text_the_put_sends() -> None:
    import datetime as dt

    conditions = {"birth_date": {"max_date": "2000-01-01"}}
    resume = desired({"birth_date": dt.date(2001, 1, 1)})
    assert shown(resume, live(LIVE, conditions)) == [
        f"{FILE}:10: birth_date: must be on or before 2000-01-01{SUFFIX}"
    ]


def test_a_base_shared_by_two_resumes_reports_once_in_file_order() -> None:
    shared = SourceMap({("title",): Location(BASE, 3)}, default=Location(BASE, 1))
    first = DesiredResume("a", "r1", "resumes/a.yaml", fields={"title": "CV"}, source=shared)
    second = DesiredResume("b", "r2", "resumes/b.yaml", fields={"title": "CV"}, source=shared)
    other = desired({"title": "X"}, key="backend", resume_id="r3")
    state = LiveState(
        api_url="http://sandbox",
        resumes={
            resume_id: LiveResume(resume_id, dict(LIVE), conditions=CONDITIONS)
            for resume_id in ("r1", "r2", "r3")
        },
    )
    problems = preflight_problems(DesiredState(".", [other, first, second]), state)
    assert [str(problem) for problem in problems] == [
        f"{BASE}:3: title: not accepted: the server refuses CV{SUFFIX}",
        f"{FILE}:10: title: must have at least 2 characters{SUFFIX}",
    ]


def test_a_declared_station_missing_from_its_areas_metro_directory_points_at_its_line() -> None:
    moscow = frozenset({"6.41", "5.97"})
    resume = desired({"area": {"id": "1"}, "metro": {"id": "14.195"}})
    problems = metro_problems(resume, live(LIVE), {"1": moscow})
    assert [str(problem) for problem in problems] == [
        f"{FILE}:11: metro: station 14.195 is not in area 1; the server would drop it"
    ]
    assert metro_problems(resume, live(LIVE), {"1": frozenset()}) != []  # an area with no metro
    inside = desired({"area": {"id": "1"}, "metro": {"id": "6.41"}})
    assert metro_problems(inside, live(LIVE), {"1": moscow}) == []
    assert metro_problems(resume, live(LIVE), {}) == []  # the directory was not read


def test_preflight_problems_include_the_metro_directory() -> None:
    resume = desired({"area": {"id": "1"}, "metro": {"id": "14.195"}}, resume_id="r1")
    state = LiveState(
        api_url="http://sandbox",
        resumes={"r1": LiveResume("r1", dict(LIVE), conditions=CONDITIONS)},
        metro={"1": frozenset({"6.41"})},
    )
    assert [
        problem.field for problem in preflight_problems(DesiredState(".", [resume]), state)
    ] == ["metro"]
