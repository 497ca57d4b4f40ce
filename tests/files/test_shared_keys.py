"""Issue 16, agency scale (500 resumes x (200 + 200) employers, peak under 150 MB): what a plan
holds is held once. Checked by identity and by the order of requests, never by measuring."""

from __future__ import annotations

from typing import Any

from resumesync.yamlfile import parse_yaml

RESUME_TEXT = "title: Developer\narea: {id: '1'}\nskill_set: [Python, SQL]\n"


def test_the_files_of_a_load_share_their_keys_and_paths() -> None:
    """500 resumes of one shape hold 200,000 paths and 125,000 keys, a few thousand distinct."""
    shared: dict[Any, Any] = {}
    first = parse_yaml(RESUME_TEXT, "resumes/a.yaml", shared=shared)
    second = parse_yaml(RESUME_TEXT, "resumes/b.yaml", shared=shared)
    first_keys = {key: key for key in first.data}
    for key in second.data:
        assert key is first_keys[key]
    first_paths = {path: path for path in first.lines}
    for path in second.lines:
        assert path is first_paths[path]
    assert first.data == second.data  # sharing changes nothing that is read
