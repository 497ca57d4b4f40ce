"""Commands that hints print (`Apply it with resumesync apply --sandbox --dir pf plan.json`).

A hint must work when pasted: it repeats every option the user gave on the command line that
the suggested command accepts (`--dir`, `--sandbox`, `--profile`, `--api-url`, `--force`, ...),
never a token, and never one that only came from the environment (still set when the hint runs).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

# Never printed, even when given: a hint may land in a CI log.
SECRET_PARAMS = frozenset({"token"})


def given_options(
    ctx: click.Context, accepted: Iterable[str], *, drop: Iterable[str] = ()
) -> list[str]:
    """The command-line words of the options given to `ctx`'s command whose parameter names
    are in `accepted`, minus `drop` and secrets, in the order the command declares them."""
    accepted, skipped = set(accepted), set(drop) | SECRET_PARAMS
    words: list[str] = []
    for param in ctx.command.params:
        name = param.name
        if not isinstance(param, click.Option) or name is None:
            continue
        if name not in accepted or name in skipped:
            continue
        if ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE:
            continue
        words.extend(_option_words(param, ctx.params.get(name)))
    return words


def hint(
    ctx: click.Context,
    command: str,
    *arguments: str | Path,
    extra: Iterable[str] = (),
    drop: Iterable[str] = (),
) -> str:
    """`resumesync COMMAND [extra] [the user's options it accepts] [arguments]`, shell-quoted."""
    root = ctx.find_root()
    target = (
        root.command.get_command(root, command) if isinstance(root.command, click.Group) else None
    )
    accepted = {param.name for param in target.params if param.name} if target else set()
    words = ["resumesync", command, *extra, *given_options(ctx, accepted, drop=drop)]
    words.extend(str(argument) for argument in arguments)
    return " ".join(shlex.quote(word) for word in words)


def _option_words(option: click.Option, value: Any) -> list[str]:
    flag = max(option.opts, key=len)  # the long form
    if option.is_flag:  # our flags are plain on/off switches (`--sandbox`, `--force`)
        if value:
            return [flag]
        return [max(option.secondary_opts, key=len)] if option.secondary_opts else []
    if option.multiple:
        return [word for item in value or () for word in (flag, _word(item))]
    return [flag, _word(value)] if value is not None else []


def _word(value: Any) -> str:
    """A value as the user would type it: `--max-rps 50`, not `50.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
