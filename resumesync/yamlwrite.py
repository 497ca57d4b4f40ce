"""The one module that edits the user's YAML files, changing the edited values and not one
byte more.

Two kinds of edit live here:

- `insert_id_line` / `remove_id_line` (create): the `id:` line of a newly created resume goes
  in before the first top-level key, and nothing else moves, so `git diff` shows exactly one
  added line;
- `apply_edits` (pull, import into an existing repository): ruamel.yaml (imported here only;
  the loader stays PyYAML) composes the file into nodes that know where they start and end;
  each edit is then a splice of new text at those positions, so comments, key order, quoting,
  flow or block style and blank lines everywhere else stay exactly as they were. Edits name
  JSON paths of the document:

  - `Edit.set(path, value)`: replace the value at `path`;
  - `Edit.add(path, value)`: add key `path[-1]` to the mapping at `path[:-1]` (last);
  - `Edit.append(path, items)`: append items to the sequence at `path`;
  - `Edit.truncate(path, n)`: keep the first `n` items of the sequence at `path`;
  - `Edit.remove(path)`: remove the item `path[-1]` (an index) of the sequence at `path[:-1]`.

  `apply_edits` refuses (YamlEditError) what it cannot place; callers load the result again
  and compare it with `apply_to_data`, so a splice that would change anything else is never
  written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from resumesync.safefs import UnsafePathError, atomic_write
from resumesync.yamlrender import (
    block_lines,
    block_scalar,
    entry_lines,
    fits_inline,
    inline,
    item_lines,
    key_text,
)

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
                return start, end, block_scalar(value, indent)
        elif node.style == "'" and isinstance(value, str) and "\n" not in value:
            return start, end, "'" + value.replace("'", "''") + "'"
        elif node.style == '"' and isinstance(value, str):
            return start, end, json.dumps(value, ensure_ascii=False)
        return start, end, inline(value, node.start_mark.column)
    if getattr(node, "flow_style", False) or not (node.value if node.value is not None else []):
        return start, end, inline(value, node.start_mark.column)
    # A block collection: its text runs to the next key; keep what follows its last line.
    end = _content_end(text, node)
    column = node.start_mark.column
    if isinstance(value, dict | list) and value:
        lines = block_lines(value, column)
        return start, end, "\n".join(lines)[column:] + "\n"
    return start, end, inline(value, column) + "\n"


def _add(text: str, mapping: Node, edit: Edit) -> tuple[int, int, str]:
    key, value = edit.path[-1], edit.value
    if not isinstance(mapping, MappingNode):
        raise YamlEditError(f"{_dotted(edit.path[:-1])} is not a mapping in the file")
    if mapping.flow_style or not mapping.value:
        if not mapping.value and not mapping.flow_style and not edit.path[:-1]:
            # An empty document: the key is its first line.
            return len(text), len(text), _topentry_lines(text, str(key), value)
        closing = mapping.end_mark.index - 1
        if text[closing] != "}":
            raise YamlEditError(f"cannot add {key} to {_dotted(edit.path[:-1])}")
        separator = ", " if mapping.value else ""
        entry = f"{key_text(str(key))}: {inline(value, mapping.start_mark.column)}"
        return closing, closing, separator + entry
    column = mapping.value[0][0].start_mark.column
    at = _content_end(text, mapping)
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
    at = _content_end(text, sequence)
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
    if index + 1 < len(items):
        # From this item's value to the next one's: the next item takes this one's `- `, which
        # also holds when the list starts on its parent's line (`- - a`).
        return items[index].start_mark.index, items[index + 1].start_mark.index, ""
    start = _line_start(text, items[index].start_mark.index)
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


# --- the id line of a created resume (create) ------------------------------------------------


_BOM = b"\xef\xbb\xbf"
_PLAIN_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")
_TOP_LEVEL_KEY = re.compile(r"[^\s#\-\[{%][^\n]*?:(\s|$)|[^\s#\-\[{%]\S*:$")


class IdWriteError(Exception):
    """The id could not be written into the file; the message says which line to add."""


def id_line(resume_id: str) -> str:
    """`id: 0123abcd`, quoted when YAML would read the plain text as something else."""
    if _PLAIN_ID.fullmatch(resume_id) and yaml.safe_load(f"id: {resume_id}") == {"id": resume_id}:
        return f"id: {resume_id}"
    return "id: " + _double_quoted(resume_id)


def _double_quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def with_id_line(content: bytes, resume_id: str) -> bytes:
    """`content` (a resume file) with an `id:` line inserted before its first top-level key.

    Raises IdWriteError when the file is not a block mapping this can edit safely, or
    already names another id. Returns `content` unchanged when it already has this id.
    """
    bom = _BOM if content.startswith(_BOM) else b""
    try:
        text = content[len(bom) :].decode("utf-8")
        before = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError):
        raise IdWriteError("the file is not readable YAML any more") from None
    if before is None:
        before = {}
    if not isinstance(before, dict):
        raise IdWriteError("the file is not a mapping of fields")
    if "id" in before:
        if before["id"] == resume_id:
            return content
        raise IdWriteError("the file has another `id` already")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    at = _first_key_line(lines)
    line = id_line(resume_id) + newline
    if at is None:  # no key at all: the id is the file's only content
        if lines and not lines[-1].endswith(("\n", "\r")):
            raise IdWriteError("the file does not end with a line break")
        at = len(lines)
    result = "".join([*lines[:at], line, *lines[at:]])
    after = _load(result)
    expected: dict[str, Any] = {"id": resume_id, **before}
    if after != expected:
        raise IdWriteError("the file's layout is not one an `id:` line can be added to safely")
    return bom + result.encode("utf-8")


def _first_key_line(lines: list[str]) -> int | None:
    """The index of the first top-level key (a line starting in column 0), after the leading
    comments, blank lines, directives and `---`; None when the file has no key."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or line.startswith("%"):
            continue
        if stripped == "---" or line.startswith("--- "):
            continue
        if line[0].isspace() or not _TOP_LEVEL_KEY.match(line.rstrip("\r\n")):
            raise IdWriteError("the file does not start with a `key: value` line")
        return index
    return None


def _load(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def insert_id_line(path: Path, resume_id: str) -> bool:
    """Writes the `id:` line into the resume file at `path` (atomically, never through a
    symlink); False when the file had this id already. Raises IdWriteError or OSError."""
    content = Path(path).read_bytes()
    updated = with_id_line(content, resume_id)
    if updated == content:
        return False
    _replace(Path(path), updated)
    return True


def _replace(path: Path, content: bytes) -> None:
    """Atomically, never through a symlink, with the file's own permission bits."""
    try:
        atomic_write(path, content, keep_mode=True, durable=True)
    except UnsafePathError as error:
        raise IdWriteError(str(error)) from None


def without_id_line(content: bytes, resume_id: str) -> bytes:
    """`content` without its top-level `id:` line naming `resume_id` (the inverse of
    with_id_line, for `sandbox --reset`); unchanged when the file names another id or the
    line cannot be taken out cleanly."""
    bom = _BOM if content.startswith(_BOM) else b""
    try:
        text = content[len(bom) :].decode("utf-8")
    except UnicodeDecodeError:
        return content
    before = _load(text)
    if not isinstance(before, dict) or before.get("id") != resume_id:
        return content
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.rstrip("\r\n").split("#")[0].rstrip() in (
            id_line(resume_id),
            f"id: {resume_id}",
            f"id: {_double_quoted(resume_id)}",
        ):
            rest = "".join(lines[:index] + lines[index + 1 :])
            expected = {key: value for key, value in before.items() if key != "id"}
            if (_load(rest) or {}) == expected:
                return bom + rest.encode("utf-8")
    return content


def remove_id_line(path: Path, resume_id: str) -> bool:
    """Takes the `id:` line of `resume_id` out of the file at `path`; True if it did."""
    content = Path(path).read_bytes()
    updated = without_id_line(content, resume_id)
    if updated == content:
        return False
    _replace(Path(path), updated)
    return True
