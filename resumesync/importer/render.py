"""The text of the files an import writes: a resume file (schema line, comments, id, the
fields) and visibility.yaml (access type, the exact blacklist, the whitelist as `include`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from resumesync.importer.yamlout import FlowMap, dump_yaml
from resumesync.model import ACCESS_TYPES, LIST_KINDS, LiveResume
from resumesync.validation import RESUME_SCHEMA, VISIBILITY_SCHEMA

WHITELIST_MODE_COMMENT = (
    "A blacklist is written as a plain list: exact, `apply` removes employers that are not in\n"
    "it. A whitelist is written as `{include: [...]}`: hh.ru adds an employer to it when you\n"
    "apply to its vacancy, and `include` keeps those (the plan reports them) instead of\n"
    "removing them. Write a whitelist as a plain list to make it exact."
)
SCHEMAS_DIR = "schemas"  # the repository's copies of the installed version's schemas
PUBLISH_COMMENT = "false: never publish | true: publish once | renew: keep re-publishing"


# --- visibility.yaml --------------------------------------------------------------------------


def visibility_entry(live_resume: LiveResume) -> tuple[dict[str, Any], list[str]]:
    """One resume's entry: access type, the exact blacklist, the whitelist as `include`."""
    entry: dict[str, Any] = {}
    notes: list[str] = []
    access = live_resume.access
    if access in ACCESS_TYPES:
        entry["access"] = access
    elif access is not None:
        notes.append(
            f"resume {live_resume.resume_id}: its access type `{access}` can no longer be "
            "saved, so visibility.yaml leaves it unmanaged; choose one of "
            + ", ".join(ACCESS_TYPES)
        )
    for kind in LIST_KINDS:
        live_list = live_resume.lists.get(kind)
        members = live_list.employers if live_list else {}
        employers = [_employer(employer, name) for employer, name in members.items()]
        if kind == "blacklist":
            entry[kind] = employers
        else:  # FlowMap when empty: `whitelist: {include: []}`
            entry[kind] = {"include": employers} if employers else FlowMap(include=[])
    return entry, notes


def _employer(employer_id: str, name: str) -> FlowMap:
    return FlowMap(id=employer_id, name=name) if name else FlowMap(id=employer_id)


def render_visibility(resumes: Sequence[tuple[str, LiveResume]]) -> tuple[str, list[str]]:
    """visibility.yaml for (key, live resume) pairs, and notes."""
    entries: dict[str, Any] = {}
    notes: list[str] = []
    for key, live_resume in resumes:
        entries[key], entry_notes = visibility_entry(live_resume)
        notes.extend(entry_notes)
    header = [
        schema_comment(VISIBILITY_SCHEMA),
        "# Who may see each resume, as imported by `resumesync import`.",
        "# access: no_one | whitelist | blacklist | clients | direct",
        *(f"# {line}" for line in WHITELIST_MODE_COMMENT.splitlines()),
        "# Employer names are for people: only the ids count.",
    ]
    return "\n".join(header) + "\n" + dump_yaml({"resumes": entries}), notes


# --- resume files -----------------------------------------------------------------------------


def schema_comment(name: str, up: str = "") -> str:
    """The editor's schema line: a path relative to the file, to the copy in `schemas/` (`up`
    is `../` for a file in resumes/)."""
    return f"# yaml-language-server: $schema={up}{SCHEMAS_DIR}/{name}"


def render_resume_file(resume_id: str, fields: Mapping[str, Any]) -> str:
    """The text of a resume file: schema line, comments, id, publish: false, the fields."""
    header = [
        schema_comment(RESUME_SCHEMA, "../"),
        "# Imported from hh.ru by `resumesync import`. It holds personal data as the account has",
        "# it (contacts, birth date). To keep contacts out of git, replace a value with ${VAR},",
        "# e.g. `value: ${HH_EMAIL}`, and set the variable locally or as a CI secret.",
    ]
    body = dump_yaml({"id": resume_id})
    body += f"publish: false  # {PUBLISH_COMMENT}\n"
    if fields:
        body += dump_yaml(dict(fields))
    return "\n".join(header) + "\n" + body
