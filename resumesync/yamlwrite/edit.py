"""An edit of a YAML document, named by a JSON path of its data, and the error of one that
cannot be placed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

JsonPath = tuple[str | int, ...]


class YamlEditError(Exception):
    """An edit that cannot be placed in the file (the message says which and why)."""


@dataclass(frozen=True)
class Edit:
    op: str  # "set" | "add" | "append" | "truncate" | "remove"
    path: JsonPath
    value: Any = None

    @classmethod
    def set(cls, path: JsonPath, value: Any) -> Edit:
        return cls("set", tuple(path), value)

    @classmethod
    def add(cls, path: JsonPath, value: Any) -> Edit:
        return cls("add", tuple(path), value)

    @classmethod
    def append(cls, path: JsonPath, items: Sequence[Any]) -> Edit:
        return cls("append", tuple(path), list(items))

    @classmethod
    def truncate(cls, path: JsonPath, length: int) -> Edit:
        return cls("truncate", tuple(path), length)

    @classmethod
    def remove(cls, path: JsonPath) -> Edit:
        return cls("remove", tuple(path))
