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

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from resumesync.model import CreateIntent
from resumesync.safefs import atomic_write

STATE_DIR = ".resumesync"
INTENTS_FILE = "creating.json"
MAX_BYTES = 1024 * 1024  # a record is a few hundred bytes; anything larger is not ours


def intents_path(root: Path) -> Path:
    return Path(root) / STATE_DIR / INTENTS_FILE


def read_intents(root: Path) -> dict[str, CreateIntent]:
    """The records left by interrupted applies; a missing or unreadable file is no record."""
    path = intents_path(root)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, CreateIntent] = {}
    items = data.get("creating") if isinstance(data, dict) else None
    for key, item in (items or {}).items() if isinstance(items, dict) else ():
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
    path = intents_path(root)
    if not intents:
        path.unlink(missing_ok=True)  # nothing in flight: no record at all
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():  # local state, never committed
        ignore.write_text("*\n", encoding="utf-8")
    data = {
        "creating": {
            key: {name: value for name, value in asdict(intent).items() if name != "key"}
            for key, intent in sorted(intents.items())
        }
    }
    for item in data["creating"].values():
        item["known_ids"] = list(item["known_ids"])
    atomic_write(
        path,
        json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        keep_mode=True,
        durable=True,
        root=root,
    )
