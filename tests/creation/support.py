"""Helpers for the creation tests: examples/basic as a repository of resumes to create, and
the CLI run in this process against a sandbox on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from resumesync.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "USERcreationtest000000000000000000000000000000000000000000000000000"
QUICK = ("--max-rps", "1000", "--retry-wait", "0.01")
ID_LINE = re.compile(rb"^id: .*\n", re.MULTILINE)


def repository_to_create(directory: Path) -> Path:
    """examples/basic with every `id:` line removed: every resume is one to create (but
    data-analyst, a clone of data-engineer: a clone needs an existing source, and team-lead,
    which manages only a few fields of a live draft)."""
    shutil.copytree(EXAMPLES / "basic", directory)
    (directory / "resumes" / "data-analyst.yaml").unlink()
    (directory / "resumes" / "team-lead.yaml").unlink()
    for path in (directory / "resumes").glob("*.yaml"):
        path.write_bytes(ID_LINE.sub(b"", path.read_bytes()))
    return directory


def run(url: str, command: str, repo: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        [command, "--dir", str(repo), "--api-url", url, "--token", TOKEN, *QUICK, *args],
        env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
        catch_exceptions=False,
    )


def added_lines(before: bytes, after: bytes) -> list[bytes]:
    """The lines `after` has that `before` lacks, when `after` is `before` plus whole lines
    (AssertionError otherwise): what `git diff` would show as added."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = []
    index = 0
    for line in new:
        if index < len(old) and line == old[index]:
            index += 1
        else:
            added.append(line)
    assert index == len(old), "a line of the file was changed or removed"
    return added
