"""The documented rules that the conditions format cannot express (resumes.en.md:
"Conditions for contacts in a resume", "Additional rules for resume fields", the field
tables), checked on the top-level fields present in a PUT body. Types are already right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from resumesync.sandbox.conditions import parse_date
from resumesync.sandbox.dictionaries import DICTIONARY_FIELDS, Dictionaries, entries_at
from resumesync.sandbox.errors import FieldError, pointer
from resumesync.sandbox.phones import PHONE_PARTS, has_all_parts, split_formatted

PHONE_TYPES = ("cell", "home", "work")
NATIVE_LEVEL = "l1"


@dataclass(frozen=True)
class SaveContext:
    """What a save needs to know besides the body."""

    dictionaries: Dictionaries
    today: dt.date
    stored: Mapping[str, Any]  # the resume's current fields ({} for a new one)
    other_titles: frozenset[str]  # titles of the account's other resumes
    company_name: Callable[[str], str | None]  # company_id -> name (None: unknown)
    artifacts: Mapping[str, Mapping[str, Any]]  # artifact id -> {"type", "shown", "state"}
    conditions: Mapping[str, Any] = field(default_factory=dict)  # the account's own rules


def rule_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    checks = (
        dictionary_errors,
        area_errors,
        metro_errors,
        contact_errors,
        language_errors,
        experience_errors,
        skill_set_errors,
        access_errors,
        salary_errors,
        artifact_errors,
        title_errors,
    )
    return [error for check in checks for error in check(body, context)]


def dictionary_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    errors = []
    for place in DICTIONARY_FIELDS:
        for location, entry in entries_at(body, place.path):
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            if (
                isinstance(entry_id, str)
                and context.dictionaries.name(place.dictionary, entry_id) is None
            ):
                errors.append(
                    FieldError(
                        pointer(*location, "id"),
                        "unknown_id",
                        f"not an id of the {place.dictionary} dictionary",
                    )
                )
    return errors


def area_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    area_id = (body.get("area") or {}).get("id")
    dictionaries = context.dictionaries
    if area_id and dictionaries.name("areas", area_id) and not dictionaries.is_leaf_area(area_id):
        return [
            FieldError(
                "/area/id",
                "chosen_area_is_not_a_leaf",
                "the place of residence must be a city, not a region or country",
            )
        ]
    return []


def metro_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    # A station outside the area is dropped on save (not an error); an unknown one is.
    metro_id = (body.get("metro") or {}).get("id")
    if metro_id and context.dictionaries.metro(metro_id) is None:
        return [FieldError("/metro/id", "unknown_id", "not an id of the metro dictionary")]
    return []


def contact_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    if "contact" not in body or not body["contact"]:
        return []  # an empty list is reported by the conditions (required)
    contacts: list[dict[str, Any]] = body["contact"]
    errors: list[FieldError] = []
    emails = [i for i, contact in enumerate(contacts) if _contact_type(contact) == "email"]
    phones = [i for i, contact in enumerate(contacts) if _contact_type(contact) in PHONE_TYPES]
    if not emails:
        errors.append(
            FieldError("/contact", "email_required", "a resume must have exactly one email contact")
        )
    errors.extend(
        FieldError(
            pointer("contact", i), "only_one_email", "a resume must have exactly one email contact"
        )
        for i in emails[1:]
    )
    if not phones:
        errors.append(
            FieldError("/contact", "phone_required", "a resume must have at least one phone number")
        )
    seen_types: set[str] = set()
    for i in phones:
        phone_type = _contact_type(contacts[i])
        if phone_type in seen_types:
            errors.append(
                FieldError(
                    pointer("contact", i, "type"),
                    "duplicate_phone_type",
                    "only one phone number of each type is allowed",
                )
            )
        seen_types.add(phone_type)
        errors.extend(phone_errors(contacts[i].get("value"), ("contact", i, "value")))
    for i in emails:
        value = contacts[i].get("value")
        if not isinstance(value, str) or "@" not in value:
            errors.append(
                FieldError(
                    pointer("contact", i, "value"),
                    "wrong_format",
                    "an email contact's value must be an email address",
                )
            )
    preferred = [i for i, contact in enumerate(contacts) if contact.get("preferred") is True]
    errors.extend(
        FieldError(
            pointer("contact", i, "preferred"),
            "only_one_preferred",
            "only one contact may be preferred",
        )
        for i in preferred[1:]
    )
    return errors


def _contact_type(contact: dict[str, Any]) -> str | None:
    return (contact.get("type") or {}).get("id")


def phone_errors(value: Any, at: tuple[str | int, ...]) -> list[FieldError]:
    if not isinstance(value, dict):
        return [
            FieldError(
                pointer(*at),
                "wrong_type",
                "a phone's value must be an object (country, city, number)",
            )
        ]
    given = [part for part in PHONE_PARTS if value.get(part) not in (None, "")]
    errors = [
        FieldError(pointer(*at, part), "wrong_format", "must contain digits only")
        for part in given
        if not str(value[part]).isdigit()
    ]
    if errors or has_all_parts(value):
        return errors
    formatted = value.get("formatted")
    if isinstance(formatted, str) and formatted.strip():
        if split_formatted(formatted) is None:
            return [
                FieldError(
                    pointer(*at, "formatted"),
                    "wrong_format",
                    "cannot read country, city and number from this phone",
                )
            ]
        return []
    if given:
        return [
            FieldError(pointer(*at, part), "is_empty", "is required")
            for part in PHONE_PARTS
            if part not in given
        ]
    return [
        FieldError(
            pointer(*at), "is_empty", "give either formatted or all of country, city and number"
        )
    ]


def language_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    natives = 0
    for i, language in enumerate(body.get("language") or []):
        if language.get("id") in seen:
            errors.append(
                FieldError(
                    pointer("language", i, "id"), "duplicate", "each language may be listed once"
                )
            )
        seen.add(language.get("id"))
        if (language.get("level") or {}).get("id") == NATIVE_LEVEL:
            natives += 1
            if natives > 1:
                errors.append(
                    FieldError(
                        pointer("language", i, "level", "id"),
                        "only_one_native",
                        "only one language can be native",
                    )
                )
    return errors


def experience_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, entry in enumerate(body.get("experience") or []):
        start, end = parse_date(entry.get("start") or ""), parse_date(entry.get("end") or "")
        if start and end and end < start:
            errors.append(
                FieldError(
                    pointer("experience", i, "end"),
                    "end_before_start",
                    "the end date is before the start date",
                )
            )
        company_id = entry.get("company_id")
        if company_id is not None and context.company_name(company_id) is None:
            errors.append(
                FieldError(
                    pointer("experience", i, "company_id"),
                    "unknown_id",
                    "not an id of a known company",
                )
            )
    return errors


def skill_set_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    seen: set[str] = set()
    errors = []
    for i, skill in enumerate(body.get("skill_set") or []):
        if skill.strip().casefold() in seen:
            errors.append(
                FieldError(pointer("skill_set", i), "duplicate", "key skills must be unique")
            )
        seen.add(skill.strip().casefold())
    return errors


def access_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    access_type = ((body.get("access") or {}).get("type") or {}).get("id")
    if access_type == "everyone":
        return [
            FieldError(
                "/access/type/id",
                "not_allowed",
                "'everyone' (visible to the entire internet) cannot be set since 2021",
            )
        ]
    return []


def salary_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    currency = (body.get("salary") or {}).get("currency")
    if isinstance(currency, str) and context.dictionaries.name("currencies", currency) is None:
        return [FieldError("/salary/currency", "unknown_id", "not a currency id")]
    return []


def artifact_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    errors = []
    photo_id = (body.get("photo") or {}).get("id")
    if photo_id is not None and _artifact_type(context, photo_id) != "photo":
        errors.append(FieldError("/photo/id", "unknown_id", "not an uploaded photo"))
    for i, item in enumerate(body.get("portfolio") or []):
        if _artifact_type(context, item.get("id")) != "portfolio":
            errors.append(
                FieldError(
                    pointer("portfolio", i, "id"), "unknown_id", "not an uploaded portfolio image"
                )
            )
    return errors


def _artifact_type(context: SaveContext, artifact_id: Any) -> str | None:
    """The type of an uploaded image that a resume may show: only `ok` ones (artifacts.ru.md:
    processing and failed images cannot be put in a resume)."""
    artifact = context.artifacts.get(artifact_id) if isinstance(artifact_id, str) else None
    if not artifact or artifact.get("state", "ok") != "ok":
        return None
    return artifact["type"]


def title_errors(body: dict[str, Any], context: SaveContext) -> list[FieldError]:
    title = body.get("title")
    if isinstance(title, str) and title.strip() in context.other_titles:
        return [
            FieldError("/title", "duplicate", "another resume of this account has the same title")
        ]
    return []
