"""Photos and portfolio images from local files, over real HTTP against the sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from resumesync.cli import cli
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.sandbox.clock import ManualClock

from .support import EXAMPLES, TOKEN, run

IMAGE = EXAMPLES / "basic" / "resumes" / "images" / "me.png"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"


def repository(directory: Path) -> Path:
    """examples/basic without the resume to create: backend shows images/me.png."""
    shutil.copytree(EXAMPLES / "basic", directory)
    (directory / "resumes" / "data-analyst.yaml").unlink()
    return directory


def add_lines(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def uploads(sandbox) -> list:
    return [r for r in sandbox.requests if r.method == "POST" and r.path == "/artifacts"]


def lock(repo: Path) -> dict:
    return json.loads((repo / "resumesync.lock").read_text(encoding="utf-8"))["artifacts"]


def test_one_upload_per_content_the_lock_records_it_and_the_replan_is_empty(
    tmp_path: Path,
) -> None:
    repo = repository(tmp_path / "repo")
    # the same bytes under another name, in another resume: still one upload
    shutil.copy(IMAGE, repo / "resumes" / "images" / "copy-of-me.png")
    add_lines(repo / "resumes" / "data-engineer.yaml", "photo: {file: images/copy-of-me.png}\n")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        applied = run(sandbox.url, "apply", repo, "--yes")
        sent = uploads(sandbox)
        account = sandbox.account(TOKEN)
        sandbox.clear_requests()
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")
        again = run(sandbox.url, "apply", repo, "--yes")
        sent_again = uploads(sandbox)

    assert planned.exit_code == 0, planned.output
    assert planned.output.count("+ upload photo") == 1
    assert f"+ upload photo resumes/images/me.png ({IMAGE.stat().st_size} B)" in planned.output
    assert "1 image to upload" in planned.output
    assert applied.exit_code == 0, applied.output
    (upload,) = sent
    assert upload.body["type"] == "photo"
    assert upload.body["file"]["size"] == IMAGE.stat().st_size
    (artifact_id,) = account.artifacts
    assert account.resumes[BACKEND].fields["photo"]["id"] == artifact_id
    assert account.resumes[DATA_ENGINEER].fields["photo"]["id"] == artifact_id
    (entry,) = lock(repo).values()
    assert entry == {"id": artifact_id, "file": "resumes/images/me.png"}
    assert f"uploaded resumes/images/me.png as photo {artifact_id}" in applied.output
    assert replan.exit_code == 0, replan.output
    assert again.exit_code == 0 and sent_again == []  # in the lock and on the account


def test_an_image_whose_artifact_is_gone_is_uploaded_again(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        assert run(sandbox.url, "apply", repo, "--yes").exit_code == 0
        (old,) = sandbox.account(TOKEN).artifacts
        import httpx

        httpx.delete(
            f"{sandbox.url}/artifacts/{old}",
            headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "test"},
        ).raise_for_status()
        before = len(sandbox.requests)
        planned = run(sandbox.url, "plan", repo)
        # the lock names a photo the account no longer has: its upload conditions are read
        # once the photos are in, to check the upload
        plan_reads = [r.path for r in sandbox.requests[before:]]
        applied = run(sandbox.url, "apply", repo, "--yes")
        (new,) = sandbox.account(TOKEN).artifacts
        before = len(sandbox.requests)
        assert run(sandbox.url, "plan", repo).exit_code == 0
        noop_reads = [r.path for r in sandbox.requests[before:]]
    assert "+ upload photo resumes/images/me.png" in planned.output
    assert plan_reads.count("/artifacts/photo/conditions") == 1
    # no upload, so no upload conditions
    assert "/artifacts/photo" in noop_reads and "/artifacts/photo/conditions" not in noop_reads
    assert applied.exit_code == 0, applied.output
    assert new != old
    assert [entry["id"] for entry in lock(repo).values()] == [new]


def test_apply_waits_for_processing_with_bounded_polls(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    account = Account.example()
    account.artifact_polls = 3  # `processing` for three listings
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes")
        polls = [r for r in sandbox.requests if r.path == "/artifacts/photo"]
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")
    assert applied.exit_code == 0, applied.output
    assert len(polls) >= 1 + 3  # the plan's read, then until `ok`
    assert replan.exit_code == 0, replan.output


def test_an_image_that_never_gets_ready_fails_at_its_line_and_is_not_locked(
    tmp_path: Path,
) -> None:
    repo = repository(tmp_path / "repo")
    account = Account.example()
    account.artifact_seconds = 3600.0  # the sandbox clock stands still
    config = SandboxConfig(accounts={TOKEN: account}, clock=ManualClock(1_790_000_000.0))
    with running_sandbox(config) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes", "--retries", "2")
        polls = [r for r in sandbox.requests if r.path == "/artifacts/photo"]
        photo = sandbox.account(TOKEN).resumes[BACKEND].fields.get("photo")
    line = line_of(repo / "resumes" / "backend.yaml", "photo:")
    assert applied.exit_code == 1
    assert f"resumes/backend.yaml:{line}: resumes/images/me.png is still being processed" in (
        applied.output
    )
    assert len(polls) == 1 + 3  # the plan's read, then the first poll and two more: bounded
    assert photo is None  # the resume's PUT did not go out
    assert not (repo / "resumesync.lock").exists()


def test_a_failed_image_is_an_error_at_the_files_line(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    (repo / "resumes" / "images" / "me.psd").write_bytes(b"8BPS" + b"\x00" * 200)
    backend = repo / "resumes" / "backend.yaml"
    backend.write_text(backend.read_text().replace("images/me.png", "images/me.psd"), "utf-8")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes")
        account = sandbox.account(TOKEN)
    line = line_of(backend, "photo:")
    assert applied.exit_code == 1
    assert (
        f"resumes/backend.yaml:{line}: hh.ru could not process resumes/images/me.psd "
        "(state `failed`"
    ) in applied.output
    assert account.resumes[BACKEND].fields.get("photo") is None
    assert not (repo / "resumesync.lock").exists()


def test_the_plan_checks_the_artifact_conditions_before_any_write(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    big = repo / "resumes" / "images" / "big.png"
    big.write_bytes(IMAGE.read_bytes() + b"\x00" * (6 * 1024 * 1024))
    add_lines(repo / "resumes" / "data-engineer.yaml", "photo: {file: images/big.png}\n")
    account = Account.example()
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox:
        planned = run(sandbox.url, "plan", repo)
        reads = {r.path for r in sandbox.requests}
        writes = [r for r in sandbox.requests if r.method != "GET"]
    line = line_of(repo / "resumes" / "data-engineer.yaml", "photo:")
    assert planned.exit_code == 1
    assert (
        f"resumes/data-engineer.yaml:{line}: resumes/images/big.png is 6.0 MB: hh.ru takes "
        "photo images up to 5.0 MB"
    ) in planned.output
    assert "/artifacts/photo/conditions" in reads
    assert writes == []


def test_no_room_for_more_images_is_refused(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    account = Account.example()
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as sandbox:
        import httpx

        for _ in range(50):  # the sandbox holds up to 50 of a type
            httpx.post(
                f"{sandbox.url}/artifacts",
                data={"type": "photo"},
                files={"file": ("x.png", IMAGE.read_bytes(), "image/png")},
                headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "test"},
            ).raise_for_status()
        planned = run(sandbox.url, "plan", repo)
    assert planned.exit_code == 1
    assert "1 photo images to upload, but the account has room for 0 more (at most 50)" in (
        planned.output
    )


def test_portfolio_images_their_descriptions_and_a_changed_description(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    shutil.copy(IMAGE, repo / "resumes" / "images" / "board.png")
    (repo / "resumes" / "images" / "chart.png").write_bytes(IMAGE.read_bytes() + b"chart")
    path = repo / "resumes" / "data-engineer.yaml"
    add_lines(
        path,
        "portfolio:\n"
        "  - {file: images/board.png, description: A Grafana board}\n"
        "  - {file: images/chart.png, description: A ClickHouse chart}\n",
    )
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes")
        first = sandbox.account(TOKEN)
        path.write_text(path.read_text().replace("A Grafana board", "Grafana boards"), "utf-8")
        planned = run(sandbox.url, "plan", repo)
        sandbox.clear_requests()
        again = run(sandbox.url, "apply", repo, "--yes")
        writes = [(r.method, r.path) for r in sandbox.requests if r.method != "GET"]
        second = sandbox.account(TOKEN)
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")

    assert applied.exit_code == 0, applied.output
    portfolio = first.resumes[DATA_ENGINEER].fields["portfolio"]
    assert [entry["description"] for entry in portfolio] == [
        "A Grafana board",
        "A ClickHouse chart",
    ]
    board = portfolio[0]["id"]
    assert (
        '~ portfolio resumes/images/board.png description: "A Grafana board" -> "Grafana boards"'
    ) in planned.output
    assert "+ upload" not in planned.output
    assert again.exit_code == 0, again.output
    assert writes == [("PUT", f"/artifacts/{board}")]  # the resume itself is not written
    assert second.artifacts[board].description == "Grafana boards"
    assert replan.exit_code == 0, replan.output


def test_images_no_file_uses_any_more_are_notices_and_never_deleted(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        assert run(sandbox.url, "apply", repo, "--yes").exit_code == 0
        (artifact_id,) = sandbox.account(TOKEN).artifacts
        backend = repo / "resumes" / "backend.yaml"
        text = backend.read_text()
        backend.write_text(text.replace("photo: {file: images/me.png}", "photo: null"), "utf-8")
        applied = run(sandbox.url, "apply", repo, "--yes")
        deletes = [r for r in sandbox.requests if r.method == "DELETE"]
        artifacts = sandbox.account(TOKEN).artifacts
    assert applied.exit_code == 0, applied.output
    assert (
        f"! resumes/images/me.png (photo {artifact_id}) is in resumesync.lock but no file uses "
        "it any more; resumesync never deletes images"
    ) in applied.output
    assert deletes == [] and artifact_id in artifacts


@pytest.mark.parametrize("how", ["path", "symlink"])
def test_images_outside_the_repository_are_refused(tmp_path: Path, how: str) -> None:
    repo = repository(tmp_path / "repo")
    outside = tmp_path / "secret.png"
    shutil.copy(IMAGE, outside)
    backend = repo / "resumes" / "backend.yaml"
    if how == "path":
        name = "../../secret.png"
    else:
        (repo / "resumes" / "images" / "link.png").symlink_to(outside)
        name = "images/link.png"
    backend.write_text(backend.read_text().replace("images/me.png", name), "utf-8")
    result = CliRunner().invoke(cli, ["validate", "--dir", str(repo)])
    line = line_of(backend, "photo:")
    assert result.exit_code == 1
    assert (
        f"resumes/backend.yaml:{line}: photo.file: the image must be inside the repository"
    ) in result.output


def test_a_new_resume_is_created_with_its_uploaded_photo(tmp_path: Path) -> None:
    from .support import repository_to_create

    repo = repository_to_create(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes")
        created = [r for r in sandbox.requests if r.method == "POST" and r.path == "/resumes"]
        account = sandbox.account(TOKEN)
        replan = run(sandbox.url, "plan", repo, "--detailed-exitcode")
    assert applied.exit_code == 0, applied.output
    (artifact_id,) = account.artifacts
    (backend,) = [r for r in created if r.body.get("title") == "Senior Python developer"]
    assert backend.body["photo"] == {"id": artifact_id}
    assert replan.exit_code == 0, replan.output
