"""The one place that decides what counts as "equal".

A declared field and the live document's field are both normalised, then compared with `==`.
Everything the server fills in, reorders or drops on save is normalised away here, so that it
never shows up as a diff (a perpetual diff is a bug). Each rule below cites where the server
behaviour is documented (`resumes.en.md`, "Creating and editing a resume", unless said otherwise).

Rules, applied in this order:

1. Plain values: dates become `YYYY-MM-DD` strings, tuples become lists, and a float with an
   integral value becomes an int (`1.0 == 1`: JSON does not tell them apart).
2. Dictionary entries keep only `id`, as a string: "only id of transferred data is used for the
   fields with the directory data"; the server fills `name` (and `url` for areas). See
   `DICTIONARY_FIELDS` and `DICTIONARY_LIST_FIELDS`, and the per-field rules for nested ones.
3. Per-field rules (functions `_experience`, `_contact`, `_education`, ... below).
4. Null and absent are the same inside nested objects, and so are empty lists and objects:
   `PUT` replaces a top-level field as a whole, so a nested key left out is stored empty.
   At the top level an empty list or object equals `null`.

One rule depends on another field and a directory: a metro station outside the resume's area
is ignored by the server (see `server_ignores`, and `metro_to_check`, which names the declared
stations that the plan must look up in their area's metro directory).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

# Top-level fields holding one dictionary entry (`{"id": ..., "name": ...}`).
DICTIONARY_FIELDS: frozenset[str] = frozenset(
    {
        "area",
        "gender",
        "metro",
        "business_trip_readiness",
        "travel_time",
        "resume_locale",
    }
)

# Top-level fields holding a list of dictionary entries.
DICTIONARY_LIST_FIELDS: frozenset[str] = frozenset(
    {
        "citizenship",
        "work_ticket",
        "employments",
        "schedules",
        "professional_roles",
        "specialization",
        "driver_license_types",
        "hidden_fields",
        "employment_form",
        "work_format",
    }
)

# Contact keys the server sets on read (GET only): never compared.
_SERVER_CONTACT_KEYS: tuple[str, ...] = (
    "verified",
    "need_verification",
    "contact_value",
    "kind",
    "links",
)

_DIGITS = re.compile(r"\D+")

MetroAreas = Mapping[str, str]
"""Metro station id -> the id of the area (city) it is in, from the `/metro` directory."""


def normalize_field(name: str, value: Any) -> Any:
    """The comparable form of top-level resume field `name` holding `value` (either side)."""
    value = _plain(value)
    rule = _FIELD_RULES.get(name)
    if rule is not None and value is not None:
        value = rule(value)
    elif value is not None and name in DICTIONARY_FIELDS:
        value = _entry(value)
    elif value is not None and name in DICTIONARY_LIST_FIELDS:
        value = _entries(value)
    return _prune_top(value)


def live_field(document: Mapping[str, Any], name: str) -> Any:
    """What the live document holds for top-level field `name`; absent is None."""
    return document.get(name)


def fields_equal(name: str, desired: Any, live: Any) -> bool:
    """Whether declared value `desired` already matches the live value of field `name`."""
    return normalize_field(name, desired) == normalize_field(name, live)


def server_ignores(
    name: str,
    fields: Mapping[str, Any],
    document: Mapping[str, Any],
    metro_areas: MetroAreas | None = None,
) -> bool:
    """True when the server would not store declared field `name` as written.

    Such a field is never a diff: sending it changes nothing, so comparing it would be a
    perpetual diff. The one documented case (openapi `ResumeEditResumeRequest.metro`, and
    "The nearest metro station must be located in the place of residence"): a metro station
    that is not in the resume's area is ignored. Telling that needs the metro directory, so the
    rule applies only when `metro_areas` knows the station.
    """
    if name != "metro" or not metro_areas:
        return False
    station = normalize_field("metro", fields.get("metro"))
    if station is None:
        return False
    area = normalize_field("area", fields["area"] if "area" in fields else document.get("area"))
    station_area = metro_areas.get(station["id"])
    if station_area is None:
        return False
    return area is None or station_area != area["id"]


def metro_to_check(
    fields: Mapping[str, Any], document: Mapping[str, Any]
) -> tuple[str, str] | None:
    """(station id, area id) of a declared metro station that the server may drop, or None.

    The server keeps a station only in the resume's area. A station the live resume holds in
    the area it keeps was accepted, so it needs no check; one the apply writes (it differs
    from the live station), or whose area the apply changes, must be looked up in the metro
    directory of the area the resume will have.
    """
    if "metro" not in fields:
        return None
    station = normalize_field("metro", fields["metro"])
    area = normalize_field("area", fields["area"] if "area" in fields else document.get("area"))
    if not isinstance(station, dict) or not isinstance(area, dict):
        return None  # no station, or no area: validation's matter (`area` with `metro`)
    unchanged = station == normalize_field("metro", document.get("metro")) and (
        area == normalize_field("area", document.get("area"))
    )
    return None if unchanged else (station["id"], area["id"])


def canonical_phone(value: Mapping[str, Any]) -> str:
    """The digits of a phone value.

    "If both options are available, the system uses data from the separate fields"
    ("Conditions for contacts in a resume"); `formatted` "may contain additional symbols:
    spaces, brackets, and hyphens", so only its digits count.
    """
    split = [value.get(part) for part in ("country", "city", "number")]
    if any(part not in (None, "") for part in split):
        return _DIGITS.sub("", "".join(str(part) for part in split if part is not None))
    return _DIGITS.sub("", str(value.get("formatted") or ""))


# --- rule 1: plain values ---------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


# --- rule 2: dictionary entries ---------------------------------------------------------------


def _entry(value: Any) -> Any:
    """A dictionary entry keeps only its id (the server fills `name`, `url`)."""
    if isinstance(value, Mapping):
        ident = value.get("id")
        return None if ident is None else {"id": str(ident)}
    return value


def _entries(value: Any) -> Any:
    if isinstance(value, list):
        return [_entry(item) for item in value]
    return value


def _with(value: Any, transform: Callable[[dict[str, Any]], Any]) -> Any:
    """Apply `transform` to a mapping; leave anything else (a validation matter) alone."""
    return transform(dict(value)) if isinstance(value, Mapping) else value


def _each(value: Any, transform: Callable[[dict[str, Any]], Any]) -> Any:
    if not isinstance(value, list):
        return value
    return [_with(item, transform) for item in value]


# --- rule 3: per-field rules ------------------------------------------------------------------


def _experience_entry(entry: dict[str, Any]) -> dict[str, Any]:
    # `employer` is filled by the server from `company_id`; "when writing company_id in the
    # work experience, the company name will be changed to the company name from the tips".
    entry.pop("employer", None)
    if entry.get("company_id") not in (None, ""):
        entry["company_id"] = str(entry["company_id"])
        entry.pop("company", None)
    if "area" in entry:
        entry["area"] = _entry(entry["area"])
    if "industry" in entry:
        entry["industry"] = _entry(entry["industry"])
    if "industries" in entry:
        entry["industries"] = _entries(entry["industries"])
    return entry


def _experience(value: Any) -> Any:
    """Experience is stored newest first: sorted by `start`, descending (a stable sort)."""
    entries = _each(value, _experience_entry)
    if not isinstance(entries, list):
        return entries

    def start(entry: Any) -> str:
        return str(entry.get("start") or "") if isinstance(entry, Mapping) else ""

    return sorted(entries, key=start, reverse=True)


def _contact_entry(entry: dict[str, Any]) -> dict[str, Any]:
    for key in _SERVER_CONTACT_KEYS:
        entry.pop(key, None)
    entry["type"] = _entry(entry.get("type"))
    kind = (entry["type"] or {}).get("id")
    value = entry.get("value")
    if isinstance(value, Mapping):
        # A phone: the server fills `formatted` from the split fields and vice versa.
        entry["value"] = canonical_phone(value)
    # "preferred ... if preferred flag is not sent default value for this parameter is false"
    entry["preferred"] = bool(entry.get("preferred") or False)
    # "Comments are only available for phone numbers, a comment for an email will not be saved."
    if kind == "email":
        entry.pop("comment", None)
    return entry


def _site_entry(entry: dict[str, Any]) -> dict[str, Any]:
    if "type" in entry:
        entry["type"] = _entry(entry["type"])
    return entry


def _language_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A language is a `languages` entry plus a `language_level` entry: ids only."""
    result: dict[str, Any] = {"id": None if entry.get("id") is None else str(entry["id"])}
    result["level"] = _entry(entry.get("level"))
    return result


def _primary_entry(entry: dict[str, Any]) -> dict[str, Any]:
    if "education_level" in entry:
        entry["education_level"] = _entry(entry["education_level"])
    return entry


def _education(value: Any) -> Any:
    def transform(education: dict[str, Any]) -> dict[str, Any]:
        education["level"] = _entry(education.get("level"))
        if "primary" in education:
            education["primary"] = _each(education["primary"], _primary_entry)
        # openapi `ResumeEditResumeRequest.education`: given both higher and secondary
        # education, only the one matching `level` is saved (secondary for "secondary").
        if education.get("primary") and education.get("elementary"):
            if (education["level"] or {}).get("id") == "secondary":
                education.pop("primary")
            else:
                education.pop("elementary")
        return education

    return _with(value, transform)


def _relocation(value: Any) -> Any:
    def transform(relocation: dict[str, Any]) -> dict[str, Any]:
        if "type" in relocation:
            relocation["type"] = _entry(relocation["type"])
        # `area` in the schema, `areas` in the prose of the docs: both are lists of areas.
        for key in ("area", "areas", "district"):
            if key in relocation:
                relocation[key] = _entries(relocation[key])
        return relocation

    return _with(value, transform)


def _photo(value: Any) -> Any:
    """Only the artifact id is written; `small` / `medium` are expiring URLs."""
    return _entry(value)


def _portfolio_entry(entry: dict[str, Any]) -> dict[str, Any]:
    ident = entry.get("id")
    return {
        "id": None if ident is None else str(ident),
        "description": entry.get("description"),
    }


def _access(value: Any) -> Any:
    return _with(value, lambda access: {"type": _entry(access.get("type"))})


_FIELD_RULES: dict[str, Callable[[Any], Any]] = {
    "experience": _experience,
    "contact": lambda value: _each(value, _contact_entry),
    "site": lambda value: _each(value, _site_entry),
    "language": lambda value: _each(value, _language_entry),
    "education": _education,
    "relocation": _relocation,
    "photo": _photo,
    "portfolio": lambda value: _each(value, _portfolio_entry),
    "access": _access,
}


# --- rule 4: null, absent and empty -----------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _prune(value: Any) -> Any:
    """Below the top level: drop keys whose value is null, [] or {} (after pruning)."""
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if not _is_empty(item)}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _prune_top(value: Any) -> Any:
    value = _prune(value)
    return None if _is_empty(value) else value
