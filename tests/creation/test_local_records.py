"""The intent records under `.resumesync/` (intents.py, upload_intents.py, localstate.py):
round trips, and no write through a link a repository could carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from resumesync.artifacts import UploadIntent
from resumesync.intents import clear_intent, read_intents, record_intent
from resumesync.model import CreateIntent
from resumesync.safefs import UnsafePathError
from resumesync.upload_intents import (
    clear_upload_intent,
    read_upload_intents,
    record_upload_intent,
)

CREATE = CreateIntent(key="backend", title="Python developer", known_ids=("a1", "b2"), api="x")
UPLOAD = UploadIntent(artifact_type="photo", sha256="ab" * 32, file="me.png", known_ids=("7",))


def test_both_records_round_trip_and_vanish_when_cleared(tmp_path: Path) -> None:
    record_intent(tmp_path, CREATE)
    record_upload_intent(tmp_path, UPLOAD)
    assert read_intents(tmp_path) == {"backend": CREATE}
    assert read_upload_intents(tmp_path) == {UPLOAD.key: UPLOAD}
    assert (tmp_path / ".resumesync" / ".gitignore").read_text() == "*\n"

    clear_intent(tmp_path, "backend")
    clear_upload_intent(tmp_path, "photo", "ab" * 32)
    assert read_intents(tmp_path) == {} and read_upload_intents(tmp_path) == {}
    assert sorted(path.name for path in (tmp_path / ".resumesync").iterdir()) == [".gitignore"]


@pytest.mark.parametrize(
    "record",
    [lambda root: record_intent(root, CREATE), lambda root: record_upload_intent(root, UPLOAD)],
    ids=["creation", "upload"],
)
def test_a_gitignore_link_in_the_repository_is_never_written_through(
    tmp_path: Path, record
) -> None:
    """A pull request can commit `.resumesync/.gitignore` as a link to a file that does not
    exist yet: writing the ignore file must not create that file."""
    repo, outside = tmp_path / "repo", tmp_path / "outside.txt"
    (repo / ".resumesync").mkdir(parents=True)
    (repo / ".resumesync" / ".gitignore").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        record(repo)
    assert not outside.exists()
