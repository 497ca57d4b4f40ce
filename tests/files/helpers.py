"""Small helpers to write throwaway repositories and read problems back."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from resumesync.problems import ProblemsError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"

# A resume that passes every check: tests change one thing at a time.
VALID_RESUME = """\
id: r1
title: Python developer
contact:
  - type: {id: email}
    value: me@example.com
  - type: {id: cell}
    value: {country: "7", city: "999", number: "1234567"}
"""


def write_repo(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (relative path -> text, dedented) under `root`; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "resumes").mkdir(exist_ok=True)
    return root


def problems(call: Callable[[], Any]) -> list[str]:
    """The problems `call` raises, as the CLI prints them."""
    with pytest.raises(ProblemsError) as caught:
        call()
    return [str(problem) for problem in caught.value.problems]
