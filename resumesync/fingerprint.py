"""A fingerprint of the live state a plan was computed from.

`apply plan.json` re-reads the live state and refuses a plan whose fingerprint differs ("the plan
is stale"). The fingerprint covers what the planner reads and nothing that moves on its own: view
counters, timestamps of the last edit and expiring URLs would make every saved plan stale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from resumesync.model import LiveState

# Keys of a resume document that change without anyone editing the resume.
VOLATILE_KEYS: frozenset[str] = frozenset(
    {
        "total_views",
        "new_views",
        "views_url",
        "updated_at",
        "age",  # moves on a birthday
        "similar_vacancies",  # counters
        "paid_services",  # expiry timestamps
        "download",  # converter links
        "negotiations_history",
        "owner",
        # Links to the API itself: they name the host the state was read through (the
        # sandbox's port changes every run), not anything of the resume.
        "url",
        "publish_url",
    }
)

# Image objects whose `small` / `medium` URLs expire.
_IMAGE_KEYS: tuple[str, ...] = ("photo", "portfolio")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal data, equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(live: LiveState) -> str:
    """The fingerprint of `live`: sha256 over a canonical JSON of what the planner reads."""
    resumes = {}
    for resume_id, resume in live.resumes.items():
        resumes[resume_id] = {
            "document": _stable_document(resume.document),
            "lists": {
                kind: {"employers": sorted(lst.employers), "can_add": lst.can_add}
                for kind, lst in resume.lists.items()
            },
        }
    data = {
        "api_url": live.api_url.rstrip("/"),
        "resumes": resumes,
        "account": sorted(summary.resume_id for summary in live.account),
    }
    return sha256(canonical_json(data))


def _stable_document(document: dict[str, Any]) -> dict[str, Any]:
    stable = {key: value for key, value in document.items() if key not in VOLATILE_KEYS}
    for key in _IMAGE_KEYS:
        if key in stable:
            stable[key] = _without_urls(stable[key])
    return stable


def _without_urls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key not in ("small", "medium")}
    if isinstance(value, list):
        return [_without_urls(item) for item in value]
    return value
