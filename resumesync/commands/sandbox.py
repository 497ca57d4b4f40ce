"""`resumesync sandbox`: serve the built-in hh.ru-compatible API, or reset the account that
--sandbox keeps in a directory."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from resumesync.commands.console import Console, Failure, reported_problems
from resumesync.commands.options import directory


@click.command()
@directory("With --reset: the directory whose sandbox state to reset.")
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
