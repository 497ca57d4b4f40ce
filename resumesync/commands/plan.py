"""`resumesync plan`: the API calls that would make the account match the files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from resumesync.commands.accounts import accounts, heading, plan_targets
from resumesync.commands.console import Console, ExitCode, Failure, reported_problems
from resumesync.commands.options import connection_options, force_option, show_sensitive_option
from resumesync.commands.output import RetryLog, render, retry_summary
from resumesync.hints import hint


@click.command()
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
@force_option
@show_sensitive_option
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
