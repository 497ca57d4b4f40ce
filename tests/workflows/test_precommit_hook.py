"""The `resumesync-validate` hook of .pre-commit-hooks.yaml.

`pre-commit try-repo` builds a virtualenv and pip-installs this repository into it. That runs
offline here: virtualenv seeds the environment from the wheels it carries, pip may use no index
(PIP_NO_INDEX) and finds the build backend (setuptools) among those same wheels, and
resumesync's dependencies are already importable through PYTHONPATH, which points at the
site-packages of the interpreter running the tests. Proxies point at a closed port, so any
request that slipped through would fail the test instead of reaching the network. (Where
resumesync is installed non-editable, the hook imports that copy from PYTHONPATH: the same code.)
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from .runner import REPO

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
JUNK = (".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".*_cache")
PRE_COMMIT = (sys.executable, "-m", "pre_commit")
NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert [entry["id"] for entry in hooks] == ["resumesync-validate"]
    return hooks[0]


def git_env(home: Path) -> dict[str, str]:
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "tests",
        "GIT_AUTHOR_EMAIL": "tests@example.com",
        "GIT_COMMITTER_NAME": "tests",
        "GIT_COMMITTER_EMAIL": "tests@example.com",
    }


def git_repository(directory: Path, env: dict[str, str]) -> Path:
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *command], cwd=directory, env=env, check=True, timeout=60)
    return directory


def broken_copy(target: Path) -> Path:
    shutil.copytree(REPO / "examples" / "basic", target)
    backend = target / "resumes" / "backend.yaml"
    text = backend.read_text(encoding="utf-8")
    assert "\npublish: renew" in text
    backend.write_text(text.replace("\npublish: renew", "\npublish: sometimes"), encoding="utf-8")
    return target


def run_entry(directory: Path) -> subprocess.CompletedProcess[str]:
    """The hook's command as pre-commit runs it: entry + args, no file names, in the repo root."""
    definition = hook()
    command = [*shlex.split(definition["entry"]), *definition.get("args", [])]
    return subprocess.run(
        command,
        cwd=directory,
        env=git_env(directory),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_hook_definition() -> None:
    definition = hook()
    assert definition["entry"] == "resumesync validate"
    assert definition["language"] == "python"
    assert definition["pass_filenames"] is False  # validate reads the whole repository
    assert definition["files"] == r"(^|/)(resumes/.*\.ya?ml|visibility\.ya?ml|resumesync\.ya?ml)$"


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("resumes/backend.yaml", True),
        ("resumes/_base.yml", True),
        ("visibility.yaml", True),
        ("resumesync.yaml", True),
        ("team/anna/resumes/backend.yaml", True),
        ("team/anna/visibility.yml", True),
        ("README.md", False),
        ("resumes/notes.txt", False),
        ("myvisibility.yaml", False),
        (".github/workflows/ci.yml", False),
        # A workflow named like the config also matches: harmless, validate just runs once more.
        (".github/workflows/resumesync.yml", True),
    ],
)
def test_hook_runs_when_resume_files_change(path: str, matches: bool) -> None:
    # pre-commit matches `files` with re.search against paths relative to the repository root.
    assert bool(re.search(hook()["files"], path)) is matches


@pytest.mark.parametrize("example", ["basic", "team"])
def test_hook_entry_passes_on_the_examples(tmp_path: Path, example: str) -> None:
    repo = shutil.copytree(REPO / "examples" / example, tmp_path / example)
    result = run_entry(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ resumes valid\.\n", result.stdout)


def test_hook_entry_fails_on_a_broken_copy_with_file_and_line(tmp_path: Path) -> None:
    result = run_entry(broken_copy(tmp_path / "broken"))
    assert result.returncode == 1
    assert "resumes/backend.yaml:3: publish: must be one of" in result.stderr


def embedded_wheels() -> Path:
    import virtualenv

    directory = Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed"
    assert list(directory.glob("setuptools-*.whl")), f"no setuptools wheel in {directory}"
    return directory


def test_try_repo_installs_the_hook_offline_and_reports_file_and_line(tmp_path: Path) -> None:
    env = git_env(tmp_path / "home")
    project = shutil.copytree(REPO, tmp_path / "project", ignore=shutil.ignore_patterns(*JUNK))
    git_repository(project, env)
    target = git_repository(broken_copy(tmp_path / "resumes"), env)
    site_packages = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    env |= {
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "PRE_COMMIT_COLOR": "never",
        "VIRTUALENV_OVERRIDE_APP_DATA": str(tmp_path / "virtualenv"),
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_FIND_LINKS": str(embedded_wheels()),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONPATH": os.pathsep.join(site_packages),
        **{name: NOWHERE for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")},
    }
    result = subprocess.run(
        [*PRE_COMMIT, "try-repo", str(project), "resumesync-validate", "--all-files"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r"^resumesync validate\.+Failed$", output, re.M), output
    assert "resumes/backend.yaml:3: publish: must be one of" in output
