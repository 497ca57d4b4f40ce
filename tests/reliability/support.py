"""Helpers for the reliability tests: a workload with real work, the CLI as a subprocess, and
the checks that an account is exactly in its desired state.

The workload is a synthetic account (resumes with long visibility lists) and a repository
that asks for field edits on every resume, hundreds of employers added to each blacklist and
removed from each whitelist (several batches of 100 each), and a renewal (`publish: renew`).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.sandbox import Account, RunningSandbox
from resumesync.sandbox.holds import Arrival, Stage

TOKEN = "USERreliability-token-0000000000000000000000000000000000000000000000000"
OTHER_TOKEN = "USERreliability-other-1111111111111111111111111111111111111111111111111"
# No client-side rate limit and short backoff: the sandbox's faults, not waiting, are tested.
QUICK = ("--max-rps", "1000", "--retry-wait", "0.01")
# A regression that hangs must fail the test, not CI: every subprocess gets this bound.
PROCESS_TIMEOUT = 60.0
RETRY_LINE = re.compile(
    r"^retrying: (?P<method>GET|PUT|POST|DELETE) (?P<path>/\S+(?: \(\d+ parameters\))?): "
    r"(?P<reason>HTTP (?:429|500|503)|connection error \(\w+\)|\w+ timeout after [0-9.]+ s); "
    r"retry (?P<attempt>\d+) of (?P<retries>\d+) in (?P<delay>[0-9.]+)s$"
)


@dataclass(frozen=True)
class DesiredResume:
    key: str
    resume_id: str
    title: str
    salary: int
    blacklist: tuple[str, ...]
    whitelist: tuple[str, ...]
    published_before: float  # next_publish_at of the seed: a renewal moves it later


@dataclass(frozen=True)
class Workload:
    account: Account  # the live account before any apply
    repo: Path
    resumes: tuple[DesiredResume, ...]

    @property
    def write_count(self) -> int:
        """The write requests one apply makes from the seed state (one per change)."""
        batches = 0
        for resume in self.resumes:
            live = self.account.resumes[resume.resume_id]
            added = set(resume.blacklist) - set(live.blacklist)
            removed = set(live.whitelist) - set(resume.whitelist)
            batches += -(-len(added) // 100) + -(-len(removed) // 100)
        return batches + 2 * len(self.resumes)  # plus one PUT and one publish per resume


def build_workload(
    directory: Path,
    *,
    resumes: int = 3,
    list_size: int = 400,
    added: int = 250,
    removed: int = 110,
) -> Workload:
    """Writes the repository into `directory`; the account is seeded the same every time.
    By default: three batches to add to each blacklist and two to remove from each whitelist
    (27 % of it: under the 30 % that needs --force)."""
    account = Account.synthetic(n_resumes=resumes, list_size=list_size, seed=0)
    (directory / "resumes").mkdir(parents=True)
    visibility: dict[str, dict[str, object]] = {}
    desired = []
    for index, (resume_id, resume) in enumerate(account.resumes.items()):
        key = f"resume-{index}"
        new = tuple(str(20_000_000 + 1_000 * index + n) for n in range(added))
        wanted = DesiredResume(
            key=key,
            resume_id=resume_id,
            title=f"Staff engineer {index}",
            salary=400_000 + 10_000 * index,
            blacklist=(*resume.blacklist, *new),
            whitelist=tuple(resume.whitelist[removed:]),
            published_before=float(resume.state.next_publish_at or 0.0),
        )
        desired.append(wanted)
        document = {
            "id": resume_id,
            "publish": "renew",
            "title": wanted.title,
            "salary": {"amount": wanted.salary, "currency": "RUR"},
        }
        (directory / "resumes" / f"{key}.yaml").write_text(yaml.safe_dump(document))
        # Plain sequences: exact lists, so a lost or an extra employer shows in the re-plan.
        visibility[key] = {"blacklist": list(wanted.blacklist), "whitelist": list(wanted.whitelist)}
    (directory / "visibility.yaml").write_text(yaml.safe_dump({"resumes": visibility}))
    return Workload(account=account, repo=directory, resumes=tuple(desired))


def differences(account: Account, workload: Workload) -> list[str]:
    """How `account` differs from the desired state (empty: exactly as desired). Lists are
    compared in full, so a lost or a duplicated employer is a difference."""
    found = []
    for wanted in workload.resumes:
        live = account.resumes[wanted.resume_id]
        if live.fields.get("title") != wanted.title:
            found.append(f"{wanted.key}: title {live.fields.get('title')!r}")
        if (live.fields.get("salary") or {}).get("amount") != wanted.salary:
            found.append(f"{wanted.key}: salary {live.fields.get('salary')!r}")
        for kind, expected in (("blacklist", wanted.blacklist), ("whitelist", wanted.whitelist)):
            employers = live.employers(kind)
            if sorted(employers) != sorted(expected):
                lost = len(set(expected) - set(employers))
                extra = len(set(employers) - set(expected))
                duplicated = len(employers) - len(set(employers))
                found.append(f"{wanted.key}: {kind} {lost} lost, {extra} extra, {duplicated} dup")
        if (live.state.next_publish_at or 0.0) <= wanted.published_before:
            found.append(f"{wanted.key}: not renewed")
    return found


def partial_lists(account: Account, workload: Workload) -> list[str]:
    """The lists that an apply left half done: some of their batches applied, not all."""
    found = []
    for wanted in workload.resumes:
        seed = workload.account.resumes[wanted.resume_id]
        live = account.resumes[wanted.resume_id]
        for kind, expected in (("blacklist", wanted.blacklist), ("whitelist", wanted.whitelist)):
            before, now, goal = set(seed.employers(kind)), set(live.employers(kind)), set(expected)
            to_do, done = before ^ goal, before ^ now
            if done and done != to_do:
                found.append(f"{wanted.key} {kind}: {len(done)} of {len(to_do)} changed")
    return found


def environment(url: str, token: str = TOKEN) -> dict[str, str]:
    """The subprocess's environment: ours without HH_* settings, then the sandbox's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HH_")}
    env.update({"HH_API_URL": url, "HH_TOKEN": token, "NO_COLOR": "1"})
    return env


def resumesync_command() -> list[str]:
    """The installed console script, next to the interpreter running the tests."""
    script = Path(sys.executable).parent / "resumesync"
    return [str(script)] if script.exists() else [sys.executable, "-m", "resumesync.cli"]


def run_cli(
    url: str, *args: str, token: str = TOKEN, timeout: float = PROCESS_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """`resumesync ARGS` as a subprocess against the sandbox at `url`."""
    return subprocess.run(
        [*resumesync_command(), *args],
        env=environment(url, token),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_cli(url: str, *args: str, token: str = TOKEN) -> subprocess.Popen[str]:
    """`resumesync ARGS` started in the background (to be killed or waited for)."""
    return subprocess.Popen(
        [*resumesync_command(), *args],
        env=environment(url, token),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def apply_args(repo: Path, *extra: str) -> list[str]:
    return ["apply", "--yes", "--dir", str(repo), *QUICK, *extra]


HOLD_WAIT = 30.0  # a bound on reaching a held request, never a timing


def kill_apply_when_held(
    sandbox: RunningSandbox, repo: Path, nth: int, stage: Stage, match: Callable[[Arrival], bool]
) -> None:
    """`resumesync apply` in a process of its own, SIGKILLed while the sandbox holds the
    `nth` request that `match` picks, `before` or `after` the sandbox has handled it."""
    hold = sandbox.hold(nth, stage=stage, match=match)
    process = start_cli(sandbox.url, *apply_args(repo))
    try:
        reached = hold.wait(HOLD_WAIT)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=PROCESS_TIMEOUT)
    finally:
        hold.drop()
    assert reached, "the held request never came"
    assert hold.settled(HOLD_WAIT)
    assert process.returncode == -signal.SIGKILL


def invoke(url: str, *args: str, token: str = TOKEN) -> Result:
    """`resumesync ARGS` in this process (click's CliRunner): cheaper than a subprocess."""
    return CliRunner().invoke(
        cli,
        list(args),
        env={"NO_COLOR": "1", "HH_API_URL": url, "HH_TOKEN": token},
        catch_exceptions=False,
    )


def replan_exit_code(url: str, repo: Path, token: str = TOKEN) -> tuple[int, str]:
    """`plan --detailed-exitcode` (0: nothing left to do, 2: changes) and its output."""
    result = invoke(url, "plan", "--dir", str(repo), "--detailed-exitcode", *QUICK, token=token)
    return result.exit_code, result.output


@dataclass(frozen=True)
class Outcome:
    """What a CLI run left behind, whether it ran as a subprocess or in this process."""

    returncode: int
    stdout: str
    stderr: str


def run_apply(url: str, repo: Path, *extra: str, in_process: bool = False) -> Outcome:
    """`resumesync apply --yes` once; in this process it skips the interpreter's start-up."""
    if in_process:
        result = invoke(url, *apply_args(repo, *extra))
        return Outcome(result.exit_code, result.stdout, result.stderr)
    completed = run_cli(url, *apply_args(repo, *extra))
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


def retry_lines(stderr: str) -> list[re.Match[str]]:
    """The "retrying: ..." lines; any other line that starts so is malformed and fails."""
    lines = [line for line in stderr.splitlines() if line.startswith("retrying:")]
    matches = [RETRY_LINE.match(line) for line in lines]
    malformed = [line for line, match in zip(lines, matches, strict=True) if match is None]
    assert not malformed, malformed
    return [match for match in matches if match is not None]
