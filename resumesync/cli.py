"""The command line: options in, library calls, renderers out. No logic of its own."""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import click

from resumesync import __version__


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
        click.echo(text, file=self.stderr)


class Failure(click.ClickException):
    """An expected failure: its message is printed as is, exit code 1."""

    exit_code = ExitCode.ERROR

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), file=file or sys.stderr)


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options that every command talking to the API accepts after its name."""
    options = [
        click.option(
            "--dir",
            "directory",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("."),
            show_default=True,
            help="The repository directory.",
        ),
        click.option("--token", help="OAuth access token (default: $HH_TOKEN)."),
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
            help="Read timeout of each request in seconds (default 30).",
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
    resumesync validate             check the files offline
    resumesync plan                 show what apply would change
    resumesync apply                make the account match the files
    resumesync plan --sandbox       try it all against a built-in example account
    """
    ctx.ensure_object(Console)


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The repository directory.",
)
@click.pass_obj
def validate(console: Console, directory: Path) -> None:
    """Check the files offline; errors print as FILE:LINE: field: message."""
    from resumesync import files

    with reported_problems(console):
        loaded = files.read_repository(directory, console.env)
    print_warnings(console, loaded.warnings)
    console.out(f"{len(loaded.state.resumes)} resumes valid.")


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

    retries = RetryLog(console)
    with reported_problems(console), account_settings(console, connection) as (settings, desired):
        result = pipeline.plan(desired, settings, force=force, on_retry=retries)
    console.out(render(result.plan, output_format, console, show_sensitive))
    if out_file is not None:
        write_plan_file(out_file, result.plan)
        console.err(f"Saved the plan to {out_file}. Apply it with `resumesync apply {out_file}`.")
    if detailed_exitcode and result.plan.has_changes:
        sys.exit(ExitCode.CHANGES)


@cli.command()
@connection_options
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@click.option("--force", is_flag=True, help="Allow removing more than 30 % of a large list.")
@click.option("--show-sensitive", is_flag=True, help="Show contact values and birth date.")
@click.pass_obj
def apply(
    console: Console,
    plan_file: Path | None,
    yes: bool,
    force: bool,
    show_sensitive: bool,
    **connection: Any,
) -> None:
    """Make the account match the files (or execute a saved PLAN_FILE)."""
    from resumesync import pipeline
    from resumesync.planfile import load_plan

    retries = RetryLog(console)
    with reported_problems(console), account_settings(console, connection) as (settings, desired):
        if plan_file is not None:
            the_plan = load_plan(read_text(plan_file), str(plan_file))
            result = pipeline.apply(
                the_plan,
                desired,
                settings,
                check_fingerprint=True,
                force=force,
                on_retry=retries,
                on_event=progress_reporter(console),
            )
        else:
            the_plan = pipeline.plan(desired, settings, force=force, on_retry=retries).plan
            console.out(render(the_plan, "text", console, show_sensitive))
            if not the_plan.has_changes:
                return
            if not yes:
                confirm_or_refuse(console)
            result = pipeline.apply(
                the_plan, desired, settings, on_retry=retries, on_event=progress_reporter(console)
            )
    console.out(apply_summary(result, retries.count))
    problems = pipeline.apply_problems(result, desired)
    for problem in problems:
        console.err(str(problem))
    if not result.ok:
        sys.exit(ExitCode.ERROR)


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
    help="A directory with account.json to serve instead of the example account.",
)
@click.option(
    "--token", default="USERsandbox", show_default=True, help="The token the sandbox accepts."
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
    """Serve the built-in hh.ru-compatible API until interrupted."""
    from resumesync import sandbox as sandbox_package

    if reset:
        sandbox_package.reset_persistent_sandbox(directory)
        console.out(f"Reset the sandbox account of {directory}.")
        return
    account = (
        sandbox_package.Account.from_seed_dir(seed_dir)
        if seed_dir
        else sandbox_package.Account.example()
    )
    config = sandbox_package.SandboxConfig(
        accounts={token: account}, latency=latency, error_rate=fail_rate
    )

    def announce(url: str) -> None:
        console.out(
            f"Sandbox running. Use it with:\n\n  export HH_API_URL={url}\n"
            f"  export HH_TOKEN={token}\n\nPress Ctrl+C to stop."
        )

    with contextlib.suppress(KeyboardInterrupt):
        sandbox_package.serve(config, port=port, on_ready=announce)


# --- helpers: the glue between options and the library ------------------------------------


@contextlib.contextmanager
def reported_problems(console: Console) -> Iterator[None]:
    """Turns every expected failure into FILE:LINE messages and exit code 1, never a traceback."""
    from resumesync.client import ClientError
    from resumesync.problems import ProblemsError

    try:
        yield
    except ProblemsError as error:
        print_warnings(console, getattr(error, "warnings", []))
        for problem in error.problems:
            console.err(str(problem))
        raise Failure(f"{len(error.problems)} problem(s); nothing was written.") from None
    except ClientError as error:
        raise Failure(str(error)) from None


@contextlib.contextmanager
def account_settings(console: Console, connection: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    """Validates the files, then yields (settings, desired state), with an in-process sandbox
    standing in for hh.ru under --sandbox."""
    from resumesync import files
    from resumesync.settings import resolve_settings

    directory: Path = connection["directory"]
    loaded = files.read_repository(directory, console.env)  # all checked before any request
    print_warnings(console, loaded.warnings)
    desired, config = loaded.state, loaded.config
    settings = resolve_settings(
        directory,
        console.env,
        token=connection["token"],
        api_url=connection["api_url"],
        user_agent=connection["user_agent"],
        parallelism=connection["parallelism"],
        max_rps=connection["max_rps"],
        read_timeout=connection["timeout"],
        config_api_url=config.api_url if config else None,
        config_user_agent=config.user_agent if config else None,
    )
    if not connection["sandbox"]:
        yield settings, desired
        return
    from resumesync.sandbox import SANDBOX_TOKEN, persistent_sandbox

    with persistent_sandbox(directory) as running:
        console.err(f"Using the built-in sandbox ({directory / '.resumesync' / 'sandbox.json'}).")
        yield settings.with_overrides(api_url=running.url, token=SANDBOX_TOKEN), desired


def print_warnings(console: Console, warnings: list[Any]) -> None:
    for warning in warnings:
        console.err(f"warning: {warning}")


def render(plan: Any, output_format: str, console: Console, show_sensitive: bool) -> str:
    if output_format == "json":
        from resumesync.planfile import dump_plan

        return dump_plan(plan)
    if output_format == "markdown":
        from resumesync.render.markdown import render_markdown

        return render_markdown(plan, show_sensitive=show_sensitive)
    from resumesync.render.text import render_text

    return render_text(plan, color=console.color, show_sensitive=show_sensitive)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Failure(f"{path}: cannot read the plan file: {error}") from None


def confirm_or_refuse(console: Console) -> None:
    if not console.stdin_is_tty:
        raise Failure(
            "refusing to apply: there is no terminal to confirm on. "
            "Review the plan above and run `resumesync apply --yes`."
        )
    if not click.confirm("Apply these changes?", default=False, err=True):
        raise Failure("Cancelled; nothing was written.")


@dataclass
class RetryLog:
    """Says on stderr what was retried, so a slow run explains itself."""

    console: Console
    count: int = 0

    def __call__(self, event: Any) -> None:
        self.count += 1
        self.console.err(f"retrying: {event}")


def progress_reporter(console: Console) -> Callable[[Any], None]:
    """Progress on stderr: a bar on a terminal, a line per finished change otherwise."""
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
            filled = width * finished // max(event.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if finished == event.total else ""
            console.stderr.write(f"\r[{bar}] {finished}/{event.total}{end}")
            console.stderr.flush()
        else:
            console.err(
                f"[{finished}/{event.total}] {event.kind.value}: {change.resume} "
                f"{change.action.value} {change.method} {change.path.split('?')[0]}"
            )

    return report


def apply_summary(result: Any, retried: int) -> str:
    lines = [f"Applied {len(result.succeeded)} of {len(result.outcomes)} changes."]
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
    if retried:
        lines.append(f"  {retried} requests were retried (see stderr)")
    if not result.ok:
        lines.append("Some changes failed; run `resumesync apply` again: it continues from here.")
    return "\n".join(lines)


def main() -> None:
    cli(obj=Console())


if __name__ == "__main__":
    main()
