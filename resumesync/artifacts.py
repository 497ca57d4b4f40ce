"""Local images for photos and portfolios: content hashes, types, and the lock file's entries.

Pure functions (no I/O): lockfile.py reads and writes `resumesync.lock`, files/images.py reads the
images, imageplan.py plans the uploads.

`resumesync.lock` (committed, at the repository root) maps each uploaded image's content to
the artifact it became on the account:

    {"version": 1,
     "artifacts": {"photo:<sha256>": {"id": "92278992", "file": "resumes/images/me.png"}}}

The key is the artifact type and the sha256 of the bytes: the same content under two names is
one upload, and a renamed file is not uploaded again. `file` is where the image was first
found, for humans.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from resumesync.model import Location

LOCK_FILE = "resumesync.lock"
# hh.ru takes images up to a few MB (artifact conditions); a larger file is not read whole.
MAX_IMAGE_BYTES = 32 * 1024 * 1024
LOCK_VERSION = 1
ARTIFACT_TYPES = ("photo", "portfolio")
PENDING_PREFIX = "upload:"

# The formats the site takes (artifact conditions list these mime types), by signature.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"8BPS", "image/psd"),
)


def image_type(content: bytes) -> str | None:
    """The mime type of an image by its first bytes; None for anything else."""
    for signature, mime in SIGNATURES:
        if content.startswith(signature):
            return mime
    return None


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def lock_key(artifact_type: str, sha256: str) -> str:
    return f"{artifact_type}:{sha256}"


def pending_artifact_id(artifact_type: str, sha256: str) -> str:
    """The stand-in id of an image that the apply uploads; the applier replaces it."""
    return PENDING_PREFIX + lock_key(artifact_type, sha256)


def is_pending_artifact(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PENDING_PREFIX)


@dataclass(frozen=True)
class LocalImage:
    """One `{file: ...}` of a resume file, read and hashed."""

    artifact_type: str  # photo | portfolio
    file: str  # relative to the repository root
    sha256: str
    size: int
    mime: str
    location: Location  # the `file:` line
    index: int | None = None  # the position in `portfolio`
    description: str | None = None  # portfolio only

    @property
    def key(self) -> str:
        return lock_key(self.artifact_type, self.sha256)


@dataclass(frozen=True)
class LockEntry:
    artifact_type: str
    sha256: str
    artifact_id: str
    file: str = ""

    @property
    def key(self) -> str:
        return lock_key(self.artifact_type, self.sha256)


@dataclass(frozen=True)
class UploadIntent:
    """What an apply wrote in `.resumesync/` just before it POSTed an image (upload_intents.py):
    enough to recognise the artifact on the next run if the apply died before resumesync.lock
    had it. The artifact list shows no hash and no file name (artifacts.ru.md: id, state,
    image URLs, and for portfolio the description), so the record keeps what can be matched:
    the type, the description sent, and the account's artifacts of that type before the POST;
    once the POST answers, the new artifact's id itself."""

    artifact_type: str
    sha256: str
    file: str = ""
    description: str | None = None  # portfolio: the description the POST sent
    known_ids: tuple[str, ...] = ()  # the account's artifacts of this type before the POST
    artifact_id: str = ""  # the POST's answer, once it came (processing may not be over)
    api: str = ""

    @property
    def key(self) -> str:
        return lock_key(self.artifact_type, self.sha256)


def parse_lock(text: str) -> dict[str, LockEntry]:
    """The entries of a lock file's text; ValueError with a reason for anything else."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
        raise ValueError(f"not a version {LOCK_VERSION} lock file")
    items = data.get("artifacts")
    if not isinstance(items, dict):
        raise ValueError("`artifacts` must be a mapping")
    entries: dict[str, LockEntry] = {}
    for key, item in items.items():
        artifact_type, _, sha256 = str(key).partition(":")
        if (
            artifact_type not in ARTIFACT_TYPES
            or len(sha256) != 64
            or not all(c in "0123456789abcdef" for c in sha256)
            or not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not item["id"]
        ):
            raise ValueError(f"invalid entry {key!r}")
        file = item.get("file")
        entries[key] = LockEntry(
            artifact_type, sha256, item["id"], file if isinstance(file, str) else ""
        )
    return entries


def dump_lock(entries: dict[str, LockEntry]) -> str:
    """The lock file's text: sorted keys, so that a new entry is a one-line diff."""
    data = {
        "version": LOCK_VERSION,
        "artifacts": {
            key: {"id": entry.artifact_id, "file": entry.file}
            for key, entry in sorted(entries.items())
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def human_size(size: int) -> str:
    """412 KB, 1.5 MB: for plan lines."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
