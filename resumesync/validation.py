"""Offline checks of the user's files: JSON Schema (schemas/) plus the documented rules.

Pure functions: data and a SourceMap in, Problems at FILE:LINE out. Messages never repeat the
checked value (it may be a contact, a birth date or an interpolated secret); they name the
field and what is expected.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from resumesync.model import ACCESS_TYPES, LIST_KINDS, JsonPath, Location, SourceMap
from resumesync.problems import Problem, dotted
from resumesync.resources import load_schema
from resumesync.resume_rules import documented_rules

if TYPE_CHECKING:  # jsonschema is imported only when jsonschema-rs refuses a document
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
from resumesync.typehints import type_hint

RESUME_SCHEMA = "resume.schema.json"
VISIBILITY_SCHEMA = "visibility.schema.json"
CONFIG_SCHEMA = "config.schema.json"

OUR_KEYS = ("id", "publish", "extends", "clone")  # every other top-level key is a resume field
READ_ONLY = "read-only field: the server sets it"
TOP_LEVEL_MESSAGES = {
    "access": "declare access in visibility.yaml",
    "specialization": "not writable in the current API: use professional_roles",
}
# Dictionary entries ({id: ...}) may carry these for humans: the server uses only the id.
INFORMATIONAL = ("name", "url")
_EMPLOYER_ID = re.compile(r"[1-9][0-9]*")


@dataclass
class Findings:
    """Errors stop the run; warnings are shown and the run goes on."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Report:
    """Problems of one document, and the paths already explained by a specific message."""

    source: SourceMap
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    handled: list[JsonPath] = field(default_factory=list)

    def where(self, path: JsonPath) -> Location | None:
        return self.source.locate(path)

    def error(self, path: JsonPath, message: str, handled: bool = False) -> None:
        self.errors.append(Problem(message, self.where(path), dotted(path)))
        if handled:
            self.handled.append(path)

    def line_of(self, path: JsonPath) -> str:
        location = self.where(path)
        return str(location.line) if location else "?"

    def warn(self, path: JsonPath, message: str) -> None:
        self.warnings.append(Problem(message, self.where(path), dotted(path)))

    # resume_rules.Report: what `validate` makes of the documented rules
    def shape(self, path: JsonPath, message: str) -> None:
        self.error(path, message, handled=True)

    def rule(self, path: JsonPath, message: str) -> None:
        self.warn(path, message)

    def note(self, path: JsonPath, message: str) -> None:
        self.warn(path, message)

    def is_handled(self, path: JsonPath) -> bool:
        return any(path[: len(done)] == done for done in self.handled)

    def findings(self) -> Findings:
        return Findings(sort_problems(self.errors), sort_problems(self.warnings))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Unique problems, in file and line order (a base shared by variants reports once)."""
    unique = list(dict.fromkeys(problems))
    return sorted(
        unique, key=lambda p: (p.location.file, p.location.line) if p.location else ("", 0)
    )


# --- resume files --------------------------------------------------------------------------


def validate_resume_document(doc: Any, source: SourceMap) -> list[Problem]:
    """Errors of one resume document (after extends and interpolation)."""
    return check_resume_document(doc, source).errors


def check_resume_document(doc: Any, source: SourceMap) -> Findings:
    """Errors and warnings of one resume document: schema, top-level keys, documented rules."""
    report = _Report(source)
    schema = load_schema(RESUME_SCHEMA)
    if isinstance(doc, dict):
        _top_level_keys(doc, schema, report)
        _unknown_nested(doc, schema, report)
        documented_rules(doc, report)  # warnings here: plan judges them on what it sends
    _finite_numbers(doc, (), report)
    _schema_errors(RESUME_SCHEMA, doc, report)
    return report.findings()


def _top_level_keys(doc: dict[str, Any], schema: dict[str, Any], report: _Report) -> None:
    properties: dict[str, Any] = schema["properties"]
    writable = [
        name for name, sub in properties.items() if not sub.get("readOnly") and name not in OUR_KEYS
    ]
    for key in doc:
        path = (key,)
        if key in TOP_LEVEL_MESSAGES:
            report.error(path, TOP_LEVEL_MESSAGES[key], handled=True)
        elif key in properties and properties[key].get("readOnly"):
            report.error(path, READ_ONLY + _did_you_mean(key, writable, cutoff=0.85), handled=True)
        elif key not in properties:
            report.error(path, "unknown field" + _did_you_mean(key, writable), handled=True)


def _did_you_mean(key: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=cutoff)
    return f"; did you mean `{close[0]}`?" if close else ""


# Nested objects of the API's shapes list their properties; the server ignores any other key, so
# a typo there would be sent (the whole field with it) and dropped: the live value of the field
# the user meant is lost and the plan shows the typo forever. An error, naming the closest
# declared field, wherever the schema lists properties and does not allow others explicitly.
def _unknown_nested(doc: dict[str, Any], schema: dict[str, Any], report: _Report) -> None:
    for key, value in doc.items():
        sub = schema["properties"].get(key)
        if key not in OUR_KEYS and isinstance(sub, dict) and not sub.get("readOnly"):
            _walk_unknown(value, [sub], schema, (key,), report)


def _walk_unknown(
    value: Any, schemas: list[Any], root: dict[str, Any], path: JsonPath, report: _Report
) -> None:
    shape = _shape(_Same(schemas), _Same([root]))
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
                hint = _did_you_mean(key, declared)
                message = "unknown field: not part of the API's shape" + hint
                report.error((*path, key), message, handled=True)
    elif isinstance(value, list):
        items = shape.items
        if items:
            for index, item in enumerate(value):
                _walk_unknown(item, items, root, (*path, index), report)


class _Same:
    """Schema objects as a cache key, by identity: the schemas come from load_schema's cache
    and live as long as the process (the key holds them, so their ids stay theirs)."""

    __slots__ = ("ids", "objects")

    def __init__(self, objects: list[Any]) -> None:
        self.objects = tuple(objects)
        self.ids = tuple(map(id, self.objects))

    def __hash__(self) -> int:
        return hash(self.ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.ids == self.ids


@dataclass(frozen=True)
class _Shape:
    declared: dict[str, list[Any]]  # property -> the schemas that declare it
    items: list[Any]  # the schemas of a list's items
    open: bool = False  # a schema allows other keys (additionalProperties true or a schema)


@cache
def _shape(schemas: _Same, root: _Same) -> _Shape:
    """What a value checked against `schemas` may hold, computed once per run and schema set
    (every list item and every file would otherwise expand the same $refs again)."""
    leaves = _expand(list(schemas.objects), root.objects[0])
    declared: dict[str, list[Any]] = {}
    for leaf in leaves:
        for name, sub in leaf.get("properties", {}).items():
            declared.setdefault(name, []).append(sub)
    items = [leaf["items"] for leaf in leaves if "items" in leaf]
    is_open = any(leaf.get("additionalProperties") not in (None, False) for leaf in leaves)
    return _Shape(declared, items, is_open)


def _expand(schemas: list[Any], root: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """Schemas with $ref resolved and allOf / oneOf / anyOf flattened (all branches)."""
    result: list[dict[str, Any]] = []
    for schema in schemas:
        if not isinstance(schema, dict) or depth > 32:
            continue
        result.append(schema)
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            result.extend(_expand([root["$defs"][ref[len("#/$defs/") :]]], root, depth + 1))
        for keyword in ("allOf", "oneOf", "anyOf"):
            result.extend(_expand(schema.get(keyword, []), root, depth + 1))
    return result


def _finite_numbers(value: Any, path: JsonPath, report: _Report) -> None:
    """JSON has no infinity or NaN (YAML's `.inf` / `.nan`): the request body could not carry it."""
    if isinstance(value, float) and not math.isfinite(value):
        report.error(path, "must be a finite number", handled=True)
    elif isinstance(value, dict):
        for key, item in value.items():
            _finite_numbers(item, (*path, key), report)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _finite_numbers(item, (*path, index), report)


# --- visibility.yaml -----------------------------------------------------------------------


def employer_id(item: Any) -> str | None:
    """An employer entry (3529, "3529" or {id: ..., name: ...}) -> "3529"; None if invalid."""
    if type(item) is str:  # the common case first: hundreds of thousands in an agency's file
        # [1-9][0-9]* (isdigit alone would take other scripts' digits)
        return item if item.isascii() and item.isdigit() and item[0] != "0" else None
    if isinstance(item, dict):
        item = item.get("id")
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return str(item) if item > 0 else None
    if isinstance(item, str) and _EMPLOYER_ID.fullmatch(item):
        return item
    return None


def list_members(value: Any) -> tuple[list[Any], bool, JsonPath] | None:
    """A list as written -> (entries, exact, sub-path of the entries); None if malformed.

    A plain sequence is exact; `{include: [...]}` only guarantees its members.
    """
    if isinstance(value, list):
        return value, True, ()
    if isinstance(value, dict) and isinstance(value.get("include"), list):
        return value["include"], False, ("include",)
    return None


def validate_visibility(doc: Any, source: SourceMap, resumes: Mapping[str, str]) -> list[Problem]:
    """Errors of visibility.yaml. `resumes`: resume key (file stem) -> resume id."""
    return check_visibility(doc, source, resumes).errors


def check_visibility(doc: Any, source: SourceMap, resumes: Mapping[str, str]) -> Findings:
    report = _Report(source)
    if isinstance(doc, dict):
        defaults = doc.get("defaults") if isinstance(doc.get("defaults"), dict) else {}
        default_lists = _check_lists(defaults, ("defaults",), report)
        entries = doc.get("resumes") if isinstance(doc.get("resumes"), dict) else {}
        matched = _match_keys(entries, resumes, report)
        for key in resumes:
            entry_key = matched.get(key)
            entry = entries.get(entry_key) if entry_key is not None else None
            entry_lists: dict[str, dict[str, JsonPath]] = {}
            if isinstance(entry, dict):
                path: JsonPath = ("resumes", entry_key)  # type: ignore[assignment]
                if entry.get("access") == "everyone":
                    report.error(
                        (*path, "access"),
                        "`everyone` cannot be saved since 2021: use one of "
                        + ", ".join(ACCESS_TYPES),
                        handled=True,
                    )
                entry_lists = _check_lists(entry, path, report)
            _check_conflicts(default_lists, entry_lists, report)
        for entry_key, entry in entries.items():  # entries matching no resume: still check them
            if entry_key not in matched.values() and isinstance(entry, dict):
                _check_lists(entry, ("resumes", entry_key), report)
    _schema_errors(VISIBILITY_SCHEMA, _without_members(doc), report)
    return report.findings()


def _without_members(doc: Any) -> Any:
    """visibility.yaml with every well-formed list emptied, for the schema's structural check.

    _check_lists has checked each member already, and jsonschema would take seconds over
    thousands of them.
    """

    def prune(owner: Any) -> Any:
        if not isinstance(owner, dict):
            return owner
        pruned = dict(owner)
        for kind in LIST_KINDS:
            members = list_members(owner.get(kind)) if kind in owner else None
            if members is not None:
                pruned[kind] = [] if members[1] else {**owner[kind], "include": []}
        return pruned

    if not isinstance(doc, dict):
        return doc
    pruned = dict(doc)
    if "defaults" in doc:
        pruned["defaults"] = prune(doc["defaults"])
    if isinstance(doc.get("resumes"), dict):
        pruned["resumes"] = {key: prune(entry) for key, entry in doc["resumes"].items()}
    return pruned


def _check_lists(
    owner: dict[str, Any], path: JsonPath, report: _Report
) -> dict[str, dict[str, JsonPath]]:
    """Employer ids and duplicates of the lists in `owner` -> kind -> {employer id: path}."""
    lists: dict[str, dict[str, JsonPath]] = {}
    for kind in LIST_KINDS:
        members = list_members(owner.get(kind)) if kind in owner else None
        if members is None:
            continue
        entries, _exact, sub = members
        seen: dict[str, JsonPath] = {}
        for index, item in enumerate(entries):
            item_path: JsonPath = (*path, kind, *sub, index)
            employer = employer_id(item)
            if employer is None:
                report.error(
                    item_path,
                    'an employer id is a positive integer: 3529, "3529" or {id: "3529"}',
                    handled=True,
                )
            elif isinstance(item, dict) and _employer_entry_problems(item, item_path, report):
                continue
            elif employer in seen:
                first = report.line_of(seen[employer])
                report.error(
                    item_path, f"employer {employer} is listed twice (also at line {first})"
                )
            else:
                seen[employer] = item_path
        lists[kind] = seen
    return lists


def _employer_entry_problems(item: dict[str, Any], path: JsonPath, report: _Report) -> bool:
    """{id: ..., name: ...}: only these two keys, and a string name."""
    found = False
    for key in item:
        if key not in ("id", "name"):
            report.error((*path, key), "unknown field" + _did_you_mean(key, ("id", "name")))
            found = True
    if "name" in item and not isinstance(item["name"], str):
        report.error((*path, "name"), f"expected string, got {_json_type(item['name'])}")
        found = True
    return found


def _match_keys(
    entries: dict[str, Any], resumes: Mapping[str, str], report: _Report
) -> dict[str, str]:
    """resume key -> the key of its entry under `resumes:` (a file stem or a resume id)."""
    by_id = {resume_id: key for key, resume_id in resumes.items()}
    matched: dict[str, str] = {}
    for entry_key in entries:
        key = entry_key if entry_key in resumes else by_id.get(entry_key)
        if key is None:
            hint = _did_you_mean(entry_key, resumes)
            report.error(
                ("resumes", entry_key),
                "no resume file has this key (file name) or id" + hint,
                handled=True,
            )
        elif key in matched:
            first = report.line_of(("resumes", matched[key]))
            report.error(
                ("resumes", entry_key),
                f"the same resume as `{matched[key]}` (line {first})",
                handled=True,
            )
        else:
            matched[key] = entry_key
    return matched


def _check_conflicts(
    defaults: dict[str, dict[str, JsonPath]],
    entry: dict[str, dict[str, JsonPath]],
    report: _Report,
) -> None:
    """An employer on both lists of one resume (defaults included) is an error."""
    merged = {kind: {**defaults.get(kind, {}), **entry.get(kind, {})} for kind in LIST_KINDS}
    black, white = merged["blacklist"], merged["whitelist"]
    for employer in [employer for employer in white if employer in black]:
        # Point at the line of the resume's own entry when there is one.
        path = entry.get("whitelist", {}).get(employer) or entry.get("blacklist", {}).get(
            employer, white[employer]
        )
        report.error(path, f"employer {employer} is in both blacklist and whitelist")


# --- resumesync.yaml -----------------------------------------------------------------------


def validate_config(doc: Any, source: SourceMap) -> list[Problem]:
    report = _Report(source)
    _schema_errors(CONFIG_SCHEMA, doc, report)
    return report.findings().errors


# --- JSON Schema errors as Problems --------------------------------------------------------


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


def _schema_errors(name: str, instance: Any, report: _Report) -> None:
    if _fast_says_valid(name, instance):
        return
    validator = _validator(name)
    for error in validator.iter_errors(instance):
        for path, message in _explain(error):
            if not report.is_handled(path):
                report.error(path, message)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _words(types: Iterable[str]) -> str:
    names = list(dict.fromkeys(types))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


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
        return [((*path, key), "unknown field" + _did_you_mean(key, declared)) for key in extra]
    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        hint = type_hint(path, expected, error.instance)
        return [(path, f"expected {_words(expected)}, got {_json_type(error.instance)}{hint}")]
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
        return [(path, f"expected {_words(wrong_type)}, got {_json_type(error.instance)}{hint}")]
    deepest = max((sub for errors in fitting for sub in errors), key=lambda e: len(e.absolute_path))
    if len(deepest.absolute_path) > len(path):
        return _explain(deepest)
    return [(path, "does not match any allowed shape")]
