"""hh.ru's own JSON schemas (the extracted OpenAPI subset) applied to bodies.

Requests: a PUT body is checked against `ResumeEditResumeRequest` with one documented
relaxation. The spec reuses response shapes in requests, so it marks `name`, `url`,
`formatted` (and photo sizes) required in dictionary entries, phones and artifacts, while
the docs say the server uses only the ids and fills in the rest. Those requirements are
dropped from the request schema (RELAXED below); everything else it requires stays.

Responses: tests check every answer of the sandbox against the strict response schemas.

The subset is plain JSON Schema (scripts/extract_openapi.py translates OpenAPI 3.0's
`nullable`), checked with jsonschema as OpenAPI 3.0 reads it: `integer` means an int (1.0 is
a number, not an integer, as in the draft-04 base of OpenAPI 3.0), `format` is not asserted.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from resumesync.sandbox import resources
from resumesync.sandbox.errors import FieldError, pointer

SCHEMAS = "#/components/schemas/"

# Component schema -> required properties the server fills in itself (see module docstring).
RELAXED: dict[str, tuple[str, ...]] = {
    "_IncludesIdName": ("name",),
    "_IncludesIdNameUrl": ("name", "url"),
    "_IncludesArea": ("name", "url"),
    # "formatted or all of country/city/number" is a rule of its own (rules.py).
    "_IncludesContactPhoneValue": ("country", "city", "number", "formatted"),
    "ResumeObjectsPhotoNoId": ("small", "medium"),
    "ResumeObjectsPortfolio": ("small", "medium"),
    "EmployersEmployerInfoShort": ("name", "url", "alternate_url"),
}


def _is_int(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_OpenApi30Reading: Any = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_int),
)


def subset() -> dict[str, Any]:
    return resources.load(resources.OPENAPI_SUBSET)


def _without_required(node: Any, names: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_without_required(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _without_required(value, names) for key, value in node.items()}
    if isinstance(result.get("required"), list):
        result["required"] = [name for name in result["required"] if name not in names]
        if not result["required"]:
            del result["required"]
    return result


@functools.cache
def _validator(root_ref: str, relaxed: bool) -> Any:
    components = subset()["components"]
    if relaxed:
        components = copy.deepcopy(components)
        for name, fields in RELAXED.items():
            components["schemas"][name] = _without_required(components["schemas"][name], fields)
    return _OpenApi30Reading({"components": components, "$ref": root_ref})


def response_errors(operation_id: str, status: int, body: Any) -> list[str]:
    """Why `body` does not match the documented response of the operation (empty: it does)."""
    responses = subset()["operations"][operation_id]["responses"]
    if str(status) not in responses:
        return [f"{operation_id} documents no {status} response"]
    if responses[str(status)] is None:
        return [] if body is None else [f"{operation_id} {status} has no body, got one"]
    validator = _response_validator(operation_id, str(status))
    return [
        f"{pointer(*error.absolute_path) or '/'}: {error.message}"
        for error in validator.iter_errors(body)
    ]


@functools.cache
def _response_validator(operation_id: str, status: str) -> Any:
    schema = subset()["operations"][operation_id]["responses"][status]
    return _OpenApi30Reading({"components": subset()["components"], **schema})


def component_errors(name: str, body: Any) -> list[str]:
    """Why `body` does not match the (strict) component schema `name`."""
    validator = _validator(SCHEMAS + name, False)
    return [
        f"{pointer(*error.absolute_path) or '/'}: {error.message}"
        for error in validator.iter_errors(body)
    ]


def _properties(schema: dict[str, Any]) -> set[str]:
    """Property names of a schema, through $ref and allOf (what the spec lets a body carry)."""
    schemas = subset()["components"]["schemas"]
    if "$ref" in schema:
        return _properties(schemas[schema["$ref"].removeprefix(SCHEMAS)])
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= _properties(part)
    return names


@functools.cache
def writable_fields() -> frozenset[str]:
    """The top-level keys a PUT /resumes/{id} may carry: ResumeEditResumeRequest's properties."""
    request = subset()["operations"]["edit-resume"]["request"]
    return frozenset(_properties(request))


def resume_body_errors(body: dict[str, Any]) -> list[FieldError]:
    """Type errors in a resume body, one per wrong value, with RFC 6901 pointers."""
    validator = _validator(subset()["operations"]["edit-resume"]["request"]["$ref"], True)
    found: dict[str, FieldError] = {}
    for error in validator.iter_errors(body):
        for leaf in _leaf_errors(error):
            where = pointer(*leaf.absolute_path, *_missing_property(leaf))
            found.setdefault(where, FieldError(where, _reason(leaf), _describe(leaf)))
    return sorted(found.values(), key=lambda error: error.pointer)


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """The errors that say what is wrong. For a failed oneOf/anyOf that is the branch that got
    furthest into the value (an object with a bad field is not "not null", it has a bad field)."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    depth = len(error.absolute_path)
    deepest = max(branches.values(), key=lambda subs: max(len(s.absolute_path) for s in subs))
    if all(
        len(sub.absolute_path) == depth and sub.validator in ("type", "enum") for sub in deepest
    ):
        yield error  # the value is of no accepted kind at all: report it where it is
        return
    for sub in deepest:
        yield from _leaf_errors(sub)


def _missing_property(error: ValidationError) -> tuple[str, ...]:
    """A missing required property is pointed at where it should be."""
    if error.validator == "required":
        match = re.match(r"'([^']*)' is a required property", error.message)
        if match:
            return (match.group(1),)
    return ()


def _reason(error: ValidationError) -> str:
    return {
        "required": "is_empty",
        "type": "wrong_type",
        "oneOf": "wrong_type",
        "anyOf": "wrong_type",
        "enum": "wrong_value",
    }.get(str(error.validator), "wrong_value")


def _describe(error: ValidationError) -> str:
    if error.validator == "required":
        return "is required"
    if error.validator == "type":
        expected = error.validator_value
        return f"must be of type {expected}" if isinstance(expected, str) else "has a wrong type"
    return "has a value of a wrong type or shape"
