"""`resumesync profiles`: the profiles of resumesync.yaml (JSON for a CI matrix)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from resumesync.commands.console import Console, reported_problems
from resumesync.commands.options import directory_option


@click.command()
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
