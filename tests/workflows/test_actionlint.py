"""The example workflows pass actionlint: syntax, expressions and contexts, `needs`, action
inputs, permissions (the scripts themselves: test_shellcheck.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .runner import MATRIX, SINGLE
from .tools import actionlint_command


def actionlint(pattern: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*actionlint_command(), pattern],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_example_workflows_pass_actionlint() -> None:
    directory = SINGLE.parent
    assert MATRIX.parent == directory
    result = actionlint("*.yml", directory)
    assert result.returncode == 0, result.stdout + result.stderr
    # The glob matched both workflows: a pass over zero files would prove nothing.
    assert "Checking 2 workflow file(s)" in result.stdout


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = SINGLE.read_text(encoding="utf-8").replace(
        "github.event_name == 'pull_request'", "github.event_nam == 'pull_request'", 1
    )
    assert broken != SINGLE.read_text(encoding="utf-8")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    result = actionlint("broken.yml", tmp_path)
    assert result.returncode == 1
    assert 'property "event_nam" is not defined' in result.stdout
