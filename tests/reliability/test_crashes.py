"""Crashes: `resumesync apply --yes` killed with SIGKILL at a point drawn from a seed, before
or after a write was applied, between the batches of a list, or while still reading. The next
apply converges to exactly the desired state and the plan after it is empty.

The kill point is exact without sleeping: a hold in the sandbox stops the chosen request
inside the server, the test kills the process while it waits there, then drops the request.
"""

from __future__ import annotations

import random
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from resumesync import pipeline
from resumesync.sandbox import RunningSandbox, SandboxConfig, running_sandbox
from resumesync.sandbox.holds import Arrival, Hold, Stage
from resumesync.settings import resolve_settings

from .support import (
    PROCESS_TIMEOUT,
    TOKEN,
    Workload,
    apply_args,
    build_workload,
    differences,
    invoke,
    partial_lists,
    replan_exit_code,
    start_cli,
)

POLL = 0.05
WAIT = 30.0  # how long the hold may take to be reached: a bound, never a timing


def is_read(arrival: Arrival) -> bool:
    return arrival.method == "GET"


def is_list_batch(arrival: Arrival) -> bool:
    return arrival.is_write and arrival.path.rstrip("/").endswith(
        ("/blacklist", "/whitelist", "/employer")
    )


def is_write_before_publish(arrival: Arrival) -> bool:
    """Any write but a publish: the held resume's publish (its last step) is then still to do."""
    return arrival.is_write and not arrival.path.endswith("/publish")


@dataclass(frozen=True)
class KillPoint:
    seed: int
    stage: Stage
    target: str  # "write", "batch" or "read"
    parallelism: int = 8

    def __str__(self) -> str:
        return f"seed{self.seed}-{self.stage}-{self.target}-p{self.parallelism}"


# With one request at a time (parallelism 1) the order of requests, and so the kill point, is
# the same on every run; the "batch" seeds were picked to stop one list between its batches.
POINTS = [
    KillPoint(1, "before", "write"),
    KillPoint(2, "after", "write"),
    KillPoint(2, "after", "batch", parallelism=1),
    KillPoint(1, "before", "batch", parallelism=1),
    KillPoint(6, "after", "read"),
]


def small_workload(directory: Path) -> Workload:
    return build_workload(directory, resumes=2)


@pytest.mark.parametrize("point", POINTS, ids=str)
def test_an_apply_killed_anywhere_is_finished_by_the_next(tmp_path: Path, point: KillPoint) -> None:
    workload = small_workload(tmp_path / "repo")
    config = SandboxConfig(accounts={TOKEN: workload.account})
    with running_sandbox(config) as sandbox:
        match = MATCHES[point.target]
        nth = random.Random(point.seed).randint(1, matching_requests(sandbox, workload, match))
        hold = sandbox.hold(nth, stage=point.stage, match=match)
        process = start_cli(
            sandbox.url, *apply_args(workload.repo, "--parallelism", str(point.parallelism))
        )
        try:
            reached = wait_for(hold, process)
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=PROCESS_TIMEOUT)
        finally:
            hold.drop()  # "before": the held request is never applied
        assert not reached or hold.settled(WAIT)
        killed = sandbox.account(TOKEN)
        log = sandbox.requests
        again = invoke(sandbox.url, *apply_args(workload.repo))
        converged = sandbox.account(TOKEN)
        replan, replan_output = replan_exit_code(sandbox.url, workload.repo)
        errors = sandbox.internal_errors

    assert reached, f"request {nth} of those matching never came"
    assert process.returncode == -signal.SIGKILL
    applied = [r for r in log if r.method != "GET" and 200 <= r.status < 300 and not r.fault]
    held_applied = [
        r for r in log if r.fault == "hold" and r.method != "GET" and 200 <= r.status < 300
    ]
    if point.target == "read":
        assert applied == [] and held_applied == []
    else:
        assert hold.arrival is not None and hold.arrival.is_write
        assert hold.applied is (point.stage == "after")
        assert len(held_applied) == (point.stage == "after")
        assert differences(killed, workload)  # work was left: at least the held resume's publish
        if point.parallelism == 1:  # one request at a time: every earlier match was applied
            earlier = [r for r in applied if match(Arrival(r.method, r.path))]
            assert len(earlier) == nth - 1
        if point.target == "batch" and point.parallelism == 1:
            assert partial_lists(killed, workload), "the kill did not fall between two batches"
    assert again.exit_code == 0, again.output
    assert differences(converged, workload) == []
    assert replan == 0, replan_output
    assert errors == []


def wait_for(hold: Hold, process: subprocess.Popen[str]) -> bool:
    """Whether the hold was reached; gives up early when the process ends without reaching it."""
    for _ in range(int(WAIT / POLL)):
        if hold.wait(POLL):
            return True
        if process.poll() is not None:
            return hold.reached
    return False


def matching_requests(
    sandbox: RunningSandbox, workload: Workload, match: Callable[[Arrival], bool]
) -> int:
    """How many requests an uninterrupted apply would make that `match`: writes are one per
    change; reads are counted by planning once (a plan writes nothing)."""
    if match is is_read:
        plan(workload, sandbox.url)
        count = sum(1 for r in sandbox.requests if r.method == "GET")
        sandbox.clear_requests()
        return count
    batches = workload.write_count - 2 * len(workload.resumes)  # less a PUT and a publish each
    return batches if match is is_list_batch else batches + len(workload.resumes)


def plan(workload: Workload, url: str) -> None:
    desired = pipeline.load(workload.repo, {})
    settings = resolve_settings(workload.repo, {}, token=TOKEN, api_url=url, max_rps=1000.0)
    assert pipeline.plan(desired, settings).plan.has_changes


MATCHES: dict[str, Callable[[Arrival], bool]] = {
    "read": is_read,
    "write": is_write_before_publish,
    "batch": is_list_batch,
}
