"""Nothing is imported that the run does not use: each command runs in a fresh interpreter
that reports, at exit, which of the heavy modules it loaded."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from resumesync.sandbox import Account, SandboxConfig, running_sandbox

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "basic"
TOKEN = "USERperfimports"
HEAVY = (
    "asyncio",
    "httpx",
    "yaml",
    "jsonschema",
    "deepdiff",
    "resumesync.sandbox",
    "pydantic",
    "ruamel.yaml",
)

# Runs the CLI as `resumesync ARGS` would, then prints which HEAVY modules were loaded.
RUN = f"""
import atexit, json, sys
def report():
    print(json.dumps(sorted(n for n in {HEAVY!r} if n in sys.modules)), file=sys.stderr)
atexit.register(report)
sys.argv = ["resumesync", *sys.argv[1:]]
from resumesync.cli import main
main()
"""


def loaded(*args: str, env: dict[str, str] | None = None, expect: int = 0) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", **(env or {})},
        timeout=120,
        check=False,
    )
    assert result.returncode == expect, result.stderr
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_help_loads_none_of_them() -> None:
    assert loaded("--help") == set()


def test_validate_loads_no_http_stack_no_diff_no_sandbox() -> None:
    # jsonschema-rs passes the example: jsonschema (30-40 ms) is needed only to word errors
    assert loaded("validate", "--dir", str(EXAMPLE)) == {"yaml"}


def test_an_invalid_file_loads_jsonschema_for_its_messages(tmp_path: Path) -> None:
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "repo"))
    backend = repo / "resumes" / "backend.yaml"
    backend.write_text(backend.read_text(encoding="utf-8") + "total_experience: lots\n", "utf-8")
    assert "jsonschema" in loaded("validate", "--dir", str(repo), expect=1)


@pytest.fixture
def applied(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A copy of the example whose account already matches it (so plans are no-ops)."""
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "repo"))
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        env = {"HH_TOKEN": TOKEN, "HH_API_URL": sandbox.url}
        loaded("apply", "--yes", "--dir", str(repo), "--max-rps", "1000", env=env)
        yield repo, env


def test_a_no_op_plan_loads_no_diff_library_and_no_sandbox(applied) -> None:  # type: ignore[no-untyped-def]
    repo, env = applied
    modules = loaded("plan", "--dir", str(repo), "--max-rps", "1000", env=env)
    assert "deepdiff" not in modules and "resumesync.sandbox" not in modules
    assert "ruamel.yaml" not in modules  # only `pull`, `import` and id write-back edit files
    assert {"httpx", "asyncio"} <= modules
    assert "pydantic" not in modules
    # (jsonschema: only the preflight's conditions checks load it, while plans read them)


def test_a_plan_with_a_nested_change_loads_the_diff_library(applied) -> None:  # type: ignore[no-untyped-def]
    repo, env = applied
    backend = repo / "resumes" / "backend.yaml"
    text = backend.read_text(encoding="utf-8")
    assert "skill_set:" in text
    backend.write_text(text.replace("skill_set:", "skill_set:\n  - Benchmarks", 1), "utf-8")
    modules = loaded("plan", "--dir", str(repo), "--max-rps", "1000", env=env)
    assert "deepdiff" in modules
