"""Hints print commands that work as shown: they repeat the options the user gave (issue 15 §4)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import apply_summary, cli

from .conftest import EXAMPLES


def run(cwd: Path, *args: str) -> Result:
    """The CLI as typed in `cwd` (relative paths, as a user writes them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(
            cli,
            list(args),
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
            catch_exceptions=False,
        )


def pasted(cwd: Path, text: str, pattern: str) -> Result:
    """Runs the command quoted in backticks after `pattern` in `text`."""
    match = re.search(pattern + r" `([^`]+)`", text)
    assert match, text
    words = shlex.split(match.group(1))
    assert words[0] == "resumesync"
    return run(cwd, *words[1:])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "basic", tmp_path / "pf")
    return tmp_path


def test_the_saved_plan_hint_repeats_sandbox_and_dir(workspace: Path) -> None:
    planned = run(workspace, "plan", "--sandbox", "--dir", "pf", "--out", "plan.json")
    assert planned.exit_code == 0, planned.output
    assert "Apply it with `resumesync apply --dir pf --sandbox plan.json`" in planned.stderr
    applied = pasted(workspace, planned.stderr, "Apply it with")
    assert applied.exit_code == 0, applied.output
    assert "Applied 11 of 11 changes." in applied.output


def test_the_saved_plan_hint_keeps_force_and_profile_but_no_token(workspace: Path) -> None:
    planned = run(
        workspace, "plan", "--sandbox", "--dir", "pf", "--force", "--token", "USERsecret",
        "--max-rps", "50", "--out", "plan.json",
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    assert "USERsecret" not in planned.output
    assert "--force" in planned.stderr and "--max-rps 50" in planned.stderr


def test_the_no_terminal_refusal_names_a_command_that_works(workspace: Path) -> None:
    refused = run(workspace, "apply", "--sandbox", "--dir", "pf")
    assert refused.exit_code == 1
    assert "run `resumesync apply --yes --dir pf --sandbox`" in refused.output
    applied = pasted(workspace, refused.output, "Review the plan above and run")
    assert applied.exit_code == 0, applied.output
    assert "Applied 11 of 11 changes." in applied.output


def test_the_import_hint_names_the_plan_that_is_empty(tmp_path: Path) -> None:
    imported = run(tmp_path, "import", "--sandbox", "--dir", "mine")
    assert imported.exit_code == 0, imported.output
    assert "`resumesync plan --dir mine --sandbox` should now be empty" in imported.output
    planned = pasted(tmp_path, imported.output, r"\.")
    assert planned.exit_code == 0, planned.output
    assert "No changes" in planned.output


def test_the_apply_again_hint_is_the_command_given() -> None:
    class Failed:
        succeeded, outcomes, not_yet, failed, skipped, retries, ok = [], [], [], [], [], [], False

    text = apply_summary(Failed(), "resumesync apply --yes --dir pf --sandbox")
    assert "run `resumesync apply --yes --dir pf --sandbox` again" in text


def test_a_stale_plan_names_the_plan_command_that_replaces_it(workspace: Path) -> None:
    assert run(workspace, "plan", "--sandbox", "--dir", "pf", "--out", "plan.json").exit_code == 0
    assert run(workspace, "apply", "--sandbox", "--dir", "pf", "--yes").exit_code == 0
    stale = run(workspace, "apply", "--sandbox", "--dir", "pf", "plan.json")
    assert stale.exit_code == 1
    assert "Make a new plan with `resumesync plan --out plan.json --dir pf --sandbox`" in (
        stale.stderr
    )
    replanned = pasted(workspace, stale.stderr, "Make a new plan with")
    assert replanned.exit_code == 0, replanned.output
    assert "No changes" in replanned.output
