"""Personal data out of the plan JSON printed to stdout (`plan --format json`).

A CI log of a public repository is public, so the JSON on stdout hides what the text and
markdown plans hide: `birth_date`, and every key of a contact but its type and flags (value,
comment, and what GET adds), in the PUT bodies and in both sides of the diffs. The plan file
(`plan --out`, mode 0600) keeps them: apply needs them.

A redacted plan says so (`"redacted": true`) and cannot be applied: its values are not the
user's.
"""

from __future__ import annotations

import copy
import json
from typing import Any

SENSITIVE = "(sensitive)"  # as the text and markdown plans show it
SENSITIVE_FIELDS = frozenset({"birth_date"})
CONTACT_FIELD = "contact"
# The keys of a contact that say nothing about the person; every other key (value, comment,
# and what GET adds, such as contact_value) is hidden.
CONTACT_PUBLIC_KEYS = frozenset({"type", "kind", "preferred", "verified", "need_verification"})


def redact_plan_json(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of plan JSON (planfile.plan_to_json) with personal values replaced by
    "(sensitive)"; a null stays null (it shows a value being added or cleared, not what)."""
    redacted = copy.deepcopy(data)
    for change in redacted.get("changes") or []:
        body = change.get("body")
        if isinstance(body, dict):
            _redact_fields(body)
        diff = change.get("diff")
        if isinstance(diff, dict):
            for name, sides in diff.items():
                if isinstance(sides, dict):
                    for side in ("old", "new"):
                        if side in sides:
                            sides[side] = redact_field(name, sides[side])
    redacted["redacted"] = True
    return redacted


def redact_field(name: str, value: Any) -> Any:
    """One top-level resume field's value with its personal parts hidden."""
    if value is None:
        return None
    if name in SENSITIVE_FIELDS:
        return SENSITIVE
    if name == CONTACT_FIELD and isinstance(value, list):
        return [_redact_contact(item) for item in value]
    return value


def _redact_fields(fields: dict[str, Any]) -> None:
    for name in list(fields):
        fields[name] = redact_field(name, fields[name])


def _redact_contact(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    return {
        key: (value if key in CONTACT_PUBLIC_KEYS or value is None else SENSITIVE)
        for key, value in item.items()
    }


def printed_plan_json(plan: Any, *, show_sensitive: bool = False) -> dict[str, Any]:
    """The plan JSON that `plan --format json` prints: redacted unless `show_sensitive`, with
    a checksum over what is printed (a redacted plan is still refused by apply)."""
    from resumesync.planfile import checksum, plan_to_json

    data = plan_to_json(plan)
    if show_sensitive:
        return data
    data = redact_plan_json(data)
    data["checksum"] = checksum(data)
    return data


def dump_printed_plan(plan: Any, *, show_sensitive: bool = False) -> str:
    return json.dumps(
        printed_plan_json(plan, show_sensitive=show_sensitive), indent=2, ensure_ascii=False
    )
