"""The intent records of image uploads: `.resumesync/uploading.json` (git-ignored).

Just before `POST /artifacts`, apply records the image it is about to upload (type, sha256,
the description it sends) and the account's artifacts of that type at that moment; when the
POST answers, the record gains the new artifact's id; once the artifact is `ok` and in
resumesync.lock, the record is removed. A record still there on the next run means the apply
died (or gave up waiting for processing) in between: the plan then adopts the artifact the
account gained (imageplan.adopted_artifact) instead of uploading the image again.

In CI the directory does not survive between runs: a job killed between the POST and the
lock write leaves one artifact that no lock names (never deleted; README says so).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resumesync.artifacts import ARTIFACT_TYPES, UploadIntent, lock_key
from resumesync.intents import STATE_DIR
from resumesync.safefs import atomic_write

UPLOADS_FILE = "uploading.json"
MAX_BYTES = 1024 * 1024  # a record is a few hundred bytes; anything larger is not ours


def upload_intents_path(root: Path) -> Path:
    return Path(root) / STATE_DIR / UPLOADS_FILE


def read_upload_intents(root: Path) -> dict[str, UploadIntent]:
    """The records left by interrupted uploads, by lock key ("type:sha256"); a missing or
    unreadable file is no record (the worst case is then one upload too many, as before)."""
    path = upload_intents_path(root)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    items = data.get("uploading") if isinstance(data, dict) else None
    found: dict[str, UploadIntent] = {}
    for key, item in items.items() if isinstance(items, dict) else ():
        intent = _intent(key, item)
        if intent is not None:
            found[intent.key] = intent
    return found


def _intent(key: Any, item: Any) -> UploadIntent | None:
    if not isinstance(key, str) or not isinstance(item, dict):
        return None
    artifact_type, _, sha256 = key.partition(":")
    known, description = item.get("known_ids"), item.get("description")
    texts = [item.get(name, "") for name in ("file", "artifact_id", "api")]
    if (
        artifact_type not in ARTIFACT_TYPES
        or len(sha256) != 64
        or not isinstance(known, list)
        or not all(isinstance(value, str) for value in [*known, *texts])
        or not (description is None or isinstance(description, str))
    ):
        return None
    file, artifact_id, api = texts
    return UploadIntent(
        artifact_type=artifact_type,
        sha256=sha256,
        file=file,
        description=description,
        known_ids=tuple(known),
        artifact_id=artifact_id,
        api=api,
    )


def record_upload_intent(root: Path, intent: UploadIntent) -> None:
    """Adds (or replaces) the record of one image's upload, atomically and durably: it must
    be on disk before the POST goes out."""
    intents = read_upload_intents(root)
    intents[intent.key] = intent
    _write(root, intents)


def clear_upload_intent(root: Path, artifact_type: str, sha256: str) -> None:
    intents = read_upload_intents(root)
    if intents.pop(lock_key(artifact_type, sha256), None) is not None:
        _write(root, intents)


def _write(root: Path, intents: dict[str, UploadIntent]) -> None:
    path = upload_intents_path(root)
    if not intents:
        path.unlink(missing_ok=True)  # nothing in flight: no record at all
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():  # local state, never committed
        ignore.write_text("*\n", encoding="utf-8")
    data = {
        "uploading": {
            key: {
                "file": intent.file,
                "description": intent.description,
                "known_ids": list(intent.known_ids),
                "artifact_id": intent.artifact_id,
                "api": intent.api,
            }
            for key, intent in sorted(intents.items())
        }
    }
    atomic_write(
        path,
        json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        keep_mode=True,
        durable=True,
        root=root,
    )
