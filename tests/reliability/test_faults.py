"""Faults: 30 % 5xx, 10 % 429 with Retry-After and connections dropped after the write was
applied. `resumesync apply --yes`, run as a subprocess at most three times, reaches exactly
the desired state, says what it retried, and the next plan is empty."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from resumesync.sandbox import LoggedRequest, SandboxConfig, running_sandbox

from .support import (
    TOKEN,
    build_workload,
    differences,
    replan_exit_code,
    retry_lines,
    run_apply,
)

RETRIES = 5  # the default bound
MAX_RUNS = 3
# Faults follow the requests, not their arrival order, and every run starts the dice over
# from a seed of its own: a run's faults then do not depend on what an earlier run sent before
# it gave up (reads go out together, and which of them left before the failure is timing), so
# each seed replays the same runs. Seed 1 converges in one apply; with 5 a write gives up
# after its retries, that resume stops and the second apply finishes it; with 18 the first
# apply's plan gives up on a read (nothing written) and the second finishes. Seed 1 runs the
# CLI as a subprocess, the others in this process (the interpreter's start-up is the slowest
# part of a run).
SEEDS = [(1, "subprocess"), (5, "in process"), (18, "in process")]


def faulty(account: object, seed: int) -> SandboxConfig:
    return SandboxConfig(
        accounts={TOKEN: account},  # type: ignore[dict-item]
        error_rate=0.3,
        rate_limit_rate=0.1,
        drop_rate=0.2,
        retry_after=0.01,  # the sandbox's Retry-After; the client waits exactly this
        seed=seed,
        faults_by_request=True,  # the same faults whatever order requests arrive in
    )


@pytest.mark.parametrize(("seed", "mode"), SEEDS)
def test_apply_converges_exactly_under_faults(tmp_path: Path, seed: int, mode: str) -> None:
    workload = build_workload(tmp_path / "repo")
    runs = []
    with running_sandbox(faulty(workload.account, seed)) as sandbox:
        for run in range(MAX_RUNS):
            sandbox.reseed(seed if run == 0 else seed * 1000 + run)
            sandbox.clear_requests()
            result = run_apply(sandbox.url, workload.repo, in_process=mode == "in process")
            runs.append((result, sandbox.requests))
            if result.returncode == 0:
                break
        sandbox.set_faults(error_rate=0.0, rate_limit_rate=0.0, drop_rate=0.0)
        account = sandbox.account(TOKEN)
        replan, replan_output = replan_exit_code(sandbox.url, workload.repo)
        errors = sandbox.internal_errors

    final, _ = runs[-1]
    assert final.returncode == 0, final.stdout + final.stderr
    assert differences(account, workload) == []
    assert replan == 0, replan_output
    assert "No changes" in replan_output
    assert errors == []

    every_request = [entry for _, log in runs for entry in log]
    # the faults really happened, all three kinds, and writes were dropped after applying
    assert {"error", "rate_limit", "drop"} <= {entry.fault for entry in every_request}
    assert any(entry.dropped and entry.method != "GET" for entry in every_request)
    # privacy: the blacklists only grow and the whitelists only shrink, so no call may ever
    # have removed a blacklisted employer or added a whitelisted one
    assert not [
        entry
        for entry in every_request
        if (entry.method == "DELETE" and "/blacklist" in entry.path)
        or (entry.method == "POST" and entry.path.endswith("/whitelist"))
    ]

    # the output says what was retried: one line per retry, each within the bound
    for result, log in runs:
        lines = retry_lines(result.stderr)
        assert {int(line["retries"]) for line in lines} <= {RETRIES}
        assert all(1 <= int(line["attempt"]) <= RETRIES for line in lines)
        assert_every_fault_was_retried(lines, log, complete=result.returncode == 0)
        # readable: a DELETE of 100 employers is not a line of 100 ids, retried or failed
        for line in (result.stdout + result.stderr).splitlines():
            assert line.count("id=") <= 1, line
        if "Applied " not in result.stdout:
            if result.returncode == 0:  # the call an earlier run gave up on had landed
                assert "No changes" in result.stdout
            else:  # a read gave up: the plan failed, nothing was written
                assert f"after {RETRIES + 1} attempts" in result.stderr
                assert "nothing was written" in result.stderr
            continue
        # the summary counts every retry of the run by reason, the plan's reads included
        reasons = Counter(line["reason"] for line in lines)
        summary = [
            line for line in result.stdout.splitlines() if line.startswith("  ") and "retr" in line
        ]
        if reasons:
            total = sum(reasons.values())
            assert summary == [f"  {total} {'retry' if total == 1 else 'retries'}: {by(reasons)}"]
        else:
            assert summary == []
    kinds = {
        line["reason"].split(" (")[0] for result, _ in runs for line in retry_lines(result.stderr)
    }
    assert {"HTTP 429", "connection error"} <= kinds
    assert kinds & {"HTTP 500", "HTTP 503"}


def by(reasons: Counter[str]) -> str:
    """ "HTTP 503 x3, HTTP 429 x1": the most frequent first (ties in the order first seen)."""
    return ", ".join(f"{reason} x{count}" for reason, count in reasons.most_common())


def assert_every_fault_was_retried(
    lines: list[re.Match[str]], log: list[LoggedRequest], *, complete: bool
) -> None:
    """Each injected fault cost exactly one retry of that very call. A run that gave up on a
    call has that call's last fault unretried (and calls cancelled with it)."""
    retried = Counter((line["method"], line["path"].split("?")[0]) for line in lines)
    faulted = Counter((entry.method, entry.path) for entry in log if entry.fault)
    if complete:
        assert retried == faulted
    else:
        assert retried < faulted
