"""`apply --detailed-exitcode` re-checks the resumes it created (or adopted) in the same apply,
as it does the resumes it changed: a new resume is read again after the writes, and what
someone changed on hh.ru meanwhile is drift (exit 2)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import httpx

from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.sandbox.holds import Arrival

from .support import TOKEN, repository_to_create, run

WAIT = 60.0  # a bound on reaching the hold, never a timing
NOT_A_RESUME = {"mine", "creation_availability"}
RESUME_PATH = re.compile(r"/resumes/([^/?]+)")


def is_resume_read(arrival: Arrival) -> bool:
    """GET /resumes/{id} of any resume (the account starts empty: only new ones)."""
    match = RESUME_PATH.fullmatch(arrival.path)
    return arrival.method == "GET" and match is not None and match[1] not in NOT_A_RESUME


def repository(directory: Path) -> Path:
    """One resume to create, backend (with its blacklist and a publish)."""
    repo = repository_to_create(directory)
    (repo / "resumes" / "data-engineer.yaml").unlink()
    visibility = repo / "visibility.yaml"
    text = visibility.read_text(encoding="utf-8")
    visibility.write_text(text[: text.index("  data-engineer:")], encoding="utf-8")
    return repo


def test_a_resume_created_by_the_apply_is_read_again_after_the_writes(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        applied = run(sandbox.url, "apply", repo, "--yes", "--detailed-exitcode")
        log = sandbox.requests
        (resume_id,) = sandbox.account(TOKEN).resumes
    assert applied.exit_code == 0, applied.output
    assert "drift" not in applied.output
    last_write = max(i for i, entry in enumerate(log) if entry.method != "GET")
    after = [entry.path for entry in log[last_write + 1 :] if entry.method == "GET"]
    assert f"/resumes/{resume_id}" in after


def test_a_change_made_elsewhere_to_a_new_resume_during_the_apply_is_drift(
    tmp_path: Path,
) -> None:
    repo = repository(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        # the apply reads the new resume only in its drift pass, after every write
        hold = sandbox.hold(1, stage="before", match=is_resume_read)
        edits: list[int] = []
        finished = threading.Event()  # the apply is over: stop waiting for the hold

        def edit_elsewhere() -> None:
            while not hold.wait(0.05):
                if finished.is_set():
                    return
            assert hold.arrival is not None
            answer = httpx.put(
                f"{sandbox.url}{hold.arrival.path}",
                json={"title": "Edited on hh.ru"},
                headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "other/1.0"},
            )
            edits.append(answer.status_code)
            hold.release()

        editor = threading.Thread(target=edit_elsewhere)
        editor.start()
        try:
            applied = run(sandbox.url, "apply", repo, "--yes", "--detailed-exitcode")
        finally:
            finished.set()
            hold.release()
            editor.join(WAIT)
    assert hold.reached, applied.output
    assert edits == [204]
    assert applied.exit_code == 2, applied.output
    drift = applied.output[applied.output.index("Changes remain after the apply (drift):") :]
    assert "+ resume backend" in drift or "~ resume backend" in drift
    assert '~ title: "Edited on hh.ru" -> "Senior Python developer"' in drift


def test_a_resume_adopted_by_the_apply_is_read_again_after_the_writes(tmp_path: Path) -> None:
    """An earlier apply created the resume and lost the answer; this one adopts it (and
    makes its list changes and publish): the drift pass reads it too."""
    repo = repository(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account()})) as sandbox:
        hold = sandbox.hold(1, stage="after", match=lambda a: a.path == "/resumes")
        hold.drop()  # created, then the connection closes without an answer
        failed = run(sandbox.url, "apply", repo, "--yes")
        sandbox.clear_requests()
        applied = run(sandbox.url, "apply", repo, "--yes", "--detailed-exitcode")
        log = sandbox.requests
        (resume_id,) = sandbox.account(TOKEN).resumes
    assert failed.exit_code == 1, failed.output
    assert "+ adopt resume backend" in applied.output
    assert applied.exit_code == 0, applied.output
    last_write = max(i for i, entry in enumerate(log) if entry.method != "GET")
    after = [entry.path for entry in log[last_write + 1 :] if entry.method == "GET"]
    assert f"/resumes/{resume_id}" in after
