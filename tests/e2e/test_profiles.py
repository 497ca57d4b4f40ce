"""Team profiles: several accounts in one run, each with its own token."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .conftest import EXAMPLES

ANNA_TOKEN = "USERannatoken000000000000000000000000000000000000000000000000000000"
BORIS_TOKEN = "USERboristoken00000000000000000000000000000000000000000000000000000"
BORIS_RESUME = "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a"
EXAMPLE_BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"


def boris_account() -> Account:
    """A second account: the example's backend resume under Boris's resume id."""
    data = Account.example().to_json()
    text = json.dumps(data).replace(EXAMPLE_BACKEND, BORIS_RESUME)
    data = json.loads(text)
    data["resumes"] = {BORIS_RESUME: data["resumes"][BORIS_RESUME]}
    data["lists"] = {BORIS_RESUME: data["lists"].get(BORIS_RESUME, {})}
    return Account.from_json(data)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[object, Path]]:
    repo = tmp_path / "team"
    shutil.copytree(EXAMPLES / "team", repo)
    config = SandboxConfig(accounts={ANNA_TOKEN: Account.example(), BORIS_TOKEN: boris_account()})
    with running_sandbox(config) as sandbox:
        yield sandbox, repo


def run(sandbox: object, repo: Path, *args: str, **env: str | None) -> Result:
    tokens = {"HH_TOKEN_ANNA": ANNA_TOKEN, "HH_TOKEN_BORIS": BORIS_TOKEN, **env}
    return CliRunner().invoke(
        cli,
        [args[0], "--dir", str(repo), "--api-url", sandbox.url, "--max-rps", "1000", *args[1:]],
        env={"NO_COLOR": "1", "HH_TOKEN": None, **tokens},
        catch_exceptions=False,
    )


def test_two_profiles_plan_in_one_run_each_with_its_own_token(team) -> None:
    sandbox, repo = team
    result = run(sandbox, repo, "plan")
    assert result.exit_code == 0, result.output
    assert "== profile anna ==" in result.output
    assert "== profile boris ==" in result.output
    assert "Frontend developer (React, TypeScript)" in result.output
    tokens_by_resume: dict[str, set[str]] = {}
    for request in sandbox.requests:
        parts = request.path.split("/")
        if len(parts) > 2 and parts[1] == "resumes" and parts[2] != "mine":
            tokens_by_resume.setdefault(parts[2], set()).add(request.token)
    assert tokens_by_resume[BORIS_RESUME] == {BORIS_TOKEN}
    assert tokens_by_resume[EXAMPLE_BACKEND] == {ANNA_TOKEN}
    mine = sorted(r.token for r in sandbox.requests if r.path == "/resumes/mine")
    assert mine == sorted([ANNA_TOKEN, BORIS_TOKEN])


def test_apply_of_both_profiles_converges(team) -> None:
    sandbox, repo = team
    applied = run(sandbox, repo, "apply", "--yes")
    assert applied.exit_code == 0, applied.output
    boris = sandbox.account(BORIS_TOKEN).to_json()
    assert boris["resumes"][BORIS_RESUME]["title"] == "Frontend developer (React, TypeScript)"
    assert boris["lists"][BORIS_RESUME]["blacklist"] == ["2180"]
    assert run(sandbox, repo, "plan", "--detailed-exitcode").exit_code == 0


def test_a_failing_profile_does_not_stop_the_others(team) -> None:
    sandbox, repo = team
    result = run(sandbox, repo, "plan", HH_TOKEN_BORIS=None)
    assert result.exit_code == 1
    assert "profile boris: no token: set HH_TOKEN_BORIS" in result.output
    assert "== profile anna ==" in result.output
    assert '~ title: "Python developer" -> "Senior Python developer"' in result.output


def test_profile_option_selects_one_account(team) -> None:
    sandbox, repo = team
    result = run(sandbox, repo, "plan", "--profile", "boris")
    assert result.exit_code == 0, result.output
    assert {r.token for r in sandbox.requests} == {BORIS_TOKEN}
    unknown = run(sandbox, repo, "plan", "--profile", "carol")
    assert unknown.exit_code == 1
    assert "unknown profile 'carol'" in unknown.output


def test_profiles_command_lists_names_for_a_ci_matrix(team) -> None:
    _, repo = team
    result = CliRunner().invoke(cli, ["profiles", "--dir", str(repo), "--format", "json"])
    assert json.loads(result.output) == ["anna", "boris"]


def test_validate_checks_every_profile(team) -> None:
    _, repo = team
    assert "3 resumes valid" in CliRunner().invoke(cli, ["validate", "--dir", str(repo)]).output
    broken = repo / "boris" / "resumes" / "frontend.yaml"
    broken.write_text(broken.read_text().replace("title:", "titel:"))
    result = CliRunner().invoke(cli, ["validate", "--dir", str(repo)])
    assert result.exit_code == 1
    assert "resumes/frontend.yaml:4: titel: unknown field" in result.output
