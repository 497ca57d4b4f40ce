"""The id line of a created resume (create): `insert_id_line` / `remove_id_line` add or take
out one `id:` line and move nothing else, so `git diff` shows exactly that line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from resumesync.safefs import UnsafePathError, atomic_write

_BOM = b"\xef\xbb\xbf"
_PLAIN_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")
_TOP_LEVEL_KEY = re.compile(r"[^\s#\-\[{%][^\n]*?:(\s|$)|[^\s#\-\[{%]\S*:$")


class IdWriteError(Exception):
    """The id could not be written into the file; the message says which line to add."""


def id_line(resume_id: str) -> str:
    """`id: 0123abcd`, quoted when YAML would read the plain text as something else."""
    if _PLAIN_ID.fullmatch(resume_id) and yaml.safe_load(f"id: {resume_id}") == {"id": resume_id}:
        return f"id: {resume_id}"
    return "id: " + _double_quoted(resume_id)


def _double_quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def with_id_line(content: bytes, resume_id: str) -> bytes:
    """`content` (a resume file) with an `id:` line inserted before its first top-level key.

    Raises IdWriteError when the file is not a block mapping this can edit safely, or
    already names another id. Returns `content` unchanged when it already has this id.
    """
    bom = _BOM if content.startswith(_BOM) else b""
    try:
        text = content[len(bom) :].decode("utf-8")
        before = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError):
        raise IdWriteError("the file is not readable YAML any more") from None
    if before is None:
        before = {}
    if not isinstance(before, dict):
        raise IdWriteError("the file is not a mapping of fields")
    if "id" in before:
        if before["id"] == resume_id:
            return content
        raise IdWriteError("the file has another `id` already")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    at = _first_key_line(lines)
    line = id_line(resume_id) + newline
    if at is None:  # no key at all: the id is the file's only content
        if lines and not lines[-1].endswith(("\n", "\r")):
            raise IdWriteError("the file does not end with a line break")
        at = len(lines)
    result = "".join([*lines[:at], line, *lines[at:]])
    after = _load(result)
    expected: dict[str, Any] = {"id": resume_id, **before}
    if after != expected:
        raise IdWriteError("the file's layout is not one an `id:` line can be added to safely")
    return bom + result.encode("utf-8")


def _first_key_line(lines: list[str]) -> int | None:
    """The index of the first top-level key (a line starting in column 0), after the leading
    comments, blank lines, directives and `---`; None when the file has no key."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or line.startswith("%"):
            continue
        if stripped == "---" or line.startswith("--- "):
            continue
        if line[0].isspace() or not _TOP_LEVEL_KEY.match(line.rstrip("\r\n")):
            raise IdWriteError("the file does not start with a `key: value` line")
        return index
    return None


def _load(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def insert_id_line(path: Path, resume_id: str) -> bool:
    """Writes the `id:` line into the resume file at `path` (atomically, never through a
    symlink); False when the file had this id already. Raises IdWriteError or OSError."""
    content = Path(path).read_bytes()
    updated = with_id_line(content, resume_id)
    if updated == content:
        return False
    _replace(Path(path), updated)
    return True


def _replace(path: Path, content: bytes) -> None:
    """Atomically, never through a symlink, with the file's own permission bits."""
    try:
        atomic_write(path, content, keep_mode=True, durable=True)
    except UnsafePathError as error:
        raise IdWriteError(str(error)) from None


def without_id_line(content: bytes, resume_id: str) -> bytes:
    """`content` without its top-level `id:` line naming `resume_id` (the inverse of
    with_id_line, for `sandbox --reset`); unchanged when the file names another id or the
    line cannot be taken out cleanly."""
    bom = _BOM if content.startswith(_BOM) else b""
    try:
        text = content[len(bom) :].decode("utf-8")
    except UnicodeDecodeError:
        return content
    before = _load(text)
    if not isinstance(before, dict) or before.get("id") != resume_id:
        return content
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.rstrip("\r\n").split("#")[0].rstrip() in (
            id_line(resume_id),
            f"id: {resume_id}",
            f"id: {_double_quoted(resume_id)}",
        ):
            rest = "".join(lines[:index] + lines[index + 1 :])
            expected = {key: value for key, value in before.items() if key != "id"}
            if (_load(rest) or {}) == expected:
                return bom + rest.encode("utf-8")
    return content


def remove_id_line(path: Path, resume_id: str) -> bool:
    """Takes the `id:` line of `resume_id` out of the file at `path`; True if it did."""
    content = Path(path).read_bytes()
    updated = without_id_line(content, resume_id)
    if updated == content:
        return False
    _replace(Path(path), updated)
    return True
