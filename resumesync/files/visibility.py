"""visibility.yaml: each resume's access type and employer lists, and the `protect` list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resumesync.files.locations import MemberLocations
from resumesync.files.resumes import LoadedResume
from resumesync.files.run import Run
from resumesync.model import (
    LIST_KINDS,
    DesiredList,
    JsonPath,
    ListKind,
    Location,
    Protect,
    SourceMap,
)
from resumesync.validation import check_visibility, employer_id, list_members

VISIBILITY_FILE = "visibility.yaml"


def apply_visibility(run: Run, resumes: list[LoadedResume]) -> Protect:
    """Sets each resume's access and lists; returns the `protect` list."""
    path = run.root / VISIBILITY_FILE
    if not path.is_file():
        return Protect()
    document = run.read(path, run.env)
    if document is None:
        return Protect()
    keys = {item.resume.key: item.resume.resume_id for item in resumes}
    # A file that failed to parse still has its key: its entry is not "unknown" as well.
    keys.update({key: "" for key in run.unreadable if key not in keys})
    source = document.source_map()
    findings = check_visibility(document.data, source, keys)
    run.problems.extend(findings.errors)
    run.warnings.extend(findings.warnings)
    if findings.errors:
        return Protect()
    data = document.data or {}
    defaults = data.get("defaults") or {}
    entries = data.get("resumes") or {}
    for item in resumes:
        resume = item.resume
        entry_key = resume.key if resume.key in entries else resume.resume_id
        entry = entries.get(entry_key) or {}
        entry_path: JsonPath = ("resumes", entry_key)
        resume.access = entry.get("access")
        for kind in LIST_KINDS:
            desired = desired_list(kind, defaults, entry, entry_path, source)
            if desired is not None:
                resume.lists[kind] = desired
    return protect_list(data.get("protect") or [], source)


def protect_list(items: list[Any], source: SourceMap) -> Protect:
    """`protect:` (validated input) -> ids in file order, each once, with names and lines."""
    employers: dict[str, None] = {}
    names: dict[str, str] = {}
    locations: dict[JsonPath, Location] = {}
    for index, item in enumerate(items):
        employer = employer_id(item)
        if employer is None:
            continue
        employers.setdefault(employer)
        location = source.locate(("protect", index))
        if location is not None:
            locations.setdefault((employer,), location)
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names[employer] = item["name"]
    return Protect(tuple(employers), names, SourceMap(locations, source.locate(("protect",))))


def desired_list(
    kind: ListKind,
    defaults: Mapping[str, Any],
    entry: Mapping[str, Any],
    entry_path: JsonPath,
    source: SourceMap,
) -> DesiredList | None:
    """One resume's list: `defaults` merged with its own entry (validated input).

    - Neither declares the list: None (unmanaged).
    - Members are the union, the defaults' first, each employer once; ids are digit strings.
    - Mode: if the resume's entry declares the list, its own mode wins (a plain sequence is
      exact, `{include: [...]}` is not). If only `defaults` declare it, the list is `include`:
      defaults guarantee their members without owning the whole list, so a default never
      removes employers that a resume did not ask about.
    - `source.locations` maps `(employer_id,)` to the line that lists it (the resume's entry
      wins over defaults); `source.default` is the line of the list's key.
    - `names`: the `name` written next to an id (`{id: "3529", name: Sberbank}`).
    """
    parts: list[tuple[list[Any], JsonPath]] = []
    exact = False
    default_location: Location | None = None
    for owner, path, own in ((defaults, ("defaults",), False), (entry, entry_path, True)):
        members = list_members(owner.get(kind)) if kind in owner else None
        if members is None:
            continue
        items, is_exact, sub = members
        parts.append((items, (*path, kind, *sub)))
        default_location = source.locate((*path, kind)) or default_location
        if own:
            exact = is_exact
    if not parts:
        return None
    employers: dict[str, None] = {}  # ordered and unique
    names: dict[str, str] = {}
    for items, _ in parts:
        for item in items:
            employer = employer_id(item)
            if employer is None:
                continue
            employers.setdefault(employer)
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names[employer] = item["name"]
    return DesiredList(
        kind=kind,
        employers=tuple(employers),
        exact=exact,
        names=names,
        source=SourceMap(
            MemberLocations([(path, items) for items, path in parts], source), default_location
        ),
    )
