"""The whole run: the files and the live account read, every declared field and visibility
entry pulled, each edited file checked to load back as intended, then written (or nothing)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from resumesync import files
from resumesync.client import HHClient, RetryEvent
from resumesync.live import read_live_state
from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError
from resumesync.pull.repository import Repository, read_file
from resumesync.pull.visibility import pull_visibility
from resumesync.safefs import atomic_write
from resumesync.settings import Settings
from resumesync.yamlfile import parse_yaml
from resumesync.yamlwrite import YamlEditError, apply_edits, apply_to_data

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileChange:
    """Values pull wrote into one file."""

    file: str  # relative to the repository
    fields: tuple[str, ...]  # dotted paths, as the file holds them


@dataclass
class PullResult:
    changes: list[FileChange] = field(default_factory=list)
    reports: list[Problem] = field(default_factory=list)  # differences pull left alone

    @property
    def changed(self) -> bool:
        return bool(self.changes)


async def pull_async(
    directory: Path, env: Mapping[str, str], client: HHClient, *, write: bool = True
) -> PullResult:
    """Reads the files and the live account, writes the differences into the files (unless
    not `write`): see the module docstring. ProblemsError when the files are invalid, or when
    an edited file would not load back as intended (nothing is then written)."""
    loaded = files.read_repository(directory, env)
    live = await read_live_state(loaded.state, client)
    repository = Repository(directory, loaded.state.resumes, loaded.interpolated, live)
    for resume in loaded.state.resumes:
        if resume.resume_id not in live.resumes:
            continue  # a file without `id` (a resume to create): nothing live to pull
        for name in resume.fields:
            repository.pull_field(resume, name)
        if resume.lists or resume.access is not None:
            pull_visibility(repository, resume)
    result = PullResult(reports=repository.reports)
    outputs: list[tuple[Path, bytes, int]] = []
    problems: list[Problem] = []
    for file, planned in repository.plans.items():
        if not planned.edits:
            continue
        raw, data, text = read_file(directory, file)
        try:
            new_text = apply_edits(text, planned.edits)
            expected = apply_to_data(data, planned.edits)
            if parse_yaml(new_text, file).data != expected:
                raise YamlEditError("the edited file would not load back as intended")
        except (YamlEditError, ProblemsError) as error:
            message = str(error) if isinstance(error, YamlEditError) else "cannot edit the file"
            problems.append(Problem(f"pull cannot write this file: {message}", Location(file, 1)))
            continue
        payload = (BOM if raw.startswith(BOM) else b"") + new_text.encode("utf-8")
        target = directory / file
        outputs.append((target, payload, os.stat(target).st_mode & 0o777))
        result.changes.append(FileChange(file, tuple(planned.fields)))
    if problems:
        raise ProblemsError(problems)
    if write:
        for target, payload, mode in outputs:
            atomic_write(target, payload, mode=mode, root=directory)
    return result


def pull(
    directory: Path,
    env: Mapping[str, str],
    settings: Settings,
    *,
    write: bool = True,
    on_retry: Callable[[RetryEvent], None] | None = None,
) -> PullResult:
    """pull_async with its own client, for callers without an event loop."""
    from resumesync.pipeline import client_settings

    async def main() -> PullResult:
        async with HHClient(client_settings(settings, on_retry)) as client:
            return await pull_async(directory, env, client, write=write)

    return asyncio.run(main())
