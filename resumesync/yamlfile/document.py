"""A parsed document: plain data and the line of every path, looked up without a Location
made for each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from resumesync.model import JsonPath, Location, SourceMap


@dataclass(frozen=True)
class YamlDocument:
    """Plain data (dict / list / str / int / float / bool / None) and where each value is."""

    file: str  # path relative to the repository, as shown in messages
    data: Any
    lines: Mapping[JsonPath, int]  # every path (including () for the root) -> 1-based line
    interpolated: frozenset[JsonPath] = frozenset()  # values that came from ${VAR}

    @property
    def first_line(self) -> int:
        """The line of the first key (or of the root value): where whole-file problems point."""
        if isinstance(self.data, dict) and self.data:
            return self.lines.get((next(iter(self.data)),), 1)
        return self.lines.get((), 1)

    def location(self, path: JsonPath) -> Location:
        return self.source_map().locate(path) or Location(self.file, 1)

    def source_map(self) -> SourceMap:
        """Locations made only for the paths looked up: visibility.yaml can hold hundreds of
        thousands of values, and a plan looks up a handful of them."""
        return SourceMap(
            locations=LineLocations(self.file, self.lines),
            default=Location(self.file, self.first_line),
        )


class LineLocations(Mapping[JsonPath, Location]):
    """A read-only path -> Location view over one file's line numbers."""

    __slots__ = ("file", "lines")

    def __init__(self, file: str, lines: Mapping[JsonPath, int]) -> None:
        self.file = file
        self.lines = lines

    def __getitem__(self, path: JsonPath) -> Location:
        return Location(self.file, self.lines[path])

    def __contains__(self, path: object) -> bool:
        return path in self.lines

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


class RunLines(Mapping[JsonPath, int]):
    """Line numbers with the expanded runs (yamlruns) kept as ranges: an item of a run is
    on the run's first line plus its offset, so 200,000 ids need no entry each."""

    __slots__ = ("plain", "runs")

    def __init__(
        self, plain: dict[JsonPath, int], runs: dict[JsonPath, list[tuple[int, int, int]]]
    ) -> None:
        self.plain = plain
        self.runs = runs

    def _run_line(self, path: object) -> int | None:
        if not isinstance(path, tuple) or not path or type(path[-1]) is not int:
            return None
        index = path[-1]
        for start, count, first in self.runs.get(path[:-1], ()):
            if start <= index < start + count:
                return first + index - start
        return None

    def __getitem__(self, path: JsonPath) -> int:
        line = self.plain.get(path)
        if line is None:
            line = self._run_line(path)
            if line is None:
                raise KeyError(path)
        return line

    def __contains__(self, path: object) -> bool:
        return path in self.plain or self._run_line(path) is not None

    def __iter__(self) -> Iterator[JsonPath]:
        yield from self.plain
        for prefix, spans in self.runs.items():
            for start, count, _ in spans:
                for index in range(start, start + count):
                    yield (*prefix, index)

    def __len__(self) -> int:
        return len(self.plain) + sum(count for spans in self.runs.values() for _, count, _ in spans)
