"""resumesync.yaml: settings and profiles, and what a repository may say about where the
token goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from resumesync.credentials import token_env_problem
from resumesync.files.run import Run
from resumesync.hosts import repository_url_problem
from resumesync.model import JsonPath
from resumesync.problems import Problem, dotted
from resumesync.safefs import UnsafePathError, confine
from resumesync.validation import validate_config
from resumesync.yamlfile import YamlDocument

CONFIG_FILE = "resumesync.yaml"


@dataclass(frozen=True)
class ProfileConfig:
    """One account of a multi-account repository (`profiles:` in resumesync.yaml)."""

    name: str
    dir: str  # the profile's repository, relative to the directory of resumesync.yaml
    token_env: str  # the environment variable holding this account's token
    api_url: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class RepositoryConfig:
    """resumesync.yaml. Values are taken as written (no ${VAR}: tokens come from token_env)."""

    file: str
    api_url: str | None = None
    user_agent: str | None = None
    profiles: dict[str, ProfileConfig] = field(default_factory=dict)


def read_config(run: Run) -> RepositoryConfig | None:
    path = run.root / CONFIG_FILE
    if not path.is_file():
        return None
    document = run.read(path)
    if document is None:
        return None
    problems = validate_config(document.data, document.source_map())
    if problems:
        run.problems.extend(problems)
        return None
    data = document.data or {}
    trust = _config_trust_problems(data, document)
    trust += profile_dir_problems(run, data, document)
    if trust:
        run.problems.extend(trust)
        return None
    profiles = {
        name: ProfileConfig(
            name=name,
            dir=profile["dir"],
            token_env=profile["token_env"],
            api_url=profile.get("api_url"),
            user_agent=profile.get("user_agent"),
        )
        for name, profile in (data.get("profiles") or {}).items()
    }
    run.token_envs = tuple(profile.token_env for profile in profiles.values())
    return RepositoryConfig(
        file=document.file,
        api_url=data.get("api_url"),
        user_agent=data.get("user_agent"),
        profiles=profiles,
    )


def profile_dir_problems(run: Run, data: dict[str, Any], document: YamlDocument) -> list[Problem]:
    """A profile's `dir` must be inside the repository (its real path): files are read
    from inside it only."""
    problems = []
    for name, profile in (data.get("profiles") or {}).items():
        directory = profile.get("dir") if isinstance(profile, dict) else None
        if not isinstance(directory, str):
            continue
        try:
            confine(run.root, run.root / directory)
        except UnsafePathError as error:
            where = document.location(("profiles", name, "dir"))
            problems.append(Problem(error.reason, where, f"profiles.{name}.dir"))
    return problems


def _config_trust_problems(data: Mapping[str, Any], document: YamlDocument) -> list[Problem]:
    """resumesync.yaml may send the token only to hh.ru (or loopback), and only a token
    variable as the token (settings.py applies the same rules again before use)."""
    found: list[Problem] = []
    urls: list[tuple[JsonPath, Any]] = [(("api_url",), data.get("api_url"))]
    for name, profile in (data.get("profiles") or {}).items():
        urls.append((("profiles", name, "api_url"), profile.get("api_url")))
        token_env = profile.get("token_env")
        why = token_env_problem(token_env) if isinstance(token_env, str) else None
        if why:
            path: JsonPath = ("profiles", name, "token_env")
            found.append(Problem(why, document.location(path), dotted(path)))
    for path, url in urls:
        why = repository_url_problem(url) if isinstance(url, str) else None
        if why:
            found.append(Problem(why, document.location(path), dotted(path)))
    return found
