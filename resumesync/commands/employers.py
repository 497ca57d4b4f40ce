"""`resumesync employers search TEXT`: employer ids for visibility.yaml, from hh.ru's search."""

from __future__ import annotations

import contextlib
from typing import Any

import click

from resumesync.commands.options import connection_options


@click.group()
def employers() -> None:
    """Find employers' ids for the lists of visibility.yaml."""


@employers.command()
@connection_options
@click.argument("text")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "yaml"]),
    default="text",
    show_default=True,
    help="text: id, name and area per line; yaml: list entries to paste into visibility.yaml.",
)
@click.option("--area", help="Only employers of this area id (1 Moscow, 2 St Petersburg, ...).")
@click.option(
    "--limit", type=click.IntRange(1, 100), default=20, show_default=True, help="Most shown."
)
@click.pass_obj
def search(
    console: Any,
    text: str,
    output_format: str,
    area: str | None,
    limit: int,
    **connection: Any,
) -> None:
    """Search hh.ru's employers by name: `resumesync employers search HeadHunter`.

    \b
    $ resumesync employers search headhunter --format yaml
    - {id: "1455", name: HeadHunter}  # Moscow
    Paste the lines under `blacklist:` or `whitelist:` of a resume in visibility.yaml.
    The search is public: no token is needed or sent.
    """
    from resumesync import files
    from resumesync.commands.console import reported_problems
    from resumesync.commands.output import RetryLog
    from resumesync.employers import search_employers, text_rows, yaml_entry
    from resumesync.profiles import resolve_profiles

    root = connection["directory"]
    with reported_problems(console, writes=False), contextlib.ExitStack() as stack:
        options = dict(connection, read_timeout=connection["timeout"])
        profiles = resolve_profiles(
            root,
            files.load_config(root),
            console.env,
            selected=connection["profile"],
            options=options,
        )
        settings = profiles[0].settings
        if connection["sandbox"]:
            from resumesync.sandbox import SandboxConfig, running_sandbox

            running = stack.enter_context(running_sandbox(SandboxConfig()))
            settings = settings.with_overrides(api_url=running.url, api_name="sandbox")
        result = search_employers(
            settings, text, area=area, limit=limit, on_retry=RetryLog(console)
        )
    if not result.employers:
        console.err(f"No employer found for {text!r}.")
        return
    if output_format == "yaml":
        console.out(f"# employers matching {text!r}: paste under blacklist: or whitelist:")
        for employer in result.employers:
            console.out(yaml_entry(employer))
    else:
        for row in text_rows(result.employers):
            console.out(row)
    if result.found > len(result.employers):
        console.err(
            f"Showing {len(result.employers)} of {result.found} found: "
            "make the text longer, add --area, or raise --limit."
        )
