"""§4 of issue 12 against the sandbox: `protect:` in visibility.yaml (examples/basic protects
the current employer, 1455) refuses, before any write and even with --force, a plan that lets
a protected employer find a resume."""

from __future__ import annotations

import re
from pathlib import Path

from resumesync.files import load_repository
from resumesync.sandbox import RunningSandbox

from .conftest import BACKEND, QUICK, invoke, writes


def without_defaults(repo: Path) -> None:
    """The easy slip of the issue: the whole `defaults:` block deleted."""
    path = repo / "visibility.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"defaults:\n(?:  .*\n)+", "", text))


def test_the_example_protects_the_current_employer(repo: Path) -> None:
    protect = load_repository(repo, {}).protect
    assert protect.employers == ("1455",)
    assert protect.names == {"1455": "HeadHunter"}
    assert str(protect.source.locate(("1455",))) == "visibility.yaml:3"


def test_deleting_defaults_cannot_expose_the_current_employer(
    repo: Path, sandbox: RunningSandbox
) -> None:
    """Reproduction: deleting `defaults:` removed the current employer from every blacklist
    without --force (the 30 % guard only protects lists of 10 or more)."""
    common = ("--dir", str(repo), "--api-url", sandbox.url, *QUICK)
    first = invoke("apply", *common, "--yes")
    assert first.exit_code == 0, first.output
    assert "1455" in sandbox.account().resumes[BACKEND].blacklist
    without_defaults(repo)
    sandbox.clear_requests()
    for command in (("plan", "--force"), ("apply", "--yes", "--force")):
        result = invoke(*command, *common)
        assert result.exit_code == 1, result.output
        assert (
            "visibility.yaml:3: protect: resume backend: protected employer 1455 (HeadHunter) "
            "could find it after step 1 (list_remove blacklist (1 employer)), once it was "
            "hidden: it is not on the blacklist" in result.stderr
        )
        assert "nothing was written" in result.stderr
    assert writes(sandbox) == []
    assert "1455" in sandbox.account().resumes[BACKEND].blacklist


def test_only_editing_protect_lets_the_plan_through(repo: Path, sandbox: RunningSandbox) -> None:
    common = ("--dir", str(repo), "--api-url", sandbox.url, *QUICK)
    assert invoke("apply", *common, "--yes").exit_code == 0
    without_defaults(repo)
    path = repo / "visibility.yaml"
    path.write_text(re.sub(r"protect:.*\n(?:  .*\n)+", "", path.read_text()))
    result = invoke("apply", *common, "--yes")
    assert result.exit_code == 0, result.output
    assert "1455" not in sandbox.account().resumes[BACKEND].blacklist


def test_protect_is_validated_like_any_list(repo: Path) -> None:
    path = repo / "visibility.yaml"
    path.write_text("protect: [0x1455]\n" + path.read_text().split("\n", 3)[3])
    result = invoke("validate", "--dir", str(repo))
    assert result.exit_code == 1
    assert "visibility.yaml:1: protect" in result.stderr
