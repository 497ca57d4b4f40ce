"""The intent record of resume creation: `.resumesync/creating.json` (git-ignored).

Just before `POST /resumes`, apply records which file's resume it is about to create, the
title the new resume will have and the account's resume ids at that moment; right after the
new id is written into the file, the record is removed. A record still there on the next run
means the apply died in between: the plan then adopts the resume the account gained since
(same title) instead of creating another (see creations.py).

In CI the directory does not survive between runs; there the plan refuses to create a
resume while an unmanaged resume with the same title is on the account (creations.py).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from resumesync.localstate import read_records, state_path, write_records
from resumesync.model import CreateIntent

INTENTS_FILE = "creating.json"
SECTION = "creating"


def intents_path(root: Path) -> Path:
    return state_path(root, INTENTS_FILE)


def read_intents(root: Path) -> dict[str, CreateIntent]:
    """The records left by interrupted applies; a missing or unreadable file is no record."""
    found: dict[str, CreateIntent] = {}
    for key, item in read_records(root, INTENTS_FILE, SECTION).items():
        intent = _intent(key, item)
        if intent is not None:
            found[key] = intent
    return found


def _intent(key: Any, item: Any) -> CreateIntent | None:
    if not isinstance(key, str) or not isinstance(item, dict):
        return None
    title, known, api = item.get("title"), item.get("known_ids"), item.get("api", "")
    if not isinstance(title, str) or not isinstance(known, list) or not isinstance(api, str):
        return None
    if not all(isinstance(resume_id, str) for resume_id in known):
        return None
    return CreateIntent(key=key, title=title, known_ids=tuple(known), api=api)


def record_intent(root: Path, intent: CreateIntent) -> None:
    """Adds (or replaces) the record of one file's creation, atomically."""
    intents = read_intents(root)
    intents[intent.key] = intent
    _write(root, intents)


def clear_intent(root: Path, key: str) -> None:
    intents = read_intents(root)
    if intents.pop(key, None) is not None:
        _write(root, intents)


def _write(root: Path, intents: dict[str, CreateIntent]) -> None:
    records = {
        key: {name: value for name, value in asdict(intent).items() if name != "key"}
        for key, intent in sorted(intents.items())
    }
    for item in records.values():
        item["known_ids"] = list(item["known_ids"])
    write_records(root, INTENTS_FILE, SECTION, records)
