"""artifacts.py: image types, hashes and the lock file's entries (pure functions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.artifacts import (
    LockEntry,
    dump_lock,
    human_size,
    image_type,
    is_pending_artifact,
    lock_key,
    parse_lock,
    pending_artifact_id,
    sha256_hex,
)


def test_image_types_by_signature() -> None:
    assert image_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert image_type(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    assert image_type(b"8BPS....") == "image/psd"
    assert image_type(b"GIF89a") is None


def test_stand_in_ids_of_uploads() -> None:
    pending = pending_artifact_id("photo", "ab" * 32)
    assert pending == "upload:photo:" + "ab" * 32 and is_pending_artifact(pending)
    assert not is_pending_artifact("92278992")


def test_sizes_for_plan_lines() -> None:
    assert [human_size(n) for n in (725, 412 * 1024, 6 * 1024 * 1024)] == [
        "725 B",
        "412 KB",
        "6.0 MB",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '{"version": 2, "artifacts": {}}',
        '{"version": 1, "artifacts": {"avatar:' + "0" * 64 + '": {"id": "1"}}}',
        '{"version": 1, "artifacts": {"photo:xyz": {"id": "1"}}}',
        '{"version": 1, "artifacts": {"photo:' + "0" * 64 + '": {"id": ""}}}',
    ],
)
def test_broken_lock_files_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_lock(text)


entries = st.builds(
    LockEntry,
    artifact_type=st.sampled_from(["photo", "portfolio"]),
    sha256=st.binary(max_size=8).map(sha256_hex),
    artifact_id=st.from_regex(r"[0-9]{1,10}", fullmatch=True),
    file=st.text(max_size=20),
)


@settings(derandomize=True, max_examples=100)
@given(st.lists(entries, max_size=6))
def test_the_lock_round_trips_and_is_sorted(items: list[LockEntry]) -> None:
    lock = {entry.key: entry for entry in items}
    text = dump_lock(lock)
    assert parse_lock(text) == lock
    assert text == dump_lock(dict(reversed(list(lock.items()))))  # order-independent text
    assert all(entry.key == lock_key(entry.artifact_type, entry.sha256) for entry in items)
