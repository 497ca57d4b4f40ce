"""Reading inside the repository, writing without following links.

Repository content is untrusted (a pull request can change any file, including symlinks), so:

- `read_confined(root, path)` reads a regular file whose *real* path (every symlink resolved)
  lies under the real path of `root`, and at most `limit` bytes of it;
- `atomic_write(path, data)` writes a new file next to the destination and renames it into
  place: a reader never sees half a file, a symlink at the destination is refused (never
  followed, never chmodded), and with `root` no directory between root and the destination may
  be a symlink either (a symlinked `.resumesync/` cannot redirect the sandbox's state).

Every refusal is an UnsafePathError whose message names the path relative to the root when
there is one; callers put it at the line that named the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

# The largest file any reader takes by default: resume files are a few kilobytes, a long
# visibility.yaml a few hundred.
DEFAULT_READ_LIMIT = 4 * 1024 * 1024


class UnsafePathError(OSError):
    """A path outside the root, through a symlink, not a regular file, or too large.
    An OSError, so that a caller handling "cannot write the file" handles this too."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def confine(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """The real path of `path` (relative to the working directory, or absolute); an
    UnsafePathError unless it lies under the real path of `root`."""
    real_root = _real(Path(root))
    try:
        real = _real(Path(path))
    except (OSError, ValueError) as error:  # a symlink loop, a NUL byte in the name
        raise UnsafePathError(f"cannot resolve {os.fspath(path)!r}: {error}") from None
    if real != real_root and real_root not in real.parents:
        raise UnsafePathError(
            f"{_shown(root, path)} is outside the repository ({real}): "
            "files are only read from inside it"
        )
    return real


def read_confined(
    root: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    limit: int = DEFAULT_READ_LIMIT,
) -> bytes:
    """The bytes of the regular file `path`, confined to `root`, at most `limit` of them.

    OSError when the file cannot be read; UnsafePathError when it is outside, not a regular
    file (a FIFO would block, /dev/zero never ends), or larger than `limit`.
    """
    real = confine(root, path)
    # O_NOFOLLOW: the real path has no link left, unless one was swapped in since resolving.
    # O_NONBLOCK: opening a FIFO must not hang before fstat can refuse it.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(real, flags)
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", -1):
            raise UnsafePathError(f"{_shown(root, path)} changed into a symlink") from None
        raise
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise UnsafePathError(f"{_shown(root, path)} is not a regular file")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnsafePathError(f"{_shown(root, path)} is larger than {_size(limit)}: not read")
    return data


def check_writable(
    path: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None
) -> Path:
    """The destination, checked before any work is done: its directory exists, and neither it
    nor (with `root`) a directory between root and it is a symlink. UnsafePathError otherwise
    (also for a missing directory: say so before planning, not after)."""
    target = Path(path)
    _refuse_links(target, root)
    parent = target.parent
    if not parent.is_dir():
        raise UnsafePathError(f"{_shown(root, parent)}: no such directory")
    return target


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int = 0o644,
    root: str | os.PathLike[str] | None = None,
    make_parents: bool = False,
    keep_mode: bool = False,
    durable: bool = False,
) -> None:
    """Write `data` (str is UTF-8) to `path` as a new file with `mode`, renamed into place.

    Refuses (UnsafePathError) a symlink at the destination or, with `root`, any symlinked
    directory between root and the destination. `make_parents` creates missing directories
    (each one checked the same way). The mode is exact: the umask does not widen or narrow it;
    with `keep_mode` an existing file keeps its own (a user's file edited in place).
    `durable` flushes the data to disk before the rename (records that must survive a crash).
    """
    target = Path(path)
    _refuse_links(target, root)
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(os.lstat(target).st_mode)
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
        _refuse_links(target, root)  # a link could have been made in the meantime
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(payload)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, target)  # replaces a link by the file, never writes through it
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _refuse_links(target: Path, root: str | os.PathLike[str] | None) -> None:
    if target.is_symlink():
        raise UnsafePathError(f"{_shown(root, target)} is a symlink: not written through it")
    if target.exists() and not target.is_file():
        raise UnsafePathError(f"{_shown(root, target)} exists and is not a regular file")
    if root is None:
        return
    base = Path(root)
    try:
        relative = Path(os.path.relpath(target.parent, base))
    except ValueError:  # another drive (Windows)
        raise UnsafePathError(f"{target} is outside {base}") from None
    if relative.parts[:1] == ("..",):
        raise UnsafePathError(f"{target} is outside {base}")
    current = base
    for part in relative.parts:
        if part == ".":
            continue
        current = current / part
        if current.is_symlink():
            raise UnsafePathError(f"{_shown(root, current)} is a symlink: not written through it")


def _shown(root: str | os.PathLike[str] | None, path: str | os.PathLike[str]) -> str:
    """`path` relative to `root` when it lies under it (as messages show files)."""
    if root is None:
        return os.fspath(path)
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return Path(relative).as_posix()


def _size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"
