"""The root group loads a command's module only when that command runs or shows its help, and
its command list reads exactly as click would print it from the loaded commands (#16)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from resumesync import cli as cli_module
from resumesync.cli import COMMANDS, MOVED, cli
from resumesync.commands.lazy import load, terminal_columns

# Prints, at exit, the modules the run loaded beyond those loaded before it started.
RUN = """
import atexit, json, sys
{before}
loaded_before = set(sys.modules)
def report():
    print(json.dumps(sorted(set(sys.modules) - loaded_before)), file=sys.stderr)
atexit.register(report)
sys.argv = ["resumesync", *sys.argv[1:]]
{run}
"""
OUR_MAIN = "from resumesync.cli import main\nmain()"
# A plain click group printing its help: what click itself loads to show one.
PLAIN_HELP = "import click\nclick.Group('plain', commands=[click.Command('x', help='X.')])()"


def loaded(*args: str, before: str = "", run: str = OUR_MAIN) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN.format(before=before, run=run), *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "80"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def eager_group() -> click.Group:
    """The root group as it was before the split: every command loaded and registered."""
    return click.Group("resumesync", commands={name: load(e) for name, e in COMMANDS.items()})


def test_help_imports_click_and_the_command_table_only() -> None:
    ours = loaded("--help", before="import click")
    assert {name for name in ours if name.startswith("resumesync")} == {
        "resumesync",
        "resumesync.cli",
        "resumesync.commands",
        "resumesync.commands.lazy",
    }
    # beyond what click loads to print any help: nothing but the SIGTERM handler's module and
    # gc (built into the interpreter, no file to find: main freezes the run's objects at exit)
    plain = loaded("--help", before="import click", run=PLAIN_HELP)
    assert "gc" in sys.builtin_module_names
    assert {name for name in ours - plain if not name.startswith("resumesync")} <= {"signal", "gc"}


def test_a_commands_help_loads_that_command_and_no_other() -> None:
    modules = loaded("validate", "--help")
    commands = {name for name in modules if name.startswith("resumesync.commands.")}
    assert "resumesync.commands.validate" in commands
    others = {entry.target.partition(":")[0] for entry in COMMANDS.values()}
    assert commands & others == {"resumesync.commands.validate"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_summarises_each_command_as_its_help_does(name: str) -> None:
    command = load(COMMANDS[name])
    assert command.name == name
    stand_in = click.Command(name, help=COMMANDS[name].summary)
    for limit in range(10, 160):  # every width cuts the two texts at the same word
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), limit


@pytest.mark.parametrize("width", [40, 60, 80, 100, 200])
def test_the_command_list_is_what_click_prints_from_the_loaded_commands(width: int) -> None:
    listings = []
    for group in (cli, eager_group()):
        formatter = click.HelpFormatter(width=width)
        group.format_commands(click.Context(group), formatter)
        listings.append(formatter.getvalue())
    assert listings[0] == listings[1]
    assert listings[0].count("\n") == len(COMMANDS) + 1  # the heading and one line each


@pytest.mark.parametrize("typed", ["pla", "aply", "improt", "nosuch"])
def test_an_unknown_command_gets_the_suggestion_click_would_make(typed: str) -> None:
    errors = [
        CliRunner().invoke(group, [typed]).output.strip().splitlines()[-1]
        for group in (cli, eager_group())
    ]
    assert errors[0] == errors[1]


@pytest.mark.parametrize("columns", [None, "0", "-4", "wide", "55", "80", "300"])
def test_the_help_width_follows_shutils_rule(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


def test_every_name_cli_py_had_is_the_moved_object() -> None:
    for name, home in MOVED.items():
        assert getattr(cli_module, name) is getattr(importlib.import_module(home), name), name


def test_a_name_patched_through_cli_py_is_patched_where_it_is_read() -> None:
    from resumesync.commands import apply

    limit = apply.MAX_PLAN_FILE_BYTES
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli_module, "MAX_PLAN_FILE_BYTES", 100)
        assert apply.MAX_PLAN_FILE_BYTES == 100
    assert apply.MAX_PLAN_FILE_BYTES == limit == cli_module.MAX_PLAN_FILE_BYTES
