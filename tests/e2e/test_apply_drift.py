"""`apply --detailed-exitcode`: the scheduled run's apply and drift check in one read pass.

After applying, only the resumes the plan changed are read again (the rest cannot differ
from what the plan read); a run with nothing to apply reads nothing more."""

from __future__ import annotations

import threading

import httpx

from resumesync.sandbox import Account

from .conftest import TOKEN, Harness

BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"


def _reads(requests: list) -> list[str]:
    return [entry.path.split("?")[0] for entry in requests if entry.method == "GET"]


def test_after_applying_only_the_changed_resumes_are_read_again(harness: Harness) -> None:
    harness.sandbox.clear_requests()
    result = harness.run("apply", "--yes", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "drift" not in result.output
    log = harness.sandbox.requests
    last_write = max(i for i, entry in enumerate(log) if entry.method != "GET")
    first_pass, after = _reads(log[:last_write]), _reads(log[last_write + 1 :])
    assert after  # the changed resumes, read again
    assert not any(path.endswith("/conditions") for path in after)
    assert len(after) < len(first_pass)
    # the resumes the plan read, and the one the apply created (the example's clone)
    (created,) = set(harness.account().resumes) - set(Account.example().resumes)
    assert {path for path in after if path.count("/") == 2} <= {
        path for path in first_pass if path.count("/") == 2
    } | {f"/resumes/{created}"}
    assert f"/resumes/{created}" in after

    # Nothing left to apply: the plan was the drift check, no second read at all.
    harness.sandbox.clear_requests()
    plan_reads = len(_reads(_plan_requests(harness)))
    harness.sandbox.clear_requests()
    again = harness.run("apply", "--yes", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output
    assert len(_reads(harness.sandbox.requests)) == plan_reads


def _plan_requests(harness: Harness) -> list:
    assert harness.run("plan", "--detailed-exitcode").exit_code == 0
    return harness.sandbox.requests


def test_a_change_made_elsewhere_during_the_apply_is_drift(harness: Harness) -> None:
    """Someone edits the resume on hh.ru right after our writes: what remains is reported,
    exit code 2."""
    sandbox = harness.sandbox
    # the run's second GET of the resume is the re-read after the writes
    hold = sandbox.hold(
        2,
        stage="before",
        match=lambda arrival: arrival.method == "GET" and arrival.path == f"/resumes/{BACKEND}",
    )

    def edit_elsewhere() -> None:
        if hold.wait(timeout=60):
            headers = {"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "elsewhere/1.0"}
            answer = httpx.put(
                f"{sandbox.url}/resumes/{BACKEND}",
                json={"title": "Edited on hh.ru"},
                headers=headers,
            )
            assert answer.status_code < 300, answer.text
        hold.release()

    editor = threading.Thread(target=edit_elsewhere)
    editor.start()
    try:
        result = harness.run("apply", "--yes", "--detailed-exitcode")
    finally:
        hold.release()
        editor.join(timeout=60)
    assert hold.reached
    assert result.exit_code == 2, result.output
    assert "Changes remain after the apply (drift):" in result.output
    assert '"Edited on hh.ru" -> "Senior Python developer"' in result.output


def test_without_the_flag_apply_reads_once(harness: Harness) -> None:
    harness.sandbox.clear_requests()
    result = harness.run("apply", "--yes")
    assert result.exit_code == 0, result.output
    log = harness.sandbox.requests
    last_write = max(i for i, entry in enumerate(log) if entry.method != "GET")
    assert _reads(log[last_write + 1 :]) == []
