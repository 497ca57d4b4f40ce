"""What the server does to a valid body before it stores it (the docs' "normalisation").

- dictionary entries keep their id and get the dictionary's `name` (and `url` for areas);
- `company` is replaced from `company_id`, and `employer` filled in;
- a phone gets `formatted` from country/city/number, or is split from `formatted`;
- contacts get `preferred: false` by default, phones `verified: false` and `comment: null`;
  a comment on an email contact is not saved;
- experience is kept newest first (by start date, descending);
- education keeps only the one of primary/elementary that matches `level`;
- a metro station outside the area of residence is dropped;
- photo and portfolio entries are filled in from the uploaded artifacts;
- `total_experience` is never taken from a body: every read computes it from experience.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from resumesync.sandbox.dictionaries import API_ROOT, DICTIONARY_FIELDS, SITE_ROOT, entries_at
from resumesync.sandbox.phones import normalise_phone
from resumesync.sandbox.rules import PHONE_TYPES, SaveContext

EXPERIENCE_KEYS = (
    "company",
    "company_id",
    "company_url",
    "area",
    "industries",
    "position",
    "start",
    "end",
    "description",
)
CONTACT_KEYS = ("type", "value", "preferred", "comment")
EDUCATION_LISTS = ("primary", "elementary", "additional", "attestation")
PRIMARY_IDS = ("name_id", "organization_id", "result_id")
# Accepted in a body but never stored: shown as computed from experience on every read.
SERVER_COMPUTED = ("total_experience",)


def normalise(body: dict[str, Any], context: SaveContext) -> dict[str, Any]:
    """The stored form of the top-level fields in `body` (valid, see saving.check_body)."""
    fields = {
        key: copy.deepcopy(value) for key, value in body.items() if key not in SERVER_COMPUTED
    }
    fill_dictionary_entries(fields, context)
    if fields.get("contact") is not None:
        fields["contact"] = [normalise_contact(contact) for contact in fields["contact"]]
    if fields.get("experience") is not None:
        entries = [normalise_experience(entry, context) for entry in fields["experience"]]
        fields["experience"] = sorted(entries, key=lambda entry: entry["start"], reverse=True)
    if fields.get("education") is not None:
        fields["education"] = normalise_education(fields["education"])
    if fields.get("salary") is not None:
        fields["salary"] = {
            "amount": fields["salary"]["amount"],
            "currency": fields["salary"]["currency"],
        }
    if fields.get("photo") is not None:
        fields["photo"] = dict(context.artifacts[fields["photo"]["id"]]["shown"])
    if fields.get("portfolio") is not None:
        fields["portfolio"] = [
            dict(context.artifacts[item["id"]]["shown"]) for item in fields["portfolio"]
        ]
    drop_metro_outside_area(fields, context)
    return fields


def fill_dictionary_entries(fields: dict[str, Any], context: SaveContext) -> None:
    # Parents before children: a language entry is replaced before its level is.
    for place in sorted(DICTIONARY_FIELDS, key=lambda place: len(place.path)):
        nested = {
            other.path[len(place.path)]
            for other in DICTIONARY_FIELDS
            if len(other.path) > len(place.path) and other.path[: len(place.path)] == place.path
        }
        for location, entry in list(entries_at(fields, place.path)):
            if place.id_only:
                replacement = {"id": entry["id"]}
            else:
                replacement = context.dictionaries.entry(place.dictionary, entry["id"])
            replacement.update({key: entry[key] for key in sorted(nested) if key in entry})
            _set(fields, location, replacement)


def _set(document: Any, location: tuple[str | int, ...], value: Any) -> None:
    parent = document
    for step in location[:-1]:
        parent = parent[step]
    parent[location[-1]] = value


def normalise_contact(contact: dict[str, Any]) -> dict[str, Any]:
    stored = {key: contact[key] for key in CONTACT_KEYS if key in contact}
    stored["preferred"] = bool(contact.get("preferred", False))
    if contact["type"]["id"] in PHONE_TYPES:
        stored["value"] = normalise_phone(contact["value"])
        stored["comment"] = contact.get("comment")
        stored["verified"] = False
    else:
        stored.pop("comment", None)  # "a comment for an email will not be saved"
    return stored


def normalise_experience(entry: dict[str, Any], context: SaveContext) -> dict[str, Any]:
    stored = {key: entry[key] for key in EXPERIENCE_KEYS if key in entry}
    company_id = entry.get("company_id")
    stored.setdefault("end", None)
    stored["company_id"] = company_id
    stored["employer"] = None
    if company_id is not None:
        name = context.company_name(company_id)
        stored["company"] = name
        stored["employer"] = {
            "id": company_id,
            "name": name,
            "url": f"{API_ROOT}/employers/{company_id}",
            "alternate_url": f"{SITE_ROOT}/employer/{company_id}",
            "logo_urls": None,
        }
    return stored


def normalise_education(education: dict[str, Any]) -> dict[str, Any]:
    stored: dict[str, Any] = {"level": education.get("level")}
    for key in EDUCATION_LISTS:
        stored[key] = list(education.get(key) or [])
    stored["primary"] = [
        {**{key: None for key in PRIMARY_IDS}, **item} for item in stored["primary"]
    ]
    if stored["primary"] and stored["elementary"]:
        # Only the education matching the level is kept: secondary -> elementary.
        level = (stored["level"] or {}).get("id")
        stored["primary" if level == "secondary" else "elementary"] = []
    return stored


def drop_metro_outside_area(fields: dict[str, Any], context: SaveContext) -> None:
    """A station must be in the place of residence; one that is not is dropped, per docs."""
    if "metro" not in fields and "area" not in fields:
        return
    metro = fields["metro"] if "metro" in fields else context.stored.get("metro")
    area = fields["area"] if "area" in fields else context.stored.get("area")
    if not metro:
        return
    station_area = context.dictionaries.metro_area(metro["id"])
    if area is None or station_area != area.get("id"):
        fields["metro"] = None
    elif "metro" in fields:
        fields["metro"] = context.dictionaries.metro(metro["id"])


def total_experience(experience: list[dict[str, Any]] | None, today: dt.date) -> dict | None:
    """Months covered by any job (overlaps counted once), each partial month rounded up."""
    months: set[int] = set()
    for entry in experience or []:
        start = entry["start"]
        end = entry.get("end") or today.isoformat()
        first = int(start[:4]) * 12 + int(start[5:7]) - 1
        last = int(end[:4]) * 12 + int(end[5:7]) - 1
        months.update(range(first, last + 1))
    return {"months": len(months)} if months else None
