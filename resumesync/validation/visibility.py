"""visibility.yaml: employer ids, duplicates, entries matching no resume, an employer on both
lists of one resume, and the schema's structure (checked without the thousands of members)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from resumesync.model import ACCESS_TYPES, LIST_KINDS, JsonPath, SourceMap
from resumesync.problems import Problem
from resumesync.validation.report import Findings, Report
from resumesync.validation.schema_check import check_schema
from resumesync.validation.wording import did_you_mean, json_type

VISIBILITY_SCHEMA = "visibility.schema.json"
_EMPLOYER_ID = re.compile(r"[1-9][0-9]*")


def employer_id(item: Any) -> str | None:
    """An employer entry (3529, "3529" or {id: ..., name: ...}) -> "3529"; None if invalid."""
    if type(item) is str:  # the common case first: hundreds of thousands in an agency's file
        # [1-9][0-9]* (isdigit alone would take other scripts' digits)
        return item if item.isascii() and item.isdigit() and item[0] != "0" else None
    if isinstance(item, dict):
        item = item.get("id")
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return str(item) if item > 0 else None
    if isinstance(item, str) and _EMPLOYER_ID.fullmatch(item):
        return item
    return None


def list_members(value: Any) -> tuple[list[Any], bool, JsonPath] | None:
    """A list as written -> (entries, exact, sub-path of the entries); None if malformed.

    A plain sequence is exact; `{include: [...]}` only guarantees its members.
    """
    if isinstance(value, list):
        return value, True, ()
    if isinstance(value, dict) and isinstance(value.get("include"), list):
        return value["include"], False, ("include",)
    return None


def validate_visibility(doc: Any, source: SourceMap, resumes: Mapping[str, str]) -> list[Problem]:
    """Errors of visibility.yaml. `resumes`: resume key (file stem) -> resume id."""
    return check_visibility(doc, source, resumes).errors


def check_visibility(doc: Any, source: SourceMap, resumes: Mapping[str, str]) -> Findings:
    report = Report(source)
    if isinstance(doc, dict):
        defaults = doc.get("defaults") if isinstance(doc.get("defaults"), dict) else {}
        default_lists = _check_lists(defaults, ("defaults",), report)
        entries = doc.get("resumes") if isinstance(doc.get("resumes"), dict) else {}
        matched = _match_keys(entries, resumes, report)
        for key in resumes:
            entry_key = matched.get(key)
            entry = entries.get(entry_key) if entry_key is not None else None
            entry_lists: dict[str, dict[str, JsonPath]] = {}
            if isinstance(entry, dict):
                path: JsonPath = ("resumes", entry_key)  # type: ignore[assignment]
                if entry.get("access") == "everyone":
                    report.error(
                        (*path, "access"),
                        "`everyone` cannot be saved since 2021: use one of "
                        + ", ".join(ACCESS_TYPES),
                        handled=True,
                    )
                entry_lists = _check_lists(entry, path, report)
            _check_conflicts(default_lists, entry_lists, report)
        for entry_key, entry in entries.items():  # entries matching no resume: still check them
            if entry_key not in matched.values() and isinstance(entry, dict):
                _check_lists(entry, ("resumes", entry_key), report)
    check_schema(VISIBILITY_SCHEMA, _without_members(doc), report)
    return report.findings()


def _without_members(doc: Any) -> Any:
    """visibility.yaml with every well-formed list emptied, for the schema's structural check.

    _check_lists has checked each member already, and jsonschema would take seconds over
    thousands of them.
    """

    def prune(owner: Any) -> Any:
        if not isinstance(owner, dict):
            return owner
        pruned = dict(owner)
        for kind in LIST_KINDS:
            members = list_members(owner.get(kind)) if kind in owner else None
            if members is not None:
                pruned[kind] = [] if members[1] else {**owner[kind], "include": []}
        return pruned

    if not isinstance(doc, dict):
        return doc
    pruned = dict(doc)
    if "defaults" in doc:
        pruned["defaults"] = prune(doc["defaults"])
    if isinstance(doc.get("resumes"), dict):
        pruned["resumes"] = {key: prune(entry) for key, entry in doc["resumes"].items()}
    return pruned


def _check_lists(
    owner: dict[str, Any], path: JsonPath, report: Report
) -> dict[str, dict[str, JsonPath]]:
    """Employer ids and duplicates of the lists in `owner` -> kind -> {employer id: path}."""
    lists: dict[str, dict[str, JsonPath]] = {}
    for kind in LIST_KINDS:
        members = list_members(owner.get(kind)) if kind in owner else None
        if members is None:
            continue
        entries, _exact, sub = members
        seen: dict[str, JsonPath] = {}
        for index, item in enumerate(entries):
            item_path: JsonPath = (*path, kind, *sub, index)
            employer = employer_id(item)
            if employer is None:
                report.error(
                    item_path,
                    'an employer id is a positive integer: 3529, "3529" or {id: "3529"}',
                    handled=True,
                )
            elif isinstance(item, dict) and _employer_entry_problems(item, item_path, report):
                continue
            elif employer in seen:
                first = report.line_of(seen[employer])
                report.error(
                    item_path, f"employer {employer} is listed twice (also at line {first})"
                )
            else:
                seen[employer] = item_path
        lists[kind] = seen
    return lists


def _employer_entry_problems(item: dict[str, Any], path: JsonPath, report: Report) -> bool:
    """{id: ..., name: ...}: only these two keys, and a string name."""
    found = False
    for key in item:
        if key not in ("id", "name"):
            report.error((*path, key), "unknown field" + did_you_mean(key, ("id", "name")))
            found = True
    if "name" in item and not isinstance(item["name"], str):
        report.error((*path, "name"), f"expected string, got {json_type(item['name'])}")
        found = True
    return found


def _match_keys(
    entries: dict[str, Any], resumes: Mapping[str, str], report: Report
) -> dict[str, str]:
    """resume key -> the key of its entry under `resumes:` (a file stem or a resume id)."""
    by_id = {resume_id: key for key, resume_id in resumes.items()}
    matched: dict[str, str] = {}
    for entry_key in entries:
        key = entry_key if entry_key in resumes else by_id.get(entry_key)
        if key is None:
            hint = did_you_mean(entry_key, resumes)
            report.error(
                ("resumes", entry_key),
                "no resume file has this key (file name) or id" + hint,
                handled=True,
            )
        elif key in matched:
            first = report.line_of(("resumes", matched[key]))
            report.error(
                ("resumes", entry_key),
                f"the same resume as `{matched[key]}` (line {first})",
                handled=True,
            )
        else:
            matched[key] = entry_key
    return matched


def _check_conflicts(
    defaults: dict[str, dict[str, JsonPath]],
    entry: dict[str, dict[str, JsonPath]],
    report: Report,
) -> None:
    """An employer on both lists of one resume (defaults included) is an error."""
    merged = {kind: {**defaults.get(kind, {}), **entry.get(kind, {})} for kind in LIST_KINDS}
    black, white = merged["blacklist"], merged["whitelist"]
    for employer in [employer for employer in white if employer in black]:
        # Point at the line of the resume's own entry when there is one.
        path = entry.get("whitelist", {}).get(employer) or entry.get("blacklist", {}).get(
            employer, white[employer]
        )
        report.error(path, f"employer {employer} is in both blacklist and whitelist")
