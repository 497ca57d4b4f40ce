"""The command line's root: the group, the command table, and the entry point.

Each command lives in its own module under resumesync/commands/, imported only when that
command runs or its help is shown (commands/lazy.py): `resumesync --help` imports click and
this table, nothing else. A new command is one line of COMMANDS.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from resumesync import __version__
from resumesync.commands.lazy import LazyCommand, LazyGroup

# name -> where the command is, and the first sentence of its help (the command list's text).
COMMANDS = {
    "apply": LazyCommand(
        "resumesync.commands.apply:apply",
        "Make the account match the files (or execute a saved PLAN_FILE).",
    ),
    "auth": LazyCommand(
        "resumesync.commands.auth:auth_group",
        "The stored hh.ru token: which account, when it expires, where it is.",
    ),
    "employers": LazyCommand(
        "resumesync.commands.employers:employers",
        "Find employers' ids for the lists of visibility.yaml.",
    ),
    "import": LazyCommand(
        "resumesync.commands.import_account:import_command",
        "Write resume files and visibility.yaml from the live account.",
    ),
    "login": LazyCommand(
        "resumesync.commands.auth:login",
        "Log in to hh.ru with your own application and store the token pair.",
    ),
    "logout": LazyCommand(
        "resumesync.commands.auth:logout",
        "Revoke the stored token on hh.ru (DELETE /oauth/token) and forget the pair.",
    ),
    "plan": LazyCommand(
        "resumesync.commands.plan:plan",
        "Show the API calls that would make the account match the files.",
    ),
    "profiles": LazyCommand(
        "resumesync.commands.profiles:profiles",
        "List the profiles of resumesync.yaml (JSON for a CI matrix).",
    ),
    "pull": LazyCommand(
        "resumesync.commands.pull:pull",
        "Write the live values of the fields your files declare back into the files, where "
        "they differ (edits made on hh.ru), keeping comments and layout.",
    ),
    "renew": LazyCommand(
        "resumesync.commands.renew:renew",
        "Raise in search the `publish: renew` resumes that hh.ru allows to raise now, and say "
        "when each is next due.",
    ),
    "sandbox": LazyCommand(
        "resumesync.commands.sandbox:sandbox",
        "Serve the built-in hh.ru-compatible API on 127.0.0.1 until interrupted.",
    ),
    "validate": LazyCommand(
        "resumesync.commands.validate:validate",
        "Check the files offline; errors print as FILE:LINE: field: message.",
    ),
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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
    from resumesync.commands.console import Console

    ctx.ensure_object(Console)


def main() -> None:
    # SIGTERM (what CI sends on cancel) is handled like Ctrl+C; an apply in progress
    # handles both itself (interrupt.py).
    import gc
    import signal

    def interrupted(_number: int, _frame: Any) -> None:
        # As SIGINT: asyncio.Runner's own SIGINT handler then cancels the running work
        # cleanly before KeyboardInterrupt ends the command (click: "Aborted!").
        signal.raise_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, interrupted)
    try:
        cli()  # the Console (streams, environment) is made when a command runs
    finally:
        # The run is over: the interpreter's last collections would walk every object the
        # run made (20-40 ms for an apply, more at agency scale) to free what exit frees.
        gc.freeze()


# Names this module held before the commands moved out, by the module that holds each now:
# scripts and tests that read them here (or monkeypatch them) reach the moved object itself.
MOVED_TO = {
    "resumesync.commands.console": [
        "ExitCode",
        "Console",
        "Failure",
        "reported_problems",
        "print_warnings",
    ],
    "resumesync.commands.options": ["directory_option", "connection_options"],
    "resumesync.commands.accounts": [
        "Target",
        "accounts",
        "sandbox_rps",
        "load_profiles",
        "report_each",
        "plan_targets",
        "heading",
    ],
    "resumesync.commands.output": ["render", "RetryLog", "retry_summary"],
    "resumesync.commands.apply": [
        "apply",
        "MAX_PLAN_FILE_BYTES",
        "read_text",
        "confirm_or_refuse",
        "progress_reporter",
        "apply_summary",
        "interrupted_notice",
        "interruption_lines",
    ],
    "resumesync.commands.sandbox": ["sandbox", "reset_sandbox_state"],
    "resumesync.commands.validate": ["validate"],
    "resumesync.commands.plan": ["plan"],
    "resumesync.commands.import_account": ["import_command"],
    "resumesync.commands.profiles": ["profiles"],
}
MOVED = {name: home for home, names in MOVED_TO.items() for name in names}


def _moved(name: str, home: str) -> property:
    def read(_module: object) -> Any:
        import importlib

        return getattr(importlib.import_module(home), name)

    def write(_module: object, value: Any) -> None:
        import importlib

        setattr(importlib.import_module(home), name, value)

    return property(read, write)


# Reads and writes of a moved name go to the module that holds it now (a monkeypatched limit
# must be the one the command reads); a property, so that undoing a patch writes there too.
_MovedNames = type(  # type(sys): types.ModuleType, without importing types
    "_MovedNames", (type(sys),), {name: _moved(name, home) for name, home in MOVED.items()}
)
sys.modules[__name__].__class__ = _MovedNames


if __name__ == "__main__":
    main()
