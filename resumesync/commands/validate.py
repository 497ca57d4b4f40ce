"""`resumesync validate`: the offline checks, errors as FILE:LINE: field: message."""

from __future__ import annotations

from pathlib import Path

import click

from resumesync.commands.accounts import load_profiles
from resumesync.commands.console import Console, reported_problems
from resumesync.commands.options import directory_option, profiles_option


@click.command()
@directory_option
@profiles_option
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
