"""Bounds on what aliases (`*name`) can expand a small file into."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError

# Aliases can expand a small file into a huge tree ("billion laughs"): stop well before that.
MAX_NODES = 1_000_000
# ... and into huge text: a 1 MB string referenced 1,000 times is 1 GB for every later step
# (validation, diff, rendering), while MAX_NODES counts it as 1,000 values. Caps the characters
# of every scalar (keys too) as the document expands, aliases counted each time they are used.
MAX_EXPANDED_CHARS = 16_000_000


def check_alias_expansion(node: Node, file: str, limit: int = MAX_EXPANDED_CHARS) -> None:
    """ProblemsError when the document's text, aliases expanded, exceeds `limit` characters.

    Linear in the size of the node graph: each node's expanded size is computed once (an alias
    is the same node object as its anchor), so measuring never does the expansion itself.
    """
    sizes: dict[int, int] = {}

    def size(current: Node) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        sizes[id(current)] = 0  # a node that contains itself: reported by build
        if isinstance(current, ScalarNode):
            total = len(current.value)
        elif isinstance(current, SequenceNode):
            total = sum(size(item) for item in current.value)
        elif isinstance(current, MappingNode):
            total = sum(size(key) + size(value) for key, value in current.value)
        else:
            total = 0
        total = min(total, limit + 1)  # no need for exact huge numbers
        sizes[id(current)] = total
        return total

    if size(node) > limit:
        raise ProblemsError(
            [
                Problem(
                    f"the document expands to more than {limit:,} characters through "
                    "aliases (`*name`): not loaded",
                    Location(file, node.start_mark.line + 1),
                )
            ]
        )
