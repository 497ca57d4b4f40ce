"""The command line: options in, library calls, renderers out. No logic of its own."""

from __future__ import annotations

import contextlib
import enum
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import click

from resumesync import __version__
from resumesync.commands import auth as auth_commands
from resumesync.commands.pull import pull_command
from resumesync.commands.renew import renew_command
from resumesync.employers_cli import employers_group
from resumesync.hints import hint


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1
    CHANGES = 2  # plan --detailed-exitcode: changes present


@dataclass
class Console:
    """Streams and terminal facts in one place, so tests can swap them (as httpie does)."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    @property
    def stdin_is_tty(self) -> bool:
        return sys.stdin is not None and sys.stdin.isatty()

    @property
    def stdout_is_tty(self) -> bool:
        return self.stdout.isatty()

    @property
    def stderr_is_tty(self) -> bool:
        return self.stderr.isatty()

    @property
    def color(self) -> bool:
        return self.stdout_is_tty and "NO_COLOR" not in self.env

    def out(self, text: str) -> None:
        click.echo(text, file=self.stdout)

    def err(self, text: str) -> None:
        # Errors and warnings carry server text (descriptions, titles): no control characters
        # or terminal escapes reach the terminal (textsafe.py).
        from resumesync.textsafe import printable_lines

        click.echo(printable_lines(text), file=self.stderr)


class Failure(click.ClickException):
    """An expected failure: its message is printed as is, exit code 1."""

    exit_code = ExitCode.ERROR

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), file=file or sys.stderr)


directory_option = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The repository directory.",
)


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options that every command talking to the API accepts after its name."""
    options = [
        directory_option,
        click.option(
            "--token",
            help="OAuth access token (default: $HH_TOKEN). A command line is visible to other "
            "users of the machine (`ps`): prefer setting HH_TOKEN.",
        ),
        click.option(
            "--token-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Token store written by `resumesync login` (default: $HH_TOKEN_FILE, else "
            "the user's config directory); used when no token is given.",
        ),
        click.option("--api-url", help="API base URL (default: $HH_API_URL or https://api.hh.ru)."),
        click.option("--user-agent", help="Sent as HH-User-Agent (default: $HH_USER_AGENT)."),
        click.option(
            "--parallelism", type=click.IntRange(1, 64), help="Concurrent requests (default 8)."
        ),
        click.option(
            "--max-rps",
            type=click.FloatRange(0.1),
            help="Client-side rate limit in requests per second (default 10).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(0.1),
            help="The longest one attempt of a request may take, from sending it to the last "
            "byte of the answer, in seconds (default 30).",
        ),
        click.option(
            "--connect-timeout",
            type=click.FloatRange(0.1),
            help="Connect timeout of each request in seconds (default 10).",
        ),
        click.option(
            "--retries",
            type=click.IntRange(0, 20),
            help="Retries of a request after a 429, 5xx, timeout or lost connection (default 5).",
        ),
        click.option(
            "--retry-wait",
            type=click.FloatRange(0),
            help="Longest wait in seconds before the first retry; it doubles with each retry, "
            "up to 30 s; a Retry-After answer wins (default 0.5).",
        ),
        click.option(
            "--profile",
            multiple=True,
            help="Only this profile of resumesync.yaml (repeatable; default: all).",
        ),
        click.option(
            "--sandbox",
            is_flag=True,
            help="Run against the built-in sandbox account "
            "kept in DIR/.resumesync/sandbox.json (no token needed).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="resumesync")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Keep hh.ru resumes and their visibility lists as code.

    \b
    Try it anywhere, no account needed (a built-in sandbox account):
      resumesync import --sandbox --dir try   write its resumes into try/ as files
      resumesync plan --sandbox --dir try     edit try/resumes/*.yaml, then see the plan
      resumesync apply --sandbox --dir try    make the sandbox account match the files

    \b
    With your account (HH_TOKEN):
      resumesync import               resume files + visibility.yaml from the live account
      resumesync validate             check the files offline
      resumesync plan                 show what apply would change
      resumesync apply                make the account match the files
    """
    ctx.ensure_object(Console)


@cli.command()
@directory_option
@click.option(
    "--profile",
    multiple=True,
    help="Only this profile of resumesync.yaml (repeatable; default: all).",
)
@click.pass_obj
def validate(console: Console, directory: Path, profile: tuple[str, ...]) -> None:
    """Check the files offline; errors print as FILE:LINE: field: message."""
    from resumesync import files
    from resumesync.profiles import resolve_profiles

    with reported_problems(console, writes=False):
        profiles = resolve_profiles(
            directory, files.load_config(directory), console.env, selected=profile
        )
        loaded = load_profiles(console, profiles, rules=True)
    count = sum(len(desired.resumes) for _, desired in loaded)
    console.out(f"{count} {'resume' if count == 1 else 'resumes'} valid.")


@cli.command()
@connection_options
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also save the plan as JSON (mode 0600) for `apply FILE`.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for a terminal; json: the plan file format (personal data hidden unless "
    "--show-sensitive); markdown for a pull-request comment.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when there are no changes, 1 on error, 2 when there are changes.",
)
@click.option("--force", is_flag=True, help="Allow removing more than 30 % of a large list.")
@click.option("--show-sensitive", is_flag=True, help="Show contact values and birth date.")
@click.pass_obj
def plan(
    console: Console,
    out_file: Path | None,
    output_format: str,
    detailed_exitcode: bool,
    force: bool,
    show_sensitive: bool,
    **connection: Any,
) -> None:
    """Show the API calls that would make the account match the files."""
    from resumesync import pipeline
    from resumesync.planfile import write_plan_file
    from resumesync.render.redact import printed_plan_json

    if out_file is not None:  # a missing directory or a symlink: say so before planning
        with reported_problems(console):
            from resumesync.safefs import check_writable

            check_writable(out_file)
    with (
        reported_problems(console),
        accounts(console, connection) as targets,
        pipeline.Session(on_retry=RetryLog(console)) as session,
    ):
        if out_file is not None and len(targets) > 1:
            raise Failure("--out saves one account's plan: choose a profile with --profile")
        saved = out_file is not None or output_format == "json"  # what shows the fingerprint
        planned, failures = plan_targets(
            console, targets, force=force, session=session, with_fingerprint=saved
        )
        retried = {target.name: session.retries(target.settings) for target in targets}
    with reported_problems(console):  # a credential in any output is refused (credentials.py)
        if output_format == "json" and len(targets) > 1:
            document = {
                target.name: printed_plan_json(plan, show_sensitive=show_sensitive)
                for target, plan in planned
            }
            text = json.dumps(document, indent=2, ensure_ascii=False)
            for target in targets:
                target.settings.secrets.check(text, "the plan output")
            console.out(text)
        else:
            for target, the_plan in planned:
                heading(console, target, len(targets))
                console.out(render(the_plan, output_format, console, show_sensitive, target))
    for target in targets:  # on stderr: stdout may be the JSON or markdown plan
        if retried.get(target.name):
            prefix = f"profile {target.name}: " if len(targets) > 1 else ""
            console.err(f"{prefix}{retry_summary(retried[target.name])}")
    if out_file is not None and planned:
        with reported_problems(console):
            write_plan_file(out_file, planned[0][1], planned[0][0].settings.secrets)
        again = hint(click.get_current_context(), "apply", out_file, drop=["show_sensitive"])
        console.err(f"Saved the plan to {out_file}. Apply it with `{again}`.")
    if failures:
        sys.exit(ExitCode.ERROR)
    if detailed_exitcode and any(the_plan.has_changes for _, the_plan in planned):
        sys.exit(ExitCode.CHANGES)


@cli.command()
@connection_options
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@click.option("--force", is_flag=True, help="Allow removing more than 30 % of a large list.")
@click.option("--show-sensitive", is_flag=True, help="Show contact values and birth date.")
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


@cli.command(name="import")
@connection_options
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--resume", "resume_ids", multiple=True, help="Only this resume id (repeatable).")
@click.pass_obj
def import_command(
    console: Console, force: bool, resume_ids: tuple[str, ...], **connection: Any
) -> None:
    """Write resume files and visibility.yaml from the live account."""
    from resumesync import files
    from resumesync.importer import import_account_sync
    from resumesync.profiles import resolve_profiles

    root: Path = connection["directory"]
    with reported_problems(console), contextlib.ExitStack() as stack:
        options = dict(connection, read_timeout=connection["timeout"])
        profiles = resolve_profiles(
            root, files.load_config(root), console.env, selected=connection["profile"],
            options=options,
        )  # fmt: skip
        if len(profiles) > 1:
            names = ", ".join(profile.name for profile in profiles)
            raise Failure(f"import writes one account's files: choose one with --profile ({names})")
        directory, settings = profiles[0].directory, profiles[0].settings
        shown = root / profiles[0].prefix  # the folder as the user would name it
        if connection["sandbox"]:
            from resumesync.sandbox import SANDBOX_TOKEN, persistent_sandbox

            running = stack.enter_context(persistent_sandbox(directory))
            settings = settings.with_overrides(
                api_url=running.url, token=SANDBOX_TOKEN, max_rps=sandbox_rps(connection)
            )
        result = import_account_sync(
            settings, directory, force=force, resume_ids=resume_ids, on_retry=RetryLog(console)
        )
    for path in result.written:
        inside = Path(os.path.relpath(path, directory))
        console.out(f"wrote {path if inside.parts[:1] == ('..',) else shown / inside}")
    for note in result.notes:
        console.err(f"note: {note}")
    for summary in result.skipped:
        console.err(f"not imported: {summary.resume_id} {summary.title!r}")
    plan_hint = hint(click.get_current_context(), "plan", drop=["force"])
    count = len(result.resumes)
    imported = f"Imported {count} {'resume' if count == 1 else 'resumes'}."
    console.out(f"{imported} `{plan_hint}` should now be empty.")


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="With --reset: the directory whose sandbox state to reset.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 (default: any free port).",
)
@click.option(
    "--seed",
    "seed_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A directory with account.json (the format of .resumesync/sandbox.json) to serve "
    "instead of the example account.",
)
@click.option(
    "--token",
    default="USERsandbox",
    show_default=True,
    help="The token the sandbox accepts (also for its /_sandbox/ control endpoints). A command "
    "line is visible to other users (`ps`); clients should read theirs from HH_TOKEN.",
)
@click.option("--latency", type=click.FloatRange(0), default=0.0, help="Seconds per request.")
@click.option(
    "--fail-rate", type=click.FloatRange(0, 1), default=0.0, help="Probability of a 5xx answer."
)
@click.option(
    "--reset",
    is_flag=True,
    help="Restore DIR/.resumesync/sandbox.json (used by --sandbox) to the seed.",
)
@click.pass_obj
def sandbox(
    console: Console,
    directory: Path,
    port: int,
    seed_dir: Path | None,
    token: str,
    latency: float,
    fail_rate: float,
    reset: bool,
) -> None:
    """Serve the built-in hh.ru-compatible API on 127.0.0.1 until interrupted.

    \b
    It prints the two variables that point other tools (and resumesync) at it:
      export HH_API_URL=http://127.0.0.1:PORT
      export HH_TOKEN=USERsandbox        (the --token value)

    \b
    --seed DIR serves DIR/account.json instead of the example account: the format of
    DIR/.resumesync/sandbox.json that --sandbox keeps, e.g. {"resumes": {ID: {fields...}},
    "resume_state": {ID: {"status": "published", ...}}, "lists": {ID: {"blacklist": [...],
    "whitelist": [...]}}, "employers": {ID: NAME}}.
    --reset --dir DIR forgets the account that --sandbox keeps in DIR (and in each profile's
    folder), so the next --sandbox run starts from the example account again.
    """
    from resumesync import sandbox as sandbox_package

    if reset:
        reset_sandbox_state(console, directory)
        return
    try:
        account = (
            sandbox_package.Account.from_seed_dir(seed_dir)
            if seed_dir
            else sandbox_package.Account.example()
        )
    except ValueError as error:
        raise Failure(str(error)) from None
    try:  # range-checked there: a sandbox left running must not sleep for ever per request
        config = sandbox_package.SandboxConfig(
            accounts={token: account}, latency=latency, error_rate=fail_rate
        )
    except ValueError as error:
        raise Failure(f"--latency / --fail-rate: {error}") from None

    def announce(url: str) -> None:
        console.out(
            f"Sandbox running. Use it with:\n\n  export HH_API_URL={url}\n"
            f"  export HH_TOKEN={token}\n\nPress Ctrl+C to stop."
        )

    try:
        with contextlib.suppress(KeyboardInterrupt):
            sandbox_package.serve(config, port=port, on_ready=announce)
    except OSError as error:  # the port is taken, or not ours to take
        raise Failure(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None


def reset_sandbox_state(console: Console, directory: Path) -> None:
    """Forgets the --sandbox state of DIR and of each of its profiles' folders."""
    from resumesync import files
    from resumesync import sandbox as sandbox_package

    with reported_problems(console):
        config = files.load_config(directory)
    folders = [
        directory,
        *(directory / p.dir for p in (config.profiles if config else {}).values()),
    ]
    from resumesync.writeback import forget_ids

    created = {folder: sandbox_package.created_resume_ids(folder) for folder in folders}
    done = [folder for folder in folders if sandbox_package.reset_persistent_sandbox(folder)]
    for folder in done:
        console.out(
            f"Reset the sandbox account of {folder}: "
            "the next --sandbox run starts from the example account."
        )
        for file in forget_ids(folder, created[folder]):  # those resumes went with the reset
            console.out(f"Removed the `id:` line of a resume the sandbox created from {file}.")
    if not done:
        console.out(
            f"Nothing to reset: {sandbox_package.state_path(directory)} does not exist "
            "(the first --sandbox run creates it)."
        )


@cli.command()
@directory_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def profiles(console: Console, directory: Path, output_format: str) -> None:
    """List the profiles of resumesync.yaml (JSON for a CI matrix)."""
    from resumesync import files
    from resumesync.profiles import DEFAULT_PROFILE

    with reported_problems(console, writes=False):
        config = files.load_config(directory)
    names = list(config.profiles) if config and config.profiles else [DEFAULT_PROFILE]
    console.out(json.dumps(names) if output_format == "json" else "\n".join(names))


# --- helpers: the glue between options and the library ------------------------------------


@contextlib.contextmanager
def reported_problems(console: Console, *, writes: bool = True) -> Iterator[None]:
    """Turns every expected failure into FILE:LINE messages and exit code 1, never a traceback.
    `writes`: the command could have written (the summary then says that nothing was)."""
    from resumesync.problems import ProblemsError
    from resumesync.safefs import UnsafePathError

    try:
        yield
    except UnsafePathError as error:
        raise Failure(f"refusing to write: {error.reason}") from None
    except ProblemsError as error:
        print_warnings(console, getattr(error, "warnings", []))
        for problem in error.problems:
            console.err(str(problem))
        count = len(error.problems)
        found = f"{count} {'problem' if count == 1 else 'problems'}"
        raise Failure(f"{found}; nothing was written." if writes else f"{found}.") from None
    except Exception as error:
        if not _is_client_error(error):
            raise
        raise Failure(str(error)) from None


def _is_client_error(error: Exception) -> bool:
    """A resumesync.client.ClientError, without importing the HTTP stack (httpx, asyncio:
    30 ms) into the commands that never loaded it (validate, profiles, --help)."""
    client = sys.modules.get("resumesync.client")
    return client is not None and isinstance(error, client.ClientError)


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


def print_warnings(console: Console, warnings: list[Any]) -> None:
    for warning in warnings:
        console.err(f"warning: {warning}")


def render(
    plan: Any, output_format: str, console: Console, show_sensitive: bool, target: Target
) -> str:
    """The plan in `output_format`; SecretLeakError if the text holds a credential."""
    if output_format == "json":  # personal data hidden, as in text and markdown
        from resumesync.render.redact import dump_printed_plan
        from resumesync.textsafe import json_text

        text = json_text(dump_printed_plan(plan, show_sensitive=show_sensitive))
    elif output_format == "markdown":
        from resumesync.render.markdown import render_markdown

        text = render_markdown(plan, show_sensitive=show_sensitive)
    else:
        from resumesync.render.text import render_text

        text = render_text(plan, color=console.color, show_sensitive=show_sensitive)
    target.settings.secrets.check(text, "the plan output")
    return text


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


@dataclass
class RetryLog:
    """Says on stderr what was retried, so a slow run explains itself."""

    console: Console

    def __call__(self, event: Any) -> None:
        self.console.err(f"retrying: {event}")


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


def retry_summary(events: list[Any]) -> str:
    """`7 retries: HTTP 503 x4, HTTP 429 x3` (each was also a "retrying:" line)."""
    reasons = Counter(event.reason for event in events)
    detail = ", ".join(f"{reason} x{times}" for reason, times in reasons.most_common())
    return f"{len(events)} {'retry' if len(events) == 1 else 'retries'}: {detail}"


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


cli.add_command(employers_group(connection_options))
cli.add_command(renew_command(connection_options))
cli.add_command(auth_commands.login)
cli.add_command(auth_commands.logout)
cli.add_command(auth_commands.auth_group)
cli.add_command(pull_command(connection_options))


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


def main() -> None:
    # SIGTERM (what CI sends on cancel) is handled like Ctrl+C; an apply in progress
    # handles both itself (interrupt.py).
    import signal

    def interrupted(_number: int, _frame: Any) -> None:
        # As SIGINT: asyncio.Runner's own SIGINT handler then cancels the running work
        # cleanly before KeyboardInterrupt ends the command (click: "Aborted!").
        signal.raise_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, interrupted)
    cli(obj=Console())


if __name__ == "__main__":
    main()
