"""Dictionary ids in what a plan sends, and their check against the server's dictionaries.

A resume names dictionary entries by id (`salary.currency: RUR`, `gender: {id: male}`, an
experience entry's `industries`, ...). An id the server does not know fails the PUT with
`400 bad_json_data ... (unknown_id)`, after the other writes of the apply: in CI a green pull
request and a red main. So `plan` reads the public dictionaries (spec: `GET /dictionaries`,
`/languages`, `/industries`, `/professional_roles`, `/locales/resume`, `/areas/{id}`) for the
ids it is about to send, each endpoint at most once per run (live/gates.py), and refuses an unknown
id at its line with the closest known id.

Pure: refs() finds the ids in a body, ids_of() reads an endpoint's answer, problems() judges.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from resumesync.model import DesiredResume, JsonPath
from resumesync.problems import Problem, dotted

ANY = "*"  # a path step matching every item of a list
SUFFIX = " (server dictionaries)"

# Where the dictionary of each kind comes from: `/dictionaries` holds most (under the kind's
# own key), the others have an endpoint each; areas are read one by one (`/areas/{id}`), as
# the whole tree is megabytes.
DICTIONARIES = "/dictionaries"
ENDPOINTS: dict[str, str] = {
    "languages": "/languages",
    "industries": "/industries",
    "professional_roles": "/professional_roles",
    "locales": "/locales/resume",
}
AREAS = "areas"


@dataclass(frozen=True)
class Place:
    """Where ids of one kind sit in a resume: a path of keys (ANY for list items). `entry`:
    the value is a dictionary entry `{id: ...}`; otherwise the id itself (a currency code)."""

    path: tuple[str, ...]
    kind: str
    entry: bool = True


# ResumeEditResumeRequest's dictionary fields (`/dictionaries` key or endpoint per field).
PLACES: tuple[Place, ...] = (
    Place(("area",), AREAS),
    Place(("business_trip_readiness",), "business_trip_readiness"),
    Place(("citizenship", ANY), AREAS),
    Place(("contact", ANY, "type"), "preferred_contact_type"),
    Place(("driver_license_types", ANY), "driver_license_types"),
    Place(("education", "level"), "education_level"),
    Place(("employment_form", ANY), "resume_employment_form"),
    Place(("employments", ANY), "employment"),
    Place(("experience", ANY, "area"), AREAS),
    Place(("experience", ANY, "industries", ANY), "industries"),
    Place(("gender",), "gender"),
    Place(("hidden_fields", ANY), "resume_hidden_fields"),
    Place(("language", ANY), "languages"),
    Place(("language", ANY, "level"), "language_level"),
    Place(("professional_roles", ANY), "professional_roles"),
    Place(("relocation", "area", ANY), AREAS),
    Place(("relocation", "type"), "relocation_type"),
    Place(("resume_locale",), "locales"),
    Place(("salary", "currency"), "currency", entry=False),
    Place(("schedules", ANY), "schedule"),
    Place(("site", ANY, "type"), "resume_contacts_site_type"),
    Place(("travel_time",), "travel_time"),
    Place(("work_format", ANY), "resume_work_format"),
    Place(("work_ticket", ANY), AREAS),
)


@dataclass(frozen=True)
class Ref:
    """One id in a body: its path (to the id itself), its kind and the id."""

    path: JsonPath
    kind: str
    id: str


def refs(body: Mapping[str, Any]) -> list[Ref]:
    """Every dictionary id in `body` (a PUT body: top-level fields)."""
    found: list[Ref] = []
    for place in PLACES:
        for at, value in _values_at(body, place.path, ()):
            if place.entry:
                ident = value.get("id") if isinstance(value, Mapping) else None
                at = (*at, "id")
            else:
                ident = value
            if isinstance(ident, str | int) and not isinstance(ident, bool):
                found.append(Ref(at, place.kind, str(ident)))
    return found


def _values_at(node: Any, rest: tuple[str, ...], at: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    if not rest:
        yield at, node
        return
    step, tail = rest[0], rest[1:]
    if step == ANY:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _values_at(item, tail, (*at, index))
    elif isinstance(node, Mapping) and node.get(step) is not None:
        yield from _values_at(node[step], tail, (*at, step))


def source_of(kind: str) -> str:
    """The endpoint that holds the ids of `kind` (`/areas/{id}` for areas)."""
    return ENDPOINTS.get(kind, DICTIONARIES)


# --- the endpoints' answers -> known ids (server data: anything malformed is skipped) ---------


def _entry_ids(items: Any, key: str = "id") -> set[str]:
    if not isinstance(items, list):
        return set()
    return {
        str(item[key])
        for item in items
        if isinstance(item, Mapping) and isinstance(item.get(key), str | int)
    }


def ids_of(endpoint: str, body: Any) -> dict[str, frozenset[str]]:
    """Kind -> the ids `endpoint`'s answer `body` holds."""
    if endpoint == DICTIONARIES:
        if not isinstance(body, Mapping):
            return {}
        known = {
            kind: frozenset(_entry_ids(items))
            for kind, items in body.items()
            if isinstance(kind, str) and kind != "currency"
        }
        known["currency"] = frozenset(_entry_ids(body.get("currency"), "code"))
        return known
    if endpoint == ENDPOINTS["industries"]:
        groups = body if isinstance(body, list) else []
        ids = _entry_ids(groups)
        for group in groups:
            if isinstance(group, Mapping):
                ids |= _entry_ids(group.get("industries"))
        return {"industries": frozenset(ids)}
    if endpoint == ENDPOINTS["professional_roles"]:
        categories = body.get("categories") if isinstance(body, Mapping) else None
        ids = set()
        for category in categories if isinstance(categories, list) else []:
            if isinstance(category, Mapping):
                ids |= _entry_ids(category.get("roles"))
        return {"professional_roles": frozenset(ids)}
    for kind, path in ENDPOINTS.items():
        if endpoint == path:
            return {kind: frozenset(_entry_ids(body))}
    return {}


# --- the check ----------------------------------------------------------------------------------


def problems(
    resume: DesiredResume,
    body: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
) -> list[Problem]:
    """Each id of `body` that its dictionary (`known`: kind -> ids, areas included as read)
    does not hold. A kind that was not read (its endpoint failed to parse) is not judged."""
    found = []
    for ref in refs(body):
        ids = known.get(ref.kind)
        if ids is None or ref.id in ids:
            continue
        hint = "" if ref.kind == AREAS else _did_you_mean(ref.id, ids)
        label = "area" if ref.kind == AREAS else f"{ref.kind} dictionary"
        found.append(
            Problem(
                f"unknown id {ref.id!r}: not in the {label}{hint}{SUFFIX}",
                resume.source.locate(ref.path),
                dotted(ref.path),
            )
        )
    return found


def _did_you_mean(ident: str, ids: frozenset[str]) -> str:
    by_fold = {known.casefold(): known for known in ids}
    if ident.casefold() in by_fold:
        return f"; did you mean {by_fold[ident.casefold()]!r}?"
    close = difflib.get_close_matches(ident, sorted(ids), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
