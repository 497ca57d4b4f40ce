"""A repository read in one run -> DesiredState, with its warnings and settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from resumesync.files.config import RepositoryConfig, read_config
from resumesync.files.images import lock_entries
from resumesync.files.resumes import check_clones, check_ids, read_resumes
from resumesync.files.run import Run
from resumesync.files.visibility import apply_visibility
from resumesync.intents import read_intents
from resumesync.model import DesiredState, JsonPath
from resumesync.problems import Problem, ProblemsError
from resumesync.upload_intents import read_upload_intents
from resumesync.validation import sort_problems


class RepositoryError(ProblemsError):
    """Every error of a load, with the warnings found on the way (shown next to the errors)."""

    def __init__(self, problems: list[Problem], warnings: list[Problem]) -> None:
        super().__init__(problems)
        self.warnings = warnings


@dataclass
class LoadedRepository:
    """Everything read from a repository: the desired state, plus what renderers may want."""

    state: DesiredState
    warnings: list[Problem] = field(default_factory=list)
    # resume key -> paths of `fields` whose value came from ${VAR} (renderers may hide them)
    interpolated: dict[str, frozenset[JsonPath]] = field(default_factory=dict)
    config: RepositoryConfig | None = None


def load_repository(directory: Path, env: Mapping[str, str]) -> DesiredState:
    """The desired state of the repository at `directory`.

    Raises RepositoryError (a ProblemsError) listing every problem of every file.
    """
    return read_repository(directory, env).state


def read_repository(directory: Path, env: Mapping[str, str]) -> LoadedRepository:
    """Like load_repository, with the warnings, interpolated paths and settings kept."""
    run = Run(Path(directory), env)
    config = read_config(run)
    resumes = read_resumes(run)
    check_ids(run, resumes)
    check_clones(run, resumes)
    protect = apply_visibility(run, resumes)
    if run.problems:
        raise RepositoryError(sort_problems(run.problems), sort_problems(run.warnings))
    return LoadedRepository(
        state=DesiredState(
            root=str(directory),
            resumes=[item.resume for item in resumes],
            intents=read_intents(Path(directory)),
            upload_intents=read_upload_intents(Path(directory)),
            lock=lock_entries(run),
            protect=protect,
        ),
        warnings=sort_problems(run.warnings),
        interpolated={item.resume.key: item.interpolated for item in resumes},
        config=config,
    )


def load_config(directory: Path) -> RepositoryConfig | None:
    """resumesync.yaml of `directory`, None when there is none; ProblemsError when invalid."""
    run = Run(Path(directory), {})
    config = read_config(run)
    if run.problems:
        raise ProblemsError(sort_problems(run.problems))
    return config
