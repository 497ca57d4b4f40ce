"""A document against its JSON Schema (schemas/): jsonschema-rs's fast yes or no first, and
only for a refused document jsonschema's errors, worded as Problems without the value."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from resumesync.model import JsonPath
from resumesync.resources import load_schema
from resumesync.typehints import type_hint
from resumesync.validation.report import Report
from resumesync.validation.wording import READ_ONLY, did_you_mean, either_of, json_type

if TYPE_CHECKING:  # jsonschema is imported only when jsonschema-rs refuses a document
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # 30-40 ms: only for a refused document

    return Draft202012Validator(
        load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _fast_validator(name: str) -> Callable[[Any], bool]:
    """jsonschema-rs's `is_valid` for the schema: about 1,000 times faster than jsonschema,
    which stays the judge (and writes the messages) whenever this says "invalid". It is at
    least as strict as jsonschema (tests/files/test_fast_schema.py), so its "valid" is
    jsonschema's too."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema(name), validate_formats=True).is_valid


def _fast_says_valid(name: str, instance: Any) -> bool:
    try:
        return _fast_validator(name)(instance)
    except (ValueError, TypeError, OverflowError):  # a value it cannot convert, e.g. 2**70
        return False


def check_schema(name: str, instance: Any, report: Report) -> None:
    if _fast_says_valid(name, instance):
        return
    validator = _validator(name)
    for error in validator.iter_errors(instance):
        for path, message in _explain(error):
            if not report.is_handled(path):
                report.error(path, message)


def _explain(error: ValidationError) -> list[tuple[JsonPath, str]]:
    """One jsonschema error -> (path, message) pairs, without echoing the value."""
    path: JsonPath = tuple(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.validator_value
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        rule = f": must match {value}" if keyword == "pattern" else ""
        return [((*path, error.instance), "invalid name" + rule)]
    if keyword in ("oneOf", "anyOf"):
        return _explain_choice(error, path)
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return [
            ((*path, name), "required field is missing") for name in value if name not in instance
        ]
    if keyword == "additionalProperties":
        declared = schema.get("properties", {})
        extra = [key for key in error.instance if key not in declared]
        return [((*path, key), "unknown field" + did_you_mean(key, declared)) for key in extra]
    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        hint = type_hint(path, expected, error.instance)
        return [(path, f"expected {either_of(expected)}, got {json_type(error.instance)}{hint}")]
    if keyword == "enum":
        return [(path, "must be one of: " + ", ".join(json.dumps(item) for item in value))]
    if keyword in ("pattern", "format") and schema.get("format") == "date":
        return [(path, "must be a date YYYY-MM-DD")]
    if keyword == "format":
        return [(path, f"must be a valid {value}")]
    if keyword == "pattern":
        return [(path, f"must match {value}")]
    if keyword == "not" and schema.get("readOnly"):
        return [(path, READ_ONLY)]
    simple = {
        "minLength": "must not be empty"
        if value == 1
        else f"must have at least {value} characters",
        "maxLength": f"must have at most {value} characters",
        "minItems": f"must have at least {value} items",
        "maxItems": f"must have at most {value} items",
        "minimum": f"must be >= {value}",
        "maximum": f"must be <= {value}",
        "exclusiveMinimum": f"must be > {value}",
        "exclusiveMaximum": f"must be < {value}",
        "uniqueItems": "items must be unique",
        "const": f"must be {json.dumps(value)}",
        "propertyNames": "invalid name",
    }
    if keyword in simple:
        return [(path, simple[keyword])]
    return [
        (path, "not allowed here" if keyword in (None, "not", "false") else f"fails `{keyword}`")
    ]


def _explain_choice(error: ValidationError, path: JsonPath) -> list[tuple[JsonPath, str]]:
    """oneOf / anyOf: explain the branch that fits the value's type, if exactly one does."""
    if not error.context:  # oneOf: more than one branch matched (they all allow null)
        shape = "must not be null" if error.instance is None else "matches several allowed shapes"
        return [(path, shape)]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    wrong_type: list[str] = []
    fitting: list[list[ValidationError]] = []
    for errors in branches.values():
        type_errors = [
            sub for sub in errors if sub.validator == "type" and tuple(sub.absolute_path) == path
        ]
        if type_errors:
            for sub in type_errors:
                expected = sub.validator_value
                wrong_type.extend(expected if isinstance(expected, list) else [expected])
        else:
            fitting.append(errors)
    if len(fitting) == 1:
        return [pair for sub in fitting[0] for pair in _explain(sub)]
    if not fitting and wrong_type:
        hint = type_hint(path, wrong_type, error.instance)
        return [(path, f"expected {either_of(wrong_type)}, got {json_type(error.instance)}{hint}")]
    deepest = max((sub for errors in fitting for sub in errors), key=lambda e: len(e.absolute_path))
    if len(deepest.absolute_path) > len(path):
        return _explain(deepest)
    return [(path, "does not match any allowed shape")]
