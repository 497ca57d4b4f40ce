"""Retries of the plan phase are counted: `plan` prints a summary of them, and the apply
summary counts every retry of the run, not only the writes' (issue 15 §4)."""

from __future__ import annotations

import threading

from .conftest import Harness


def drop_first_read_of_mine(harness: Harness) -> threading.Thread:
    """The first GET /resumes/mine loses its connection: the client retries it once."""
    hold = harness.sandbox.hold(
        1, stage="before", match=lambda arrival: arrival.path == "/resumes/mine"
    )

    def drop() -> None:
        if hold.wait(timeout=30):
            hold.drop()

    thread = threading.Thread(target=drop, daemon=True)
    thread.start()
    return thread


def test_plan_says_what_it_retried(harness: Harness) -> None:
    dropper = drop_first_read_of_mine(harness)
    result = harness.run("plan", "--retry-wait", "0")
    dropper.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "retrying: GET /resumes/mine" in result.stderr
    assert "1 retry: connection error" in result.stderr
    assert "retr" not in result.stdout  # stdout is the plan (JSON or markdown in CI)


def test_apply_summary_counts_the_plan_phase_retries(harness: Harness) -> None:
    dropper = drop_first_read_of_mine(harness)
    result = harness.run("apply", "--yes", "--retry-wait", "0")
    dropper.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "Applied 11 of 11 changes." in result.stdout
    assert "  1 retry: connection error" in result.stdout


def test_no_retries_no_summary(harness: Harness) -> None:
    result = harness.run("plan")
    assert result.exit_code == 0
    assert "retr" not in result.output
