"""What a nested value may hold according to the resume schema: its declared properties and
item schemas, with $ref and allOf / oneOf / anyOf expanded once per schema set."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


class ByIdentity:
    """Schema objects as a cache key, by identity: the schemas come from load_schema's cache
    and live as long as the process (the key holds them, so their ids stay theirs)."""

    __slots__ = ("ids", "objects")

    def __init__(self, objects: list[Any]) -> None:
        self.objects = tuple(objects)
        self.ids = tuple(map(id, self.objects))

    def __hash__(self) -> int:
        return hash(self.ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ByIdentity) and other.ids == self.ids


@dataclass(frozen=True)
class _Shape:
    declared: dict[str, list[Any]]  # property -> the schemas that declare it
    items: list[Any]  # the schemas of a list's items
    open: bool = False  # a schema allows other keys (additionalProperties true or a schema)


@cache
def shape_of(schemas: ByIdentity, root: ByIdentity) -> _Shape:
    """What a value checked against `schemas` may hold, computed once per run and schema set
    (every list item and every file would otherwise expand the same $refs again)."""
    leaves = _expand(list(schemas.objects), root.objects[0])
    declared: dict[str, list[Any]] = {}
    for leaf in leaves:
        for name, sub in leaf.get("properties", {}).items():
            declared.setdefault(name, []).append(sub)
    items = [leaf["items"] for leaf in leaves if "items" in leaf]
    is_open = any(leaf.get("additionalProperties") not in (None, False) for leaf in leaves)
    return _Shape(declared, items, is_open)


def _expand(schemas: list[Any], root: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """Schemas with $ref resolved and allOf / oneOf / anyOf flattened (all branches)."""
    result: list[dict[str, Any]] = []
    for schema in schemas:
        if not isinstance(schema, dict) or depth > 32:
            continue
        result.append(schema)
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            result.extend(_expand([root["$defs"][ref[len("#/$defs/") :]]], root, depth + 1))
        for keyword in ("allOf", "oneOf", "anyOf"):
            result.extend(_expand(schema.get(keyword, []), root, depth + 1))
    return result
