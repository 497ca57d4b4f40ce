"""Plan files: a saved plan is applied only to the account and the API it was made for, and
a tampered or truncated one is refused; in every case nothing at all is written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from resumesync.sandbox import Account, RunningSandbox, SandboxConfig, running_sandbox

from .support import OTHER_TOKEN, QUICK, TOKEN, invoke

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"


@dataclass
class Accounts:
    """One sandbox with two accounts: the example one (TOKEN) and another (OTHER_TOKEN)."""

    sandbox: RunningSandbox
    repo: Path  # the example account's repository
    other_repo: Path  # the other account's repository

    def plan(self, out: Path, repo: Path, token: str = TOKEN, url: str | None = None) -> None:
        result = invoke(
            url or self.sandbox.url,
            "plan",
            "--dir",
            str(repo),
            "--out",
            str(out),
            *QUICK,
            token=token,
        )
        assert result.exit_code == 0, result.output
        assert out.exists()

    def apply(self, plan_file: Path, repo: Path, token: str, url: str | None = None):  # type: ignore[no-untyped-def]
        return invoke(
            url or self.sandbox.url,
            "apply",
            "--dir",
            str(repo),
            str(plan_file),
            *QUICK,
            token=token,
        )

    def writes(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.sandbox.requests if r.method != "GET"]


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[Accounts]:
    other = Account.synthetic(n_resumes=2, list_size=20, seed=3)
    repo = tmp_path / "example"
    shutil.copytree(EXAMPLE, repo)
    other_repo = tmp_path / "other"
    (other_repo / "resumes").mkdir(parents=True)
    for index, resume_id in enumerate(other.resumes):
        document = {"id": resume_id, "title": f"Platform engineer {index}"}
        (other_repo / "resumes" / f"other-{index}.yaml").write_text(yaml.safe_dump(document))
    config = SandboxConfig(accounts={TOKEN: Account.example(), OTHER_TOKEN: other})
    with running_sandbox(config) as sandbox:
        yield Accounts(sandbox, repo, other_repo)


def test_a_plan_applied_with_another_accounts_token_is_refused(
    accounts: Accounts, tmp_path: Path
) -> None:
    """Same repository, same API, the other account's token (a wrong secret in CI)."""
    plan_file = tmp_path / "plan.json"
    accounts.plan(plan_file, accounts.repo)
    accounts.sandbox.clear_requests()
    result = accounts.apply(plan_file, accounts.repo, OTHER_TOKEN)
    assert result.exit_code == 1
    assert "the plan was made for another account" in result.stderr
    assert "nothing was written" in result.stderr
    assert accounts.writes() == []
    # The account's resumes come from the live read itself: /resumes/mine is not read twice.
    mine = [r for r in accounts.sandbox.requests if r.path == "/resumes/mine"]
    assert len(mine) == 1


def test_a_plan_applied_in_another_accounts_repository_is_refused(
    accounts: Accounts, tmp_path: Path
) -> None:
    """The plan file of one repository applied from another one, with that one's token."""
    plan_file = tmp_path / "plan.json"
    accounts.plan(plan_file, accounts.repo)
    accounts.sandbox.clear_requests()
    result = accounts.apply(plan_file, accounts.other_repo, OTHER_TOKEN)
    assert result.exit_code == 1
    assert "the plan was made for another account" in result.stderr
    assert "nothing was written" in result.stderr
    assert accounts.writes() == []


def test_a_plan_for_another_api_url_is_refused(accounts: Accounts, tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    accounts.plan(plan_file, accounts.repo)
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as elsewhere:
        result = accounts.apply(plan_file, accounts.repo, TOKEN, url=elsewhere.url)
        elsewhere_writes = [r for r in elsewhere.requests if r.method != "GET"]
    assert result.exit_code == 1
    assert f"the plan was made for {accounts.sandbox.url}, not {elsewhere.url}" in result.stderr
    assert elsewhere_writes == []


@pytest.mark.parametrize("damage", ["tampered", "truncated"])
def test_a_damaged_plan_file_is_refused_before_any_request(
    accounts: Accounts, tmp_path: Path, damage: str
) -> None:
    plan_file = tmp_path / "plan.json"
    accounts.plan(plan_file, accounts.repo)
    text = plan_file.read_text()
    if damage == "tampered":  # a change pointed at another employer
        assert '"1455"' in text
        text = text.replace('"1455"', '"1456"', 1)
    else:
        text = text[: len(text) // 2]
    plan_file.write_text(text)
    accounts.sandbox.clear_requests()
    result = accounts.apply(plan_file, accounts.repo, TOKEN)
    assert result.exit_code == 1
    assert str(plan_file) in result.stderr and "nothing was written" in result.stderr
    assert accounts.sandbox.requests == []  # refused before reading the account, too
