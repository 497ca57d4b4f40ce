"""How to fix a value of the wrong type: the hint after `expected boolean, got string`.

Most type errors in a resume file are YAML surprises: `has_vehicle: no` is the string "no" in
YAML 1.2 (the loader reads only `true` / `false` as booleans), `amount: "350 000"` is a string,
`title: 2024` is a number. The hint quotes the value and says what to write instead.

It never quotes personal data (contacts, birth date), and quotes a string only when it is one
of those YAML words or a number written as a string: a value that came from `${VAR}` is a
string too, and may be a secret.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from resumesync.model import JsonPath

SENSITIVE_ROOTS = frozenset({"contact", "birth_date"})
TRUE_WORDS = frozenset({"yes", "y", "on"})
FALSE_WORDS = frozenset({"no", "n", "off"})
NUMBER_TEXT = re.compile(r"^[+-]?[0-9][0-9 _]*(?:[.,][0-9]+)?$")


def type_hint(path: JsonPath, expected: Sequence[str], value: Any) -> str:
    """`": `no` is a string in YAML 1.2: write false"`, or "" when there is nothing to add."""
    sensitive = bool(path) and path[0] in SENSITIVE_ROOTS
    wanted = set(expected)
    if isinstance(value, str) and "boolean" in wanted:
        word = value.strip().casefold()
        if word in TRUE_WORDS | FALSE_WORDS:
            fix = "true" if word in TRUE_WORDS else "false"
            return f": `{value}` is a string in YAML 1.2 (only true and false are booleans): " + (
                f"write {fix}"
            )
    if isinstance(value, str) and wanted & {"number", "integer"} and NUMBER_TEXT.match(value):
        if sensitive:
            return ": write the number without quotes"
        number = re.sub(r"[ _]", "", value).replace(",", ".")
        return (
            f": {_quoted(value)} is text; write the number without quotes or separators: "
            f"{number} (a ${{VAR}} always gives text)"
        )
    if "string" in wanted and isinstance(value, bool | int | float) and value is not None:
        if sensitive:
            return ": put the value in quotes"
        shown = ("true" if value else "false") if isinstance(value, bool) else repr(value)
        return f': {shown} is read as a {_kind(value)}; quote it to keep it text: "{shown}"'
    if "array" in wanted and isinstance(value, str | int | float | bool):
        return ": a list is written [a, b] or as `- item` lines"
    return ""


def _kind(value: Any) -> str:
    return "boolean" if isinstance(value, bool) else "number"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
