"""Answers as the API shows them: the full resume (with the author's fields), the summary
of /resumes/mine, visibility lists, access types, employers and artifacts.

Links to API resources (url, publish_url, list_url, ...) point at the sandbox itself so a
client that follows them stays in the sandbox; links to the site point at hh.ru.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from resumesync.sandbox.account import LIST_LIMIT, Account, Artifact, Resume
from resumesync.sandbox.clock import api_date, api_time
from resumesync.sandbox.conditions import (
    is_empty,
    mandatory_fields,
    missing_mandatory,
    resume_conditions,
)
from resumesync.sandbox.dictionaries import SITE_ROOT, Dictionaries
from resumesync.sandbox.normalization import total_experience

LIST_FIELDS = (
    "certificate",
    "citizenship",
    "contact",
    "driver_license_types",
    "employments",
    "experience",
    "hidden_fields",
    "language",
    "portfolio",
    "professional_roles",
    "recommendation",
    "schedules",
    "site",
    "skill_set",
    "work_ticket",
)
NULLABLE_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "gender",
    "area",
    "metro",
    "photo",
    "salary",
    "skills",
    "title",
    "total_experience",
    "has_vehicle",
)
RECOMMENDED = (
    "salary",
    "middle_name",
    "work_ticket",
    "site",
    "recommendation",
    "birth_date",
    "skills",
    "skill_set",
    "photo",
)
ACCESS_TYPES_SHOWN = ("no_one", "whitelist", "blacklist", "clients", "direct")  # not everyone


@dataclass(frozen=True)
class View:
    """What rendering needs besides the resume: where we are, when, and the dictionaries."""

    base_url: str
    now: float
    dictionaries: Dictionaries

    @property
    def today(self) -> dt.date:
        return api_date(self.now)


def publication(resume: Resume, view: View) -> dict[str, Any]:
    """Status and readiness: the fields that decide whether publishing is possible now."""
    conditions = resume_conditions(view.today)
    mandatory = missing_mandatory(resume.fields, conditions)
    next_at = resume.state.next_publish_at
    waiting = next_at is not None and view.now < next_at
    status = "blocked" if resume.state.blocked else resume.state.status
    names = view.dictionaries.data["progress_fields"]
    recommended = [name for name in RECOMMENDED if is_empty(resume.fields.get(name))]
    considered = len(mandatory_fields(conditions)) + len(RECOMMENDED)
    return {
        "status": view.dictionaries.entry("resume_status", status),
        "blocked": resume.state.blocked,
        "finished": not mandatory,
        "can_publish_or_update": not resume.state.blocked and not mandatory and not waiting,
        "next_publish_at": api_time(next_at) if next_at is not None else None,
        "publish_url": f"{view.base_url}/resumes/{resume.id}/publish",
        "progress": {
            "percentage": math.floor(
                100 * (considered - len(mandatory) - len(recommended)) / considered
            ),
            "mandatory": [{"id": name, "name": names.get(name, name)} for name in mandatory],
            "recommended": [{"id": name, "name": names.get(name, name)} for name in recommended],
        },
        "moderation_note": [],
    }


def _links(resume: Resume, view: View) -> dict[str, Any]:
    converter = f"{SITE_ROOT}/api_resume_converter/{resume.id}/resume"
    download = {
        "pdf": {"url": f"{converter}.pdf?type=pdf"},
        "rtf": {"url": f"{converter}.rtf?type=rtf"},
    }
    return {
        "id": resume.id,
        "real_id": resume.id,
        "url": f"{view.base_url}/resumes/{resume.id}",
        "alternate_url": f"{SITE_ROOT}/resume/{resume.id}",
        "views_url": f"{view.base_url}/resumes/{resume.id}/views",
        "download": download,
        "actions": {"download": copy.deepcopy(download)},
        "created_at": api_time(resume.state.created_at),
        "updated_at": api_time(resume.state.updated_at),
    }


def _defaults(view: View) -> dict[str, Any]:
    """What the server shows for fields a resume has never had."""
    entry = view.dictionaries.entry
    return {
        **{name: [] for name in LIST_FIELDS},
        **{name: None for name in NULLABLE_FIELDS},
        "education": {
            "level": None,
            "primary": [],
            "elementary": [],
            "additional": [],
            "attestation": [],
        },
        "relocation": {"type": entry("relocation_types", "no_relocation"), "area": []},
        "resume_locale": entry("locales", "RU"),
        "travel_time": entry("travel_time", "any"),
        "business_trip_readiness": entry("trip_readiness", "ready"),
        "access": {"type": entry("access_types", "clients")},
    }


def _shown_contacts(contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for contact in contacts:
        is_email = contact["type"]["id"] == "email"
        value = contact["value"]
        shown.append(
            {
                **contact,
                "kind": "email" if is_email else "phone",
                "contact_value": value if is_email else value["formatted"],
            }
        )
    return shown


def _age(birth_date: str | None, today: dt.date) -> int | None:
    if not birth_date:
        return None
    born = dt.date.fromisoformat(birth_date)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def full_resume(resume: Resume, view: View) -> dict[str, Any]:
    """GET /resumes/{id} as its author sees it."""
    fields = copy.deepcopy(resume.fields)
    document = {**_defaults(view), **fields}
    schedules = document["schedules"]
    document.update(_links(resume, view))
    document.update(publication(resume, view))
    document.update(
        {
            "contact": _shown_contacts(document["contact"]),
            "age": _age(document["birth_date"], view.today),
            "total_experience": total_experience(document["experience"], view.today),
            # Deprecated single-valued forms the spec still requires next to the lists.
            "schedule": schedules[0]
            if schedules
            else view.dictionaries.entry("schedule", "fullDay"),
            "total_views": resume.state.total_views,
            "new_views": resume.state.new_views,
            "paid_services": [],
            "can_view_full_info": True,
            "marked": False,
            "platform": {"id": "headhunter"},
        }
    )
    if document["employments"]:
        document["employment"] = document["employments"][0]
    return document


SUMMARY_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "middle_name",
    "area",
    "certificate",
    "education",
    "total_experience",
    "experience",
    "gender",
    "salary",
    "photo",
    "hidden_fields",
    "contact",
    "access",
)


def summary_resume(resume: Resume, view: View) -> dict[str, Any]:
    """An item of GET /resumes/mine (the "resume summary" format)."""
    full = full_resume(resume, view)
    item = {name: full[name] for name in SUMMARY_FIELDS}
    item.update(_links(resume, view))
    state = publication(resume, view)
    item.update(
        {
            key: state[key]
            for key in ("status", "blocked", "finished", "can_publish_or_update", "next_publish_at")
        }
    )
    item.update(
        {
            "age": full["age"],
            "total_views": resume.state.total_views,
            "new_views": resume.state.new_views,
            "similar_vacancies": {
                "url": f"{view.base_url}/resumes/{resume.id}/similar_vacancies",
                "counters": {"total": 0},
            },
            "paid_services": [],
            "marked": False,
            "platform": {"id": "headhunter"},
            # Deprecated duplicates that the spec still requires.
            "created": item["created_at"],
            "updated": item["updated_at"],
            "visible": resume.state.status == "published"
            and full["access"]["type"]["id"] != "no_one",
        }
    )
    return item


def page_of(items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    """The standard pagination fields around one page of `items`."""
    return {
        "found": len(items),
        "page": page,
        "pages": math.ceil(len(items) / per_page),
        "per_page": per_page,
        "items": items[page * per_page : (page + 1) * per_page],
    }


def employer_brief(employer_id: str, account: Account, view: View) -> dict[str, Any]:
    return {
        "id": employer_id,
        "name": account.employer_name(employer_id, view.dictionaries),
        "url": f"{view.base_url}/employers/{employer_id}",
        "alternate_url": f"{SITE_ROOT}/employer/{employer_id}",
    }


def _logo(employer_id: str, size: str) -> str:
    return f"{SITE_ROOT}/employer-logo/{employer_id}-{size}.png"


def visibility_list(
    resume: Resume, list_type: str, account: Account, view: View, page: int, per_page: int
) -> dict[str, Any]:
    employers = resume.employers(list_type)
    shown = page_of(employers, page, per_page)
    shown["items"] = [
        {
            **employer_brief(employer_id, account, view),
            "logo_urls": {"90": _logo(employer_id, "90")},
        }
        for employer_id in shown["items"]
    ]
    shown["limit"] = LIST_LIMIT
    shown["can_add"] = LIST_LIMIT - len(employers)
    return shown


def access_types(resume: Resume, view: View) -> dict[str, Any]:
    current = resume.fields.get("access", {}).get("type", {}).get("id", "clients")
    items = []
    for type_id in ACCESS_TYPES_SHOWN:
        item: dict[str, Any] = view.dictionaries.entry("access_types", type_id)
        if type_id in ("blacklist", "whitelist"):
            item.update(
                {
                    "list_url": f"{view.base_url}/resumes/{resume.id}/{type_id}",
                    "total": len(resume.employers(type_id)),
                    "limit": LIST_LIMIT,
                }
            )
        if type_id == current:
            item["active"] = True
        items.append(item)
    return {"items": items}


def employer_info(employer_id: str, account: Account, view: View) -> dict[str, Any]:
    """GET /employers/{id}: what the spec requires, enough to name employers in plans."""
    brief = employer_brief(employer_id, account, view)
    return {
        **brief,
        "logo_urls": {"90": _logo(employer_id, "90"), "original": _logo(employer_id, "original")},
        "type": "company",
        "description": None,
        "site_url": "",
        "vacancies_url": f"{view.base_url}/vacancies?employer_id={employer_id}",
        "open_vacancies": 0,
        "trusted": True,
        "accredited_it_employer": False,
        "insider_interviews": [],
        "area": view.dictionaries.entry("areas", view.dictionaries.employer_area(employer_id)),
        "relations": [],
        "industries": [],
        "branding": None,
    }


def artifact(item: Artifact) -> dict[str, Any]:
    shown = item.shown()
    # The documented keys only (artifacts.ru.md): a listing is already of one type.
    shown["state"] = {"id": item.state, "name": item.state}
    if item.state != "ok":  # no image sizes before processing is done (the spec: null)
        shown["small"] = shown["medium"] = None
    if item.type == "portfolio":
        shown["description"] = item.description
    return shown
