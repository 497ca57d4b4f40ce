"""Atomic file writes: a temporary file next to the target, then os.replace.

A reader (or a crash) sees the old file or the new one, never half of one. A target that is
a symlink is refused: repository content is untrusted, and a link could point a write at any
file of the user. (Engineer `security` lands the shared helper; this module is to be folded
into it.)
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class UnsafeWriteError(OSError):
    """The target is a symlink or not a regular file: nothing was written."""


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replaces `path` with `data` atomically; an existing file keeps its permission bits."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            raise UnsafeWriteError(f"{path}: not a regular file (a symlink?): not written")
        mode = stat.S_IMODE(info.st_mode)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
