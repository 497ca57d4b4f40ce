"""Overlap: two `resumesync apply --yes` of the same repository at the same time (two CI runs
that a missing concurrency group let overlap) end in exactly the desired state.

Both are made to overlap for certain: a gate in the sandbox holds every write until both runs
have one waiting, so both have planned from the same state, and then both write at once.
"""

from __future__ import annotations

from pathlib import Path

from resumesync.sandbox import SandboxConfig, running_sandbox
from resumesync.sandbox.holds import Arrival

from .support import (
    PROCESS_TIMEOUT,
    TOKEN,
    apply_args,
    build_workload,
    differences,
    replan_exit_code,
    start_cli,
)

WAIT = 30.0
RUNS = ("run-a", "run-b")


def agent(run: str) -> str:
    return f"resumesync-reliability/1.0 ({run}@example.com)"


def both_runs_waiting(waiting: list[Arrival]) -> bool:
    return all(any(run in arrival.user_agent for arrival in waiting) for run in RUNS)


def test_two_overlapping_applies_end_in_the_desired_state(tmp_path: Path) -> None:
    workload = build_workload(tmp_path / "repo")
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        gate = sandbox.gate(writes_only=True)  # no write lands before both runs have planned
        processes = {
            run: start_cli(sandbox.url, *apply_args(workload.repo, "--user-agent", agent(run)))
            for run in RUNS
        }
        try:
            overlapped = gate.wait_for(both_runs_waiting, WAIT)
        finally:
            gate.open()
        outputs = {
            run: process.communicate(timeout=PROCESS_TIMEOUT) for run, process in processes.items()
        }
        account = sandbox.account(TOKEN)
        log = sandbox.requests
        replan, replan_output = replan_exit_code(sandbox.url, workload.repo)
        errors = sandbox.internal_errors

    assert overlapped, "the two applies did not overlap"
    for run, process in processes.items():
        assert process.returncode == 0, outputs[run]
    # both planned from the same state and both wrote every change
    writes = {run: [r for r in log if r.method != "GET" and run in r.user_agent] for run in RUNS}
    assert len(writes["run-a"]) == len(writes["run-b"]) == workload.write_count
    others = [r for run in RUNS for r in writes[run] if not r.path.endswith("/publish")]
    assert {r.status for r in others} == {204}
    # one publish renewed each resume; the other run heard "not yet", which is not a failure
    publishes = sorted(r.status for r in log if r.path.endswith("/publish"))
    assert publishes == [204] * len(workload.resumes) + [429] * len(workload.resumes)
    assert differences(account, workload) == []
    assert replan == 0, replan_output
    assert errors == []
