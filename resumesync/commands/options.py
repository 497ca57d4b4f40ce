"""The options that several commands accept, each defined once.

A definition is a decorator (click makes a new Option each time one is applied); where a
command means something of its own by an option (the sandbox's `--dir`, the auth commands'
single `--profile`), the definition takes that command's help text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def directory(help: str = "The repository directory.") -> Decorator:
    return click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help=help,
    )


def token_file(
    help: str = "Token store written by `resumesync login` (default: $HH_TOKEN_FILE, else "
    "the user's config directory); used when no token is given.",
) -> Decorator:
    return click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), help=help)


def timeout(
    help: str = "The longest one attempt of a request may take, from sending it to the last "
    "byte of the answer, in seconds (default 30).",
) -> Decorator:
    return click.option("--timeout", type=click.FloatRange(0.1), help=help)


directory_option = directory()
api_url_option = click.option(
    "--api-url", help="API base URL (default: $HH_API_URL or https://api.hh.ru)."
)
user_agent_option = click.option(
    "--user-agent", help="Sent as HH-User-Agent (default: $HH_USER_AGENT)."
)
# plan and apply: the safety threshold and the personal data in what they print
force_option = click.option(
    "--force", is_flag=True, help="Allow removing more than 30 % of a large list."
)
show_sensitive_option = click.option(
    "--show-sensitive", is_flag=True, help="Show contact values and birth date."
)
# Commands that read the repository's files work on every profile unless told otherwise.
profiles_option = click.option(
    "--profile",
    multiple=True,
    help="Only this profile of resumesync.yaml (repeatable; default: all).",
)
# The auth commands handle one profile's token pair.
one_profile_option = click.option(
    "--profile",
    default="default",
    show_default=True,
    help="The profile whose pair this is (each profile has its own).",
)


def apply_options(command: Callable[..., Any], options: list[Decorator]) -> Callable[..., Any]:
    """`options` in the order the help lists them (decorators apply from the bottom up)."""
    for option in reversed(options):
        command = option(command)
    return command


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options that every command talking to the API accepts after its name."""
    return apply_options(
        command,
        [
            directory_option,
            click.option(
                "--token",
                help="OAuth access token (default: $HH_TOKEN). A command line is visible to "
                "other users of the machine (`ps`): prefer setting HH_TOKEN.",
            ),
            token_file(),
            api_url_option,
            user_agent_option,
            click.option(
                "--parallelism", type=click.IntRange(1, 64), help="Concurrent requests (default 8)."
            ),
            click.option(
                "--max-rps",
                type=click.FloatRange(0.1),
                help="Client-side rate limit in requests per second (default 10).",
            ),
            timeout(),
            click.option(
                "--connect-timeout",
                type=click.FloatRange(0.1),
                help="Connect timeout of each request in seconds (default 10).",
            ),
            click.option(
                "--retries",
                type=click.IntRange(0, 20),
                help="Retries of a request after a 429, 5xx, timeout or lost connection "
                "(default 5).",
            ),
            click.option(
                "--retry-wait",
                type=click.FloatRange(0),
                help="Longest wait in seconds before the first retry; it doubles with each "
                "retry, up to 30 s; a Retry-After answer wins (default 0.5).",
            ),
            profiles_option,
            click.option(
                "--sandbox",
                is_flag=True,
                help="Run against the built-in sandbox account "
                "kept in DIR/.resumesync/sandbox.json (no token needed).",
            ),
        ],
    )


def account_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What every auth command takes: where the account's pair is and which API."""
    return apply_options(
        command,
        [
            directory("The repository directory (for its resumesync.yaml)."),
            one_profile_option,
            api_url_option,
            token_file(
                "The token store to use (default: $HH_TOKEN_FILE, else the user's config "
                "directory)."
            ),
            user_agent_option,
            timeout("Read timeout of each request in seconds (default 30)."),
        ],
    )
