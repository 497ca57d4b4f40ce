"""Human-readable per-field diffs, shared by the text and markdown renderers.

Both sides are normalised first (`resumesync.normalize`), so a diff line never shows what the
server fills in (names of dictionary entries, `formatted` phones, ...). Personal data (contact
values and comments, `birth_date`) prints as `(sensitive)` unless asked otherwise.
"""

from __future__ import annotations

import json
from typing import Any

from resumesync.normalize import normalize_field
from resumesync.problems import dotted

SENSITIVE = "(sensitive)"
SENSITIVE_FIELDS: frozenset[str] = frozenset({"birth_date"})
_MARK = "\x00sensitive\x00"  # survives json.dumps as a plain string, replaced afterwards


def field_diff_lines(name: str, old: Any, new: Any, *, show_sensitive: bool = False) -> list[str]:
    """Lines like `~ experience[0].position: "A" -> "B"`, `+ skill_set[5]: "Go"`.

    Each line starts with its sign: `~` changed, `+` added, `-` removed.
    """
    if name in SENSITIVE_FIELDS and not show_sensitive:
        return [f"~ {name}: {SENSITIVE}"]
    before = normalize_field(name, old)
    after = normalize_field(name, new)
    if before == after:
        return []
    if not (_container(before) and _container(after) and type(before) is type(after)):
        return [
            f"~ {name}: {_show(name, (), before, show_sensitive)} -> "
            f"{_show(name, (), after, show_sensitive)}"
        ]
    # Imported only when a nested field differs: deepdiff (and what it pulls in) costs tens
    # of ms that a plan without such a diff, and every `validate`, need not pay.
    from deepdiff import DeepDiff
    from deepdiff.helper import NotPresent

    lines: list[tuple[tuple[Any, ...], str]] = []
    tree = DeepDiff(before, after, view="tree")
    for levels in tree.values():
        for level in levels:
            path = tuple(level.path(output_format="list"))
            where = dotted((name, *path))
            if isinstance(level.t1, NotPresent):
                text = f"+ {where}: {_show(name, path, level.t2, show_sensitive)}"
            elif isinstance(level.t2, NotPresent):
                text = f"- {where}: {_show(name, path, level.t1, show_sensitive)}"
            else:
                old_text = _show(name, path, level.t1, show_sensitive)
                new_text = _show(name, path, level.t2, show_sensitive)
                if old_text == new_text:  # both masked
                    text = f"~ {where}: {SENSITIVE}"
                else:
                    text = f"~ {where}: {old_text} -> {new_text}"
            lines.append((path, text))
    lines.sort(key=lambda item: _sort_key(item[0]))
    return [text for _, text in lines]


def format_value(value: Any) -> str:
    """A value on one line: JSON, so strings are quoted and newlines escaped."""
    return json.dumps(value, ensure_ascii=False).replace(json.dumps(_MARK), SENSITIVE)


def _container(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _show(name: str, path: tuple[Any, ...], value: Any, show_sensitive: bool) -> str:
    if not show_sensitive:
        value = _mask(name, path, value)
    return format_value(value)


def _mask(name: str, path: tuple[Any, ...], value: Any) -> Any:
    """Hide contact values and comments (the contact types stay visible)."""
    if name in SENSITIVE_FIELDS:
        return _MARK
    if name != "contact":
        return value
    if len(path) >= 2 and path[1] in ("value", "comment"):
        return _MARK
    if len(path) == 1 and isinstance(value, dict):
        return _mask_contact(value)
    if not path and isinstance(value, list):
        return [_mask_contact(item) if isinstance(item, dict) else item for item in value]
    return value


def _mask_contact(contact: dict[str, Any]) -> dict[str, Any]:
    return {key: (_MARK if key in ("value", "comment") else item) for key, item in contact.items()}


def _sort_key(path: tuple[Any, ...]) -> tuple[tuple[int, Any], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, str(part)) for part in path)
