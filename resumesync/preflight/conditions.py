"""The rules of `GET /resumes/{id}/conditions` -> a JSON Schema for a resume document (pure):
standard keywords where they mean what the docs say, our own (keywords.py) where they do not."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
EMPTY: tuple[Any, ...] = (None, "", [], {})  # "not filled in": what `required` refuses
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Nested fields (by field names, list items left out) that the server fills when a body leaves
# them out, per the docs: never `required` of the user. The only documented one so far.
SERVER_DEFAULTS: frozenset[tuple[str, ...]] = frozenset({("contact", "preferred")})


def conditions_schema(conditions: Mapping[str, Any]) -> dict[str, Any]:
    """The rules of `GET /resumes/{id}/conditions` as a JSON Schema for a resume document.

    Never fails: a rule object that is not a mapping, a bound of the wrong type and a regexp
    Python cannot compile are left out (the server checks them at apply time).
    """
    return {"$schema": DIALECT, "type": "object", **_object_schema(conditions, ())}


def _object_schema(fields: Mapping[str, Any], at: tuple[str, ...]) -> dict[str, Any]:
    """`fields` of the object at `at` (field names from the top, list items left out)."""
    rules_by_name = {
        name: rules
        for name, rules in fields.items()
        if isinstance(name, str) and isinstance(rules, Mapping)
    }
    properties = {name: _field_schema(rules, (*at, name)) for name, rules in rules_by_name.items()}
    required = [name for name, rules in rules_by_name.items() if _required(rules, (*at, name))]
    schema: dict[str, Any] = {"properties": properties}
    if required:
        schema["required"] = required
    return schema


def _required(rules: Mapping[str, Any], at: tuple[str, ...]) -> bool:
    return rules.get("required") is True and at not in SERVER_DEFAULTS


def _field_schema(rules: Mapping[str, Any], at: tuple[str, ...]) -> dict[str, Any]:
    """One field: empty is allowed unless required; otherwise every rule applies."""
    item = {**_text_keywords(rules), **_nested_keywords(rules, at)}
    value: dict[str, Any] = {**item, **_number_keywords(rules), **_count_keywords(rules)}
    if item:
        value["items"] = item  # the text rules and `fields` hold for each item of a list
    schema: dict[str, Any] = {"if": {"enum": list(EMPTY)}, "else": value}
    if _required(rules, at):
        schema["then"] = False
    return schema


def _bound(rules: Mapping[str, Any], key: str) -> int | float | None:
    value = rules.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _date_bound(rules: Mapping[str, Any], key: str) -> str | None:
    value = rules.get(key)
    return value if isinstance(value, str) and parse_date(value) is not None else None


def _text_keywords(rules: Mapping[str, Any]) -> dict[str, Any]:
    keywords: dict[str, Any] = {}
    for rule, keyword in (("min_length", "textMinLength"), ("max_length", "textMaxLength")):
        bound = _bound(rules, rule)
        if bound is not None:
            keywords[keyword] = bound
    not_in = rules.get("not_in")
    if isinstance(not_in, list) and not_in:
        keywords["not"] = {"enum": list(not_in)}
    regexp = rules.get("regexp")
    if isinstance(regexp, str) and regexp and _compiles(regexp):
        keywords["serverRegexp"] = regexp  # RE2, not `pattern` (Python's backtracking re)
    low, high = _date_bound(rules, "min_date"), _date_bound(rules, "max_date")
    if rules.get("min_date") is not None or rules.get("max_date") is not None:
        keywords["format"] = "date"
    if low is not None:
        keywords["formatMinimum"] = low
    if high is not None:
        keywords["formatMaximum"] = high
    return keywords


def _number_keywords(rules: Mapping[str, Any]) -> dict[str, Any]:
    pairs = (("min_value", "minimum"), ("max_value", "maximum"))
    return {keyword: bound for rule, keyword in pairs if (bound := _bound(rules, rule)) is not None}


def _count_keywords(rules: Mapping[str, Any]) -> dict[str, Any]:
    keywords: dict[str, Any] = {}
    for rule, keyword in (("min_count", "minItems"), ("max_count", "maxItems")):
        bound = _bound(rules, rule)
        if bound is not None and bound >= 0 and float(bound).is_integer():
            keywords[keyword] = int(bound)
    return keywords


def _nested_keywords(rules: Mapping[str, Any], at: tuple[str, ...]) -> dict[str, Any]:
    fields = rules.get("fields")
    return _object_schema(fields, at) if isinstance(fields, Mapping) and fields else {}


def _compiles(pattern: str) -> bool:
    """A malformed pattern is left to the server; compiling (unlike matching) is bounded."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date (the docs' format for dates and for min_date / max_date)."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
