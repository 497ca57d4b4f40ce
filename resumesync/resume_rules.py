"""The documented rules of a resume that its JSON Schema and the server's conditions cannot
express (resumes.en.md: "Conditions for contacts in a resume", "Additional rules for resume
fields"): one email, at least one phone, one phone per type, one preferred contact, `end` not
before `start`, one native language, unique `skill_set`, `metro` only with `area`.

They judge what the plan sends: hh.ru's rules change and old resumes keep old values, so a value
the server already holds is never refused. `validate` (offline) reports a broken rule as a
warning (resumesync.validation); `plan` as an error, for the fields it sends (preflight). A Report
receives three kinds of findings: `shape` (a type the body cannot carry: always an error),
`rule` (a documented rule) and `note` (what the server would silently change).
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Protocol

from resumesync.model import JsonPath

NATIVE_LEVEL = "l1"
PHONE_PARTS = ("country", "city", "number")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")


class Report(Protocol):
    def shape(self, path: JsonPath, message: str) -> None: ...

    def rule(self, path: JsonPath, message: str) -> None: ...

    def note(self, path: JsonPath, message: str) -> None: ...

    def line_of(self, path: JsonPath) -> str: ...


def documented_rules(doc: dict[str, Any], report: Report) -> None:
    """Every documented rule on the resume document `doc`."""
    _contact_rules(doc, report)
    _experience_rules(doc, report)
    _language_rules(doc, report)
    _skill_set_rules(doc, report)
    _metro_rules(doc, report)


def _entry_id(value: Any) -> str | None:
    """The id of a dictionary entry ({id: ..., name: ...})."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _contact_rules(doc: dict[str, Any], report: Report) -> None:
    """The documented contact rules ("Conditions for contacts in a resume")."""
    if "contact" not in doc or not isinstance(doc["contact"], list | None):
        return
    contacts = doc["contact"] or []
    emails: list[int] = []
    phone_types: dict[str, int] = {}
    preferred: list[int] = []
    for index, contact in enumerate(contacts):
        path: JsonPath = ("contact", index)
        kind = _entry_id(contact.get("type")) if isinstance(contact, dict) else None
        if kind is None:
            continue  # the schema reports the missing type
        if contact.get("preferred") is True:
            preferred.append(index)
        value = contact.get("value")
        if kind == "email":
            emails.append(index)
            if len(emails) == 2:
                report.rule((*path, "type"), "a resume has exactly one email contact")
            if contact.get("comment") not in (None, ""):
                report.note((*path, "comment"), "a comment on an email contact is not saved")
            if value is not None and not isinstance(value, str):
                report.shape((*path, "value"), "an email's value is a string")
            continue
        if kind in phone_types:
            first = report.line_of(("contact", phone_types[kind]))
            report.rule(
                (*path, "type"), f"only one phone of type `{kind}` (another at line {first})"
            )
        phone_types.setdefault(kind, index)
        _phone_value(value, (*path, "value"), report)
    if not emails:
        report.rule(("contact",), "a resume needs an email contact")
    if not phone_types:
        report.rule(("contact",), "a resume needs at least one phone contact")
    if len(preferred) > 1:
        report.rule(("contact", preferred[1], "preferred"), "only one contact can be preferred")


def _phone_value(value: Any, path: JsonPath, report: Report) -> None:
    if not isinstance(value, dict):
        report.shape(
            path,
            "a phone's value is a mapping: `formatted`, or `country`, `city` and `number`",
        )
        return
    given = [part for part in PHONE_PARTS if value.get(part) not in (None, "")]
    if given and len(given) < len(PHONE_PARTS):
        missing = ", ".join(f"`{part}`" for part in PHONE_PARTS if part not in given)
        report.rule(path, f"`country`, `city` and `number` go together: missing {missing}")
    elif not given and value.get("formatted") in (None, ""):
        report.rule(path, "a phone needs `formatted` or all of `country`, `city` and `number`")
    for part in given:
        text = value[part]
        if isinstance(text, str) and not _DIGITS.fullmatch(text):
            report.shape((*path, part), "digits only")


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _experience_rules(doc: dict[str, Any], report: Report) -> None:
    experience = doc.get("experience")
    if not isinstance(experience, list):
        return
    for index, job in enumerate(experience):
        if not isinstance(job, dict):
            continue
        start, end = _date(job.get("start")), _date(job.get("end"))
        if start and end and end < start:
            report.rule(("experience", index, "end"), "`end` is before `start`")


def _language_rules(doc: dict[str, Any], report: Report) -> None:
    languages = doc.get("language")
    if not isinstance(languages, list):
        return
    native = [
        index
        for index, language in enumerate(languages)
        if isinstance(language, dict) and _entry_id(language.get("level")) == NATIVE_LEVEL
    ]
    for index in native[1:]:
        report.rule(
            ("language", index, "level"), f"only one native language (level `{NATIVE_LEVEL}`)"
        )


def _skill_set_rules(doc: dict[str, Any], report: Report) -> None:
    skills = doc.get("skill_set")
    if not isinstance(skills, list):
        return
    seen: dict[str, int] = {}
    for index, skill in enumerate(skills):
        if not isinstance(skill, str):
            continue
        if skill.strip() in seen:
            report.rule(
                ("skill_set", index), f"duplicate skill (also at position {seen[skill.strip()]})"
            )
        seen.setdefault(skill.strip(), index)


def _metro_rules(doc: dict[str, Any], report: Report) -> None:
    if doc.get("metro") is not None and doc.get("area") is None:
        report.rule(
            ("metro",),
            "declare `area` with `metro`: the server drops a station outside the given area",
        )
