"""`import --resume ID` into a repository that has a visibility.yaml: that resume's entry is
added or updated in place; every other entry, every comment and the layout stay as they were
(yamlwrite splices; the result is loaded again and must hold exactly the intended data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError
from resumesync.yamlfile import parse_yaml
from resumesync.yamlwrite import Edit, YamlEditError, apply_edits, apply_to_data


def merge_entries(
    text: str, file: str, entries: Mapping[str, dict[str, Any]], ids: Mapping[str, str]
) -> str:
    """`text` (visibility.yaml) with `entries` (resume key -> entry) merged under `resumes:`.

    An existing entry is found under the resume's key or its id (`ids`: key -> resume id) and
    updated key by key (`access`, `blacklist`, `whitelist`), so its other keys and comments stay.
    Raises ProblemsError (at FILE:LINE) when the file does not parse or cannot take the entry.
    """
    data = parse_yaml(text, file).data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProblemsError([Problem("must be a mapping", Location(file, 1))])
    resumes = data.get("resumes")
    edits: list[Edit] = []
    if not isinstance(resumes, dict) or not resumes:
        if "resumes" in data and resumes not in (None, {}):
            raise ProblemsError([Problem("`resumes` must be a mapping", Location(file, 1))])
        whole = {key: dict(entry) for key, entry in entries.items()}
        edits.append(
            Edit.set(("resumes",), whole) if "resumes" in data else Edit.add(("resumes",), whole)
        )
    else:
        for key, entry in entries.items():
            name = key if key in resumes else ids.get(key, key)
            existing = resumes.get(name)
            if name not in resumes:
                edits.append(Edit.add(("resumes", key), dict(entry)))
            elif not isinstance(existing, dict) or not existing:
                edits.append(Edit.set(("resumes", name), dict(entry)))
            else:
                for field, value in entry.items():
                    path = ("resumes", name, field)
                    edits.append(
                        Edit.set(path, value) if field in existing else Edit.add(path, value)
                    )
    try:
        merged = apply_edits(text, edits)
        if parse_yaml(merged, file).data != apply_to_data(data, edits):
            raise YamlEditError("the merged file would not load back as intended")
    except YamlEditError as error:
        raise ProblemsError(
            [Problem(f"cannot merge the imported entries: {error}", Location(file, 1))]
        ) from None
    return merged
