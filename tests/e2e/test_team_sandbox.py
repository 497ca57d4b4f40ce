"""examples/team as a newcomer tries it: --sandbox with one account per profile, --profile on
every command, and paths that are clickable from the repository root (issue 15 §4)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli

from .conftest import EXAMPLES

BORIS_RESUME = "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


def run(*args: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None}
    )


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return shutil.copytree(EXAMPLES / "team", tmp_path / "team")


def test_the_team_example_runs_a_sandbox_cycle_with_an_account_per_profile(team: Path) -> None:
    planned = run("plan", "--sandbox", "--dir", str(team))
    assert planned.exit_code == 0, planned.output
    assert "not in this account" not in planned.output
    assert '~ title: "Frontend developer" -> "Frontend developer (React, TypeScript)"' in (
        planned.output
    )
    assert "+ blacklist 2180 (Ozon)" in planned.output
    applied = run("apply", "--sandbox", "--dir", str(team), "--yes")
    assert applied.exit_code == 0, applied.output
    assert "Applied 6 of 6 changes." in applied.output
    assert "Applied 3 of 3 changes." in applied.output
    assert "[9/9] done" in applied.output  # one count over both accounts, never 7 of 6
    again = run("plan", "--sandbox", "--dir", str(team), "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.output.count("No changes.") == 2
    assert (team / "boris" / ".resumesync" / "sandbox.json").is_file()

    reset = run("sandbox", "--reset", "--dir", str(team))
    assert reset.exit_code == 0
    assert f"Reset the sandbox account of {team / 'anna'}" in reset.output
    assert f"Reset the sandbox account of {team / 'boris'}" in reset.output
    nothing = run("sandbox", "--reset", "--dir", str(team))
    assert "Nothing to reset" in nothing.output and "Reset the" not in nothing.output


def test_every_schema_line_of_the_examples_points_at_the_schema() -> None:
    files = sorted(EXAMPLES.glob("**/resumes/*.yaml"))
    assert files
    for path in files:
        match = SCHEMA_LINE.search(path.read_text())
        if match:
            assert (path.parent / match.group(1)).resolve().is_file(), path


def test_validate_takes_profile(team: Path) -> None:
    assert "2 resumes valid." in run("validate", "--dir", str(team), "--profile", "anna").output
    one = run("validate", "--dir", str(team), "--profile", "boris")
    assert one.exit_code == 0, one.output
    assert "1 resume valid." in one.output
    unknown = run("validate", "--dir", str(team), "--profile", "carol")
    assert unknown.exit_code == 1
    assert "unknown profile 'carol'" in unknown.output


def test_profile_error_paths_are_relative_to_the_repository_root(team: Path) -> None:
    broken = team / "boris" / "resumes" / "frontend.yaml"
    broken.write_text(broken.read_text().replace("title:", "titel:"))
    validated = run("validate", "--dir", str(team))
    assert validated.exit_code == 1
    assert "boris/resumes/frontend.yaml:4: titel: unknown field" in validated.output
    assert (team / "boris/resumes/frontend.yaml").is_file()  # clickable from the root
    assert validated.output.rstrip().endswith("1 problem.")  # validate never writes
    planned = run("plan", "--sandbox", "--dir", str(team))
    assert "boris/resumes/frontend.yaml:4: titel" in planned.output
    assert "1 problem; nothing was written." in planned.output


def test_a_server_side_problem_of_a_profile_names_the_file_from_the_root(team: Path) -> None:
    variant = team / "boris" / "resumes" / "frontend.yaml"
    text = variant.read_text()
    variant.write_text(text.replace("title: Frontend developer (React, TypeScript)", "title: X"))
    planned = run("plan", "--sandbox", "--dir", str(team))  # too short for the server
    assert planned.exit_code == 1
    assert "profile boris: boris/resumes/frontend.yaml:4: title" in planned.output


def test_profile_without_profiles_says_what_is_missing(tmp_path: Path) -> None:
    basic = shutil.copytree(EXAMPLES / "basic", tmp_path / "basic")
    result = run("validate", "--dir", str(basic), "--profile", "anna")
    assert result.exit_code == 1
    assert f"there is no {basic / 'resumesync.yaml'}" in result.output
    assert "are declared in" not in result.output
    (basic / "resumesync.yaml").write_text("user_agent: me/1.0 (me@example.com)\n")
    declared = run("validate", "--dir", str(basic), "--profile", "anna")
    assert f"{basic / 'resumesync.yaml'} declares no profiles" in declared.output


def test_import_takes_profile(tmp_path: Path) -> None:
    repo = tmp_path / "team"
    repo.mkdir()
    shutil.copy(EXAMPLES / "team" / "resumesync.yaml", repo)
    both = run("import", "--sandbox", "--dir", str(repo))
    assert both.exit_code == 1
    assert "choose one with --profile (anna, boris)" in both.output
    one = run("import", "--sandbox", "--dir", str(repo), "--profile", "boris")
    assert one.exit_code == 0, one.output
    assert f"wrote {repo / 'boris' / 'visibility.yaml'}" in one.output
    assert "Imported 4 resumes." in one.output
    assert not (repo / "resumes").exists()
