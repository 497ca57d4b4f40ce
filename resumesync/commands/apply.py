"""`resumesync apply`: make the account match the files, or execute a saved plan file; the
progress, the summary and what an interrupted run did."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from resumesync.commands.accounts import accounts, heading, plan_targets, report_each
from resumesync.commands.console import Console, ExitCode, Failure, reported_problems
from resumesync.commands.options import connection_options, force_option, show_sensitive_option
from resumesync.commands.output import RetryLog, render, retry_summary
from resumesync.hints import hint


@click.command()
@connection_options
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@force_option
@show_sensitive_option
@click.option(
    "--interrupt-grace",
    type=click.FloatRange(0, 600),
    default=5.0,
    show_default=True,
    help="After SIGTERM or Ctrl+C no new call starts; calls in flight get this many seconds "
    "to finish (a second signal ends the wait).",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when changes remain after applying (drift): the resumes it changed are read "
    "again, nothing else; 0 when the account matches the files, 1 on error.",
)
@click.pass_obj
def apply(
    console: Console,
    plan_file: Path | None,
    yes: bool,
    force: bool,
    show_sensitive: bool,
    interrupt_grace: float,
    detailed_exitcode: bool,
    **connection: Any,
) -> None:
    """Make the account match the files (or execute a saved PLAN_FILE).

    Without PLAN_FILE: plans, shows the plan and asks (--yes skips the question; with no
    terminal to ask on it refuses). A saved PLAN_FILE (`plan --out`) was reviewed when it was
    saved, so it is applied without asking, as Terraform does, once the account is checked
    to be unchanged since.
    """
    from resumesync import pipeline
    from resumesync.planfile import load_plan
    from resumesync.profiles import from_root

    if not math.isfinite(interrupt_grace):  # click's FloatRange lets nan through
        raise Failure("--interrupt-grace must be a number of seconds, not nan")
    retries = RetryLog(console)
    with (
        reported_problems(console),
        accounts(console, connection) as targets,
        # one client per account from the plan to the apply: its connections are reused
        pipeline.Session(on_retry=retries) as session,
    ):
        if plan_file is not None:
            if len(targets) > 1:
                raise Failure("a plan file holds one account's plan: choose it with --profile")
            planned = [(targets[0], load_plan(read_text(plan_file), str(plan_file)))]
            failures = 0
        else:
            planned, failures = plan_targets(
                console, targets, force=force, session=session, with_fingerprint=False
            )
            for target, the_plan in planned:
                heading(console, target, len(targets))
                console.out(render(the_plan, "text", console, show_sensitive, target))
            planned = [(target, the_plan) for target, the_plan in planned if the_plan.has_changes]
            if planned and not yes:
                confirm_or_refuse(
                    console, hint(click.get_current_context(), "apply", extra=["--yes"])
                )
        from resumesync.interrupt import Interrupt, signals_interrupt

        interrupt = Interrupt(interrupt_grace, on_request=interrupted_notice(console))
        with signals_interrupt(interrupt):  # SIGTERM (a CI cancel) like SIGINT
            applied = session.apply(
                [(the_plan, target.desired, target.settings) for target, the_plan in planned],
                check_fingerprint=plan_file is not None,
                force=force,
                on_event=progress_reporter(console, sum(len(plan.changes) for _, plan in planned)),
                interrupt=interrupt,
            )
        remaining: list[Any] = []
        if detailed_exitcode and not interrupt.requested:  # drift: one read pass, plus the
            # resumes the apply changed (not after an interrupt: the run is to end now)
            remaining = session.remaining(
                [(the_plan, target.desired, target.settings) for target, the_plan in planned]
            )
        # the plan's reads and the apply's calls: every retry of the run, per account
        retried = {target.name: session.retries(target.settings) for target, _ in planned}
    finished, apply_failures = report_each(console, [target for target, _ in planned], applied)
    if plan_file is not None and apply_failures:  # a stale plan, or another account's
        replan = hint(
            click.get_current_context(), "plan", extra=["--out", str(plan_file)], drop=["force"]
        )
        console.err(f"Make a new plan with `{replan}`, review it, then apply it again.")
    all_ok = not failures and not apply_failures
    for target, result in finished:
        heading(console, target, len(targets))
        again = hint(click.get_current_context(), "apply")
        console.out(apply_summary(result, again, retried.get(target.name)))
        for problem in pipeline.apply_problems(result, target.desired):
            console.err(str(from_root(problem, target.prefix)))
        all_ok = all_ok and result.ok
    drifted, drift_failures = (
        report_each(console, [target for target, _ in planned], remaining)
        if detailed_exitcode
        else ([], 0)
    )
    if not all_ok or drift_failures:
        sys.exit(ExitCode.ERROR)
    drifted = [(target, left) for target, left in drifted if left.has_changes]
    for target, left in drifted:
        heading(console, target, len(targets))
        console.out("Changes remain after the apply (drift):")
        with reported_problems(console):  # a credential in the output: refused
            console.out(render(left, "text", console, show_sensitive, target))
    if drifted:
        sys.exit(ExitCode.CHANGES)


MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024  # a plan of 2,000-employer lists is a few MB


def read_text(path: Path) -> str:
    """A plan file's text; at most MAX_PLAN_FILE_BYTES of a regular file (a FIFO or
    /dev/zero named as the plan would block or never end)."""
    if path.exists() and not path.is_file():
        raise Failure(f"{path}: cannot read the plan file: not a regular file")
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_PLAN_FILE_BYTES + 1)
        if len(data) > MAX_PLAN_FILE_BYTES:
            raise Failure(f"{path}: not a plan file: larger than {MAX_PLAN_FILE_BYTES >> 20} MB")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Failure(f"{path}: cannot read the plan file: {error}") from None


def confirm_or_refuse(console: Console, unattended: str) -> None:
    """Asks on the terminal; `unattended` is the command that applies without asking."""
    if not console.stdin_is_tty:
        raise Failure(
            "refusing to apply: there is no terminal to confirm on. "
            f"Review the plan above and run `{unattended}`."
        )
    if not click.confirm("Apply these changes?", default=False, err=True):
        raise Failure("Cancelled; nothing was written.")


def progress_reporter(console: Console, total: int = 0) -> Callable[[Any], None]:
    """Progress on stderr: a bar on a terminal, a line per finished change otherwise.
    `total`: the changes of every account applied together (default: the event's plan's)."""
    from resumesync.applier import EventKind

    finished = 0

    def report(event: Any) -> None:
        nonlocal finished
        if event.kind is EventKind.STARTED:
            return
        finished += 1
        change = event.change
        if console.stderr_is_tty:
            width = 30
            filled = width * finished // max(total or event.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if finished == (total or event.total) else ""
            console.stderr.write(f"\r[{bar}] {finished}/{total or event.total}{end}")
            console.stderr.flush()
        else:
            console.err(
                f"[{finished}/{total or event.total}] {event.kind.value}: {change.resume} "
                f"{change.action.value} {change.method} {change.path.split('?')[0]}"
            )

    return report


def apply_summary(
    result: Any, again: str = "resumesync apply", retries: list[Any] | None = None
) -> str:
    """`retries`: every retry of the run (the plan's reads too); default: the apply's own."""
    from resumesync.applier import rerun_may_help

    lines = [f"Applied {len(result.succeeded)} of {len(result.outcomes)} changes."]
    for file, kind, artifact_id in getattr(result, "uploaded", ()):
        lines.append(f"  uploaded {file} as {kind} {artifact_id}: commit resumesync.lock")
    for item in getattr(result, "created", ()):  # new resumes: their ids must reach git
        if item.written:
            lines.append(f"  wrote `{item.id_line}` into {item.file}: commit it")
        else:
            lines.append(
                f"  resume {item.key} is {item.resume_id}, but {item.problem}: "
                f"add the line `{item.id_line}` to {item.file} and commit it"
            )
    for outcome in result.not_yet:
        lines.append(f"  not yet: {outcome.change.resume}: {outcome.message}")
    for outcome in result.failed:
        change = outcome.change
        lines.append(
            f"  failed: {change.resume}: {change.action.value} "
            f"{change.method} {change.path.split('?')[0]}: {outcome.message}"
        )
    if result.skipped:
        lines.append(f"  skipped: {len(result.skipped)} later changes of the failed resumes")
    if getattr(result, "interrupted", None):
        lines.extend(interruption_lines(result))
    retries = result.retries if retries is None else retries
    if retries:
        lines.append(f"  {retry_summary(retries)}")
    if not result.ok and rerun_may_help(result.failed):
        lines.append(f"Some changes failed; run `{again}` again: it continues from here.")
    elif not result.ok:  # hh.ru refused them (400): the same files are refused again
        lines.append("Some changes were refused; fix the files above, then plan and apply again.")
    return "\n".join(lines)


def interrupted_notice(console: Console) -> Callable[[str], None]:
    def notice(reason: str) -> None:
        console.err(
            f"Interrupted ({reason}): no new call starts; the calls in flight get a moment to "
            "finish (send it again to stop at once)."
        )

    return notice


def interruption_lines(result: Any) -> list[str]:
    """What an interrupted apply did, did not do, and may have done."""
    from resumesync.applier import describe_change

    lines = [f"  interrupted by {result.interrupted}:"]
    for title, outcomes in (
        ("done", result.succeeded),
        ("not started", result.not_started),
        ("in flight when interrupted, may have been applied", result.maybe_applied),
    ):
        lines.append(f"    {title}: {len(outcomes)}")
        lines.extend(f"      {describe_change(outcome.change)}" for outcome in outcomes)
    return lines
