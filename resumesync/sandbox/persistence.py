"""`--sandbox` on plan / apply / import: an in-process sandbox whose account lives in
DIR/.resumesync/sandbox.json between runs (git-ignored), seeded with the example account.

Times in the file are Unix timestamps, so a resume published in one run can be renewed by
a run four hours later, as on hh.ru.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from resumesync.safefs import atomic_write
from resumesync.sandbox.account import Account
from resumesync.sandbox.config import SandboxConfig
from resumesync.sandbox.serving import RunningSandbox, running_sandbox

SANDBOX_TOKEN = "USERsandbox"
STATE_DIRECTORY = ".resumesync"
STATE_FILE = "sandbox.json"
FORMAT_VERSION = 1


def state_path(directory: Path) -> Path:
    return Path(directory) / STATE_DIRECTORY / STATE_FILE


def load_state(path: Path) -> Account:
    try:
        return Account.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise ValueError(
            f"{path}: cannot load the sandbox state ({error}); "
            "`resumesync sandbox --reset --dir DIR` restores the seed"
        ) from None


def save_state(path: Path, account: Account) -> None:
    """Write the account next to the target and rename it (an interrupted run never leaves
    half a file), readable by its owner only (it holds the example's personal data). A
    symlinked `.resumesync/` or state file is refused: the repository could plant one to make
    us write elsewhere. Raises safefs.UnsafePathError."""
    root = path.parent.parent
    ignore = path.parent / ".gitignore"
    if not ignore.exists() or ignore.is_symlink():
        atomic_write(ignore, "*\n", root=root, make_parents=True)
    text = (
        json.dumps(
            {"format_version": FORMAT_VERSION, **account.to_json()},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    atomic_write(path, text, mode=0o600, root=root, make_parents=True)


@contextlib.contextmanager
def persistent_sandbox(
    directory: Path, config: SandboxConfig | None = None, *, resume_ids: Iterable[str] = ()
) -> Iterator[RunningSandbox]:
    """A running sandbox for the account kept in DIR, serving token SANDBOX_TOKEN; the account
    is saved after every write it applies (before the client hears of it: a run killed or
    interrupted never loses a write it reported as done) and on exit, whatever happened.
    The first time it is the bundled example account
    holding the `resume_ids` the files manage (each profile of examples/team has its own),
    else the default one. HH_SANDBOX_* variables apply (see config.py)."""
    path = state_path(directory)
    account = load_state(path) if path.exists() else Account.example_for(resume_ids)
    running: list[RunningSandbox] = []
    saving = threading.Lock()  # handler threads apply writes concurrently

    def save_now() -> None:
        with saving:
            save_state(path, running[0].account(SANDBOX_TOKEN))

    settings = dataclasses.replace(
        config or SandboxConfig(), accounts={SANDBOX_TOKEN: account}, on_write=save_now
    ).with_env(os.environ)
    with running_sandbox(settings) as sandbox:
        running.append(sandbox)
        try:
            yield sandbox
        finally:
            save_state(path, sandbox.account(SANDBOX_TOKEN))


def created_resume_ids(directory: Path) -> set[str]:
    """The resumes the saved account has that its seed has not: those an apply created."""
    path = state_path(directory)
    try:
        account = load_state(path)
    except ValueError:
        return set()
    return set(account.resumes) - set(Account.example().resumes)


def reset_persistent_sandbox(directory: Path) -> bool:
    """Forget the saved account (the next run starts from the seed). True if there was one."""
    path = state_path(directory)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
