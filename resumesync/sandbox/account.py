"""One hh.ru applicant account as the sandbox keeps it: resumes (fields as stored after the
server's normalisation, plus server-side state), their visibility lists, uploaded artifacts.

JSON form (Account.from_json / to_json, also the persistent sandbox file):

    {"resumes": {id: {writable fields...}},          # a GET document works too
     "resume_state": {id: {"status", "blocked", "created_at", "updated_at",
                           "next_publish_at", "total_views", "new_views"}},  # timestamps
     "lists": {id: {"blacklist": [employer ids], "whitelist": [employer ids]}},
     "employers": {id: name},                          # names for employers in lists
     "artifacts": {id: {"type", "description", "size", "created_at", "state",
                        "polls_left", "ready_at"}},
     "artifact_processing": {"polls": 0, "seconds": 0},  # optional: see Account
     "next_artifact_id": 1,
     "max_resumes": 20, "next_resume_number": 0,       # optional: creation limit, id seed
     "conditions": {field: rules}}                     # optional: see Account.conditions

Every resume is checked and normalised on load exactly as a PUT would be, so a seed may
give dictionary entries by id only; read-only keys of a GET document are ignored.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from resumesync.sandbox import resources, schema
from resumesync.sandbox.clock import api_date, timestamp_of
from resumesync.sandbox.dictionaries import SITE_ROOT, Dictionaries
from resumesync.sandbox.rules import SaveContext
from resumesync.sandbox.saving import check_body, saved_fields

LIST_TYPES = ("blacklist", "whitelist")
LIST_LIMIT = 2000
DEFAULT_ACCESS = {"type": {"id": "clients"}}


@dataclass
class ResumeState:
    """Server-side facts about a resume that are not fields of it (times are timestamps)."""

    status: str = "not_published"
    blocked: bool = False
    created_at: float = 0.0
    updated_at: float = 0.0
    next_publish_at: float | None = None
    total_views: int = 0
    new_views: int = 0


@dataclass
class Resume:
    id: str
    fields: dict[str, Any]
    state: ResumeState
    blacklist: list[str] = field(default_factory=list)
    whitelist: list[str] = field(default_factory=list)

    def employers(self, list_type: str) -> list[str]:
        return self.blacklist if list_type == "blacklist" else self.whitelist


@dataclass
class Artifact:
    id: str
    type: str  # photo | portfolio
    description: str = ""
    size: int = 0
    created_at: float = 0.0
    # Processing (artifacts.ru.md `state`): "processing" until `polls_left` more listings
    # have seen it and the clock reached `ready_at`; then `ok`, or `failed` for an upload
    # whose format the site cannot process (`fails`).
    state: str = "ok"
    polls_left: int = 0
    ready_at: float = 0.0
    fails: bool = False

    def advance(self, now: float) -> None:
        """One listing saw this artifact at `now`."""
        if self.state != "processing":
            return
        if self.polls_left > 0:
            self.polls_left -= 1
        if self.polls_left <= 0 and now >= self.ready_at:
            self.state = "failed" if self.fails else "ok"

    def shown(self) -> dict[str, Any]:
        """How a resume's photo / portfolio entry shows this image."""
        base = f"{SITE_ROOT}/artifacts/{self.id}"
        entry = {"id": self.id, "small": f"{base}?size=small", "medium": f"{base}?size=medium"}
        if self.type == "portfolio":
            entry["description"] = self.description
        return entry


@dataclass
class Account:
    resumes: dict[str, Resume] = field(default_factory=dict)  # in /resumes/mine order
    employers: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    next_artifact_id: int = 1
    max_resumes: int = 20  # creation_availability's `max` (hh.ru allows about 20)
    next_resume_number: int = 0  # seeds the ids of created resumes (creation.new_resume_id)
    # How long an upload stays `processing`: this many listings (GET /artifacts/{type}) and
    # this many seconds of the sandbox clock; 0 and 0: `ok` at once.
    artifact_polls: int = 0
    artifact_seconds: float = 0.0
    # Rule objects by top-level field that replace the bundled ones (conditions.py) in
    # GET /resumes/{id}/conditions and in PUT checks: tests of rules the bundle lacks.
    conditions: dict[str, Any] = field(default_factory=dict)

    # --- names ---------------------------------------------------------------------------

    def employer_name(self, employer_id: str, dictionaries: Dictionaries) -> str:
        """Any positive integer is an employer: unknown ones get a generated name."""
        return (
            self.employers.get(employer_id)
            or dictionaries.employer_name(employer_id)
            or f"Employer {employer_id}"
        )

    def company_name(self, company_id: str, dictionaries: Dictionaries) -> str | None:
        """company_id in experience must be a known company (a suggest entry on hh.ru)."""
        return self.employers.get(company_id) or dictionaries.employer_name(company_id)

    def save_context(
        self, resume_id: str | None, dictionaries: Dictionaries, today: dt.date
    ) -> SaveContext:
        resume = self.resumes.get(resume_id) if resume_id else None
        return SaveContext(
            dictionaries=dictionaries,
            today=today,
            stored=resume.fields if resume else {},
            other_titles=frozenset(
                other.fields["title"].strip()
                for other_id, other in self.resumes.items()
                if other_id != resume_id and isinstance(other.fields.get("title"), str)
            ),
            company_name=lambda company_id: self.company_name(company_id, dictionaries),
            artifacts={
                artifact_id: {
                    "type": artifact.type,
                    "shown": artifact.shown(),
                    "state": artifact.state,
                }
                for artifact_id, artifact in self.artifacts.items()
            },
            conditions=self.conditions,
        )

    # --- JSON ----------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: dict[str, Any], *, now: float | None = None) -> Account:
        now = time.time() if now is None else now
        dictionaries = Dictionaries.builtin()
        account = cls(
            employers={str(key): str(name) for key, name in data.get("employers", {}).items()},
            artifacts={
                artifact_id: Artifact(id=artifact_id, **details)
                for artifact_id, details in data.get("artifacts", {}).items()
            },
            next_artifact_id=int(data.get("next_artifact_id", 1)),
            max_resumes=int(data.get("max_resumes", 20)),
            artifact_polls=int((data.get("artifact_processing") or {}).get("polls", 0)),
            artifact_seconds=float((data.get("artifact_processing") or {}).get("seconds", 0)),
            next_resume_number=int(data.get("next_resume_number", 0)),
            conditions=copy.deepcopy(dict(data.get("conditions") or {})),
        )
        states, lists = data.get("resume_state", {}), data.get("lists", {})
        for resume_id, document in data.get("resumes", {}).items():
            body = {
                key: value for key, value in document.items() if key in schema.writable_fields()
            }
            body.setdefault("access", DEFAULT_ACCESS)
            context = account.save_context(resume_id, dictionaries, api_date(now))
            errors = check_body(body, context)
            if errors:
                details = "; ".join(f"{error.pointer}: {error.description}" for error in errors)
                raise ValueError(f"resume {resume_id}: {details}")
            resume_lists = lists.get(resume_id, {})
            account.resumes[resume_id] = Resume(
                id=resume_id,
                fields=saved_fields(body, context),
                state=_state(states.get(resume_id), document, now),
                blacklist=[str(item) for item in resume_lists.get("blacklist", [])],
                whitelist=[str(item) for item in resume_lists.get("whitelist", [])],
            )
        return account

    def to_json(self) -> dict[str, Any]:
        extra = {"conditions": copy.deepcopy(self.conditions)} if self.conditions else {}
        return {
            "resumes": {rid: copy.deepcopy(resume.fields) for rid, resume in self.resumes.items()},
            "resume_state": {rid: asdict(resume.state) for rid, resume in self.resumes.items()},
            "lists": {
                rid: {"blacklist": list(resume.blacklist), "whitelist": list(resume.whitelist)}
                for rid, resume in self.resumes.items()
            },
            "employers": dict(self.employers),
            "artifacts": {
                aid: {key: value for key, value in asdict(artifact).items() if key != "id"}
                for aid, artifact in self.artifacts.items()
            },
            "next_artifact_id": self.next_artifact_id,
            "max_resumes": self.max_resumes,
            "next_resume_number": self.next_resume_number,
            "artifact_processing": {"polls": self.artifact_polls, "seconds": self.artifact_seconds},
            **extra,
        }

    def copy(self) -> Account:
        return copy.deepcopy(self)

    # --- seeds ---------------------------------------------------------------------------

    @classmethod
    def example(cls) -> Account:
        """The bundled example account: the live side of examples/basic (see its JSON)."""
        return cls.from_json(resources.load(resources.EXAMPLE_ACCOUNT))

    @classmethod
    def example_for(cls, resume_ids: Iterable[str]) -> Account:
        """The bundled example account that holds most of `resume_ids` (the resumes a
        repository's files manage), so that every profile of examples/team finds its own
        account; the default example account when none holds any."""
        wanted = set(resume_ids)
        documents = [resources.load(name) for name in resources.EXAMPLE_ACCOUNTS]
        best = max(documents, key=lambda document: len(wanted & set(document["resumes"])))
        return cls.from_json(best)

    @classmethod
    def from_seed_dir(cls, directory: Path) -> Account:
        """The account in DIR/account.json (for `resumesync sandbox --seed DIR`)."""
        path = Path(directory) / "account.json"
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from None

    @classmethod
    def synthetic(cls, n_resumes: int = 20, list_size: int = 2000, seed: int = 0) -> Account:
        """A big valid account for benchmarks: deterministic ids, full lists."""
        from resumesync.sandbox.synthetic import synthetic_account  # it builds on Account

        return synthetic_account(n_resumes, list_size, seed)


def _state(given: dict[str, Any] | None, document: dict[str, Any], now: float) -> ResumeState:
    if given is not None:
        return ResumeState(**given)
    # A GET document carries its state in read-only keys.
    status = document.get("status")
    status_id = status.get("id") if isinstance(status, dict) else status
    times = {
        key: timestamp_of(document[key])
        for key in ("created_at", "updated_at", "next_publish_at")
        if isinstance(document.get(key), str)
    }
    return ResumeState(
        status=status_id if status_id in ("published", "not_published") else "not_published",
        blocked=bool(document.get("blocked", False)) or status_id == "blocked",
        created_at=times.get("created_at", now),
        updated_at=times.get("updated_at", now),
        next_publish_at=times.get("next_publish_at"),
    )
