"""Timeouts: every request has a connect and a read timeout, both configurable; a server that
never answers, or never accepts the connection, ends the run with a clear error that names
the timeout and a non-zero exit code, not a hang."""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from resumesync.sandbox import SandboxConfig, running_sandbox

from .support import QUICK, TOKEN, build_workload, differences, run_apply, run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
# Far below the defaults (10 s to connect, 30 s to read, 5 retries): a run that ignored the
# options would outlive PROCESS_BOUND and fail the test instead of hanging CI.
TIMEOUT = "0.5"
PROCESS_BOUND = 20.0


@contextlib.contextmanager
def server_that_never_answers() -> Iterator[str]:
    """Accepts every connection, reads nothing, answers nothing."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):  # the listener was closed: the test is over
            while True:
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() does not
        listener.close()
        thread.join(5)
        for connection in accepted:
            connection.close()


@contextlib.contextmanager
def server_that_never_accepts() -> Iterator[str]:
    """Listens with a backlog of one that a first connection fills: the kernel drops the
    handshakes that follow, so connecting hangs until the client's connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    filler = socket.create_connection(listener.getsockname(), timeout=5)
    try:
        yield url
    finally:
        filler.close()
        listener.close()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLE, target)
    return target


def test_a_server_that_never_answers_ends_in_a_read_timeout(repo: Path) -> None:
    with server_that_never_answers() as url:
        result = run_cli(
            url,
            *("apply", "--yes", "--dir", str(repo), *QUICK),
            *("--timeout", TIMEOUT, "--retries", "1"),
            timeout=PROCESS_BOUND,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "retrying: GET /resumes/mine: read timeout after 0.5 s; retry 1 of 1" in result.stderr
    # every read starts at once; whichever gives up first is reported
    assert re.search(
        rf"cannot reach {url}: GET /\S+ failed after 2 attempts: "
        r"no answer within 0\.5 s \(read timeout; set with --timeout\)$",
        result.stderr,
        re.MULTILINE,
    ), result.stderr


def test_a_server_that_never_accepts_ends_in_a_connect_timeout(repo: Path) -> None:
    with server_that_never_accepts() as url:
        result = run_cli(
            url,
            *("plan", "--dir", str(repo), *QUICK),
            *("--connect-timeout", TIMEOUT, "--retries", "1"),
            timeout=PROCESS_BOUND,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "retrying: GET /resumes/mine: connect timeout after 0.5 s; retry 1 of 1" in result.stderr
    assert re.search(
        rf"cannot reach {url}: GET /\S+ failed after 2 attempts: "
        r"no connection within 0\.5 s \(connect timeout; set with --connect-timeout\)$",
        result.stderr,
        re.MULTILINE,
    ), result.stderr


def test_a_write_whose_answer_never_comes_times_out_and_is_retried(tmp_path: Path) -> None:
    """The timeout covers writes too: a PUT whose answer never comes is retried (it was
    applied: PUT is idempotent) and the run still converges."""
    workload = build_workload(tmp_path / "repo", resumes=1, list_size=50, added=10, removed=5)
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        hold = sandbox.hold(1, stage="after", match=lambda arrival: arrival.method == "PUT")
        result = run_apply(sandbox.url, workload.repo, "--timeout", TIMEOUT, in_process=True)
        hold.drop()
        settled = hold.settled(PROCESS_BOUND)
        account = sandbox.account(TOKEN)
        puts = [(entry.status, entry.fault) for entry in sandbox.requests if entry.method == "PUT"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert settled and hold.applied is True
    assert puts == [(204, None), (204, "hold")]  # the retry, then the held attempt, dropped
    assert "read timeout after 0.5 s; retry 1 of 5" in result.stderr
    assert differences(account, workload) == []
