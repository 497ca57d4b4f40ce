"""A crash while creating a resume never makes a duplicate: `resumesync apply --yes` killed
with SIGKILL before the POST, after the POST but before the id is written into the file, and
after the write-back. The next apply finishes the job with exactly one new resume, and the
plan after it is empty. Without the intent record (CI, where `.resumesync/` does not survive)
the plan refuses to create the resume again and names the line to add.

The kill points are exact: a hold in the sandbox stops the request inside the server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.sandbox.holds import Arrival

from .support import TOKEN, apply_args, invoke, kill_apply_when_held, replan_exit_code

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
INTENTS = Path(".resumesync") / "creating.json"


def repository(directory: Path) -> Path:
    """examples/basic with one resume, backend, that has no id yet."""
    shutil.copytree(EXAMPLE, directory)
    (directory / "resumes" / "data-engineer.yaml").unlink()
    (directory / "resumes" / "data-analyst.yaml").unlink()
    (directory / "resumes" / "team-lead.yaml").unlink()
    visibility = directory / "visibility.yaml"
    text = visibility.read_text(encoding="utf-8")
    visibility.write_text(text[: text.index("  data-engineer:")], encoding="utf-8")
    backend = directory / "resumes" / "backend.yaml"
    lines = backend.read_text(encoding="utf-8").splitlines(keepends=True)
    backend.write_text("".join(line for line in lines if not line.startswith("id:")), "utf-8")
    return directory


def is_create(arrival: Arrival) -> bool:
    return arrival.method == "POST" and arrival.path == "/resumes"


def is_write_after_create(arrival: Arrival) -> bool:
    return arrival.is_write and arrival.path.startswith("/resumes/")


POINTS = {
    "before-post": (is_create, "before"),
    "after-post-before-write-back": (is_create, "after"),
    "after-write-back": (is_write_after_create, "before"),
}


def kill_at(sandbox, repo: Path, point: str) -> None:
    match, stage = POINTS[point]
    kill_apply_when_held(sandbox, repo, 1, stage, match)


@pytest.mark.parametrize("point", list(POINTS))
def test_a_create_killed_anywhere_is_finished_by_the_next_apply_without_a_duplicate(
    tmp_path: Path, point: str
) -> None:
    repo = repository(tmp_path / "repo")
    file = repo / "resumes" / "backend.yaml"
    original = file.read_bytes()
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        kill_at(sandbox, repo, point)
        killed = sandbox.account(TOKEN)
        after_kill = file.read_bytes()
        intent_left = (repo / INTENTS).exists()
        planned = invoke(sandbox.url, "plan", "--dir", str(repo), "--max-rps", "1000")
        again = invoke(sandbox.url, *apply_args(repo))
        converged = sandbox.account(TOKEN)
        replan, replan_output = replan_exit_code(sandbox.url, repo)
        errors = sandbox.internal_errors

    assert len(killed.resumes) == (0 if point == "before-post" else 1)
    if point == "after-write-back":
        (resume_id,) = killed.resumes
        assert after_kill == original.replace(b"publish:", f"id: {resume_id}\npublish:".encode())
        assert not intent_left  # written back: the record is gone
    else:
        assert after_kill == original
        assert intent_left  # recorded before the POST
    if point == "after-post-before-write-back":
        (resume_id,) = killed.resumes
        assert (
            f"+ adopt resume backend ({resume_id}): an earlier apply created this resume "
            "and stopped before writing its id; apply writes its id into resumes/backend.yaml"
        ) in planned.output
        assert "+ create resume" not in planned.output
    if point == "before-post":
        assert "+ create resume backend" in planned.output
    assert again.exit_code == 0, again.output
    (resume_id,) = converged.resumes  # exactly one resume: never a duplicate
    assert file.read_bytes() == original.replace(b"publish:", f"id: {resume_id}\npublish:".encode())
    resume = converged.resumes[resume_id]
    assert resume.blacklist == ["1455", "3529", "78638"]
    assert resume.state.status == "published"
    assert replan == 0, replan_output
    assert not (repo / INTENTS).exists()
    assert errors == []


def test_without_the_intent_record_the_plan_refuses_and_names_the_line_to_add(
    tmp_path: Path,
) -> None:
    """CI: the job that created the resume died (or its checkout is gone) before the id was
    committed. The next run has no `.resumesync/`: it must not create a second resume."""
    repo = repository(tmp_path / "repo")
    file = repo / "resumes" / "backend.yaml"
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        kill_at(sandbox, repo, "after-post-before-write-back")
        shutil.rmtree(repo / ".resumesync")
        (resume_id,) = sandbox.account(TOKEN).resumes
        sandbox.clear_requests()
        refused = invoke(sandbox.url, *apply_args(repo))
        writes = [r for r in sandbox.requests if r.method != "GET"]
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("publish:", f"id: {resume_id}\npublish:"), "utf-8")
        fixed = invoke(sandbox.url, *apply_args(repo))
        count = len(sandbox.account(TOKEN).resumes)
        replan, replan_output = replan_exit_code(sandbox.url, repo)

    assert refused.exit_code == 1
    assert (
        f'resumes/backend.yaml:2: resume "Senior Python developer" ({resume_id}) is on the '
        "account with the title this file's new resume would have, and no file manages it. "
        f"If an earlier apply created it, add the line `id: {resume_id}` to "
        "resumes/backend.yaml; otherwise give this resume another title"
    ) in refused.output
    assert writes == []
    assert fixed.exit_code == 0, fixed.output
    assert count == 1
    assert replan == 0, replan_output
