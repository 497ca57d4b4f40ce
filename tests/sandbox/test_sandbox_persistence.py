"""The persistent sandbox behind --sandbox: DIR/.resumesync/sandbox.json between runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resumesync.sandbox import (
    SANDBOX_TOKEN,
    persistent_sandbox,
    reset_persistent_sandbox,
    state_path,
)

from .support import BACKEND, DATA_ENGINEER, make_client


def test_state_survives_a_restart_and_reset_restores_the_seed(tmp_path: Path) -> None:
    with (
        persistent_sandbox(tmp_path) as sandbox,
        make_client(sandbox.url, token=SANDBOX_TOKEN) as client,
    ):
        assert (
            client.put(f"/resumes/{BACKEND}", json={"title": "Staff engineer"}).status_code == 204
        )
        assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 204
    assert (tmp_path / ".resumesync" / ".gitignore").read_text() == "*\n"
    saved = json.loads(state_path(tmp_path).read_text())
    assert isinstance(saved["resume_state"][DATA_ENGINEER]["next_publish_at"], float)

    with (
        persistent_sandbox(tmp_path) as sandbox,
        make_client(sandbox.url, token=SANDBOX_TOKEN) as client,
    ):
        assert client.get(f"/resumes/{BACKEND}").json()["title"] == "Staff engineer"
        # Published in the previous run a moment ago: not renewable yet.
        assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 429

    assert reset_persistent_sandbox(tmp_path) is True
    assert reset_persistent_sandbox(tmp_path) is False
    with (
        persistent_sandbox(tmp_path) as sandbox,
        make_client(sandbox.url, token=SANDBOX_TOKEN) as client,
    ):
        assert client.get(f"/resumes/{BACKEND}").json()["title"] == "Python developer"


def test_a_broken_state_file_says_how_to_recover(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir()
    state_path(tmp_path).write_text("{broken")
    with pytest.raises(ValueError, match="--reset"), persistent_sandbox(tmp_path):
        pass
