"""`resumesync import`: resume files and visibility.yaml from the live account."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import click

from resumesync.commands.accounts import sandbox_rps
from resumesync.commands.console import Console, Failure, reported_problems
from resumesync.commands.options import connection_options
from resumesync.commands.output import RetryLog
from resumesync.hints import hint


@click.command(name="import")
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
