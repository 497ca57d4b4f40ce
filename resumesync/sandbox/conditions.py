"""GET /resumes/{id}/conditions and the checks a PUT runs with the very same rules.

The rule format is the documented one (resumes.en.md, "Conditions to fill in the fields of
a resume"): required, min_length, max_length, not_in, min_count, max_count, min_value,
max_value, min_date, max_date, regexp, and nested `fields` for objects and list items.
Bounds that depend on today (years, dates) are computed from the sandbox clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from resumesync.sandbox.errors import FieldError, pointer

NAME_REGEXP = r"^[^0-9@<>]+$"  # no digits, e-mail or markup in a person's name
SERVER_KEPT = ("access",)  # always set on the server, never a missing field of a resume


def _text(required: bool, min_length: int | None, max_length: int | None) -> dict[str, Any]:
    return {"required": required, "min_length": min_length, "max_length": max_length}


def _count(required: bool, min_count: int | None, max_count: int | None) -> dict[str, Any]:
    return {"required": required, "min_count": min_count, "max_count": max_count}


def _year(today: dt.date) -> dict[str, Any]:
    return {"required": True, "min_value": 1950, "max_value": today.year + 10}


def _dates(required: bool, min_date: str, max_date: dt.date) -> dict[str, Any]:
    return {"required": required, "min_date": min_date, "max_date": max_date.isoformat()}


def _years_before(today: dt.date, years: int) -> dt.date:
    if today.month == 2 and today.day == 29:
        return dt.date(today.year - years, 2, 28)
    return today.replace(year=today.year - years)


def resume_conditions(today: dt.date, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The rules of every resume; `overrides` (an account's own, for tests) replace the rule
    objects of the fields they name."""
    return {**_bundled_conditions(today), **(overrides or {})}


def _bundled_conditions(today: dt.date) -> dict[str, Any]:
    adult = _years_before(today, 14)
    course = {
        "required": False,
        "min_count": 0,
        "max_count": 64,
        "fields": {
            "name": _text(True, 1, 512),
            "organization": _text(True, 1, 128),
            "result": _text(False, 1, 128),
            "year": _year(today),
        },
    }
    return {
        "last_name": {**_text(True, 1, 100), "regexp": NAME_REGEXP},
        "first_name": {**_text(True, 1, 100), "regexp": NAME_REGEXP},
        "middle_name": {**_text(False, 1, 100), "regexp": NAME_REGEXP},
        "birth_date": _dates(False, "1900-01-01", adult),
        "gender": {"required": True},
        "area": {"required": True},
        "metro": {"required": False},
        "relocation": {
            "required": False,
            "fields": {
                "type": {"required": True},
                "area": _count(False, 0, 10),
            },
        },
        "business_trip_readiness": {"required": False},
        "contact": {
            **_count(True, 2, 10),
            "fields": {
                "type": {"required": True},
                "value": {"required": True},
                "preferred": {"required": False},
                "comment": _text(False, 0, 255),
            },
        },
        "site": {
            **_count(False, 0, 10),
            "fields": {
                "type": {"required": True},
                "url": _text(True, 1, 255),
            },
        },
        "title": {**_text(True, 2, 100), "not_in": ["Resume", "CV", "Резюме"]},
        "professional_roles": _count(True, 1, 5),
        "salary": {
            "required": False,
            "fields": {
                "amount": {"required": True, "min_value": 0, "max_value": None},
                "currency": _text(True, 3, 3),
            },
        },
        "employments": _count(False, 0, 5),
        "schedules": _count(False, 0, 5),
        "education": {
            "required": True,
            "fields": {
                "level": {"required": True},
                "primary": {
                    "required": False,
                    "min_count": 0,
                    "max_count": 64,
                    "fields": {
                        "name": _text(True, 1, 512),
                        "organization": _text(False, 1, 128),
                        "result": _text(False, 1, 128),
                        "year": _year(today),
                    },
                },
                "elementary": {
                    "required": False,
                    "min_count": 0,
                    "max_count": 64,
                    "fields": {
                        "name": _text(True, 1, 512),
                        "year": _year(today),
                    },
                },
                "additional": course,
                "attestation": course,
            },
        },
        "language": {
            **_count(True, 1, 30),
            "fields": {
                "id": {"required": True},
                "level": {"required": True},
            },
        },
        "experience": {
            **_count(True, 1, 64),
            "fields": {
                "company": _text(False, 1, 512),
                "company_url": _text(False, 1, 255),
                "area": {"required": False},
                "industries": _count(True, 1, 5),
                "position": _text(True, 1, 512),
                "start": _dates(True, "1900-01-01", today),
                "end": _dates(False, "1900-01-01", today),
                "description": _text(False, 0, 10000),
            },
        },
        "skills": _text(False, 0, 10000),
        "skill_set": {**_count(False, 0, 30), "min_length": 1, "max_length": 100},
        "citizenship": _count(True, 1, 3),
        "work_ticket": _count(False, 0, 10),
        "travel_time": {"required": False},
        "recommendation": {
            **_count(False, 0, 20),
            "fields": {
                "name": _text(True, 1, 512),
                "position": _text(True, 1, 512),
                "organization": _text(True, 1, 512),
            },
        },
        "resume_locale": {"required": True},
        "driver_license_types": _count(False, 0, 10),
        "hidden_fields": _count(False, 0, 5),
        "photo": {"required": False},
        "portfolio": _count(False, 0, 10),
        "access": {"required": True, "fields": {"type": {"required": True}}},
    }


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def condition_errors(body: dict[str, Any], conditions: dict[str, Any]) -> list[FieldError]:
    """Every violation of the rules by the top-level fields present in `body`."""
    errors: list[FieldError] = []
    for name, value in body.items():
        if name in conditions:
            errors.extend(_check(value, conditions[name], (name,)))
    return errors


def _check(value: Any, rules: dict[str, Any], at: tuple[str | int, ...]) -> list[FieldError]:
    where = pointer(*at)
    if is_empty(value):
        return [FieldError(where, "is_empty", "is required")] if rules.get("required") else []
    if isinstance(value, list):
        return _check_list(value, rules, at)
    if isinstance(value, dict):
        errors: list[FieldError] = []
        for name, sub_rules in rules.get("fields", {}).items():
            errors.extend(_check(value.get(name), sub_rules, (*at, name)))
        return errors
    if isinstance(value, str):
        return _check_text(value, rules, where)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _check_number(value, rules, where)
    return []


def _check_list(
    items: list[Any], rules: dict[str, Any], at: tuple[str | int, ...]
) -> list[FieldError]:
    errors: list[FieldError] = []
    low, high = rules.get("min_count"), rules.get("max_count")
    if low is not None and len(items) < low:
        errors.append(FieldError(pointer(*at), "wrong_size", f"must have at least {low} items"))
    if high is not None and len(items) > high:
        errors.append(FieldError(pointer(*at), "wrong_size", f"must have at most {high} items"))
    for index, item in enumerate(items):
        if isinstance(item, dict) and "fields" in rules:
            errors.extend(_check(item, {"fields": rules["fields"]}, (*at, index)))
        elif isinstance(item, str):
            errors.extend(_check_text(item, rules, pointer(*at, index)))
    return errors


def _check_text(text: str, rules: dict[str, Any], where: str) -> list[FieldError]:
    errors: list[FieldError] = []
    low, high = rules.get("min_length"), rules.get("max_length")
    # min_length counts the text without \r\n; max_length the text trimmed of outer spaces.
    if low is not None and len(text.replace("\r\n", "")) < low:
        errors.append(FieldError(where, "is_too_short", f"must be at least {low} characters"))
    if high is not None and len(text.strip()) > high:
        errors.append(FieldError(where, "is_too_long", f"must be at most {high} characters"))
    if text.strip() in (rules.get("not_in") or ()):
        errors.append(FieldError(where, "not_allowed", "this value is not allowed"))
    if rules.get("regexp") and not re.search(rules["regexp"], text):
        errors.append(FieldError(where, "wrong_format", "does not match the allowed pattern"))
    if rules.get("min_date") or rules.get("max_date"):
        errors.extend(_check_date(text, rules, where))
    return errors


def parse_date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _check_date(text: str, rules: dict[str, Any], where: str) -> list[FieldError]:
    date = parse_date(text)
    if date is None:
        return [FieldError(where, "wrong_format", "must be a date as YYYY-MM-DD")]
    low, high = rules.get("min_date"), rules.get("max_date")
    if low and date < dt.date.fromisoformat(low):
        return [FieldError(where, "is_too_early", f"must be on or after {low}")]
    if high and date > dt.date.fromisoformat(high):
        return [FieldError(where, "is_too_late", f"must be on or before {high}")]
    return []


def _check_number(number: float, rules: dict[str, Any], where: str) -> list[FieldError]:
    low, high = rules.get("min_value"), rules.get("max_value")
    if low is not None and number < low:
        return [FieldError(where, "is_too_small", f"must be at least {low}")]
    if high is not None and number > high:
        return [FieldError(where, "is_too_large", f"must be at most {high}")]
    return []


def mandatory_fields(conditions: dict[str, Any]) -> list[str]:
    """The top-level fields a resume needs before it can be published."""
    return [
        name
        for name, rules in conditions.items()
        if rules.get("required") and name not in SERVER_KEPT
    ]


def missing_mandatory(fields: dict[str, Any], conditions: dict[str, Any]) -> list[str]:
    """Mandatory fields that the stored resume lacks (progress.mandatory)."""
    return [name for name in mandatory_fields(conditions) if is_empty(fields.get(name))]
