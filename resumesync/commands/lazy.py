"""A click group that imports a command's module only when that command runs or its help is
shown: `resumesync --help` reads the command table, whose summaries stand in for the
commands' own first help paragraphs (a test checks that the two agree)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click


class LazyCommand:
    """Where a command is defined (`package.module:attribute`) and the first sentence of its
    help, which is all that the group's command list shows of it. (A plain class: a
    NamedTuple's class is built by exec, a cost `--help` would pay.)"""

    __slots__ = ("summary", "target")

    def __init__(self, target: str, summary: str) -> None:
        self.target = target
        self.summary = summary


def terminal_columns() -> int:
    """shutil.get_terminal_size().columns, by the same rule ($COLUMNS when it is a positive
    number, else the terminal of sys.__stdout__, else 80), without importing shutil: it
    imports bz2, lzma and fnmatch, 1.5 ms of the 30 ms that `resumesync --help` may take."""
    import os
    import sys

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class HelpContext(click.Context):
    """click's Context, with click's rule for the help's width (FORCED_WIDTH: CliRunner's 80)."""

    def make_formatter(self) -> click.HelpFormatter:
        from click import formatting

        width = self.terminal_width
        if width is None:
            width = formatting.FORCED_WIDTH
        if width is None:
            width = max(min(terminal_columns(), self.max_content_width or 80) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


class LazyGroup(click.Group):
    context_class = HelpContext

    def __init__(self, *args: Any, lazy: Mapping[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        return load(entry)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # click suggests close names ("Did you mean 'plan'?") from the loaded commands only
        no_such = getattr(click.exceptions, "NoSuchCommand", None)  # click >= 8.2
        if no_such is None:
            return super().resolve_command(ctx, args)
        try:
            return super().resolve_command(ctx, args)
        except no_such as error:
            raise no_such(
                error.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own listing, with each lazy command's short help made from its summary the
        way click makes it from the help (first sentence, cut at the width), unloaded."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            entry = self.lazy.get(name)
            command = (
                click.Command(name, help=entry.summary)
                if entry is not None
                else super().get_command(ctx, name)
            )
            if command is not None and not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(name, command.get_short_help_str(limit)) for name, command in rows]
            )


def load(entry: LazyCommand) -> click.Command:
    import importlib

    module, _, attribute = entry.target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{entry.target} is not a click command")
    return command
