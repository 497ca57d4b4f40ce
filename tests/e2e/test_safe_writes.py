"""Issue 12 §5: every write is a new file renamed into place, never through a symlink.

Reproductions from the security review: `plan --out plan.json` followed a symlink and chmodded
its target; a symlinked `.resumesync/` received `sandbox.json`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.safefs import UnsafePathError, atomic_write


def run(repo: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        [*args, "--dir", str(repo)],
        env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None},
        catch_exceptions=False,
    )


def test_plan_out_refuses_a_symlink_and_leaves_its_target_alone(repo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    victim.chmod(0o644)
    link = tmp_path / "plan.json"
    link.symlink_to(victim)
    result = run(repo, "plan", "--sandbox", "--out", str(link))
    assert result.exit_code == 1
    assert "is a symlink: not written through it" in result.output
    assert "Plan:" not in result.output  # checked before planning
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert link.is_symlink()


def test_plan_out_is_a_new_file_with_mode_0600(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    inode = target.stat().st_ino
    assert run(repo, "plan", "--sandbox", "--out", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.stat().st_ino != inode  # renamed into place, not rewritten in place
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".plan.json.")]


def test_plan_out_into_a_missing_directory_fails_before_planning(
    repo: Path, tmp_path: Path
) -> None:
    result = run(repo, "plan", "--sandbox", "--out", str(tmp_path / "missing" / "plan.json"))
    assert result.exit_code == 1
    assert "no such directory" in result.output
    assert "Plan:" not in result.output
    assert "Traceback" not in result.output
    assert not (repo / ".resumesync").exists()  # not even the sandbox was started


def test_symlinked_state_directory_is_refused(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".resumesync").symlink_to(elsewhere, target_is_directory=True)
    result = run(repo, "plan", "--sandbox")
    assert result.exit_code == 1
    assert ".resumesync is a symlink: not written through it" in result.output
    assert list(elsewhere.iterdir()) == []


def test_symlinked_state_file_is_refused(repo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.json"
    victim.write_text("{}", encoding="utf-8")
    (repo / ".resumesync").mkdir()
    (repo / ".resumesync" / "sandbox.json").symlink_to(victim)
    result = run(repo, "plan", "--sandbox")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert victim.read_text(encoding="utf-8") == "{}"


def test_sandbox_state_is_private(repo: Path) -> None:
    assert run(repo, "plan", "--sandbox").exit_code == 0
    state = repo / ".resumesync" / "sandbox.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600


def test_atomic_write_refuses_symlinked_parents_under_root(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "link")
    with pytest.raises(UnsafePathError, match="link is a symlink"):
        atomic_write(tmp_path / "link" / "f.txt", "x", root=tmp_path)
    assert list((tmp_path / "real").iterdir()) == []
    atomic_write(tmp_path / "real" / "f.txt", "x", root=tmp_path, mode=0o640)
    assert (tmp_path / "real" / "f.txt").read_text() == "x"
    assert stat.S_IMODE((tmp_path / "real" / "f.txt").stat().st_mode) == 0o640


def test_atomic_write_can_keep_the_mode_of_a_users_file(tmp_path: Path) -> None:
    target = tmp_path / "resume.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write(target, "new\n", keep_mode=True, durable=True)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_unsafe_paths_are_os_errors_for_writers_that_handle_those(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError, match="is a symlink"):
        atomic_write(tmp_path / "link", "x", keep_mode=True)


def test_import_refuses_a_symlinked_resumes_directory(tmp_path: Path) -> None:
    target, elsewhere = tmp_path / "imported", tmp_path / "elsewhere"
    target.mkdir()
    elsewhere.mkdir()
    (target / "resumes").symlink_to(elsewhere, target_is_directory=True)
    result = run(target, "import", "--sandbox")
    assert result.exit_code == 1, result.output
    assert "resumes is a symlink: not written through it" in result.output
    assert list(elsewhere.iterdir()) == []
