"""apply_edits: the edits spliced into the text, in one pass from the end; apply_to_data:
what the data becomes, the reference the edited text is checked against."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode

from resumesync.yamlwrite.edit import Edit, JsonPath, YamlEditError
from resumesync.yamlwrite.splice import splice


def apply_to_data(data: Any, edits: Sequence[Edit]) -> Any:
    """What the document's data becomes after `edits` (a deep copy; the check's reference)."""
    result = json.loads(json.dumps(data))
    for edit in _ordered(edits):
        if not edit.path and edit.op == "set":
            result = json.loads(json.dumps(edit.value))
            continue
        parent = _data_at(
            result, edit.path if edit.op in ("append", "truncate") else edit.path[:-1]
        )
        if edit.op == "remove":
            del parent[edit.path[-1]]
        elif edit.op in ("set", "add"):
            parent[edit.path[-1]] = json.loads(json.dumps(edit.value))
        elif edit.op == "append":
            parent.extend(json.loads(json.dumps(edit.value)))
        elif edit.op == "truncate":
            del parent[edit.value :]
    return result


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with `edits` spliced in; YamlEditError when one cannot be placed."""
    if not edits:
        return text
    root = YAML(typ="rt").compose(text)
    if root is None:
        root = MappingNode("tag:yaml.org,2002:map", [])
    splices = [splice(text, root, edit) for edit in edits]
    splices.sort(key=lambda s: (s[0], s[1]), reverse=True)
    for (_, end, _), (next_start, _, _) in zip(splices[1:], splices, strict=False):
        if end > next_start:
            raise YamlEditError("two edits overlap in one place of the file")
    for start, end, replacement in splices:
        text = text[:start] + replacement + text[end:]
    return text


def _ordered(edits: Sequence[Edit]) -> list[Edit]:
    """Sets and additions first, then appends, then truncations (which do not move others)."""
    rank = {"set": 0, "add": 0, "append": 1, "remove": 2, "truncate": 3}
    # Removals from the highest index down, so that each index still names its original item.
    return sorted(
        edits,
        key=lambda e: (rank[e.op], -e.path[-1] if e.op == "remove" else 0),
    )


def _data_at(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data
