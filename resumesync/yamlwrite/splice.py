"""Placing one edit: the span of text it replaces and the text that goes there, in the style
of the node it edits (block or flow, quoting, block scalars)."""

from __future__ import annotations

import json
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from resumesync.yamlrender import (
    block_lines,
    block_scalar,
    entry_lines,
    fits_inline,
    inline,
    item_lines,
    key_text,
)
from resumesync.yamlwrite.edit import Edit, YamlEditError
from resumesync.yamlwrite.positions import content_end, content_indent, dotted, line_start, node_at


def splice(text: str, root: Node, edit: Edit) -> tuple[int, int, str]:
    if edit.op == "set":
        node = node_at(root, edit.path)
        parent = node_at(root, edit.path[:-1]) if edit.path else None
        value = edit.value
        if (
            isinstance(parent, MappingNode)
            and not parent.flow_style
            and (isinstance(node, ScalarNode) or not node.value)
            and isinstance(value, dict | list)
            and value
            and not fits_inline(value)
        ):
            # `key: null` (or `key: {}`) becoming a big mapping or list: block style, under
            # the key, as the rest of the file is written.
            column = parent.value[0][0].start_mark.column + 2
            lines = block_lines(value, column)
            start, end = node.start_mark.index, node.end_mark.index
            if isinstance(node, ScalarNode) and node.value == "" and not node.style:
                # `key:` with nothing after it: the block goes right after the colon.
                key = next(k for k, v in parent.value if v is node)
                start = end = text.index(":", key.end_mark.index) + 1
            while start > 0 and text[start - 1] == " ":
                start -= 1
            return start, end, "\n" + "\n".join(lines)
        return _set(text, node, edit)
    if edit.op == "add":
        return _add(text, node_at(root, edit.path[:-1]), edit)
    if edit.op == "remove":
        return _remove(text, node_at(root, edit.path[:-1]), int(edit.path[-1]))
    node = node_at(root, edit.path)
    if not isinstance(node, SequenceNode):
        raise YamlEditError(f"{dotted(edit.path)} is not a list in the file")
    if edit.op == "append":
        return _append(text, node, edit.value)
    if edit.op == "truncate":
        return _truncate(text, node, int(edit.value))
    raise YamlEditError(f"unknown edit {edit.op}")


def _set(text: str, node: Node, edit: Edit) -> tuple[int, int, str]:
    start, end = node.start_mark.index, node.end_mark.index
    value = edit.value
    if isinstance(node, ScalarNode):
        if node.style in ("|", ">"):
            end = start + len(text[start:end].rstrip(" \n"))
            if isinstance(value, str) and value:
                indent = content_indent(text, node)
                if node.style == ">" and "\n" not in value and value == value.strip():
                    return start, end, ">-\n" + " " * indent + value  # folded, as it was
                return start, end, block_scalar(value, indent)
        elif node.style == "'" and isinstance(value, str) and "\n" not in value:
            return start, end, "'" + value.replace("'", "''") + "'"
        elif node.style == '"' and isinstance(value, str):
            return start, end, json.dumps(value, ensure_ascii=False)
        return start, end, inline(value, node.start_mark.column)
    if getattr(node, "flow_style", False) or not (node.value if node.value is not None else []):
        return start, end, inline(value, node.start_mark.column)
    # A block collection: its text runs to the next key; keep what follows its last line.
    end = content_end(text, node)
    column = node.start_mark.column
    if isinstance(value, dict | list) and value:
        lines = block_lines(value, column)
        return start, end, "\n".join(lines)[column:] + "\n"
    return start, end, inline(value, column) + "\n"


def _add(text: str, mapping: Node, edit: Edit) -> tuple[int, int, str]:
    key, value = edit.path[-1], edit.value
    if not isinstance(mapping, MappingNode):
        raise YamlEditError(f"{dotted(edit.path[:-1])} is not a mapping in the file")
    if mapping.flow_style or not mapping.value:
        if not mapping.value and not mapping.flow_style and not edit.path[:-1]:
            # An empty document: the key is its first line.
            return len(text), len(text), _topentry_lines(text, str(key), value)
        closing = mapping.end_mark.index - 1
        if text[closing] != "}":
            raise YamlEditError(f"cannot add {key} to {dotted(edit.path[:-1])}")
        separator = ", " if mapping.value else ""
        entry = f"{key_text(str(key))}: {inline(value, mapping.start_mark.column)}"
        return closing, closing, separator + entry
    column = mapping.value[0][0].start_mark.column
    at = content_end(text, mapping)
    if not edit.path[:-1]:  # a top-level key: at the very end of the file, after any comment
        return len(text), len(text), _topentry_lines(text, str(key), value)
    return at, at, "\n".join(entry_lines(str(key), value, column)) + "\n"


def _topentry_lines(text: str, key: str, value: Any) -> str:
    prefix = "" if not text or text.endswith("\n") else "\n"
    return prefix + "\n".join(entry_lines(key, value, 0)) + "\n"


def _append(text: str, sequence: SequenceNode, items: list[Any]) -> tuple[int, int, str]:
    if sequence.flow_style or not sequence.value:
        closing = sequence.end_mark.index - 1
        if text[closing] != "]":
            raise YamlEditError("cannot append to this list")
        rendered = ", ".join(inline(item, 0) for item in items)
        return closing, closing, (", " if sequence.value else "") + rendered
    column = sequence.start_mark.column
    at = content_end(text, sequence)
    lines: list[str] = []
    for item in items:
        lines += item_lines(item, column)
    return at, at, "\n".join(lines) + "\n"


def _truncate(text: str, sequence: SequenceNode, length: int) -> tuple[int, int, str]:
    items = sequence.value
    if length >= len(items):
        return sequence.end_mark.index, sequence.end_mark.index, ""
    if sequence.flow_style:
        close = sequence.end_mark.index - 1
        if length == 0:
            return sequence.start_mark.index, sequence.end_mark.index, "[]"
        return items[length - 1].end_mark.index, close, ""
    end = content_end(text, sequence)
    if length == 0:
        return sequence.start_mark.index, end - 1 if text[end - 1] == "\n" else end, "[]"
    start = line_start(text, items[length].start_mark.index)
    return start, end, ""


def _remove(text: str, sequence: Node, index: int) -> tuple[int, int, str]:
    if not isinstance(sequence, SequenceNode) or index >= len(sequence.value):
        raise YamlEditError("cannot remove an item that is not in the file")
    items = sequence.value
    if len(items) == 1:
        return _truncate(text, sequence, 0)
    if sequence.flow_style:
        if index + 1 < len(items):  # up to the next item: its separator goes too
            return items[index].start_mark.index, items[index + 1].start_mark.index, ""
        return items[index - 1].end_mark.index, items[index].end_mark.index, ""
    if index + 1 < len(items):
        # From this item's value to the next one's: the next item takes this one's `- `, which
        # also holds when the list starts on its parent's line (`- - a`).
        return items[index].start_mark.index, items[index + 1].start_mark.index, ""
    start = line_start(text, items[index].start_mark.index)
    return start, content_end(text, sequence), ""
