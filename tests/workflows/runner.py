"""A small stand-in for the GitHub Actions runner, enough for the example workflows.

It reads a workflow file, decides which jobs and steps an event runs (the `if:` conditions the
examples use: `github.event_name` / `github.ref` compared with `==` / `!=`, joined by `&&` and
`||`), and runs the `run:` steps with bash the way `shell: bash` does, so the tests execute the
very commands the workflow holds. Expressions in `env:` are resolved from a table the test
gives, keyed by the expression's text: a new expression in a workflow fails the tests until the
table knows it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / "examples" / "github-actions"
SINGLE = WORKFLOWS / "resumesync.yml"
MATRIX = WORKFLOWS / "resumesync-matrix.yml"

# What `shell: bash` runs on a GitHub-hosted runner.
BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INSTALL = re.compile(r"^python -m pip install\b")


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: Mapping[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean true.
    return workflow.get("on", workflow.get(True)) or {}


def steps(workflow: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield job_name, step


def run_scripts(workflow: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(job, step name, script) of every `run:` step."""
    for job_name, step in steps(workflow):
        if "run" in step:
            yield job_name, step.get("name", step["run"].splitlines()[0]), step["run"]


@dataclass(frozen=True)
class Event:
    """What the `github` context holds for one trigger."""

    name: str
    ref: str = "refs/heads/main"

    def context(self) -> dict[str, str]:
        return {"event_name": self.name, "ref": self.ref}


def condition_holds(condition: str | None, event: Event) -> bool:
    if condition is None:
        return True
    return any(
        all(_term_holds(term, event) for term in clause.split("&&"))
        for clause in condition.split("||")
    )


def _term_holds(term: str, event: Event) -> bool:
    match = re.fullmatch(r"\s*github\.(\w+)\s*(==|!=)\s*'([^']*)'\s*", term)
    if match is None:
        raise ValueError(f"runner.py cannot evaluate the condition term {term!r}")
    name, operator, literal = match.groups()
    return (event.context()[name] == literal) == (operator == "==")


def resolve(value: object, expressions: Mapping[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression not in expressions:
            raise KeyError(f"the test gives no value for the expression {expression!r}")
        return expressions[expression]

    return EXPRESSION.sub(substitute, str(value))


@dataclass
class StepResult:
    name: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class JobResult:
    steps: list[StepResult] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # what the steps wrote to $GITHUB_OUTPUT
    summary: str = ""  # what the steps wrote to $GITHUB_STEP_SUMMARY

    @property
    def ok(self) -> bool:
        return all(step.returncode == 0 for step in self.steps)

    def step(self, name: str) -> StepResult:
        return next(step for step in self.steps if step.name == name)

    @property
    def output(self) -> str:
        return "".join(step.output for step in self.steps)


@dataclass
class Runner:
    """Runs jobs of one workflow in `workspace` (the checked-out repository)."""

    workflow: dict[str, Any]
    workspace: Path
    temp: Path
    expressions: Mapping[str, str]
    overrides: Mapping[str, str] = field(default_factory=dict)  # workflow-level env knobs

    def run_job(self, job_name: str, event: Event) -> JobResult:
        """The job's `run:` steps in order, stopping at the first failure as Actions does.

        The install step is left out: the test environment has resumesync installed already.
        """
        job = self.workflow["jobs"][job_name]
        assert condition_holds(job.get("if"), event), f"{job_name} does not run on {event}"
        self.temp.mkdir(parents=True, exist_ok=True)
        output_file = self.temp / "github_output"
        summary_file = self.temp / "step_summary"
        output_file.write_text("")
        summary_file.write_text("")
        result = JobResult()
        for index, step in enumerate(job["steps"]):
            if "run" not in step or INSTALL.match(step["run"]):
                continue
            if not condition_holds(step.get("if"), event):
                continue
            env = self._environment(job, step, event, output_file, summary_file)
            script = self.temp / f"step-{index}.sh"
            script.write_text(step["run"], encoding="utf-8")
            completed = subprocess.run(
                [*BASH, str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            name = step.get("name", step["run"].splitlines()[0])
            result.steps.append(
                StepResult(name, completed.returncode, completed.stdout, completed.stderr)
            )
            if completed.returncode != 0:
                break
        result.outputs = dict(
            line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
        )
        result.summary = summary_file.read_text(encoding="utf-8")
        return result

    def _environment(
        self,
        job: Mapping[str, Any],
        step: Mapping[str, Any],
        event: Event,
        output_file: Path,
        summary_file: Path,
    ) -> dict[str, str]:
        unknown = set(self.overrides) - set(self.workflow.get("env", {}))
        assert not unknown, f"overrides must name workflow env variables: {unknown}"
        env = {
            # The interpreter running the tests has resumesync installed next to it.
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.temp),
            "LANG": "C.UTF-8",
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_EVENT_NAME": event.name,
            "GITHUB_REF": event.ref,
        }
        for scope in (self.workflow.get("env", {}), job.get("env", {}), step.get("env", {})):
            env.update({key: resolve(value, self.expressions) for key, value in scope.items()})
        env.update(self.overrides)
        return env


def resumesync_executable() -> Path:
    return Path(sys.executable).parent / "resumesync"
