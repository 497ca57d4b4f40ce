"""Violations of the conditions by what the plan sends -> Problems at FILE:LINE, worded without
the user's value."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from resumesync.model import DesiredResume, JsonPath
from resumesync.preflight.validator import conditions_validator
from resumesync.problems import Problem, dotted

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

SUFFIX = " (server conditions)"


def explain(error: ValidationError) -> list[tuple[JsonPath, str]]:
    """One violation -> (path, message) pairs; messages never repeat the user's value."""
    path: JsonPath = tuple(error.absolute_path)
    keyword, bound = error.validator, error.validator_value
    if keyword == "required":  # jsonschema reports each missing name with all of `bound`
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in bound if name not in instance]
        return [((*path, name), "required field is missing") for name in missing]
    if keyword is None:  # `then: false`: an empty value of a required field
        return [(path, "must not be empty: the field is required")]
    if keyword == "serverRegexp":  # "must match ..." or "cannot be checked: ..."
        return [(path, error.message)]
    if keyword == "not":
        refused = bound.get("enum", []) if isinstance(bound, dict) else []
        return [(path, f"not accepted: the server refuses {_listing(refused)}")]
    messages = {
        "textMinLength": "must not be empty"
        if bound == 1
        else f"must have at least {_count(bound, 'character')}",
        "textMaxLength": f"must have at most {_count(bound, 'character')} once trimmed",
        "minItems": f"must have at least {_count(bound, 'item')}",
        "maxItems": f"must have at most {_count(bound, 'item')}",
        "minimum": f"must be >= {bound}",
        "maximum": f"must be <= {bound}",
        "formatMinimum": f"must be on or after {bound}",
        "formatMaximum": f"must be on or before {bound}",
        "format": "must be a date YYYY-MM-DD",
        "pattern": f"must match {bound}",
    }
    return [(path, messages.get(str(keyword), f"fails `{keyword}`"))]


def _count(number: Any, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _listing(values: list[Any]) -> str:
    return ", ".join(value if isinstance(value, str) else json.dumps(value) for value in values)


def resume_problems(
    resume: DesiredResume,
    body: Mapping[str, Any],
    conditions: Mapping[str, Any] | None,
    compiled: Callable[[Mapping[str, Any]], Validator] = conditions_validator,
) -> list[Problem]:
    """Every violation of `conditions` by the fields the plan sends (`body`, the PUT of
    `resume`), at FILE:LINE; `compiled` turns conditions into a validator (a
    CompiledConditions keeps them across resumes). A field the body does not carry is not
    judged: the server keeps its value, empty or not (`required` is for publishing)."""
    if not conditions or not body:
        return []
    found: dict[tuple[JsonPath, str], None] = {}  # ordered and unique
    for error in compiled(conditions).iter_errors(dict(body)):
        for path, message in explain(error):
            if path and path[0] in body:
                found[(path, message)] = None
    return [
        Problem(message + SUFFIX, resume.source.locate(path), dotted(path))
        for path, message in found
    ]
