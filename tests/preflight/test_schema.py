"""conditions_schema and explain: pure functions, unit and property tests.

The property that matters most: for a field's rules and a value, the JSON Schema accepts the
value exactly when the sandbox's own checker of the same rules (an independent reading of the
docs, resumesync/sandbox/conditions.py) does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from resumesync.preflight import (
    DIALECT,
    conditions_schema,
    explain,
    schema_errors,
    text_max_length,
    text_min_length,
)
from resumesync.sandbox.conditions import condition_errors, resume_conditions

NOT_IN = ["CV", "Resume"]
DATES = ["1899-12-31", "1900-01-01", "2000-02-29", "2025-12-31", "2026-01-01", "2099-01-01"]
PATTERNS = ["^[a-z ]*$", "x", "^[^\r\n]+$", "b$"]


def messages(conditions: dict[str, Any], document: Any) -> list[tuple[str, str]]:
    from resumesync.problems import dotted

    schema = conditions_schema(conditions)
    return sorted(
        (dotted(path), message)
        for error in schema_errors(schema, document)
        for path, message in explain(error)
    )


# --- the mapping, rule by rule -------------------------------------------------------------


def test_text_rules_become_keywords() -> None:
    schema = conditions_schema(
        {
            "title": {
                "required": True,
                "min_length": 2,
                "max_length": 100,
                "not_in": ["CV"],
                "regexp": "^[^0-9]+$",
            }
        }
    )
    assert schema == {
        "$schema": DIALECT,
        "type": "object",
        "properties": {
            "title": {
                "if": {"enum": [None, "", [], {}]},
                "then": False,
                "else": {
                    "textMinLength": 2,
                    "textMaxLength": 100,
                    "not": {"enum": ["CV"]},
                    "serverRegexp": "^[^0-9]+$",
                    "items": {
                        "textMinLength": 2,
                        "textMaxLength": 100,
                        "not": {"enum": ["CV"]},
                        "serverRegexp": "^[^0-9]+$",
                    },
                },
            }
        },
        "required": ["title"],
    }
    Draft202012Validator.check_schema(schema)


def test_counts_values_dates_and_nested_fields() -> None:
    schema = conditions_schema(
        {
            "experience": {
                "required": False,
                "min_count": 1,
                "max_count": None,
                "fields": {
                    "start": {"required": True, "min_date": "1900-01-01", "max_date": None},
                    "year": {"min_value": 1950, "max_value": 2030},
                },
            }
        }
    )
    experience = schema["properties"]["experience"]
    assert "then" not in experience  # not required: empty is fine
    assert "required" not in schema
    item = experience["else"]["items"]
    assert experience["else"]["minItems"] == 1 and "maxItems" not in experience["else"]
    assert item["required"] == ["start"]
    start = item["properties"]["start"]["else"]
    date = {"format": "date", "formatMinimum": "1900-01-01"}
    assert start == {**date, "items": date}  # text rules hold for each text of a list too
    year = item["properties"]["year"]["else"]
    assert year == {"minimum": 1950, "maximum": 2030}


def test_a_nested_field_with_a_documented_server_default_is_never_required() -> None:
    """resumes.en.md: "if preferred flag is not sent default value for this parameter is
    `false`", though the spec's example conditions mark `contact[].preferred` required."""
    required = {"required": True}
    conditions = {
        "contact": {"required": True, "fields": {"preferred": required, "type": required}},
        "site": {"fields": {"preferred": required}},  # no documented default there
        "preferred": required,  # nor at the top level
    }
    schema = conditions_schema(conditions)
    contact = schema["properties"]["contact"]["else"]["items"]
    assert contact["required"] == ["type"]
    assert "then" not in contact["properties"]["preferred"]
    document = {
        "contact": [{"type": {"id": "email"}}, {"type": {"id": "cell"}, "preferred": None}],
        "site": [{"url": "x"}],
        "preferred": True,
    }
    assert messages(conditions, document) == [("site[0].preferred", "required field is missing")]
    assert messages(conditions, {"contact": [{}], "preferred": None}) == [
        ("contact[0].type", "required field is missing"),
        ("preferred", "must not be empty: the field is required"),
    ]


def test_malformed_rules_are_left_to_the_server() -> None:
    schema = conditions_schema(
        {
            "a": None,
            "b": 5,
            "c": {"min_count": "many", "max_length": True, "regexp": "([", "fields": []},
            "d": {"min_date": "yesterday", "not_in": []},
            7: {"required": True},
        }
    )
    assert set(schema["properties"]) == {"c", "d"}
    assert schema["properties"]["c"] == {"if": {"enum": [None, "", [], {}]}, "else": {}}
    assert schema["properties"]["d"]["else"] == {"format": "date", "items": {"format": "date"}}
    assert "required" not in schema


def test_the_documented_measures_of_text() -> None:
    assert text_min_length("a\r\nb") == 2  # without \r\n
    assert text_min_length("a\nb") == 3
    assert text_max_length("  ab \n") == 2  # trimmed


def test_each_rule_explains_itself_without_the_value() -> None:
    conditions = {
        "title": {"required": True, "min_length": 2, "max_length": 5, "not_in": ["CV"]},
        "first_name": {"regexp": "^[^0-9]+$"},
        "skill_set": {"min_count": 2, "max_count": 3, "max_length": 3},
        "salary": {"fields": {"amount": {"min_value": 0}, "currency": {"required": True}}},
        "year": {"max_value": 2030},
        "gender": {"required": True},
        "area": {"required": True},
        "start": {"min_date": "1900-01-01", "max_date": "2026-01-01"},
        "end": {"max_date": "2026-01-01"},
        "birth_date": {"min_date": "1900-01-01"},
    }
    document = {
        "title": "CV",
        "first_name": "R2D2",
        "skill_set": ["Python", "Go"],
        "salary": {"amount": -1},
        "year": 2031,
        "gender": None,
        "start": "1899-12-31",
        "end": "2026-01-02",
        "birth_date": "01.01.1990",
    }
    assert messages(conditions, document) == [
        ("area", "required field is missing"),
        ("birth_date", "must be a date YYYY-MM-DD"),
        ("end", "must be on or before 2026-01-01"),
        ("first_name", "must match ^[^0-9]+$"),
        ("gender", "must not be empty: the field is required"),
        ("salary.amount", "must be >= 0"),
        ("salary.currency", "required field is missing"),
        ("skill_set[0]", "must have at most 3 characters once trimmed"),
        ("start", "must be on or after 1900-01-01"),
        ("title", "not accepted: the server refuses CV"),
        ("year", "must be <= 2030"),
    ]
    assert messages(conditions, {"title": "A", "skill_set": ["a"], "area": {"id": "1"}}) == [
        ("gender", "required field is missing"),
        ("skill_set", "must have at least 2 items"),
        ("title", "must have at least 2 characters"),
    ]
    assert messages({"title": {"max_length": 1, "min_length": 1}}, {"title": [""]}) == [
        ("title[0]", "must not be empty")
    ]


def test_empty_values_pass_unless_required() -> None:
    conditions = {"middle_name": {"required": False, "min_length": 1}}
    for empty in (None, "", [], {}):
        assert messages(conditions, {"middle_name": empty}) == []
    assert messages({"x": {"required": True}}, {"x": 0}) == []
    assert messages({"x": {"required": True}}, {"x": False}) == []


def test_the_sandbox_conditions_accept_the_example_resume_shape() -> None:
    schema = conditions_schema(resume_conditions(dt.date(2026, 1, 1)))
    Draft202012Validator.check_schema(schema)
    document = {
        "title": "Senior Python developer",
        "skill_set": ["Python", "asyncio"],
        "experience": [{"position": "Dev", "start": "2019-03-01", "industries": [{"id": "7"}]}],
    }
    problems = messages(resume_conditions(dt.date(2026, 1, 1)), document)
    assert all(message == "required field is missing" for _, message in problems)


# --- properties ------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
RULE_KEYS = st.sampled_from(
    [
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
    ]
)
ANY_RULES = st.recursive(
    st.dictionaries(RULE_KEYS, JSON, max_size=5),
    lambda children: st.dictionaries(
        RULE_KEYS, JSON | st.dictionaries(st.text(max_size=5), children, max_size=3), max_size=5
    ),
    max_leaves=10,
)


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.dictionaries(st.text(max_size=8), ANY_RULES | JSON, max_size=5), JSON)
def test_any_conditions_give_a_valid_schema_that_never_fails(
    conditions: dict[str, Any], document: Any
) -> None:
    schema = conditions_schema(conditions)
    Draft202012Validator.check_schema(schema)
    for error in schema_errors(schema, document):
        for _path, message in explain(error):
            assert message


def bound(low: int, high: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(low, high)


RULES: dict[str, st.SearchStrategy[Any]] = {
    "required": st.booleans(),
    "min_length": bound(0, 4),
    "max_length": bound(0, 4),
    "not_in": st.lists(st.sampled_from(NOT_IN), max_size=2, unique=True),
    "min_count": bound(0, 3),
    "max_count": bound(0, 3),
    "min_value": st.none() | st.integers(-5, 5) | st.floats(-5, 5),
    "max_value": st.none() | st.integers(-5, 5) | st.floats(-5, 5),
    "min_date": st.none() | st.sampled_from(DATES),
    "max_date": st.none() | st.sampled_from(DATES),
    "regexp": st.none() | st.sampled_from(PATTERNS),
}
TEXT_RULES = ("required", "min_length", "max_length", "not_in", "regexp")
DATE_RULES = ("required", "min_date", "max_date")
COUNT_RULES = ("required", "min_count", "max_count", "min_length", "max_length")
VALUE_RULES = ("required", "min_value", "max_value")


def rules(depth: int, keys: tuple[str, ...] = tuple(RULES)) -> st.SearchStrategy[dict[str, Any]]:
    """A rules object of the documented form (only `keys`, bounds in a small range)."""
    base = st.fixed_dictionaries({}, optional={key: RULES[key] for key in keys})
    if depth == 0:
        return base
    nested = st.fixed_dictionaries({}, optional={"a": rules(depth - 1), "b": rules(depth - 1)})
    return st.builds(lambda r, f: {**r, "fields": f} if f else r, base, nested)


# Texts with the characters the documented measures care about: \r\n and outer white space.
PIECES = st.sampled_from(["a", "b", "x", " ", "\r\n", "\n", "\r"])
TEXT = st.lists(PIECES, max_size=6).map("".join) | st.sampled_from(NOT_IN + DATES)
NUMBER = st.integers(-8, 8) | st.floats(-8, 8)
SCALAR = st.none() | st.booleans() | NUMBER | TEXT


def values(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return SCALAR
    inner = values(depth - 1)
    objects = st.fixed_dictionaries({}, optional={"a": inner, "b": inner})
    # An empty object inside a list: the sandbox skips it, the docs do not say (we check its
    # required fields); leave that one case out of the comparison.
    items = st.lists(TEXT | st.integers() | objects.filter(bool), max_size=4)
    return SCALAR | objects | items


def agree(field_rules: dict[str, Any], value: Any) -> None:
    schema = conditions_schema({"field": field_rules})
    ours = schema_errors(schema, {"field": value}) == []
    sandbox = condition_errors({"field": value}, {"field": field_rules}) == []
    assert ours == sandbox, messages({"field": field_rules}, {"field": value})


AGREEMENT = settings(max_examples=150, deadline=None, derandomize=True)


@AGREEMENT
@given(rules(0, TEXT_RULES), TEXT | st.none())
@example({"not_in": ["CV"]}, "CV")
@example({"min_length": 3}, "a\r\nb")  # 2 characters without \r\n
@example({"min_length": 3}, "a\nb")
@example({"max_length": 1}, " a ")  # 1 character once trimmed
@example({"required": True}, "")
@example({"regexp": "b$"}, "ab")
@example({"regexp": "^[a-z ]*$"}, "\n")  # `$` matches before a final newline
@example({"regexp": "b$"}, "ab\n")
@example({"regexp": "b$"}, "ab\r\n")
def test_text_rules_agree_with_the_sandbox(field_rules: dict[str, Any], value: Any) -> None:
    agree(field_rules, value)


@AGREEMENT
@given(rules(0, DATE_RULES), st.sampled_from(DATES) | TEXT)
@example({"min_date": "2000-02-29"}, "2000-02-29")  # inclusive
@example({"max_date": "2000-02-29"}, "2000-02-29")
@example({"min_date": "1900-01-01"}, "1899-12-31")
@example({"max_date": "2025-12-31"}, "2026-01-01")
@example({"max_date": "2025-12-31"}, "31.12.2025")
def test_date_rules_agree_with_the_sandbox(field_rules: dict[str, Any], value: Any) -> None:
    agree(field_rules, value)


@AGREEMENT
@given(rules(0, COUNT_RULES), st.lists(TEXT, max_size=4) | st.none())
@example({"min_count": 2}, ["a"])
@example({"max_count": 1}, ["a", "b"])
@example({"max_length": 1}, [" a ", "bb"])
@example({"required": True, "min_count": 0}, [])
def test_count_rules_agree_with_the_sandbox(field_rules: dict[str, Any], value: Any) -> None:
    agree(field_rules, value)


@AGREEMENT
@given(rules(0, VALUE_RULES), NUMBER | st.booleans() | st.none())
@example({"min_value": 0}, 0)  # inclusive
@example({"max_value": 1.5}, 1.5)
@example({"min_value": 0}, -0.5)
@example({"max_value": 0}, True)  # a boolean is not a number
def test_value_rules_agree_with_the_sandbox(field_rules: dict[str, Any], value: Any) -> None:
    agree(field_rules, value)


@AGREEMENT
@given(rules(2), values(2))
@example({"fields": {"a": {"required": True}}}, {"b": 1})
@example({"fields": {"a": {"required": True}}}, [{"b": 1}])
@example({"fields": {"a": {"max_length": 1}}}, {"a": "xy"})
@example({"fields": {"a": {"fields": {"b": {"min_value": 1}}}}}, [{"a": {"b": 0}}])
def test_all_rules_nested_agree_with_the_sandbox(field_rules: dict[str, Any], value: Any) -> None:
    agree(field_rules, value)
