"""Preflight: the server's own rules for each resume, checked before the first write.

`GET /resumes/{id}/conditions` (resumes.en.md, "Conditions to fill in the fields of a resume")
publishes, per field: required, min_length, max_length, not_in, min_count, max_count,
min_value, max_value, min_date, max_date, regexp, and `fields` for the parts of an object or of
each list item. conditions_schema() turns them into a JSON Schema; a Preflight validates every
managed resume with it (each distinct conditions document compiled once per plan, each resume
checked as soon as its own reads are in, while the other reads are in flight)
and points each violation at the YAML line of the field (`resumes/backend.yaml:4: title:
...`), so that a plan the server would reject fails before any write.

Which document the rules judge: what the plan sends. A PUT carries top-level fields only,
each replacing the live value whole, and only the fields that changed (planner.planned_body).
A field the PUT does not carry is not judged, whatever it holds live, declared or not: the
server keeps it as it is (hh.ru's rules change; old resumes keep old values), and a
`required` field still empty live only matters for publishing, which the planner checks
against `progress.mandatory` (a draft is saved step by step, resumes.en.md "CV status"). A
sent field is judged whole: a `required` top-level field sent empty is an error at its line
(the user is clearing a mandatory field), and every rule inside it, `required` of an
experience entry's `start` included, holds for the sent value.

A nested field the server fills with a documented default when a body leaves it out is not
`required` of the user, whatever the conditions say (SERVER_DEFAULTS): the official spec's
example conditions mark `contact[].preferred` required, while the docs say "if preferred flag
is not sent default value for this parameter is `false`" (resumes.en.md, Object `contact`).

One documented rule needs a directory rather than the conditions: the server drops a metro
station outside the resume's area (DESIGN.md, normalisation), which would leave a perpetual
diff. metro_problems() refuses such a station at its line, from the metro directory of the
area (`GET /metro/{area}`) that the plan reads only for a declared station the apply would
change (normalize.metro_to_check). An error rather than a quiet skip in the planner: the
user's file says something the account can never hold, and only the user can fix that.

The conditions and the metro directory are not part of a saved plan's fingerprint
(fingerprint.py): they gate the plan without shaping it, the conditions' date bounds move every
day, and `apply plan.json` reads neither.

As on the server, the rules of a field apply to a value that is not empty: an empty value
(null, "", [], {}) is an error only when the field is required. Rules for text apply to a text
and to each text of a list (skill_set), `fields` to an object and to each object of a list.

The JSON Schema (draft 2020-12) uses the standard keyword wherever it means what the docs say:
required, minItems / maxItems (min_count / max_count), minimum / maximum (min_value /
max_value, inclusive), not + enum (not_in, compared as written) and format "date". The docs
measure text and dates in ways JSON Schema cannot, and a regexp from the server must not run
in a backtracking engine, so five keywords of our own carry them (see VOCABULARY):
`serverRegexp` searches with RE2 (linear time; serverregex.py: the server's patterns anchor
themselves, and one RE2 cannot run is reported as such),
`textMinLength` counts the text without "\\r\\n", `textMaxLength` the text trimmed of outer
white space, `formatMinimum` / `formatMaximum` (named as in ajv-keywords) bound a YYYY-MM-DD
date, inclusive. A rule with a malformed bound, or a regexp Python cannot compile, is left to
the server (it still answers at apply time, pointed at the same line: server_errors.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from resumesync import dictionaries
from resumesync.model import DesiredResume, DesiredState, JsonPath, LiveResume, LiveState
from resumesync.normalize import metro_to_check
from resumesync.planner import json_safe, planned_body
from resumesync.problems import Problem, ProblemsError, dotted
from resumesync.resume_rules import documented_rules
from resumesync.validation import sort_problems

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

DIALECT = "https://json-schema.org/draft/2020-12/schema"
EMPTY: tuple[Any, ...] = (None, "", [], {})  # "not filled in": what `required` refuses
SUFFIX = " (server conditions)"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_IF_EMPTY = {"enum": list(EMPTY)}  # every field's `if` (see _if_keyword)
# Nested fields (by field names, list items left out) that the server fills when a body leaves
# them out, per the docs: never `required` of the user. The only documented one so far.
SERVER_DEFAULTS: frozenset[tuple[str, ...]] = frozenset({("contact", "preferred")})


# --- conditions -> JSON Schema (pure) -------------------------------------------------------


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


# --- our keywords: the documented measures JSON Schema lacks ----------------------------------


def text_min_length(text: str) -> int:
    """min_length counts the text without "\\r\\n" (resumes.en.md, Rules)."""
    return len(text.replace("\r\n", ""))


def text_max_length(text: str) -> int:
    """max_length counts the text trimmed of spaces at both ends (resumes.en.md, Rules)."""
    return len(text.strip())


def _keyword(
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


def _if_keyword(
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


@cache
def _validator_class() -> type[Validator]:
    from jsonschema import Draft202012Validator, validators

    keywords = {name: _keyword(check) for name, check in VOCABULARY.items()}
    keywords["if"] = _if_keyword(Draft202012Validator.VALIDATORS["if"])
    return validators.extend(Draft202012Validator, keywords)


def conditions_validator(conditions: Mapping[str, Any]) -> Validator:
    """The rules of `GET /resumes/{id}/conditions`, compiled (conditions_schema) to validate
    resume documents."""
    return _validator(conditions_schema(conditions))


def _validator(schema: dict[str, Any]) -> Validator:
    from jsonschema import Draft202012Validator

    cls = _validator_class()
    return cls(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(schema: dict[str, Any], instance: Any) -> list[ValidationError]:
    """Every violation of `schema` (from conditions_schema) by `instance`."""
    return list(_validator(schema).iter_errors(instance))


class CompiledConditions:
    """Each distinct conditions document compiled once, however many resumes share it (those
    of one account normally do): compiling costs a fifth of checking a resume. One per plan,
    keyed by content, so a document that changes between plans is never served stale."""

    def __init__(self) -> None:
        self._by_content: dict[str, Validator] = {}

    def __call__(self, conditions: Mapping[str, Any]) -> Validator:
        key = json.dumps(conditions, sort_keys=True)
        found = self._by_content.get(key)
        if found is None:
            found = self._by_content[key] = conditions_validator(conditions)
        return found

    def __len__(self) -> int:
        return len(self._by_content)


# --- violations -> Problems at FILE:LINE ------------------------------------------------------


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


RULE_SUFFIX = " (documented rule)"


class _SentRules:
    """resume_rules.Report for a plan: a documented rule broken by a field the plan sends is
    an error at its line; one the live resume breaks in a field it keeps is not ours."""

    def __init__(self, resume: DesiredResume, body: Mapping[str, Any]) -> None:
        self._resume = resume
        self._body = body
        self.problems: list[Problem] = []

    def rule(self, path: JsonPath, message: str) -> None:
        if path and path[0] in self._body:
            where = self._resume.source.locate(path)
            self.problems.append(Problem(message + RULE_SUFFIX, where, dotted(path)))

    def shape(self, path: JsonPath, message: str) -> None:
        self.rule(path, message)  # validate refused it already; a live value is not ours

    def note(self, path: JsonPath, message: str) -> None:
        pass  # validate said it; the normaliser keeps it from being a diff

    def line_of(self, path: JsonPath) -> str:
        location = self._resume.source.locate(path)
        return str(location.line) if location else "?"


def rule_problems(
    resume: DesiredResume, body: Mapping[str, Any], document: Mapping[str, Any]
) -> list[Problem]:
    """The documented rules (resume_rules.py) broken by what the plan sends: judged on the
    resume as the PUT leaves it (the live document with the body over it), reported only for
    the fields of the body."""
    if not body:
        return []
    report = _SentRules(resume, body)
    documented_rules({**document, **body}, report)
    return report.problems


def new_resume_body(resume: DesiredResume) -> dict[str, Any]:
    """What the POST of a resume to create sends, as far as its dictionary ids go: the declared
    fields, local images left out as in sent_fields. Nothing for a clone: its POST carries no
    body, and the PUT after it only what differs from the source (see clone_put_body)."""
    if resume.clone is not None:
        return {}
    images = {image.artifact_type for image in resume.images}
    return json_safe({k: v for k, v in resume.fields.items() if k not in images})


def clone_put_body(
    resume: DesiredResume, desired: DesiredState, resumes: Mapping[str, LiveResume]
) -> dict[str, Any]:
    """The PUT that brings a clone to its file: the fields that differ from the live source
    (empty when the source is not read)."""
    for other in desired.resumes:
        if other.key == resume.clone and other.resume_id:
            source = resumes.get(other.resume_id)
            return sent_fields(resume, source.document) if source is not None else {}
    return {}


def sent_fields(resume: DesiredResume, document: dict[str, Any]) -> dict[str, Any]:
    """What the plan's PUT of `resume` carries against the live `document` (may be empty).

    Fields naming local images (`photo: {file: ...}`) are left out: which artifact they name
    is known only once the account's artifacts are read (imageplan.py), and the conditions
    hold nothing for them that the planner does not check (a photo is never sent empty)."""
    images = {image.artifact_type for image in resume.images}
    if images:
        fields = {name: value for name, value in resume.fields.items() if name not in images}
        resume = dataclasses.replace(resume, fields=fields)
    return planned_body(resume, document)[0]


def metro_problems(
    resume: DesiredResume, live_resume: LiveResume, stations: Mapping[str, frozenset[str]]
) -> list[Problem]:
    """A declared metro station that is not in its area's metro directory (`stations`: area
    id -> station ids, as read by live.py), which the server would drop on save."""
    check = metro_to_check(resume.fields, live_resume.document)
    if check is None:
        return []
    station, area = check
    if area not in stations or station in stations[area]:
        return []  # the directory was not read (no preflight), or the station is in the area
    return [
        Problem(
            f"station {station} is not in area {area}; the server would drop it",
            resume.source.locate(("metro",)),
            "metro",
        )
    ]


class Preflight:
    """The preflight of one plan, resume by resume as the reads arrive.

    read_live_state calls `check` (its `on_resume`) as soon as a resume's own reads are in,
    so that the checking overlaps the reads still in flight instead of following the last
    one; `problems` then adds the metro checks, which need every area's directory, and checks
    whatever was not checked yet. Problems come in file order, however the reads arrived.
    """

    def __init__(self, desired: DesiredState) -> None:
        self._desired = desired
        self._compiled = CompiledConditions()
        self._indexes: dict[str, list[int]] = {}  # resume id -> its files in desired.resumes
        for index, resume in enumerate(desired.resumes):
            self._indexes.setdefault(resume.resume_id, []).append(index)
        self._found: dict[int, list[Problem]] = {}  # index in desired.resumes -> its problems

    @property
    def compiled(self) -> int:
        """How many distinct conditions documents were compiled."""
        return len(self._compiled)

    def check(self, live_resume: LiveResume) -> None:
        """Checks what the plan sends each file of one resume against the resume's conditions
        (its lists are not needed)."""
        for index in self._indexes.get(live_resume.resume_id, []):
            resume = self._desired.resumes[index]
            body = sent_fields(resume, live_resume.document)
            self._found[index] = resume_problems(
                resume, body, live_resume.conditions, self._compiled
            )

    def problems(self, live: LiveState) -> list[Problem]:
        """The violations of what the plan sends each managed resume: its conditions (when
        read), the dictionaries and the metro directory, in file order."""
        problems: list[Problem] = []
        for index, resume in enumerate(self._desired.resumes):
            if resume.to_create:  # its POST sends the declared fields; a clone's PUT some
                created = new_resume_body(resume)
                if resume.clone is not None:
                    created = clone_put_body(resume, self._desired, live.resumes)
                problems.extend(dictionaries.problems(resume, created, live.dictionaries))
                continue
            live_resume = live.resumes.get(resume.resume_id)
            if live_resume is None:
                continue
            if index not in self._found:
                self.check(live_resume)
            problems.extend(self._found[index])
            body = sent_fields(resume, live_resume.document)
            problems.extend(rule_problems(resume, body, live_resume.document))
            problems.extend(dictionaries.problems(resume, body, live.dictionaries))
            problems.extend(metro_problems(resume, live_resume, live.metro))
        return sort_problems(problems)

    def raise_if_violations(self, live: LiveState) -> None:
        """ProblemsError with every violation: the plan must not be made, nothing written."""
        problems = self.problems(live)
        if problems:
            raise ProblemsError(problems)


def preflight_problems(desired: DesiredState, live: LiveState) -> list[Problem]:
    """Preflight.problems of a live state read without checking as it arrived."""
    return Preflight(desired).problems(live)
