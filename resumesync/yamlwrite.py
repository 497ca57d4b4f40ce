"""Edits to the user's YAML files that change the edited values and not one byte more.

The one module that writes into the user's files (`pull`, `import` into an existing repository).
ruamel.yaml (imported here only; the loader stays PyYAML) composes the file into nodes that
know where they start and end; each edit is then a splice of new text at those positions, so
comments, key order, quoting, flow or block style and blank lines everywhere else stay exactly
as they were. Edits name JSON paths of the document:

- `Edit.set(path, value)`: replace the value at `path`;
- `Edit.add(path, value)`: add key `path[-1]` to the mapping at `path[:-1]` (last);
- `Edit.append(path, items)`: append items to the sequence at `path`;
- `Edit.truncate(path, n)`: keep the first `n` items of the sequence at `path`;
- `Edit.remove(path)`: remove the item `path[-1]` (an index) of the sequence at `path[:-1]`.

`apply_edits` refuses (YamlEditError) what it cannot place; callers check the result by loading
it again (`check_edited`), so a splice that would change anything else is never written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

JsonPath = tuple[str | int, ...]

# Plain (unquoted) strings must read back as the same string to every YAML reader, in block and
# flow context alike: no indicator first, no `: `, ` #` or flow punctuation inside, and nothing
# YAML 1.1 would read as another type (checked with PyYAML, whose rules are the widest).
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_PUNCTUATION = re.compile(r"[,\[\]{}]|: |:$| #|\t")
FLOW_WIDTH = 80


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
    splices = [_splice(text, root, edit) for edit in edits]
    splices.sort(key=lambda s: (s[0], s[1]), reverse=True)
    for (_, end, _), (next_start, _, _) in zip(splices[1:], splices, strict=False):
        if end > next_start:
            raise YamlEditError("two edits overlap in one place of the file")
    for start, end, replacement in splices:
        text = text[:start] + replacement + text[end:]
    return text


# --- placing one edit ---------------------------------------------------------------------------


def _splice(text: str, root: Node, edit: Edit) -> tuple[int, int, str]:
    if edit.op == "set":
        node = _node_at(root, edit.path)
        parent = _node_at(root, edit.path[:-1]) if edit.path else None
        value = edit.value
        if (
            isinstance(parent, MappingNode)
            and not parent.flow_style
            and (isinstance(node, ScalarNode) or not node.value)
            and isinstance(value, dict | list)
            and value
            and not _fits_inline(value)
        ):
            # `key: null` (or `key: {}`) becoming a big mapping or list: block style, under
            # the key, as the rest of the file is written.
            column = parent.value[0][0].start_mark.column + 2
            lines = _block(value, column)
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
        return _add(text, _node_at(root, edit.path[:-1]), edit)
    if edit.op == "remove":
        return _remove(text, _node_at(root, edit.path[:-1]), int(edit.path[-1]))
    node = _node_at(root, edit.path)
    if not isinstance(node, SequenceNode):
        raise YamlEditError(f"{_dotted(edit.path)} is not a list in the file")
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
                indent = _content_indent(text, node)
                if node.style == ">" and "\n" not in value and value == value.strip():
                    return start, end, ">-\n" + " " * indent + value  # folded, as it was
                return start, end, _block_scalar(value, indent)
        elif node.style == "'" and isinstance(value, str) and "\n" not in value:
            return start, end, "'" + value.replace("'", "''") + "'"
        elif node.style == '"' and isinstance(value, str):
            return start, end, json.dumps(value, ensure_ascii=False)
        return start, end, _inline(value, node.start_mark.column)
    if getattr(node, "flow_style", False) or not (node.value if node.value is not None else []):
        return start, end, _inline(value, node.start_mark.column)
    # A block collection: its text runs to the next key; keep what follows its last line.
    end = _content_end(text, node)
    column = node.start_mark.column
    if isinstance(value, dict | list) and value:
        lines = _block(value, column)
        return start, end, "\n".join(lines)[column:] + "\n"
    return start, end, _inline(value, column) + "\n"


def _add(text: str, mapping: Node, edit: Edit) -> tuple[int, int, str]:
    key, value = edit.path[-1], edit.value
    if not isinstance(mapping, MappingNode):
        raise YamlEditError(f"{_dotted(edit.path[:-1])} is not a mapping in the file")
    if mapping.flow_style or not mapping.value:
        if not mapping.value and not mapping.flow_style and not edit.path[:-1]:
            # An empty document: the key is its first line.
            return len(text), len(text), _top_entry(text, str(key), value)
        closing = mapping.end_mark.index - 1
        if text[closing] != "}":
            raise YamlEditError(f"cannot add {key} to {_dotted(edit.path[:-1])}")
        separator = ", " if mapping.value else ""
        entry = f"{_key(str(key))}: {_inline(value, mapping.start_mark.column)}"
        return closing, closing, separator + entry
    column = mapping.value[0][0].start_mark.column
    at = _content_end(text, mapping)
    if not edit.path[:-1]:  # a top-level key: at the very end of the file, after any comment
        return len(text), len(text), _top_entry(text, str(key), value)
    return at, at, "\n".join(_entry(str(key), value, column)) + "\n"


def _top_entry(text: str, key: str, value: Any) -> str:
    prefix = "" if not text or text.endswith("\n") else "\n"
    return prefix + "\n".join(_entry(key, value, 0)) + "\n"


def _append(text: str, sequence: SequenceNode, items: list[Any]) -> tuple[int, int, str]:
    if sequence.flow_style or not sequence.value:
        closing = sequence.end_mark.index - 1
        if text[closing] != "]":
            raise YamlEditError("cannot append to this list")
        rendered = ", ".join(_inline(item, 0) for item in items)
        return closing, closing, (", " if sequence.value else "") + rendered
    column = sequence.start_mark.column
    at = _content_end(text, sequence)
    lines: list[str] = []
    for item in items:
        lines += _item(item, column)
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
    end = _content_end(text, sequence)
    if length == 0:
        return sequence.start_mark.index, end - 1 if text[end - 1] == "\n" else end, "[]"
    start = _line_start(text, items[length].start_mark.index)
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
    start = _line_start(text, items[index].start_mark.index)
    if index + 1 < len(items):
        return start, _line_start(text, items[index + 1].start_mark.index), ""
    return start, _content_end(text, sequence), ""


# --- positions ----------------------------------------------------------------------------------


def _node_at(root: Node, path: JsonPath) -> Node:
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
            raise YamlEditError(f"{_dotted(path[: step + 1])} is not in the file")
        node = found
    return node


def _last_leaf(node: Node) -> Node:
    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _content_end(text: str, node: Node) -> int:
    """Just after the line where the collection's last value ends (its comment included)."""
    leaf = _last_leaf(node)
    end = leaf.end_mark.index
    if isinstance(leaf, ScalarNode) and leaf.style in ("|", ">"):
        end = leaf.start_mark.index + len(text[leaf.start_mark.index : end].rstrip(" \n"))
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _content_indent(text: str, node: ScalarNode) -> int:
    body = text[node.start_mark.index : node.end_mark.index].split("\n")[1:]
    for line in body:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return node.start_mark.column + 2


# --- rendering ------------------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """A scalar as YAML that reads back as the same value and type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return text if _plain_safe(text) else json.dumps(text, ensure_ascii=False)


def _plain_safe(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text[0] in _INDICATORS:
        return False
    if _FLOW_PUNCTUATION.search(text):
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][\w-]*", key) else json.dumps(key, ensure_ascii=False)


def _inline(value: Any, column: int) -> str:
    """One line: a scalar, or a flow collection."""
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(str(k))}: {_inline(v, column)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item, column) for item in value) + "]"
    return scalar(value)


def _fits_inline(value: Any) -> bool:
    """Short lists of scalars and dictionary-entry-like mappings read best in flow style."""
    if isinstance(value, dict):
        return (
            len(value) <= 3
            and all(not isinstance(v, dict | list) for v in value.values())
            and len(_inline(value, 0)) <= FLOW_WIDTH
        )
    if isinstance(value, list):
        return all(
            not isinstance(v, list) and (not isinstance(v, dict) or _fits_inline(v)) for v in value
        ) and (len(_inline(value, 0)) <= FLOW_WIDTH)
    return True


def _entry(key: str, value: Any, column: int) -> list[str]:
    pad = " " * column
    if not isinstance(value, dict | list) or not value or _fits_inline(value):
        if isinstance(value, str) and "\n" in value:
            return [f"{pad}{_key(key)}: {_block_scalar(value, column + 2)}"]
        return [f"{pad}{_key(key)}: {_inline(value, column)}"]
    return [f"{pad}{_key(key)}:", *_block(value, column + 2)]


def _item(value: Any, column: int) -> list[str]:
    pad = " " * column
    if not isinstance(value, dict | list) or not value or _fits_inline(value):
        return [f"{pad}- {_inline(value, column + 2)}"]
    lines = _block(value, column + 2)
    return [f"{pad}- {lines[0][column + 2 :]}", *lines[1:]]


def _block(value: Any, column: int) -> list[str]:
    """Block-style lines, each indented by `column`."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += _entry(str(key), item, column)
    else:
        for item in value:
            lines += _item(item, column)
    return lines


def _block_scalar(value: str, indent: int) -> str:
    """A literal block scalar (`|`, `|-`) holding `value` exactly."""
    if value != value.lstrip(" ") or "\r" in value or value.endswith("\n\n"):
        return json.dumps(value, ensure_ascii=False)
    chomp = "" if value.endswith("\n") else "-"
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in value.rstrip("\n").split("\n"))
    return f"|{chomp}\n{body}"


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


def _dotted(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the document)"
