"""Profiles: the accounts one repository manages (`profiles:` in resumesync.yaml).

Without profiles the directory itself is the single profile, with HH_TOKEN.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from resumesync.files import RepositoryConfig
from resumesync.model import Location
from resumesync.problems import Problem, ProblemsError
from resumesync.settings import Settings, resolve_settings

DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class Profile:
    name: str
    directory: Path
    settings: Settings
    # The profile's folder relative to the repository root ("anna"; "" for the root itself):
    # messages put it before the file names, so that they are clickable from the root.
    prefix: str = ""


def from_root(problem: Problem, prefix: str) -> Problem:
    """`problem` with its file named from the repository root (`anna/resumes/backend.yaml`)."""
    if not prefix or problem.location is None:
        return problem
    location = problem.location
    return replace(problem, location=Location(f"{prefix}/{location.file}", location.line))


def resolve_profiles(
    root: Path,
    config: RepositoryConfig | None,
    env: Mapping[str, str],
    *,
    selected: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
) -> list[Profile]:
    """The profiles to run, in the order the config declares them (all unless `selected`).

    `options` are the command-line connection options (token, api_url, user_agent, parallelism,
    max_rps, read_timeout, connect_timeout, retries, retry_wait); a --token only makes sense
    for one account.
    """
    options = dict(options or {})
    declared = config.profiles if config else {}
    if not declared:
        if selected and set(selected) != {DEFAULT_PROFILE}:
            names = ", ".join(name for name in selected if name != DEFAULT_PROFILE)
            config_file = Path(root) / "resumesync.yaml"
            where = (
                f"{config_file} declares no profiles"
                if config is not None
                else f"there is no {config_file}, so {root} holds one account"
            )
            raise ProblemsError(
                [Problem(f"--profile {names}: {where} (declare them under `profiles:`)")]
            )
        settings = repository_settings(root, config, env, options, profile=DEFAULT_PROFILE)
        return [Profile(DEFAULT_PROFILE, root, settings)]
    unknown = [name for name in selected if name not in declared]
    if unknown:
        known = ", ".join(declared)
        raise ProblemsError(
            [
                Problem(f"unknown profile {name!r}; resumesync.yaml declares: {known}")
                for name in unknown
            ]
        )
    names = [name for name in declared if not selected or name in selected]
    if options.get("token") and len(names) > 1:
        raise ProblemsError([Problem("--token names one account: choose a profile with --profile")])
    profiles = []
    for name in names:
        entry = declared[name]
        directory = (root / entry.dir).resolve()
        settings = repository_settings(
            directory,
            config,
            env,
            options,
            token_env=entry.token_env,
            profile=name,
            api_url=entry.api_url,
            user_agent=entry.user_agent,
        )
        prefix = Path(os.path.relpath(directory, Path(root).resolve())).as_posix()
        profiles.append(Profile(name, directory, settings, "" if prefix == "." else prefix))
    return profiles


def repository_settings(
    directory: Path,
    config: RepositoryConfig | None,
    env: Mapping[str, str],
    options: Mapping[str, Any],
    *,
    token_env: str = "HH_TOKEN",
    profile: str = DEFAULT_PROFILE,
    api_url: str | None = None,
    user_agent: str | None = None,
) -> Settings:
    """Settings for one account: options, then the environment, then the profile's and the
    config's values."""
    return resolve_settings(
        directory,
        env,
        token=options.get("token"),
        api_url=options.get("api_url"),
        user_agent=options.get("user_agent"),
        parallelism=options.get("parallelism"),
        max_rps=options.get("max_rps"),
        read_timeout=options.get("read_timeout"),
        connect_timeout=options.get("connect_timeout"),
        retries=options.get("retries"),
        backoff_base=options.get("retry_wait"),
        config_api_url=api_url or (config.api_url if config else None),
        config_user_agent=user_agent or (config.user_agent if config else None),
        token_env=token_env,
        profile=profile,
        token_file=options.get("token_file"),
    )
