"""PUT validation: the OpenAPI request schema, the conditions rules, the documented
cross-field rules, all reported as bad_json_data errors with RFC 6901 pointers."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from resumesync.sandbox import RunningSandbox, response_errors

from .support import BACKEND, error_pointers

EMAIL = {"type": {"id": "email"}, "value": "ivan@example.com"}
CELL = {"type": {"id": "cell"}, "value": {"country": "7", "city": "999", "number": "1234567"}}
JOB = {
    "company": "Acme",
    "industries": [{"id": "7.540"}],
    "position": "Developer",
    "start": "2015-01-01",
    "end": "2016-01-01",
}
EDUCATION = {
    "level": {"id": "higher"},
    "additional": [
        {"name": "Course", "organization": "School", "year": 2020},
        {"name": "Course 2", "organization": "School", "year": 2021},
    ],
}


def with_change(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


CASES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    # The request schema: types and shapes.
    (
        "course year of the wrong type",
        {"education": with_change(EDUCATION, ("additional", 1, "year"), "2021")},
        [("/education/additional/1/year", "wrong_type")],
    ),
    ("title of the wrong type", {"title": 42}, [("/title", "wrong_type")]),
    ("area id of the wrong type", {"area": {"id": 1}}, [("/area/id", "wrong_type")]),
    ("area as a bare string", {"area": "1"}, [("/area", "wrong_type")]),
    (
        "experience without a position",
        {"experience": [{key: value for key, value in JOB.items() if key != "position"}]},
        [("/experience/0/position", "is_empty")],
    ),
    # The conditions rules.
    ("title too long", {"title": "x" * 101}, [("/title", "is_too_long")]),
    ("title too short", {"title": "x"}, [("/title", "is_too_short")]),
    ("title not allowed", {"title": "Resume"}, [("/title", "not_allowed")]),
    ("required title emptied", {"title": None}, [("/title", "is_empty")]),
    ("digits in a name", {"first_name": "Iv4n"}, [("/first_name", "wrong_format")]),
    (
        "course year too early",
        {"education": with_change(EDUCATION, ("additional", 0, "year"), 1900)},
        [("/education/additional/0/year", "is_too_small")],
    ),
    (
        "too many citizenships",
        {"citizenship": [{"id": "113"}, {"id": "16"}, {"id": "40"}, {"id": "97"}]},
        [("/citizenship", "wrong_size")],
    ),
    (
        "negative salary",
        {"salary": {"amount": -1, "currency": "RUR"}},
        [("/salary/amount", "is_too_small")],
    ),
    (
        "start date in the wrong format",
        {"experience": [{**JOB, "start": "2015-01"}]},
        [("/experience/0/start", "wrong_format")],
    ),
    ("birth date of a child", {"birth_date": "2020-01-01"}, [("/birth_date", "is_too_late")]),
    # The documented cross-field rules.
    (
        "experience ends before it starts",
        {"experience": [{**JOB, "end": "2014-01-01"}]},
        [("/experience/0/end", "end_before_start")],
    ),
    (
        "two native languages",
        {"language": [{"id": "rus", "level": {"id": "l1"}}, {"id": "eng", "level": {"id": "l1"}}]},
        [("/language/1/level/id", "only_one_native")],
    ),
    (
        "no email",
        {"contact": [CELL, {**CELL, "type": {"id": "home"}}]},
        [("/contact", "email_required")],
    ),
    ("two emails", {"contact": [EMAIL, EMAIL, CELL]}, [("/contact/1", "only_one_email")]),
    (
        "no phone",
        {"contact": [EMAIL, {**EMAIL, "type": {"id": "email"}}]},
        [("/contact", "phone_required"), ("/contact/1", "only_one_email")],
    ),
    (
        "two phones of one type",
        {"contact": [EMAIL, CELL, CELL]},
        [("/contact/2/type", "duplicate_phone_type")],
    ),
    (
        "letters in a phone number",
        {"contact": [EMAIL, with_change(CELL, ("value", "number"), "12a4567")]},
        [("/contact/1/value/number", "wrong_format")],
    ),
    (
        "phone with neither form",
        {"contact": [EMAIL, {"type": {"id": "cell"}, "value": {}}]},
        [("/contact/1/value", "is_empty")],
    ),
    (
        "phone with only some parts",
        {"contact": [EMAIL, {"type": {"id": "cell"}, "value": {"country": "7"}}]},
        [("/contact/1/value/city", "is_empty"), ("/contact/1/value/number", "is_empty")],
    ),
    (
        "unreadable formatted phone",
        {"contact": [EMAIL, {"type": {"id": "cell"}, "value": {"formatted": "call me"}}]},
        [("/contact/1/value/formatted", "wrong_format")],
    ),
    (
        "email that is not an address",
        {"contact": [{**EMAIL, "value": "nope"}, CELL]},
        [("/contact/0/value", "wrong_format")],
    ),
    (
        "two preferred contacts",
        {"contact": [{**EMAIL, "preferred": True}, {**CELL, "preferred": True}]},
        [("/contact/1/preferred", "only_one_preferred")],
    ),
    ("unknown dictionary id", {"gender": {"id": "robot"}}, [("/gender/id", "unknown_id")]),
    (
        "unknown nested dictionary id",
        {"language": [{"id": "rus", "level": {"id": "z9"}}]},
        [("/language/0/level/id", "unknown_id")],
    ),
    (
        "unknown industry",
        {"experience": [{**JOB, "industries": [{"id": "99.999"}]}]},
        [("/experience/0/industries/0/id", "unknown_id")],
    ),
    (
        "country as the place of residence",
        {"area": {"id": "113"}},
        [("/area/id", "chosen_area_is_not_a_leaf")],
    ),
    (
        "unknown company id",
        {"experience": [{**JOB, "company_id": "999999999"}]},
        [("/experience/0/company_id", "unknown_id")],
    ),
    (
        "unknown currency",
        {"salary": {"amount": 1, "currency": "XXX"}},
        [("/salary/currency", "unknown_id")],
    ),
    ("repeated key skill", {"skill_set": ["Python", "python"]}, [("/skill_set/1", "duplicate")]),
    ("photo that was never uploaded", {"photo": {"id": "12345"}}, [("/photo/id", "unknown_id")]),
]


@pytest.mark.parametrize(
    ("body", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_violation_is_one_error_with_a_pointer(
    client: httpx.Client,
    sandbox: RunningSandbox,
    body: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    before = sandbox.account().resumes[BACKEND].fields
    response = client.put(f"/resumes/{BACKEND}", json=body)
    assert sorted(error_pointers(response)) == sorted(expected)
    assert response_errors("edit-resume", 400, response.json()) == []
    assert sandbox.account().resumes[BACKEND].fields == before  # a 400 changes nothing


def test_errors_in_several_fields_come_together(client: httpx.Client) -> None:
    response = client.put(
        f"/resumes/{BACKEND}",
        json={"title": 42, "gender": {"id": "robot"}, "age": 3, "skills": "fine"},
    )
    assert sorted(error_pointers(response)) == [
        ("/age", "read_only"),
        ("/gender/id", "unknown_id"),
        ("/title", "wrong_type"),
    ]
    assert {error["value"] for error in response.json()["errors"]} == {"age", "gender", "title"}


def test_names_urls_and_formatted_are_not_required(client: httpx.Client) -> None:
    """The spec marks them required in dictionary entries and phones; the server fills them."""
    body = {
        "area": {"id": "2"},
        "citizenship": [{"id": "113"}],
        "contact": [
            EMAIL,
            {"type": {"id": "cell"}, "value": {"country": "7", "city": "999", "number": "7654321"}},
        ],
        "language": [{"id": "rus", "level": {"id": "l1"}}],
    }
    assert client.put(f"/resumes/{BACKEND}", json=body).status_code == 204


def test_conditions_use_the_documented_rule_format(client: httpx.Client) -> None:
    response = client.get(f"/resumes/{BACKEND}/conditions")
    assert response.status_code == 200
    conditions = response.json()
    assert response_errors("get-resume-conditions", 200, conditions) == []
    known = {
        "required",
        "min_length",
        "max_length",
        "not_in",
        "min_count",
        "max_count",
        "min_value",
        "max_value",
        "min_date",
        "max_date",
        "regexp",
        "fields",
    }

    def rule_keys(rules: dict[str, Any]) -> set[str]:
        keys = set(rules)
        for nested in rules.get("fields", {}).values():
            keys |= rule_keys(nested)
        return keys

    used = set().union(*(rule_keys(rules) for rules in conditions.values()))
    assert used == known
    assert conditions["title"]["max_length"] == 100
    year = conditions["education"]["fields"]["additional"]["fields"]["year"]
    assert year["min_value"] == 1950
    assert conditions["experience"]["fields"]["start"]["max_date"] == "2026-01-01"
    assert client.get("/resumes/ffff/conditions").status_code == 404
