"""Records of this machine's runs under `.resumesync/` (git-ignored): the intents of resume
creation and of image uploads. Each file is one JSON object holding one section of records by
key; a missing, oversized or unreadable file is no record (the worst case is then one
creation or upload too many, which the plan's checks bound)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resumesync.safefs import atomic_write

STATE_DIR = ".resumesync"
MAX_BYTES = 1024 * 1024  # a record is a few hundred bytes; anything larger is not ours


def state_path(root: Path, name: str) -> Path:
    return Path(root) / STATE_DIR / name


def read_records(root: Path, name: str, section: str) -> dict[Any, Any]:
    """The `section` object of `.resumesync/NAME`, unchecked (the caller checks each item)."""
    path = state_path(root, name)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    items = data.get(section) if isinstance(data, dict) else None
    return items if isinstance(items, dict) else {}


def write_records(root: Path, name: str, section: str, records: dict[str, Any]) -> None:
    """Replaces `.resumesync/NAME` with `{section: records}`, atomically and durably (it must
    be on disk before the request it announces goes out); no records: no file at all."""
    path = state_path(root, name)
    if not records:
        path.unlink(missing_ok=True)
        return
    ignore = path.parent / ".gitignore"
    if not ignore.exists():  # local state, never committed; never written through a link
        atomic_write(ignore, "*\n", root=root, make_parents=True)
    text = json.dumps({section: records}, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text, keep_mode=True, durable=True, root=root)
