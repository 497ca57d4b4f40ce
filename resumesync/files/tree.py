"""A document's data with the location of every path, and a resume merged onto its `extends`
chain (each path keeps the line of the file that supplied it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resumesync.files.run import Run
from resumesync.model import JsonPath, Location
from resumesync.problems import Problem
from resumesync.safefs import UnsafePathError, confine
from resumesync.yamlfile import LineLocations, YamlDocument

NOT_INHERITED = ("id", "extends", "clone")  # a variant never takes its parent's identity
# Bases of bases are rare beyond two levels; a chain of thousands only costs time.
MAX_EXTENDS_DEPTH = 32


@dataclass
class Tree:
    """A document's data with the location of every path (possibly spanning several files)."""

    data: Any
    locations: Mapping[JsonPath, Location]  # read only
    interpolated: frozenset[JsonPath] = frozenset()

    @classmethod
    def of(cls, document: YamlDocument) -> Tree:
        # a Location is made for the paths looked up, not for every value of every file
        return cls(
            document.data, LineLocations(document.file, document.lines), document.interpolated
        )


def merge(base: Tree, over: Tree) -> Tree:
    """`over` deep-merged onto `base`: mappings merge, anything else in `over` replaces.

    Each path keeps the location (and interpolation mark) of the file that supplied it.
    """
    locations: dict[JsonPath, Location] = {}
    interpolated: set[JsonPath] = set()

    def mark(path: JsonPath, owner: Tree) -> None:
        if path in owner.locations:
            locations[path] = owner.locations[path]
        if path in owner.interpolated:
            interpolated.add(path)

    def copy(value: Any, path: JsonPath, owner: Tree) -> Any:
        mark(path, owner)
        if isinstance(value, dict):
            return {key: copy(item, (*path, key), owner) for key, item in value.items()}
        if isinstance(value, list):
            return [copy(item, (*path, index), owner) for index, item in enumerate(value)]
        return value

    def combine(low: Any, high: Any, path: JsonPath) -> Any:
        if not (isinstance(low, dict) and isinstance(high, dict)):
            return copy(high, path, over)
        mark(path, over)
        result = {
            key: copy(value, (*path, key), base) for key, value in low.items() if key not in high
        }
        for key, value in high.items():
            if key in low:
                result[key] = combine(low[key], value, (*path, key))
            else:
                result[key] = copy(value, (*path, key), over)
        return result

    data = combine(base.data, over.data, ())
    return Tree(data, locations, frozenset(interpolated))


def with_bases(run: Run, path: Path, document: YamlDocument) -> Tree:
    """The document deep-merged onto its `extends` chain (bases first)."""
    chain = [Tree.of(document)]
    seen = [Path(os.path.normpath(path))]
    seen_set = set(seen)  # membership in O(1): a long chain must not cost its square
    current = document
    while isinstance(current.data, dict) and isinstance(current.data.get("extends"), str):
        target = Path(os.path.normpath(seen[-1].parent / current.data["extends"]))
        where = current.location(("extends",))
        if target in seen_set:
            cycle = " -> ".join(run.relative(p) for p in [*seen, target])
            run.problems.append(Problem(f"extends cycle: {cycle}", where, "extends"))
            break
        if len(chain) > MAX_EXTENDS_DEPTH:
            run.problems.append(
                Problem(f"`extends` chain deeper than {MAX_EXTENDS_DEPTH} files", where, "extends")
            )
            break
        try:  # before looking at it at all: outside files are not even probed
            confine(run.root, target)
        except UnsafePathError as error:
            run.problems.append(Problem(error.reason, where, "extends"))
            break
        if not _is_file(target):
            run.problems.append(
                Problem(f"file not found: {run.relative(target)}", where, "extends")
            )
            break
        parent = run.read(target, run.env, named_at=where)
        if parent is None:
            break
        if isinstance(parent.data, dict) and target.name.startswith("_") and "id" in parent.data:
            run.problems.append(
                Problem(
                    "a base (file name starting with `_`) is not a resume: it has no id",
                    parent.location(("id",)),
                    "id",
                )
            )
        if not isinstance(parent.data, dict | None):
            run.problems.append(
                Problem("a base must be a mapping of resume fields", parent.location(()))
            )
            break
        chain.append(Tree.of(parent))
        seen.append(target)
        seen_set.add(target)
        current = parent
    tree = chain[-1]
    for child in reversed(chain[:-1]):
        tree = merge(_inheritable(tree), child)
    return tree


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the OS, and the like
        return False


def _inheritable(tree: Tree) -> Tree:
    """A parent's tree without what a child never inherits (`id`, `extends`)."""
    if not isinstance(tree.data, dict):  # an empty base
        return Tree({}, {})
    data = {key: value for key, value in tree.data.items() if key not in NOT_INHERITED}
    locations = {p: loc for p, loc in tree.locations.items() if not p or p[0] not in NOT_INHERITED}
    return Tree(data, locations, tree.interpolated)
