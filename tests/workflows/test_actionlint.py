"""The example workflows and the action pass actionlint: syntax, expressions and contexts,
`needs`, action inputs, permissions (the scripts themselves: test_shellcheck.py).

actionlint lints workflows, not action metadata, so the action's steps are linted inside a
workflow built from action.yml: its inputs become `workflow_dispatch` inputs (the `inputs`
context), its steps the steps of one job."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from .runner import ACTION, MATRIX, SINGLE, load
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


def action_as_workflow(action: dict[str, Any]) -> dict[str, Any]:
    inputs = {
        name: {"description": spec.get("description", name), "type": "string"}
        for name, spec in action["inputs"].items()
    }
    return {
        "name": action["name"],
        "on": {"workflow_dispatch": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def test_example_workflows_pass_actionlint() -> None:
    directory = SINGLE.parent
    assert MATRIX.parent == directory
    result = actionlint("*.yml", directory)
    assert result.returncode == 0, result.stdout + result.stderr
    # The glob matched both workflows: a pass over zero files would prove nothing.
    assert "Checking 2 workflow file(s)" in result.stdout


def test_the_action_s_steps_pass_actionlint(tmp_path: Path) -> None:
    workflow = action_as_workflow(load(ACTION))
    assert len(workflow["jobs"]["action"]["steps"]) >= 4
    (tmp_path / "action.yml").write_text(yaml.safe_dump(workflow, sort_keys=False))
    result = actionlint("action.yml", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 1 workflow file(s)" in result.stdout


def test_actionlint_reports_a_broken_action(tmp_path: Path) -> None:
    text = ACTION.read_text(encoding="utf-8")
    broken = text.replace("inputs.command == 'plan'", "inputs.comand == 'plan'", 1)
    assert broken != text
    workflow = action_as_workflow(yaml.safe_load(broken))
    (tmp_path / "broken.yml").write_text(yaml.safe_dump(workflow, sort_keys=False))
    result = actionlint("broken.yml", tmp_path)
    assert result.returncode == 1
    assert 'property "comand" is not defined' in result.stdout


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = SINGLE.read_text(encoding="utf-8").replace(
        "github.event_name == 'pull_request'", "github.event_nam == 'pull_request'", 1
    )
    assert broken != SINGLE.read_text(encoding="utf-8")
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    result = actionlint("broken.yml", tmp_path)
    assert result.returncode == 1
    assert 'property "event_nam" is not defined' in result.stdout
