"""Composed YAML nodes -> plain data, with the line of every path and every problem at its
line; compacted runs (yamlruns) expanded back into their values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from resumesync import yamlruns
from resumesync.model import JsonPath, Location
from resumesync.problems import Problem, dotted
from resumesync.yamlfile.aliases import MAX_NODES
from resumesync.yamlfile.resolver import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    MAP_TAG,
    MERGE_TAG,
    NULL_TAG,
    SEQ_TAG,
    STR_TAG,
)


@dataclass
class Walk:
    """State of one construction: a fresh one per document, never shared."""

    file: str
    lines: dict[JsonPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    active: set[int] = field(default_factory=set)  # ids of the nodes being built (alias loops)
    count: int = 0
    runs: dict[str, list[str | int]] | None = None  # compacted list items (yamlruns)
    # sequence path -> (first index, count, line of the first) of each expanded run
    run_lines: dict[JsonPath, list[tuple[int, int, int]]] = field(default_factory=dict)
    # One object per distinct path tuple and mapping key, shared by the files of a load
    # (parse_yaml's `shared`): 500 resumes of one shape hold 200,000 paths and 125,000 keys,
    # but only a few thousand different ones.
    shared: dict[Any, Any] = field(default_factory=dict)

    def at(self, path: JsonPath) -> JsonPath:
        return self.shared.setdefault(path, path)

    def key(self, key: str) -> str:
        return self.shared.setdefault(key, key)

    def problem(self, message: str, node: Node, path: JsonPath) -> None:
        location = Location(self.file, node.start_mark.line + 1)
        self.problems.append(Problem(message, location, dotted(path)))


class NotCompactable(Exception):
    """The compacted text would not give what the whole text gives: parse the whole."""


def build(node: Node, path: JsonPath, walk: Walk) -> Any:
    walk.count += 1
    if walk.count > MAX_NODES:
        if walk.count == MAX_NODES + 1:
            walk.problem("too many values (aliases expanding without bound?)", node, path)
        return None
    walk.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        return _scalar(node, path, walk)
    if id(node) in walk.active:
        walk.problem("an alias refers to a value that contains it", node, path)
        return None
    walk.active.add(id(node))
    try:
        if isinstance(node, SequenceNode):
            if node.tag != SEQ_TAG:
                walk.problem(f"unsupported YAML tag {_short(node.tag)}", node, path)
            if walk.runs is not None:
                return _sequence_with_runs(node, path, walk)
            return [
                build(item, walk.at((*path, index)), walk) for index, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            if node.tag != MAP_TAG:
                walk.problem(f"unsupported YAML tag {_short(node.tag)}", node, path)
            return _mapping(node, path, walk)
        walk.problem("unsupported YAML node", node, path)
        return None
    finally:
        walk.active.discard(id(node))


def _sequence_with_runs(node: SequenceNode, path: JsonPath, walk: Walk) -> list[Any]:
    """A sequence whose compacted runs (yamlruns) expand into their values, one line each."""
    runs = walk.runs
    assert runs is not None
    result: list[Any] = []
    for item in node.value:
        if isinstance(item, ScalarNode) and item.tag == yamlruns.RUN_TAG:
            values = runs.pop(item.value, None)
            if values is None:
                raise NotCompactable
            walk.run_lines.setdefault(path, []).append(
                (len(result), len(values), item.start_mark.line + 1)
            )
            walk.count += len(values)
            if walk.count > MAX_NODES:
                raise NotCompactable  # the whole parse reports it, at its line
            result.extend(values)
        else:
            result.append(build(item, walk.at((*path, len(result))), walk))
    return result


def _mapping(node: MappingNode, path: JsonPath, walk: Walk) -> dict[str, Any]:
    result: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    merges: list[Node] = []
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.tag == MERGE_TAG:
            merges.append(value_node)
            continue
        if not isinstance(key_node, ScalarNode):
            walk.problem("a mapping key must be a plain string", key_node, path)
            continue
        key = walk.key(key_node.value)  # the text as written: keys never change type
        line = key_node.start_mark.line + 1
        if key in key_lines:
            walk.problem(f"duplicate key (first at line {key_lines[key]})", key_node, (*path, key))
            continue
        key_lines[key] = line
        child = walk.at((*path, key))
        walk.lines[child] = line  # the key's line, not the value's (block scalars)
        result[key] = build(value_node, child, walk)
    if merges:
        result = _merged(merges, result, path, walk)
    return result


def _merged(merges: list[Node], own: dict[str, Any], path: JsonPath, walk: Walk) -> dict[str, Any]:
    """Apply `<<: *anchor` (or a list of anchors): own keys win, then earlier anchors."""
    sources: list[Node] = []
    for merge in merges:
        items = merge.value if isinstance(merge, SequenceNode) else [merge]
        for item in items:
            if isinstance(item, MappingNode) and id(item) in walk.active:
                walk.problem("a mapping cannot merge itself", item, path)
            elif isinstance(item, MappingNode):
                sources.append(item)
            else:
                walk.problem("`<<` merges mappings only", item, path)
    merged: dict[str, Any] = {}
    for source in sources:
        scratch = Walk(walk.file, active=walk.active, count=walk.count, shared=walk.shared)
        data = _mapping(source, path, scratch)
        walk.count = scratch.count
        walk.problems.extend(scratch.problems)
        for key, value in data.items():
            if key in own or key in merged:
                continue
            merged[key] = value
            prefix = (*path, key)
            for sub, line in scratch.lines.items():
                if sub[: len(prefix)] == prefix:
                    walk.lines[sub] = line
    return {**merged, **own}


def _scalar(node: ScalarNode, path: JsonPath, walk: Walk) -> Any:
    value: str = node.value
    tag = node.tag
    if walk.runs is not None and (tag == yamlruns.RUN_TAG or yamlruns.RUN_TAG in value):
        raise NotCompactable  # a placeholder that is not a list item: inside some scalar
    if tag in (STR_TAG, MERGE_TAG):
        return value
    if tag == NULL_TAG:
        if value in ("", "~", "null", "Null", "NULL"):
            return None
    elif tag == BOOL_TAG:
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif tag == INT_TAG:
        try:
            return int(value.replace("_", ""), 0 if value.lstrip("+-")[:2] in ("0x", "0o") else 10)
        except ValueError:
            pass
    elif tag == FLOAT_TAG:
        number = _float(value)
        if number is not None:
            return number
    else:
        walk.problem(f"unsupported YAML tag {_short(tag)}", node, path)
        return None
    walk.problem(f"not a valid {tag.rsplit(':', 1)[-1]}", node, path)
    return None


def _short(tag: str) -> str:
    """tag:yaml.org,2002:timestamp -> !!timestamp, as people write it."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _float(text: str) -> float | None:
    lowered = text.lower()
    if lowered in (".inf", "+.inf"):
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    if lowered == ".nan":
        return math.nan
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None
