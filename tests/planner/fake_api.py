"""An in-memory model of the hh.ru resume API, for the planner's property tests.

It implements the documented server behaviour on its own (it does not use
`resumesync.normalize`), so a normaliser that misses a server habit shows up as a failing
re-plan. Calls are taken from plan changes (method, path, body) exactly as the applier sends them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from resumesync.model import (
    Change,
    ListKind,
    LiveList,
    LiveResume,
    LiveState,
    ResumeSummary,
)

API_URL = "https://api.hh.example"
PUBLISH_INTERVAL = dt.timedelta(hours=4)
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)

# Station -> area (Moscow "1", Saint Petersburg "2"): the slice of the /metro directory we use.
METRO_AREAS: dict[str, str] = {"1.54": "1", "8.1": "1", "14.1": "2", "15.3": "2"}
COMPANIES: dict[str, str] = {"1455": "HeadHunter", "3529": "Sberbank", "78638": "Tinkoff"}

_AREA_FIELDS = {"area", "citizenship", "work_ticket"}
_ENTRY_FIELDS = {"gender", "business_trip_readiness", "travel_time", "resume_locale", "metro"}
_ENTRY_LIST_FIELDS = {
    "employments",
    "schedules",
    "professional_roles",
    "driver_license_types",
    "hidden_fields",
    "employment_form",
    "work_format",
}
# progress.mandatory id -> the fields whose non-empty value fills it
_MANDATORY_FILLED_BY = {
    "skills": ("skill_set", "skills"),
    "specialization": ("professional_roles",),
}


class FakeApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


@dataclass
class FakeResume:
    document: dict[str, Any]
    lists: dict[ListKind, dict[str, str]] = field(
        default_factory=lambda: {"blacklist": {}, "whitelist": {}}
    )


@dataclass
class FakeApi:
    resumes: dict[str, FakeResume] = field(default_factory=dict)
    limit: int = 2000
    now: dt.datetime = NOW
    calls: list[tuple[str, str]] = field(default_factory=list)

    # --- setup --------------------------------------------------------------------------------

    def add_resume(
        self,
        resume_id: str,
        fields: dict[str, Any],
        *,
        access: str = "clients",
        status: str = "not_published",
        blocked: bool = False,
        can_publish_or_update: bool = True,
        next_publish_at: dt.datetime | None = None,
        mandatory: tuple[str, ...] = (),
        blacklist: tuple[str, ...] = (),
        whitelist: tuple[str, ...] = (),
    ) -> None:
        document: dict[str, Any] = {
            "id": resume_id,
            "title": None,
            "access": {"type": _named(access)},
            "status": _named(status),
            "blocked": blocked,
            "can_publish_or_update": can_publish_or_update,
            "next_publish_at": _timestamp(next_publish_at or self.now),
            "progress": {"mandatory": [_named(item) for item in mandatory]},
            "total_views": 3,
            "updated_at": _timestamp(self.now),
        }
        resume = FakeResume(document)
        self.resumes[resume_id] = resume
        self._store(resume, json.loads(json.dumps(fields, default=_iso)))
        resume.lists["blacklist"] = {item: _employer_name(item) for item in blacklist}
        resume.lists["whitelist"] = {item: _employer_name(item) for item in whitelist}

    # --- reading ------------------------------------------------------------------------------

    def live_state(self) -> LiveState:
        live = LiveState(api_url=API_URL)
        for resume_id, resume in self.resumes.items():
            live.resumes[resume_id] = LiveResume(
                resume_id=resume_id,
                document=copy.deepcopy(resume.document),
                lists={
                    kind: LiveList(
                        kind=kind,
                        employers=dict(employers),
                        limit=self.limit,
                        can_add=self.limit - len(employers),
                    )
                    for kind, employers in resume.lists.items()
                },
            )
            live.account.append(ResumeSummary(resume_id, str(resume.document.get("title") or "")))
        return live

    def visible(self, resume_id: str, employer: str) -> bool:
        """Whether `employer` can find / view the resume under its access type and lists."""
        resume = self.resumes[resume_id]
        access = resume.document["access"]["type"]["id"]
        if access in ("clients", "everyone"):
            return True
        if access == "blacklist":
            return employer not in resume.lists["blacklist"]
        if access == "whitelist":
            return employer in resume.lists["whitelist"]
        return False  # no_one, direct

    # --- writing ------------------------------------------------------------------------------

    def apply(self, change: Change) -> None:
        self.request(change.method, change.path, change.body)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        self.calls.append((method, path))
        if body is not None:
            body = _wire(body)  # what goes over HTTP is JSON
        url = urlsplit(path)
        parts = url.path.strip("/").split("/")
        if parts[0] != "resumes" or len(parts) < 2 or parts[1] not in self.resumes:
            raise FakeApiError(404, f"no such resume: {path}")
        resume = self.resumes[parts[1]]
        rest = parts[2:]
        if method == "PUT" and not rest:
            if not isinstance(body, dict):
                raise FakeApiError(400, "bad_json_data")
            self._store(resume, body)
        elif method == "POST" and rest == ["publish"]:
            self._publish(resume)
        elif rest and rest[0] in ("blacklist", "whitelist"):
            kind: ListKind = "blacklist" if rest[0] == "blacklist" else "whitelist"
            employers = resume.lists[kind]
            if method == "POST" and len(rest) == 1:
                items = [str(item["id"]) for item in (body or {}).get("items", [])]
                if len(items) > 100:
                    raise FakeApiError(400, "more than 100 employers in one request")
                new = [item for item in items if item not in employers]
                if len(employers) + len(set(new)) > self.limit:
                    raise FakeApiError(400, "limit_exceeded")
                employers.update({item: _employer_name(item) for item in new})
            elif method == "DELETE" and rest[1:] == ["employer"]:
                ids = parse_qs(url.query).get("id", [])
                if len(ids) > 100:
                    raise FakeApiError(400, "more than 100 ids in one request")
                for item in ids:
                    employers.pop(item, None)
            elif method == "DELETE" and len(rest) == 1:
                employers.clear()
            else:
                raise FakeApiError(405, f"{method} {path}")
        else:
            raise FakeApiError(404, f"{method} {path}")

    def _publish(self, resume: FakeResume) -> None:
        document = resume.document
        if document["blocked"]:
            raise FakeApiError(400, "blocked")
        if document["progress"]["mandatory"]:
            raise FakeApiError(400, "mandatory fields are empty")
        if document["status"]["id"] == "published":
            next_at = dt.datetime.fromisoformat(document["next_publish_at"])
            if not document["can_publish_or_update"] or next_at > self.now:
                raise FakeApiError(429, "not yet")
        document["status"] = _named("published")
        document["can_publish_or_update"] = False
        document["next_publish_at"] = _timestamp(self.now + PUBLISH_INTERVAL)

    # --- server-side normalisation on save ----------------------------------------------------

    def _store(self, resume: FakeResume, body: dict[str, Any]) -> None:
        document = resume.document
        for name, value in body.items():
            if name == "metro" and value is not None:
                area = body["area"] if "area" in body else document.get("area")
                area_id = (area or {}).get("id")
                if METRO_AREAS.get(str(value.get("id"))) != area_id:
                    continue  # "a metro station outside the given area is ignored"
            document[name] = _saved(name, value)
        document["updated_at"] = _timestamp(self.now)
        filled = {name for name, value in body.items() if value not in (None, "", [], {})}
        document["progress"]["mandatory"] = [
            item
            for item in document["progress"]["mandatory"]
            if not filled.intersection(_MANDATORY_FILLED_BY.get(item["id"], (item["id"],)))
        ]


def _saved(name: str, value: Any) -> Any:
    """What the server stores (and returns) for field `name` written as `value`."""
    if value is None:
        return None
    if name in _AREA_FIELDS:
        return _area(value) if name == "area" else [_area(item) for item in value]
    if name in _ENTRY_FIELDS:
        return _named(value["id"])
    if name in _ENTRY_LIST_FIELDS:
        return [_named(item["id"]) for item in value]
    if name == "access":
        return {"type": _named(value["type"]["id"])}
    if name == "salary":
        return {"amount": float(value["amount"]), "currency": value["currency"]}
    if name == "experience":
        entries = [_experience(item) for item in value]
        return sorted(entries, key=lambda item: item["start"], reverse=True)
    if name == "contact":
        return [_contact(item) for item in value]
    if name == "education":
        return _education(value)
    if name == "language":
        return [
            {"id": item["id"], "name": f"lang {item['id']}", "level": _named(item["level"]["id"])}
            for item in value
        ]
    if name == "relocation":
        return {
            "type": _named(value["type"]["id"]),
            "area": [_area(item) for item in value.get("area") or []],
            "district": [_named(item["id"]) for item in value.get("district") or []],
        }
    if name == "photo":
        ident = value["id"]
        return {"id": ident, "small": f"https://img/{ident}/s", "medium": f"https://img/{ident}/m"}
    return copy.deepcopy(value)


def _experience(entry: dict[str, Any]) -> dict[str, Any]:
    company_id = entry.get("company_id")
    saved = {
        "company": entry.get("company"),
        "company_id": company_id,
        "company_url": entry.get("company_url"),
        "area": _area(entry["area"]) if entry.get("area") else None,
        "industries": [_named(item["id"]) for item in entry.get("industries") or []],
        "position": entry["position"],
        "start": entry["start"],
        "end": entry.get("end"),
        "description": entry.get("description"),
        "employer": None,
    }
    if company_id:
        name = COMPANIES.get(company_id, f"Company {company_id}")
        saved["company"] = name
        saved["employer"] = {"id": company_id, "name": name, "url": f"{API_URL}/employers/x"}
    return saved


def _contact(entry: dict[str, Any]) -> dict[str, Any]:
    kind = entry["type"]["id"]
    saved: dict[str, Any] = {
        "type": _named(kind),
        "preferred": bool(entry.get("preferred", False)),
        "comment": None if kind == "email" else entry.get("comment"),
    }
    value = entry["value"]
    if isinstance(value, dict):
        if value.get("country") or value.get("city") or value.get("number"):
            country, city, number = value["country"], value["city"], value["number"]
        else:
            digits = re.sub(r"\D", "", value["formatted"])
            country, city, number = digits[:1], digits[1:4], digits[4:]
        saved["value"] = {
            "country": country,
            "city": city,
            "number": number,
            "formatted": f"+{country} ({city}) {number}",
        }
        saved["verified"] = False
    else:
        saved["value"] = value
    return saved


def _education(value: dict[str, Any]) -> dict[str, Any]:
    level = value["level"]["id"]
    primary = [
        {**item, "name_id": None, "organization_id": None, "result_id": None}
        for item in value.get("primary") or []
    ]
    elementary = [dict(item) for item in value.get("elementary") or []]
    if primary and elementary:
        if level == "secondary":
            primary = []
        else:
            elementary = []
    return {
        "level": _named(level),
        "primary": primary,
        "elementary": elementary,
        "additional": copy.deepcopy(value.get("additional") or []),
        "attestation": [],
    }


def _named(ident: Any) -> dict[str, str]:
    return {"id": str(ident), "name": f"name of {ident}"}


def _area(value: dict[str, Any]) -> dict[str, str]:
    ident = str(value["id"])
    return {"id": ident, "name": f"area {ident}", "url": f"{API_URL}/areas/{ident}"}


def _employer_name(ident: str) -> str:
    return COMPANIES.get(ident, f"Employer {ident}")


def _wire(value: Any) -> Any:
    """A body as it arrives over HTTP: JSON (fails on anything JSON cannot carry)."""
    return json.loads(json.dumps(value))


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def _timestamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")
