"""Timeouts: every request has a connect and a read timeout, both configurable; a server that
never answers, or never accepts the connection, ends the run with a clear error that names
the timeout and a non-zero exit code, not a hang.

The timeouts here are short (0.5 s) and cover every request of the run, so on a loaded
machine any answer may be late, not only the one a test holds back: the assertions accept
any number of extra retries of other requests and check what must hold whatever the timing
(which call timed out, that it was retried, that the account converged), never an exact
request log. PROCESS_BOUND only stops a hang; it is far above any run's duration.
"""

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
from resumesync.sandbox.holds import Arrival

from .support import (
    PROCESS_TIMEOUT,
    QUICK,
    TOKEN,
    build_workload,
    differences,
    run_apply,
    run_cli,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
# Far below the defaults (10 s to connect, 30 s to read, 5 retries).
TIMEOUT = "0.5"
# A run that ignored the options would retry for minutes: it outlives this bound and fails
# the test instead of hanging CI. (It was 20 s: a subprocess's start-up on a loaded machine
# is no part of what is tested.)
PROCESS_BOUND = PROCESS_TIMEOUT


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
    # reads may start together: whichever is retried or gives up first is reported
    assert re.search(
        r"^retrying: GET /\S+: read timeout after 0\.5 s; retry 1 of 1", result.stderr, re.MULTILINE
    ), result.stderr
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
    assert re.search(
        r"^retrying: GET /\S+: connect timeout after 0\.5 s; retry 1 of 1",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert re.search(
        rf"cannot reach {url}: GET /\S+ failed after 2 attempts: "
        r"no connection within 0\.5 s \(connect timeout; set with --connect-timeout\)$",
        result.stderr,
        re.MULTILINE,
    ), result.stderr


def is_put(arrival: Arrival) -> bool:
    return arrival.method == "PUT"


def test_a_write_whose_answer_never_comes_times_out_and_is_retried(tmp_path: Path) -> None:
    """The timeout covers writes too: a PUT whose answer never comes is retried (it was
    applied: PUT is idempotent) and the run still converges, also when the retry's answer is
    late as well (as any answer may be on a loaded machine): the PUT is then retried again.

    Holds (checked in the order armed): the 1st PUT is applied and its answer held, the
    2nd PUT too; when the 3rd arrives, the 2nd is dropped and the 3rd goes through."""
    workload = build_workload(tmp_path / "repo", resumes=1, list_size=50, added=10, removed=5)
    with running_sandbox(SandboxConfig(accounts={TOKEN: workload.account})) as sandbox:
        first = sandbox.hold(1, stage="after", match=is_put)
        second = sandbox.hold(1, stage="after", match=is_put)
        third = sandbox.hold(1, stage="before", match=is_put)

        def late_answer() -> None:
            if third.wait(PROCESS_BOUND):  # the client gave up on the second PUT
                second.drop()
            third.release()

        helper = threading.Thread(target=late_answer)
        helper.start()
        try:
            result = run_apply(sandbox.url, workload.repo, "--timeout", TIMEOUT, in_process=True)
        finally:
            first.drop()
            second.drop()
            third.release()
            helper.join(PROCESS_BOUND)
        settled = first.settled(PROCESS_BOUND) and second.settled(PROCESS_BOUND)
        account = sandbox.account(TOKEN)
        puts = [(entry.status, entry.fault) for entry in sandbox.requests if entry.method == "PUT"]
        errors = sandbox.internal_errors
    assert result.returncode == 0, result.stdout + result.stderr
    assert third.reached, result.stderr
    assert settled and first.applied is True and second.applied is True
    # the two held attempts, then at least one answered retry (more if answers were late)
    assert all(status == 204 for status, _ in puts), puts
    assert [fault for _, fault in puts].count("hold") == 2, puts
    assert len(puts) >= 3, puts
    for attempt in (1, 2):
        assert re.search(
            rf"^retrying: PUT /resumes/\S+: read timeout after 0\.5 s; retry {attempt} of 5",
            result.stderr,
            re.MULTILINE,
        ), result.stderr
    assert differences(account, workload) == []
    assert errors == []
