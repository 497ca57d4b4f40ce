"""Positions in the composed file: the node at a JSON path, where a collection's text ends,
a line's start, a block scalar's indent; a path as words for an error."""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from resumesync.yamlwrite.edit import JsonPath, YamlEditError


def node_at(root: Node, path: JsonPath) -> Node:
    node = root
    for step, part in enumerate(path):
        if isinstance(node, MappingNode) and isinstance(part, str):
            found = next(
                (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part), None
            )
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = node.value[part]
        else:
            found = None
        if found is None:
            raise YamlEditError(f"{dotted(path[: step + 1])} is not in the file")
        node = found
    return node


def _last_leaf(node: Node) -> Node:
    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def content_end(text: str, node: Node) -> int:
    """Just after the line where the collection's last value ends (its comment included)."""
    leaf = _last_leaf(node)
    end = leaf.end_mark.index
    if isinstance(leaf, ScalarNode) and leaf.style in ("|", ">"):
        end = leaf.start_mark.index + len(text[leaf.start_mark.index : end].rstrip(" \n"))
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def content_indent(text: str, node: ScalarNode) -> int:
    body = text[node.start_mark.index : node.end_mark.index].split("\n")[1:]
    for line in body:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return node.start_mark.column + 2


def dotted(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the document)"
