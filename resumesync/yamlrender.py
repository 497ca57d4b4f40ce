"""YAML text for values that yamlwrite splices into the user's files: scalars that read back
as the same value and type, flow collections on one line, block collections at an indentation.

The result must mean the same to resumesync's loader (stricter than YAML 1.1) and to every
editor and linter, so plain strings are kept to what PyYAML, the widest reader, reads as the
same string.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

# Plain (unquoted) strings must read back as the same string to every YAML reader, in block and
# flow context alike: no indicator first, no `: `, ` #` or flow punctuation inside, and nothing
# YAML 1.1 would read as another type (checked with PyYAML, whose rules are the widest).
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_PUNCTUATION = re.compile(r"[,\[\]{}]|: |:$| #|\t")
FLOW_WIDTH = 80


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


def key_text(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][\w-]*", key) else json.dumps(key, ensure_ascii=False)


def inline(value: Any, column: int) -> str:
    """One line: a scalar, or a flow collection."""
    if isinstance(value, dict):
        inner = ", ".join(f"{key_text(str(k))}: {inline(v, column)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline(item, column) for item in value) + "]"
    return scalar(value)


def fits_inline(value: Any) -> bool:
    """Short lists of scalars and dictionary-entry-like mappings read best in flow style."""
    if isinstance(value, dict):
        return (
            len(value) <= 3
            and all(not isinstance(v, dict | list) for v in value.values())
            and len(inline(value, 0)) <= FLOW_WIDTH
        )
    if isinstance(value, list):
        return all(
            not isinstance(v, list) and (not isinstance(v, dict) or fits_inline(v)) for v in value
        ) and (len(inline(value, 0)) <= FLOW_WIDTH)
    return True


def entry_lines(key: str, value: Any, column: int) -> list[str]:
    pad = " " * column
    if not isinstance(value, dict | list) or not value or fits_inline(value):
        if isinstance(value, str) and "\n" in value:
            return [f"{pad}{key_text(key)}: {block_scalar(value, column + 2)}"]
        return [f"{pad}{key_text(key)}: {inline(value, column)}"]
    return [f"{pad}{key_text(key)}:", *block_lines(value, column + 2)]


def item_lines(value: Any, column: int) -> list[str]:
    pad = " " * column
    if not isinstance(value, dict | list) or not value or fits_inline(value):
        return [f"{pad}- {inline(value, column + 2)}"]
    lines = block_lines(value, column + 2)
    return [f"{pad}- {lines[0][column + 2 :]}", *lines[1:]]


def block_lines(value: Any, column: int) -> list[str]:
    """Block-style lines, each indented by `column`."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += entry_lines(str(key), item, column)
    else:
        for item in value:
            lines += item_lines(item, column)
    return lines


def block_scalar(value: str, indent: int) -> str:
    """A literal block scalar (`|`, `|-`) holding `value` exactly."""
    if value != value.lstrip(" ") or "\r" in value or value.endswith("\n\n"):
        return json.dumps(value, ensure_ascii=False)
    chomp = "" if value.endswith("\n") else "-"
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in value.rstrip("\n").split("\n"))
    return f"|{chomp}\n{body}"
