"""Issue 12 §8: SIGTERM (what CI sends on cancel) is handled like SIGINT. No new call starts,
calls in flight get a grace period, and the summary says what was done, what was not, and
what may have been applied. Under --sandbox, writes reported as done are never lost.

Exact points without sleeping: a hold in the sandbox keeps a write in flight; the test signals
the process while it waits there, reads the process's "Interrupted" line, then decides.
"""

from __future__ import annotations

import json
import queue
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from resumesync.sandbox import SandboxConfig, running_sandbox

from .support import (
    PROCESS_TIMEOUT,
    TOKEN,
    apply_args,
    build_workload,
    resumesync_command,
    start_cli,
)

WAIT = 30.0  # a bound for things that happen at once, never a timing
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"


class Lines:
    """A subprocess's stderr, line by line, read in a thread (so waiting is bounded)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        assert process.stderr is not None
        stream = process.stderr

        def pump() -> None:
            for line in stream:
                self._queue.put(line)
            self._queue.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, text: str) -> bool:
        while True:
            try:
                line = self._queue.get(timeout=WAIT)
            except queue.Empty:
                return False
            if line is None:
                return False
            self.seen.append(line)
            if text in line:
                return True

    def rest(self) -> str:
        while (line := self._queue.get(timeout=WAIT)) is not None:
            self.seen.append(line)
        return "".join(self.seen)


def writes(sandbox: object) -> list[object]:
    return [r for r in sandbox.requests if r.method != "GET"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_call_in_flight_finishes_within_the_grace_and_nothing_new_starts(
    tmp_path: Path, signal_number: int
) -> None:
    workload = build_workload(tmp_path / "repo", resumes=2)
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        hold = sandbox.hold(1, stage="after", writes_only=True)  # applied; its answer waits
        process = start_cli(
            sandbox.url,
            *apply_args(workload.repo, "--parallelism", "1", "--interrupt-grace", "60"),
        )
        lines = Lines(process)
        try:
            assert hold.wait(WAIT)
            process.send_signal(signal_number)
            assert lines.wait_for(f"Interrupted ({signal.Signals(signal_number).name})")
        finally:
            hold.release()  # within the grace: the held call completes
        stdout, _ = process.communicate(timeout=PROCESS_TIMEOUT)
        stderr = lines.rest()
        sent = writes(sandbox)
    assert process.returncode == 1, stdout + stderr
    assert "Traceback" not in stderr
    assert len(sent) == 1  # the one in flight; no new call started after the signal
    total = workload.write_count
    assert f"interrupted by {signal.Signals(signal_number).name}:" in stdout
    assert "    done: 1\n" in stdout
    assert f"    not started: {total - 1}\n" in stdout
    assert "    in flight when interrupted, may have been applied: 0\n" in stdout


def test_a_call_still_in_flight_after_the_grace_may_have_been_applied(tmp_path: Path) -> None:
    workload = build_workload(tmp_path / "repo", resumes=1)
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        hold = sandbox.hold(1, stage="after", writes_only=True)
        process = start_cli(
            sandbox.url,
            *apply_args(workload.repo, "--parallelism", "1", "--interrupt-grace", "0.2"),
        )
        lines = Lines(process)
        try:
            assert hold.wait(WAIT)
            process.send_signal(signal.SIGTERM)
            stdout, _ = process.communicate(timeout=PROCESS_TIMEOUT)  # the grace runs out
        finally:
            hold.drop()
        stderr = lines.rest()
        held = hold.arrival
    assert process.returncode == 1, stdout + stderr
    assert "Traceback" not in stderr
    assert "    done: 0\n" in stdout
    assert "    in flight when interrupted, may have been applied: 1\n" in stdout
    assert held is not None
    assert f"    not started: {workload.write_count - 1}\n" in stdout


def test_a_second_signal_ends_the_grace(tmp_path: Path) -> None:
    workload = build_workload(tmp_path / "repo", resumes=1)
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        hold = sandbox.hold(1, stage="after", writes_only=True)
        process = start_cli(
            sandbox.url,
            *apply_args(workload.repo, "--parallelism", "1", "--interrupt-grace", "600"),
        )
        lines = Lines(process)
        try:
            assert hold.wait(WAIT)
            process.send_signal(signal.SIGTERM)
            assert lines.wait_for("Interrupted (SIGTERM)")
            process.send_signal(signal.SIGTERM)  # do not wait the 600 s
            stdout, _ = process.communicate(timeout=PROCESS_TIMEOUT)
        finally:
            hold.drop()
    assert process.returncode == 1
    assert "may have been applied: 1" in stdout


def test_sandbox_writes_reported_done_survive_a_kill(tmp_path: Path) -> None:
    """The in-process sandbox saves its account as each write is applied, before the client
    hears of it: a run killed right after a "done" line has that write on disk."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    process = subprocess.Popen(
        [*resumesync_command(), "apply", "--sandbox", "--yes", "--dir", str(repo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    lines = Lines(process)
    try:
        assert lines.wait_for("] done: backend list_add")
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate(timeout=PROCESS_TIMEOUT)
    state = json.loads((repo / ".resumesync" / "sandbox.json").read_text())
    blacklist = state["lists"]["7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"]["blacklist"]
    assert "3529" in blacklist  # the blacklist addition reported as done


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_planning_ends_cleanly(tmp_path: Path, signal_number: int) -> None:
    workload = build_workload(tmp_path / "repo", resumes=1)
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        hold = sandbox.hold(1, stage="before", match=lambda arrival: arrival.method == "GET")
        process = start_cli(sandbox.url, *apply_args(workload.repo))
        try:
            assert hold.wait(WAIT)
            process.send_signal(signal_number)
            _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
        finally:
            hold.drop()
        sent = writes(sandbox)
    assert process.returncode == 1
    assert "Traceback" not in stderr
    assert "Aborted" in stderr
    assert sent == []
