"""Resume files: the schema, their top-level keys, unknown nested keys, finite numbers and the
documented rules (as warnings: plan judges them on what it sends)."""

from __future__ import annotations

import math
from typing import Any

from resumesync.model import JsonPath, SourceMap
from resumesync.problems import Problem
from resumesync.resources import load_schema
from resumesync.resume_rules import documented_rules
from resumesync.validation.report import Findings, Report
from resumesync.validation.schema_check import check_schema
from resumesync.validation.shapes import ByIdentity, shape_of
from resumesync.validation.wording import READ_ONLY, did_you_mean

RESUME_SCHEMA = "resume.schema.json"

OUR_KEYS = ("id", "publish", "extends", "clone")  # every other top-level key is a resume field
TOP_LEVEL_MESSAGES = {
    "access": "declare access in visibility.yaml",
    "specialization": "not writable in the current API: use professional_roles",
}
# Dictionary entries ({id: ...}) may carry these for humans: the server uses only the id.
INFORMATIONAL = ("name", "url")


def validate_resume_document(doc: Any, source: SourceMap) -> list[Problem]:
    """Errors of one resume document (after extends and interpolation)."""
    return check_resume_document(doc, source).errors


def check_resume_document(doc: Any, source: SourceMap) -> Findings:
    """Errors and warnings of one resume document: schema, top-level keys, documented rules."""
    report = Report(source)
    schema = load_schema(RESUME_SCHEMA)
    if isinstance(doc, dict):
        _top_level_keys(doc, schema, report)
        _unknown_nested(doc, schema, report)
        documented_rules(doc, report)  # warnings here: plan judges them on what it sends
    _finite_numbers(doc, (), report)
    check_schema(RESUME_SCHEMA, doc, report)
    return report.findings()


def _top_level_keys(doc: dict[str, Any], schema: dict[str, Any], report: Report) -> None:
    properties: dict[str, Any] = schema["properties"]
    writable = [
        name for name, sub in properties.items() if not sub.get("readOnly") and name not in OUR_KEYS
    ]
    for key in doc:
        path = (key,)
        if key in TOP_LEVEL_MESSAGES:
            report.error(path, TOP_LEVEL_MESSAGES[key], handled=True)
        elif key in properties and properties[key].get("readOnly"):
            report.error(path, READ_ONLY + did_you_mean(key, writable, cutoff=0.85), handled=True)
        elif key not in properties:
            report.error(path, "unknown field" + did_you_mean(key, writable), handled=True)


# Nested objects of the API's shapes list their properties; the server ignores any other key, so
# a typo there would be sent (the whole field with it) and dropped: the live value of the field
# the user meant is lost and the plan shows the typo forever. An error, naming the closest
# declared field, wherever the schema lists properties and does not allow others explicitly.
def _unknown_nested(doc: dict[str, Any], schema: dict[str, Any], report: Report) -> None:
    for key, value in doc.items():
        sub = schema["properties"].get(key)
        if key not in OUR_KEYS and isinstance(sub, dict) and not sub.get("readOnly"):
            _walk_unknown(value, [sub], schema, (key,), report)


def _walk_unknown(
    value: Any, schemas: list[Any], root: dict[str, Any], path: JsonPath, report: Report
) -> None:
    shape = shape_of(ByIdentity(schemas), ByIdentity([root]))
    if isinstance(value, dict):
        declared = shape.declared
        if not declared or shape.open:
            return
        for key, item in value.items():
            if "id" in declared and key in INFORMATIONAL:
                continue
            if key in declared:
                _walk_unknown(item, declared[key], root, (*path, key), report)
            else:
                hint = did_you_mean(key, declared)
                message = "unknown field: not part of the API's shape" + hint
                report.error((*path, key), message, handled=True)
    elif isinstance(value, list):
        items = shape.items
        if items:
            for index, item in enumerate(value):
                _walk_unknown(item, items, root, (*path, index), report)


def _finite_numbers(value: Any, path: JsonPath, report: Report) -> None:
    """JSON has no infinity or NaN (YAML's `.inf` / `.nan`): the request body could not carry it."""
    if isinstance(value, float) and not math.isfinite(value):
        report.error(path, "must be a finite number", handled=True)
    elif isinstance(value, dict):
        for key, item in value.items():
            _finite_numbers(item, (*path, key), report)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _finite_numbers(item, (*path, index), report)
