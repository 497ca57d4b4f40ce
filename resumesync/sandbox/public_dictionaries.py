"""The public dictionaries (tag "Общие справочники" of the spec), served from the bundled
ones (dictionaries.json), the very data a PUT's ids are checked against (rules.py):

- `GET /dictionaries` (get-dictionaries, DictionariesDictResponse): the resume fields'
  dictionaries under the spec's keys, each a list of `{id, name}` (`driver_license_types`:
  `{id}`; `currency`: DictionariesCurrencyItem, keyed by `code`); the spec's other keys
  (vacancies, negotiations, ...) are empty lists, as the sandbox has no such entities;
- `GET /languages` (DictionariesLangItem: id, name, uid), `GET /industries` (two levels:
  groups with their `industries`), `GET /professional_roles` (ProfessionalRolesCatalog:
  categories with their `roles`), `GET /locales/resume` (id, name);
- `GET /areas/{area_id}` (DictionariesAreaItem: the area and its sub-areas, recursively);
  404 `not_found` for an id the sandbox does not know.

Public: no token needed.
"""

from __future__ import annotations

from typing import Any

from resumesync.sandbox import errors
from resumesync.sandbox.calls import Call
from resumesync.sandbox.dictionaries import Dictionaries
from resumesync.sandbox.state import Response

# The spec's key in /dictionaries -> the bundled dictionary (dictionaries.json).
RESUME_DICTIONARIES: dict[str, str] = {
    "business_trip_readiness": "trip_readiness",
    "driver_license_types": "driver_license_types",
    "education_level": "education_levels",
    "employment": "employment",
    "gender": "gender",
    "language_level": "language_levels",
    "preferred_contact_type": "contact_types",
    "relocation_type": "relocation_types",
    "resume_access_type": "access_types",
    "resume_contacts_site_type": "site_types",
    "resume_employment_form": "employment_form",
    "resume_hidden_fields": "hidden_fields",
    "resume_status": "resume_status",
    "resume_work_format": "work_format",
    "schedule": "schedule",
    "travel_time": "travel_time",
}
# The spec's required keys of DictionariesDictResponse that no resume field uses.
OTHER_REQUIRED = (
    "resume_moderation_note",
    "experience",
    "vacancy_type",
    "vacancy_label",
    "vacancy_relation",
    "vacancy_billing_type",
    "working_days",
    "working_time_intervals",
    "working_time_modes",
    "vacancy_search_fields",
    "vacancy_search_order",
    "vacancy_cluster",
    "employer_active_vacancies_order",
    "employer_archived_vacancies_order",
    "negotiations_order",
    "negotiations_state",
    "messaging_status",
    "negotiations_participant_type",
    "applicant_negotiation_status",
    "employer_type",
    "employer_relation",
    "vacancy_not_prolonged_reason",
    "applicant_comments_order",
    "applicant_comment_access_type",
    "phone_call_status",
    "job_search_statuses_applicant",
    "job_search_statuses_employer",
)
ID_ONLY = ("driver_license_types",)


def _entries(dictionaries: Dictionaries, name: str, id_only: bool = False) -> list[Any]:
    data = dictionaries.data[name]
    if id_only:
        return [{"id": key} for key in data]
    return [{"id": key, "name": dictionaries.name(name, key)} for key in data]


def all_dictionaries(call: Call) -> Response:
    dictionaries = call.state.dictionaries
    body: dict[str, Any] = {key: [] for key in OTHER_REQUIRED}
    for key, name in RESUME_DICTIONARIES.items():
        body[key] = _entries(dictionaries, name, id_only=key in ID_ONLY)
    rates = dictionaries.data["currency_rates"]
    body["currency"] = [
        {
            "code": code,
            "abbr": code,
            "name": name,
            "default": code == "RUR",
            "rate": rates[code],
            "in_use": True,
        }
        for code, name in dictionaries.data["currencies"].items()
    ]
    return Response(200, body)


def languages(call: Call) -> Response:
    dictionaries = call.state.dictionaries
    return Response(
        200,
        [
            {"id": key, "name": name, "uid": name.casefold()}
            for key, name in dictionaries.data["languages"].items()
        ],
    )


def industries(call: Call) -> Response:
    dictionaries = call.state.dictionaries
    groups = [
        {"id": group, "name": name, "industries": []}
        for group, name in dictionaries.data["industry_groups"].items()
    ]
    by_id = {group["id"]: group for group in groups}
    for key, name in dictionaries.data["industries"].items():
        by_id[key.split(".")[0]]["industries"].append({"id": key, "name": name})
    return Response(200, groups)


def professional_roles(call: Call) -> Response:
    dictionaries = call.state.dictionaries
    categories = [
        {
            "id": key,
            "name": category["name"],
            "roles": [
                {
                    "id": role,
                    "name": dictionaries.name("professional_roles", role),
                    "accept_incomplete_resumes": False,
                    "is_default": False,
                }
                for role in category["roles"]
            ],
        }
        for key, category in dictionaries.data["professional_role_categories"].items()
    ]
    return Response(200, {"categories": categories})


def resume_locales(call: Call) -> Response:
    return Response(200, _entries(call.state.dictionaries, "locales"))


def area(call: Call) -> Response:
    dictionaries = call.state.dictionaries
    area_id = call.params["area_id"]
    if area_id not in dictionaries.data["areas"]:
        raise errors.not_found()
    return Response(200, _area_item(dictionaries, area_id))


def _area_item(dictionaries: Dictionaries, area_id: str) -> dict[str, Any]:
    areas = dictionaries.data["areas"]
    children = [key for key, entry in areas.items() if entry["parent_id"] == area_id]
    return {
        "id": area_id,
        "name": areas[area_id]["name"],
        "parent_id": areas[area_id]["parent_id"],
        "utc_offset": None,
        "areas": [_area_item(dictionaries, child) for child in children],
    }
