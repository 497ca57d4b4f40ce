"""The differences of one field: the edits that turn the declared value into the live one,
the fewest of them that make the two compare equal, live values cleaned of server-only keys,
and `${` escaped so that loading does not interpolate it."""

from __future__ import annotations

from typing import Any

from resumesync.model import JsonPath
from resumesync.normalize import fields_equal
from resumesync.yamlwrite import Edit, apply_to_data

# Keys the server adds to what it returns and never takes back: never written into a file.
SERVER_KEYS = frozenset(
    {"verified", "need_verification", "contact_value", "kind", "links", "employer"}
)
# In a dictionary entry (a mapping with an `id`), only the id and its name are the user's.
ENTRY_SERVER_KEYS = frozenset({"url", "small", "medium"})


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def clean(value: Any) -> Any:
    """A live value as a file would declare it: no server-only keys, no empty nested keys."""
    if isinstance(value, dict):
        is_entry = "id" in value
        return {
            key: clean(item)
            for key, item in value.items()
            if key not in SERVER_KEYS
            and not (is_entry and key in ENTRY_SERVER_KEYS)
            and not _empty(item)
            and not (key == "formatted" and any(value.get(k) for k in ("country", "number")))
        }
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def candidate_edits(path: JsonPath, declared: Any, live: Any) -> list[Edit]:
    """Edits that turn `declared` into `live`, following the declared shape (a superset of
    what is needed: minimal_edits keeps only what the comparison needs)."""
    if isinstance(declared, dict) and isinstance(live, dict):
        edits: list[Edit] = []
        same_entry = "id" in declared and str(declared.get("id")) == str(live.get("id"))
        for key, value in declared.items():
            if same_entry and key in ("name", "url"):
                continue  # informational: a new name of the same entry is not a change
            if key in live:
                edits += candidate_edits((*path, key), value, live[key])
            elif not _empty(value):
                edits.append(Edit.set((*path, key), None))
        for key, value in live.items():
            server_only = key in SERVER_KEYS or ("id" in live and key in ENTRY_SERVER_KEYS)
            if key not in declared and not _empty(value) and not server_only:
                edits.append(Edit.add((*path, key), clean(value)))
        return edits
    if isinstance(declared, list) and isinstance(live, list):
        edits = []
        for index in range(min(len(declared), len(live))):
            edits += candidate_edits((*path, index), declared[index], live[index])
        if len(live) > len(declared):
            edits.append(Edit.append(path, [clean(item) for item in live[len(declared) :]]))
        elif len(live) < len(declared):
            edits.append(Edit.truncate(path, len(live)))
        return edits
    if _same_scalar(declared, live):
        return []
    return [Edit.set(path, clean(live))]


def _same_scalar(declared: Any, live: Any) -> bool:
    if isinstance(declared, bool) or isinstance(live, bool):
        return declared is live
    if isinstance(declared, int | float) and isinstance(live, int | float):
        return declared == live
    return declared == live


def minimal_edits(name: str, declared: Any, live: Any) -> list[Edit] | None:
    """The fewest candidate edits after which field `name` compares equal to the live value;
    None when the candidates do not get there (pull then reports the field)."""
    document = {name: declared}
    candidates = candidate_edits((name,), declared, live)

    def reaches(edits: list[Edit]) -> bool:
        try:
            return fields_equal(name, apply_to_data(document, edits)[name], live)
        except (KeyError, IndexError, TypeError):
            return False

    if not reaches(candidates):
        return None
    needed = list(candidates)
    for edit in candidates:
        trial = [other for other in needed if other is not edit]
        if reaches(trial):
            needed = trial
    # A dictionary entry whose id changed also takes its new name (when the file has one).
    ids = {edit.path[:-1] for edit in needed if edit.op == "set" and edit.path[-1] == "id"}
    needed += [
        edit
        for edit in candidates
        if edit.op == "set" and edit.path[-1] == "name" and edit.path[:-1] in ids
    ]
    return needed


def escaped(edit: Edit) -> Edit:
    """The edit with `${` in its text written `$${`, so that loading does not interpolate it."""
    return Edit(edit.op, edit.path, escape_interpolation(edit.value))


def escape_interpolation(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, dict):
        return {key: escape_interpolation(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_interpolation(item) for item in value]
    return value
