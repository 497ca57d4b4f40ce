"""The accounts a command works on: every profile's files validated before any request, an
in-process sandbox standing in for hh.ru under --sandbox, and each account's plan or failure
reported without stopping the others."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resumesync.commands.console import Console, Failure, print_warnings


@dataclass(frozen=True)
class Target:
    """One account to plan or apply: a profile and its validated files."""

    name: str
    settings: Any  # resumesync.settings.Settings
    desired: Any  # resumesync.model.DesiredState
    prefix: str = ""  # the profile's folder from the repository root, for messages


@contextlib.contextmanager
def accounts(console: Console, connection: dict[str, Any]) -> Iterator[list[Target]]:
    """Validates every profile's files (all before any request), then yields one Target per
    profile, with an in-process sandbox standing in for hh.ru under --sandbox."""
    from resumesync import files
    from resumesync.profiles import resolve_profiles

    root: Path = connection["directory"]
    options = dict(connection, read_timeout=connection["timeout"])
    profiles = resolve_profiles(
        root, files.load_config(root), console.env, selected=connection["profile"], options=options
    )
    targets = [
        Target(profile.name, profile.settings, desired, profile.prefix)
        for profile, desired in load_profiles(console, profiles)
    ]
    if not connection["sandbox"]:
        yield targets
        return
    from resumesync.sandbox import SANDBOX_TOKEN, persistent_sandbox

    with contextlib.ExitStack() as stack:
        sandboxed = []
        for target in targets:
            directory = target.settings.directory
            try:
                managed = [resume.resume_id for resume in target.desired.resumes]
                running = stack.enter_context(persistent_sandbox(directory, resume_ids=managed))
            except ValueError as error:  # a damaged state file: the message names --reset
                raise Failure(str(error)) from None
            console.err(
                f"Using the built-in sandbox ({directory / '.resumesync' / 'sandbox.json'})."
            )
            settings = target.settings.with_overrides(
                api_url=running.url,
                token=SANDBOX_TOKEN,
                api_name="sandbox",
                max_rps=sandbox_rps(connection),
            )
            sandboxed.append(Target(target.name, settings, target.desired, target.prefix))
        yield sandboxed


def sandbox_rps(connection: dict[str, Any]) -> float:
    """The in-process sandbox is not hh.ru: no rate limit to respect unless --max-rps says."""
    return connection.get("max_rps") or 0.0  # 0: no limit


def load_profiles(
    console: Console, profiles: list[Any], *, rules: bool = False
) -> list[tuple[Any, Any]]:
    """Every profile's files, all checked before anything else happens: (profile, desired
    state) pairs, or one ProblemsError with the problems of every profile. `rules`: show the
    documented rules' warnings too (validate; plan judges them on what it sends)."""
    from resumesync import files
    from resumesync.problems import ProblemsError, RuleWarning
    from resumesync.profiles import from_root

    def shown(warnings: list[Any], prefix: str) -> list[Any]:
        kept = [item for item in warnings if rules or not isinstance(item, RuleWarning)]
        return [from_root(item, prefix) for item in kept]

    loaded, problems = [], []
    for profile in profiles:
        try:
            repository = files.read_repository(profile.directory, console.env)
        except ProblemsError as error:
            print_warnings(console, shown(getattr(error, "warnings", []), profile.prefix))
            problems.extend(from_root(problem, profile.prefix) for problem in error.problems)
            continue
        print_warnings(console, shown(repository.warnings, profile.prefix))
        loaded.append((profile, repository.state))
    if problems:
        raise ProblemsError(problems)
    return loaded


def report_each(
    console: Console, targets: list[Target], results: list[Any]
) -> tuple[list[tuple[Target, Any]], int]:
    """Splits per-account results into successes and failures; failures are printed here, so
    one account's failure is reported without stopping the others."""
    from resumesync.client import ClientError
    from resumesync.problems import Problem, ProblemsError
    from resumesync.profiles import from_root

    succeeded, failures = [], 0
    for target, result in zip(targets, results, strict=True):
        if not isinstance(result, Exception):
            succeeded.append((target, result))
            continue
        if not isinstance(result, ProblemsError | ClientError):
            raise result
        failures += 1
        prefix = f"profile {target.name}: " if len(targets) > 1 else ""
        for problem in getattr(result, "problems", None) or [result]:
            if isinstance(problem, Problem):
                problem = from_root(problem, target.prefix)
            console.err(f"{prefix}{problem}")
        console.err(f"{prefix}nothing was written to this account.")
    return succeeded, failures


def plan_targets(
    console: Console,
    targets: list[Target],
    *,
    force: bool,
    session: Any,
    with_fingerprint: bool = True,
) -> tuple[list[tuple[Target, Any]], int]:
    """Plans every account concurrently in `session` (a pipeline.Session): the (target, plan)
    pairs that worked, and how many accounts failed (already reported)."""
    results = session.plan(
        [(target.desired, target.settings) for target in targets],
        force=force,
        with_fingerprint=with_fingerprint,
    )
    succeeded, failures = report_each(console, targets, results)
    return [(target, result.plan) for target, result in succeeded], failures


def heading(console: Console, target: Target, count: int) -> None:
    if count > 1:
        console.out(f"== profile {target.name} ==")
