"""Mappings of paths to Locations that answer a lookup without an index of every path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from resumesync.model import JsonPath, Location, SourceMap
from resumesync.validation import OUR_KEYS, employer_id


class FieldLocations(Mapping[JsonPath, Location]):
    """The locations of a resume's fields: every path but the root and our own keys; the
    `id:` line, so that errors about the id point at it (not at the file's first line); and
    `publish:` (a publish the server would refuse points at it)."""

    def __init__(self, locations: Mapping[JsonPath, Location]) -> None:
        self._locations = locations

    @staticmethod
    def _field(path: object) -> bool:
        return (
            isinstance(path, tuple)
            and bool(path)
            and (path[0] not in OUR_KEYS or path in (("id",), ("publish",)))
        )

    def __getitem__(self, path: JsonPath) -> Location:
        if not self._field(path):
            raise KeyError(path)
        return self._locations[path]

    def __contains__(self, path: object) -> bool:
        return self._field(path) and path in self._locations

    def __iter__(self) -> Iterator[JsonPath]:
        return (path for path in self._locations if self._field(path))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class MemberLocations(Mapping[JsonPath, Location]):
    """`(employer_id,)` -> the line that lists it (the last part that does: the resume's entry
    over defaults), found when looked up, by a scan of the list as written: a plan looks up a
    few of the thousands listed, and an index of every employer would cost more memory (about
    100 bytes an employer) than all the lookups cost time."""

    def __init__(self, parts: list[tuple[JsonPath, list[Any]]], source: SourceMap) -> None:
        self._parts = parts
        self._source = source

    def _path(self, key: object) -> JsonPath | None:
        if isinstance(key, tuple) and len(key) == 1:
            for path, items in reversed(self._parts):
                for index in range(len(items) - 1, -1, -1):  # the last mention, as before
                    if employer_id(items[index]) == key[0]:
                        return (*path, index)
        return None

    def __getitem__(self, key: JsonPath) -> Location:
        path = self._path(key)
        location = self._source.locate(path) if path is not None else None
        if location is None:
            raise KeyError(key)
        return location

    def __contains__(self, key: object) -> bool:
        path = self._path(key)
        return path is not None and self._source.locate(path) is not None

    def __iter__(self) -> Iterator[JsonPath]:
        seen = {employer_id(item) for _, items in self._parts for item in items} - {None}
        return (key for key in ((employer,) for employer in seen) if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)
