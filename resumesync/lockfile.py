"""`resumesync.lock` on disk: read at load, written atomically by apply after each upload."""

from __future__ import annotations

from pathlib import Path

from resumesync.artifacts import LOCK_FILE, LockEntry, dump_lock, parse_lock
from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError
from resumesync.safefs import atomic_write

MAX_BYTES = 4 * 1024 * 1024  # thousands of entries; a larger file is not ours


def lock_path(root: Path) -> Path:
    return Path(root) / LOCK_FILE


def read_lock(root: Path) -> dict[str, LockEntry]:
    """The lock's entries ({} without a lock file); ProblemsError for a broken one."""
    path = lock_path(root)
    if not path.exists():
        return {}
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise ValueError("not a regular file of a sane size")
        return parse_lock(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ProblemsError(
            [
                Problem(
                    f"cannot read the lock file ({error}); restore it from git, or delete it "
                    "(images are then uploaded again)",
                    Location(LOCK_FILE, 1),
                )
            ]
        ) from None


def add_lock_entry(root: Path, entry: LockEntry) -> None:
    """Adds one entry, keeping the others (read again: another upload may have written)."""
    try:
        entries = read_lock(root)
    except ProblemsError:
        entries = {}
    entries[entry.key] = entry
    atomic_write(lock_path(root), dump_lock(entries), keep_mode=True, durable=True, root=root)
