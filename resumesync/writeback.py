"""What apply writes into the repository around creating a resume or uploading an image
(applier.CreationHooks).

    before the POST   .resumesync/creating.json records the intent (intents.py)
    after the 201     the `id:` line goes into the resume file (yamlwrite/idline.py), then the
                      record is removed

A crash between the two leaves the record: the next plan adopts the new resume instead of
creating another (creations.adopt). Uploads likewise, with .resumesync/uploading.json and
resumesync.lock (image_steps.py, imageplan.adopted_artifact).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from resumesync.artifacts import MAX_IMAGE_BYTES, LockEntry, UploadIntent, lock_key, sha256_hex
from resumesync.intents import clear_intent, record_intent
from resumesync.lockfile import add_lock_entry
from resumesync.model import Change, CreateIntent
from resumesync.safefs import UnsafePathError, read_confined
from resumesync.upload_intents import (
    clear_upload_intent,
    read_upload_intents,
    record_upload_intent,
)


@dataclass(frozen=True)
class RepositoryHooks:
    root: Path  # the repository (profile) directory
    files: dict[str, str]  # resume key -> its file (from the files, never from a plan file)
    api: str = ""

    def before_create(self, change: Change, account_ids: tuple[str, ...]) -> None:
        intent = CreateIntent(
            key=change.resume, title=change.title or "", known_ids=account_ids, api=self.api
        )
        try:
            record_intent(self.root, intent)
        except UnsafePathError as error:
            raise OSError(str(error)) from None

    def created(self, change: Change, resume_id: str) -> None:
        self._write_id(change, resume_id)

    def adopted(self, change: Change) -> None:
        self._write_id(change, change.resume_id)

    def read_image(self, change: Change) -> bytes:
        """The image of an upload, from inside the repository only, as the plan hashed it."""
        if not change.file:
            raise ValueError("an upload without a file")
        try:
            content = read_confined(self.root, self.root / change.file, limit=MAX_IMAGE_BYTES)
        except UnsafePathError as error:
            raise ValueError(str(error)) from None
        if sha256_hex(content) != change.sha256:
            raise ValueError(f"{change.file} changed since the plan: run `resumesync plan` again")
        return content

    def before_upload(self, change: Change, known_ids: tuple[str, ...]) -> None:
        description = (change.body or {}).get("description")
        intent = UploadIntent(
            artifact_type=change.artifact_type or "",
            sha256=change.sha256 or "",
            file=change.file or "",
            description=description if isinstance(description, str) else None,
            known_ids=known_ids,
            api=self.api,
        )
        try:
            record_upload_intent(self.root, intent)
        except UnsafePathError as error:
            raise OSError(str(error)) from None

    def upload_answered(self, change: Change, artifact_id: str) -> None:
        intent = read_upload_intents(self.root).get(
            lock_key(change.artifact_type or "", change.sha256 or "")
        )
        if intent is None:
            return
        try:
            record_upload_intent(self.root, replace(intent, artifact_id=artifact_id))
        except UnsafePathError as error:
            raise OSError(str(error)) from None

    def upload_abandoned(self, change: Change) -> None:
        try:
            clear_upload_intent(self.root, change.artifact_type or "", change.sha256 or "")
        except UnsafePathError as error:
            raise OSError(str(error)) from None

    def uploaded(self, change: Change, artifact_id: str) -> None:
        """The lock entry, then (the upload is complete) its intent record goes."""
        entry = LockEntry(
            change.artifact_type or "", change.sha256 or "", artifact_id, change.file or ""
        )
        try:
            add_lock_entry(self.root, entry)
            clear_upload_intent(self.root, entry.artifact_type, entry.sha256)
        except UnsafePathError as error:
            raise OSError(str(error)) from None

    def _write_id(self, change: Change, resume_id: str) -> None:
        file = self.files.get(change.resume)
        if file is None:
            raise ValueError(f"no resume file has the key {change.resume}: the id was not written")
        # here, not at the top: ruamel.yaml (tens of ms) only when an id is written
        from resumesync.yamlwrite import IdWriteError, insert_id_line

        try:
            insert_id_line(self.root / file, resume_id)
        except IdWriteError as error:
            raise ValueError(f"{file}: the id was not written: {error}") from None
        try:
            clear_intent(self.root, change.resume)
        except UnsafePathError as error:
            raise ValueError(f"the id is in {file}, but the intent record: {error}") from None


def forget_ids(root: Path, resume_ids: set[str]) -> list[str]:
    """Takes the `id:` lines naming `resume_ids` out of the resume files of `root` (for
    `sandbox --reset`: the resumes the sandbox created are gone, their files are to be
    created again); the files changed, relative to `root`."""
    from resumesync.files import RESUME_SUFFIXES, RESUMES_DIR
    from resumesync.yamlwrite import remove_id_line

    changed = []
    directory = Path(root) / RESUMES_DIR
    if not resume_ids or not directory.is_dir():
        return changed
    for path in sorted(directory.iterdir()):
        if path.suffix not in RESUME_SUFFIXES or path.is_symlink() or not path.is_file():
            continue
        for resume_id in resume_ids:
            if remove_id_line(path, resume_id):
                changed.append(f"{RESUMES_DIR}/{path.name}")
                break
    return changed
