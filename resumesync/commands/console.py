"""What reaches the user's terminal: the streams, the exit codes, and the one way expected
failures are reported (FILE:LINE messages and exit code 1, never a traceback).

Imported only when a command runs (`resumesync --help` does not pay for dataclasses)."""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

import click


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
        # Errors and warnings carry server text (descriptions, titles): no control characters
        # or terminal escapes reach the terminal (textsafe.py).
        from resumesync.textsafe import printable_lines

        click.echo(printable_lines(text), file=self.stderr)


class Failure(click.ClickException):
    """An expected failure: its message is printed as is, exit code 1."""

    exit_code = ExitCode.ERROR

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), file=file or sys.stderr)


@contextlib.contextmanager
def reported_problems(console: Console, *, writes: bool = True) -> Iterator[None]:
    """Turns every expected failure into FILE:LINE messages and exit code 1, never a traceback.
    `writes`: the command could have written (the summary then says that nothing was)."""
    from resumesync.problems import ProblemsError
    from resumesync.safefs import UnsafePathError

    try:
        yield
    except UnsafePathError as error:
        raise Failure(f"refusing to write: {error.reason}") from None
    except ProblemsError as error:
        print_warnings(console, getattr(error, "warnings", []))
        for problem in error.problems:
            console.err(str(problem))
        count = len(error.problems)
        found = f"{count} {'problem' if count == 1 else 'problems'}"
        raise Failure(f"{found}; nothing was written." if writes else f"{found}.") from None
    except Exception as error:
        if not _is_client_error(error):
            raise
        raise Failure(str(error)) from None


def _is_client_error(error: Exception) -> bool:
    """A resumesync.client.ClientError, without importing the HTTP stack (httpx, asyncio:
    30 ms) into the commands that never loaded it (validate, profiles, --help)."""
    client = sys.modules.get("resumesync.client")
    return client is not None and isinstance(error, client.ClientError)


def print_warnings(console: Console, warnings: list[Any]) -> None:
    for warning in warnings:
        console.err(f"warning: {warning}")
