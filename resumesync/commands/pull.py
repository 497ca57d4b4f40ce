"""`resumesync pull`: write the live values of declared fields back into the files."""

from __future__ import annotations

import sys
from typing import Any

import click

from resumesync.commands.accounts import accounts, heading
from resumesync.commands.console import ExitCode, reported_problems
from resumesync.commands.options import connection_options
from resumesync.commands.output import RetryLog


@click.command()
@connection_options
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when no file changed, 1 on error, 2 when files changed.",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
def pull(console: Any, detailed_exitcode: bool, dry_run: bool, **connection: Any) -> None:
    """Write the live values of the fields your files declare back into the files, where
    they differ (edits made on hh.ru), keeping comments and layout. Then `plan` is empty
    for them. Values from ${VAR} are reported, never overwritten."""
    _pull(console, connection, detailed_exitcode=detailed_exitcode, dry_run=dry_run)


def _pull(
    console: Any, connection: dict[str, Any], *, detailed_exitcode: bool, dry_run: bool
) -> None:
    from resumesync.pull import pull as pull_files

    changed = False
    with reported_problems(console), accounts(console, connection) as targets:
        for target in targets:
            heading(console, target, len(targets))
            result = pull_files(
                target.settings.directory,
                console.env,
                target.settings,
                write=not dry_run,
                on_retry=RetryLog(console),
            )
            for report in result.reports:
                console.err(f"not pulled: {report}")
            verb = "would update" if dry_run else "updated"
            for change in result.changes:
                console.out(f"{verb} {change.file}: {', '.join(change.fields)}")
            if not result.changes:
                console.out("The files already hold the live values.")
            changed = changed or result.changed
    if detailed_exitcode and changed:
        sys.exit(ExitCode.CHANGES)
