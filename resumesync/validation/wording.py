"""Wording shared by the checks: suggestions, JSON type names, lists of alternatives. None of
it repeats the checked value."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

READ_ONLY = "read-only field: the server sets it"


def did_you_mean(key: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=cutoff)
    return f"; did you mean `{close[0]}`?" if close else ""


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def either_of(types: Iterable[str]) -> str:
    names = list(dict.fromkeys(types))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
