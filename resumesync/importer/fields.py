"""A live resume document -> the fields of its file, simplified only where normalize.py
already treats both forms as equal (see resumesync.importer); a field whose simple form would
not compare equal is written as the server returned it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from resumesync.importer.yamlout import FlowMap
from resumesync.normalize import DICTIONARY_FIELDS, DICTIONARY_LIST_FIELDS, normalize_field
from resumesync.resources import load_schema
from resumesync.validation import OUR_KEYS, RESUME_SCHEMA, TOP_LEVEL_MESSAGES

# Fields a file must not declare although the server returns them: computed on every read.
SERVER_COMPUTED: tuple[str, ...] = ("total_experience",)

# The order of fields in a written file: what the resume is about first, then the person,
# contacts and extras; education and experience, the long parts, last. Writable fields not
# named here go before education.
FIELD_ORDER: tuple[str, ...] = (
    "title",
    "professional_roles",
    "salary",
    "employments",
    "schedules",
    "employment_form",
    "work_format",
    "skill_set",
    "skills",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "gender",
    "area",
    "metro",
    "relocation",
    "business_trip_readiness",
    "travel_time",
    "citizenship",
    "work_ticket",
    "has_vehicle",
    "driver_license_types",
    "resume_locale",
    "hidden_fields",
    "photo",
    "contact",
    "site",
    "language",
    "portfolio",
    "certificate",
    "recommendation",
)
LAST_FIELDS: tuple[str, ...] = ("education", "experience")

EXPERIENCE_ORDER = (
    "company",
    "company_id",
    "company_url",
    "area",
    "industries",
    "industry",
    "position",
    "start",
    "end",
    "description",
)
CONTACT_ORDER = ("type", "value", "preferred", "comment")
EDUCATION_ORDER = ("level", "primary", "elementary", "additional", "attestation")
PHONE_PARTS = ("country", "city", "number")
# Keys that hh.ru sets on a contact when it is read; never written back.
SERVER_CONTACT_KEYS = ("verified", "need_verification", "contact_value", "kind", "links")


def writable_fields() -> list[str]:
    """The resume fields a file may declare, in the order they are written."""
    properties: dict[str, Any] = load_schema(RESUME_SCHEMA)["properties"]
    names = [
        name
        for name, schema in properties.items()
        if not schema.get("readOnly")
        and name not in OUR_KEYS
        and name not in TOP_LEVEL_MESSAGES  # access (visibility.yaml), specialization
        and name not in SERVER_COMPUTED
    ]
    first = [name for name in FIELD_ORDER if name in names]
    last = [name for name in LAST_FIELDS if name in names]
    rest = [name for name in names if name not in first and name not in last]
    return first + rest + last


def resume_fields(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A live resume document -> (the fields to write, notes about what was left out)."""
    fields: dict[str, Any] = {}
    notes: list[str] = []
    for name in writable_fields():
        live = document.get(name)
        if _prune(live) in (None, [], {}):
            continue
        value = simplify_field(name, live)
        if normalize_field(name, value) != normalize_field(name, live):
            value = _prune(live)  # never change what the resume says to make it prettier
            notes.append(f"{name} is written as the server returned it")
        fields[name] = value
    images = [name for name in ("photo", "portfolio") if name in fields]
    if images:
        notes.append(
            f"{' and '.join(images)} written as the artifact ids {{id: ...}}: import downloads "
            "no images (to keep one in the repository, put the file next to the resume and "
            "write `{file: images/NAME}` instead)"
        )
    specialization = document.get("specialization")
    if "specialization" not in fields and _prune(specialization) not in (None, [], {}):
        notes.append(
            "specialization is not written: it is not writable in the current API "
            "(professional_roles replaces it)"
        )
    return fields, notes


def simplify_field(name: str, value: Any) -> Any:
    """Field `name` as a person would write it (see the module docstring)."""
    value = _prune(value)
    if value is None:
        return None
    rule = _FIELD_RULES.get(name)
    if rule is not None:
        return rule(value)
    if name in DICTIONARY_FIELDS:
        return _entry(value)
    if name in DICTIONARY_LIST_FIELDS:
        return _entries(value)
    return value


def _prune(value: Any) -> Any:
    """Nested nulls, empty lists and empty mappings dropped (normalize rule 4)."""
    if isinstance(value, Mapping):
        pruned = {str(key): _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _ordered(value: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    first = {key: value[key] for key in order if key in value}
    return {**first, **{key: item for key, item in value.items() if key not in first}}


def _entry(value: Any) -> Any:
    """A dictionary entry: its id and, for people, its name; nothing else the server adds."""
    if not isinstance(value, Mapping) or "id" not in value:
        return value
    entry = FlowMap(id=str(value["id"]))
    if isinstance(value.get("name"), str):
        entry["name"] = value["name"]
    return entry


def _entries(value: Any) -> Any:
    return [_entry(item) for item in value] if isinstance(value, list) else value


def _each(value: Any, rule: Callable[[dict[str, Any]], Any]) -> Any:
    if not isinstance(value, list):
        return value
    return [rule(dict(item)) if isinstance(item, Mapping) else item for item in value]


def _contact(contact: dict[str, Any]) -> dict[str, Any]:
    for key in SERVER_CONTACT_KEYS:
        contact.pop(key, None)
    if "type" in contact:
        contact["type"] = _entry(contact["type"])
    phone = contact.get("value")
    if isinstance(phone, Mapping):
        phone = dict(phone)
        if all(phone.get(part) not in (None, "") for part in PHONE_PARTS):
            phone.pop("formatted", None)  # the server derives it from the parts
        contact["value"] = FlowMap(_ordered(phone, (*PHONE_PARTS, "formatted")))
    if contact.get("preferred") is False:
        del contact["preferred"]  # the default
    return _ordered(contact, CONTACT_ORDER)


def _experience(job: dict[str, Any]) -> dict[str, Any]:
    job.pop("employer", None)  # filled in by the server from company_id
    for key in ("area", "industry"):
        if key in job:
            job[key] = _entry(job[key])
    if "industries" in job:
        job["industries"] = _entries(job["industries"])
    job.setdefault("end", None)  # `end: null` reads as "to this day"
    return _ordered(job, EXPERIENCE_ORDER)


def _education(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    education = dict(value)
    if "level" in education:
        education["level"] = _entry(education["level"])

    def primary(entry: dict[str, Any]) -> dict[str, Any]:
        if "education_level" in entry:
            entry["education_level"] = _entry(entry["education_level"])
        return entry

    if "primary" in education:
        education["primary"] = _each(education["primary"], primary)
    return _ordered(education, EDUCATION_ORDER)


def _language(language: dict[str, Any]) -> Any:
    entry = _entry(language)
    if isinstance(entry, FlowMap) and "level" in language:
        entry["level"] = _entry(language["level"])
    return entry


def _site(site: dict[str, Any]) -> dict[str, Any]:
    if "type" in site:
        site["type"] = _entry(site["type"])
    return _ordered(site, ("type", "url"))


def _relocation(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    relocation = dict(value)
    if "type" in relocation:
        relocation["type"] = _entry(relocation["type"])
    for key in ("area", "areas", "district"):
        if key in relocation:
            relocation[key] = _entries(relocation[key])
    return _ordered(relocation, ("type", "area", "areas", "district"))


def _photo(value: Any) -> Any:
    """Only the artifact id is written: `small` / `medium` are URLs that expire."""
    if isinstance(value, Mapping) and "id" in value:
        return FlowMap(id=str(value["id"]))
    return value


def _portfolio(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in ("id", "description") if key in entry}


_FIELD_RULES: dict[str, Callable[[Any], Any]] = {
    "contact": lambda value: _each(value, _contact),
    "experience": lambda value: _each(value, _experience),
    "education": _education,
    "language": lambda value: _each(value, _language),
    "site": lambda value: _each(value, _site),
    "relocation": _relocation,
    "photo": _photo,
    "portfolio": lambda value: _each(value, _portfolio),
    "salary": lambda value: FlowMap(value) if isinstance(value, Mapping) else value,
}
