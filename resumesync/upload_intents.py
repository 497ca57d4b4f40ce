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

from pathlib import Path
from typing import Any

from resumesync.artifacts import ARTIFACT_TYPES, UploadIntent, lock_key
from resumesync.localstate import read_records, state_path, write_records

UPLOADS_FILE = "uploading.json"
SECTION = "uploading"


def upload_intents_path(root: Path) -> Path:
    return state_path(root, UPLOADS_FILE)


def read_upload_intents(root: Path) -> dict[str, UploadIntent]:
    """The records left by interrupted uploads, by lock key ("type:sha256"); a missing or
    unreadable file is no record (the worst case is then one upload too many, as before)."""
    found: dict[str, UploadIntent] = {}
    for key, item in read_records(root, UPLOADS_FILE, SECTION).items():
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
    records = {
        key: {
            "file": intent.file,
            "description": intent.description,
            "known_ids": list(intent.known_ids),
            "artifact_id": intent.artifact_id,
            "api": intent.api,
        }
        for key, intent in sorted(intents.items())
    }
    write_records(root, UPLOADS_FILE, SECTION, records)
