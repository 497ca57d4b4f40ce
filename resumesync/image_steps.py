"""The image changes of an apply: uploads, adoptions of interrupted uploads, descriptions.

An upload is crash-safe like a resume's creation (writeback.py, upload_intents.py):

    before the POST     .resumesync/uploading.json records the intent: the image, and the
                        account's artifacts of its type that exist before it
    the POST answers    the record gains the new artifact's id
    `ok`                resumesync.lock gets the entry, then the record is removed

A crash anywhere in between leaves the record, and the next plan adopts the artifact
(`adopt_upload`, imageplan.py) instead of uploading the image again. So that a record's
"artifacts before it" are exact, the POSTs of one type go out one at a time (each record
knows every artifact the ones before it made), and none follows one whose outcome is unknown
(no answer): that one's record is then the only one that can claim the artifacts the account
gained. Waiting for `ok` overlaps.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Protocol

from resumesync.apply_errors import ImageError, LocalWriteError, RefusedCallError
from resumesync.artifacts import image_type, pending_artifact_id
from resumesync.client import ApiError, HaltedError, HHClient
from resumesync.model import Change, Plan

_ARTIFACT_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_ARTIFACT_PATH = re.compile(r"/artifacts/([0-9A-Za-z_-]{1,64})")


class ImageHooks(Protocol):
    """What happens in the repository around an image's upload (writeback.RepositoryHooks).
    OSError from `before_upload` means no POST."""

    def read_image(self, change: Change) -> bytes:
        """The bytes of an upload's image, checked against the plan's sha256 (OSError,
        ValueError when the file is gone or changed)."""
        ...

    def before_upload(self, change: Change, known_ids: tuple[str, ...]) -> None:
        """Records the intent to upload (the account's artifacts of the type: `known_ids`)."""
        ...

    def upload_answered(self, change: Change, artifact_id: str) -> None:
        """The POST made `artifact_id` (still processing, perhaps): the record says so."""
        ...

    def upload_abandoned(self, change: Change) -> None:
        """The upload made nothing usable (refused, or `failed`): the record goes."""
        ...

    def uploaded(self, change: Change, artifact_id: str) -> None:
        """An image is `ok` on hh.ru as `artifact_id`: resumesync.lock records it (and the
        record goes)."""
        ...


class ImageSteps:
    """Runs one apply's image changes; `uploads` then maps each image's stand-in id
    (`upload:TYPE:SHA256`) to its artifact, for the resume changes that show it."""

    def __init__(self, client: HHClient, plan: Plan, hooks: ImageHooks | None) -> None:
        self._client = client
        self._hooks = hooks
        self._known = {kind: list(ids) for kind, ids in plan.artifact_ids.items()}
        self._posting: dict[str, asyncio.Lock] = {}  # one POST of a type at a time
        # types whose last POST may or may not have made an artifact: a later record of that
        # type could not list it among the artifacts before it, so no more POSTs of the type
        self._uncertain: set[str] = set()
        self.uploads: dict[str, str] = {}
        self.uploaded: list[tuple[str, str, str]] = []  # (file, type, artifact id)

    async def upload(self, change: Change) -> None:
        where = _where(change)
        hooks = self._require_hooks(change)
        try:
            content = hooks.read_image(change)
        except (OSError, ValueError) as error:
            raise ImageError(f"{where}{error}") from None
        kind = change.artifact_type or "photo"
        description = (change.body or {}).get("description")
        lock = self._posting.setdefault(kind, asyncio.Lock())
        async with lock:
            if kind in self._uncertain:
                raise ImageError(
                    f"{where}{change.file} was not uploaded: an earlier {kind} upload of this "
                    "apply got no answer, and hh.ru may have it; run apply again (it adopts "
                    "that one)"
                )
            known = self._known.setdefault(kind, [])
            try:
                hooks.before_upload(change, tuple(known))
            except OSError as error:
                raise LocalWriteError(f"cannot record the upload: {error}") from None
            try:
                item = await self._client.upload_artifact(
                    kind,
                    content,
                    filename=(change.file or "image").rsplit("/", 1)[-1],
                    mime=image_type(content) or "application/octet-stream",
                    description=description if isinstance(description, str) else None,
                )
            except HaltedError:
                self._abandon(change)  # interrupted before it was sent: nothing was made
                raise
            except ApiError as error:
                if 400 <= error.status < 500:  # refused: nothing was made
                    self._abandon(change)
                else:
                    self._uncertain.add(kind)
                raise  # anything else may have made it: the record stays for the next plan
            except BaseException:
                self._uncertain.add(kind)  # a lost answer, or cancelled in flight
                raise
            artifact_id = str(item.get("id") or "")
            if not _ARTIFACT_ID.fullmatch(artifact_id):
                self._uncertain.add(kind)
                raise ImageError(f"{where}the server's answer to the upload names no valid id")
            known.append(artifact_id)
            # a record without the id still leads the next plan to the new artifact
            with contextlib.suppress(OSError):
                hooks.upload_answered(change, artifact_id)
        state = (item.get("state") or {}).get("id")
        await self._ready(change, artifact_id, state)

    async def adopt(self, change: Change) -> None:
        """An interrupted apply's upload of this image: wait for `ok`, then lock it."""
        self._require_hooks(change)
        match = _ARTIFACT_PATH.fullmatch(change.path)
        if match is None:
            raise RefusedCallError(f"adopt_upload {change.resume}: not an artifact")
        await self._ready(change, match.group(1), None)

    async def describe(self, change: Change) -> None:
        match = _ARTIFACT_PATH.fullmatch(change.path)
        if match is None:
            raise RefusedCallError(f"describe {change.resume}: not an artifact: not sent")
        description = str((change.body or {}).get("description"))
        await self._client.describe_artifact(match.group(1), description)

    async def _ready(self, change: Change, artifact_id: str, state: str | None) -> None:
        where = _where(change)
        kind = change.artifact_type or "photo"
        if state != "ok":
            state = await self._client.wait_for_artifact(kind, artifact_id)
        if state == "failed":
            self._abandon(change)  # unusable: the next run uploads the image again
            raise ImageError(
                f"{where}hh.ru could not process {change.file} (state `failed`: most likely "
                "a format it does not support)"
            )
        if state != "ok":
            raise ImageError(
                f"{where}{change.file} is still being processed by hh.ru (state `{state}`); "
                "run apply again later"
            )
        self.uploads[pending_artifact_id(kind, change.sha256 or "")] = artifact_id
        self.uploaded.append((change.file or "", kind, artifact_id))
        try:
            self._require_hooks(change).uploaded(change, artifact_id)
        except OSError as error:
            raise LocalWriteError(f"uploaded as {artifact_id}, but the lock: {error}") from None

    def _abandon(self, change: Change) -> None:
        # a stale record matches no new artifact: at worst a notice later
        with contextlib.suppress(OSError):
            self._require_hooks(change).upload_abandoned(change)

    def _require_hooks(self, change: Change) -> ImageHooks:
        if self._hooks is None:
            raise ImageError(f"{_where(change)}no repository to read {change.file} from")
        return self._hooks


def _where(change: Change) -> str:
    """The image's `file:` line (an upload's or adoption's `reason`), as errors start."""
    return f"{change.reason}: " if change.reason else ""
