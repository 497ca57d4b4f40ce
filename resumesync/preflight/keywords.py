"""Our JSON Schema keywords: the documented measures JSON Schema lacks (text lengths as the docs
count them, date bounds, the server's regexp in RE2), and a fast `if` for every field's
"is it empty" test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from resumesync.preflight.conditions import EMPTY, parse_date

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_IF_EMPTY = {"enum": list(EMPTY)}  # every field's `if` (see fast_if_keyword)


def text_min_length(text: str) -> int:
    """min_length counts the text without "\\r\\n" (resumes.en.md, Rules)."""
    return len(text.replace("\r\n", ""))


def text_max_length(text: str) -> int:
    """max_length counts the text trimmed of spaces at both ends (resumes.en.md, Rules)."""
    return len(text.strip())


def keyword_from_check(
    check: Callable[[Any, Any], str | None],
) -> Callable[[Any, Any, Any, Any], Iterator[ValidationError]]:
    """A jsonschema keyword from `check(bound, instance) -> message or None`."""
    from jsonschema.exceptions import ValidationError

    def validate(_validator: Any, bound: Any, instance: Any, _schema: Any) -> Iterator[Any]:
        message = check(bound, instance)
        if message is not None:
            yield ValidationError(message)

    return validate


def _min_text(bound: Any, instance: Any) -> str | None:
    too_short = isinstance(instance, str) and text_min_length(instance) < bound
    return "too short" if too_short else None


def _max_text(bound: Any, instance: Any) -> str | None:
    too_long = isinstance(instance, str) and text_max_length(instance) > bound
    return "too long" if too_long else None


def _min_date(bound: Any, instance: Any) -> str | None:
    date = parse_date(instance) if isinstance(instance, str) else None
    return "too early" if date is not None and date < dt.date.fromisoformat(bound) else None


def _max_date(bound: Any, instance: Any) -> str | None:
    date = parse_date(instance) if isinstance(instance, str) else None
    return "too late" if date is not None and date > dt.date.fromisoformat(bound) else None


def _server_regexp(bound: Any, instance: Any) -> str | None:
    from resumesync.serverregex import regexp_problem

    return regexp_problem(bound, instance) if isinstance(instance, str) else None


VOCABULARY: dict[str, Callable[[Any, Any], str | None]] = {
    "serverRegexp": _server_regexp,
    "textMinLength": _min_text,
    "textMaxLength": _max_text,
    "formatMinimum": _min_date,
    "formatMaximum": _max_date,
}


def is_empty(value: Any) -> bool:
    """Whether `value` is one of EMPTY as `enum` compares (a tuple is a list there)."""
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def fast_if_keyword(
    standard: Callable[[Any, Any, Any, Any], Iterator[ValidationError]],
) -> Callable[[Any, Any, Any, Any], Iterator[ValidationError]]:
    """`if` deciding every field's `if: {enum: EMPTY}` directly: the standard keyword runs a
    sub-validator and builds an `enum` error for every filled value, which was half the CPU
    of a validation. Any other `if` is the standard one."""

    def if_(validator: Any, if_schema: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if if_schema != _IF_EMPTY:
            yield from standard(validator, if_schema, instance, schema)
            return
        branch = "then" if is_empty(instance) else "else"
        if branch in schema:
            yield from validator.descend(instance, schema[branch], schema_path=branch)

    return if_
