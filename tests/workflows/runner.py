"""A small stand-in for the GitHub Actions runner, enough for the example workflows and the
resumesync action (action.yml at the repository root).

It reads a workflow file, decides which jobs and steps an event runs (the `if:` conditions the
examples use: references such as `github.event_name`, `inputs.command` or
`steps.run.outputs.changes` compared with `==` / `!=` to a quoted literal or another
reference, joined by `&&` and `||`), and runs the `run:` steps with bash the way `shell: bash`
does, so the tests execute the very commands the workflow holds. A step that uses the resumesync
action runs the action's own steps (a composite action) with its inputs, as GitHub does; other
`uses:` steps (checkout, setup-python, github-script) are JavaScript and are left out.

Expressions in `env:` and `with:` are resolved from the event, the inputs, the steps' outputs
and a table the test gives, keyed by the expression's text: a new expression in a workflow
fails the tests until the table knows it.

setup-python's interpreter is replaced by a stub (fake_python) that records how it is called
and "installs" the resumesync the tests run: the action's install script runs for real.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "action.yml"
WORKFLOWS = REPO / "examples" / "github-actions"
SINGLE = WORKFLOWS / "resumesync.yml"
MATRIX = WORKFLOWS / "resumesync-matrix.yml"
# How the example workflows name the action (the user pins a tag or a commit sha).
ACTION_USES = re.compile(r"^resumesync/resumesync@\S+$")

# What `shell: bash` runs on a GitHub-hosted runner.
BASH = ("bash", "--noprofile", "--norc", "-eo", "pipefail")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
RENEW_CRON = "17 * * * *"
DAILY_CRON = "43 5 * * *"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: Mapping[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean true.
    return workflow.get("on", workflow.get(True)) or {}


def steps(workflow: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield job_name, step


def action_steps() -> list[dict[str, Any]]:
    return load(ACTION)["runs"]["steps"]


def uses_action(step: Mapping[str, Any]) -> bool:
    return bool(ACTION_USES.match(str(step.get("uses", ""))))


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
    schedule: str = ""  # the cron line that started a `schedule` event
    default_branch: str = "main"

    def context(self) -> dict[str, str]:
        kind, _, short = self.ref.removeprefix("refs/").partition("/")
        return {
            "github.event_name": self.name,
            "github.ref": self.ref,
            "github.ref_name": short,
            "github.ref_type": {"heads": "branch", "tags": "tag"}.get(kind, ""),
            "github.event.schedule": self.schedule,
            "github.event.repository.default_branch": self.default_branch,
            "github.token": "ghs_workflowtests",
        }


LITERAL = re.compile(r"'((?:[^']|'')*)'")
REFERENCE = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+)*")


def _operand(text: str, context: Mapping[str, str]) -> str:
    text = text.strip()
    literal = LITERAL.fullmatch(text)
    if literal:
        return literal.group(1).replace("''", "'")
    if REFERENCE.fullmatch(text) and text in context:
        return context[text]
    if REFERENCE.fullmatch(text) and text.startswith("steps."):
        return ""  # an output a step did not set is empty
    raise ValueError(f"runner.py cannot evaluate {text!r}")


def evaluate(condition: str | None, context: Mapping[str, str]) -> bool:
    """`a == 'x' && b != c || ...` (&& binds tighter than ||, as in GitHub's expressions)."""
    if condition is None:
        return True
    condition = condition.strip()
    match = EXPRESSION.fullmatch(condition)
    if match:
        condition = match.group(1)

    def term(text: str) -> bool:
        call = re.fullmatch(r"\s*(always|success|failure)\(\)\s*", text)
        if call is not None:  # the status functions; job.status is set by run_job
            failed = context.get("job.status") == "failure"
            return {"always": True, "success": not failed, "failure": failed}[call.group(1)]
        found = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", text)
        if found is None:
            return _operand(text, context) not in ("", "false", "0")
        left, operator, right = found.groups()
        return (_operand(left, context) == _operand(right, context)) == (operator == "==")

    return any(all(term(t) for t in clause.split("&&")) for clause in condition.split("||"))


def condition_holds(condition: str | None, event: Event) -> bool:
    return evaluate(condition, event.context())


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
    outputs: dict[str, str] = field(default_factory=dict)
    inner: list[StepResult] = field(default_factory=list)  # an action's own steps

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class JobResult:
    steps: list[StepResult] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # what the steps wrote to $GITHUB_OUTPUT
    summary: str = ""  # what the steps wrote to $GITHUB_STEP_SUMMARY
    actions: list[str] = field(default_factory=list)  # JavaScript steps that would have run

    @property
    def ok(self) -> bool:
        return all(step.returncode == 0 for step in self.steps)

    def step(self, name: str) -> StepResult:
        return next(step for step in self.steps if step.name == name)

    @property
    def output(self) -> str:
        return "".join(step.output for step in self.steps)


FAKE_PYTHON = """#!/usr/bin/env bash
# A stand-in for setup-python's interpreter: records each call and the environment it got;
# `-m venv DIR` makes DIR/bin/python this stub, `-m pip install ...` links the resumesync the
# tests run into that bin directory.
{{ printf 'call:'; printf ' %s' "$@"; printf '\\n'; env | sort | sed 's/^/env: /'; }} >> '{log}'
if [ "$1 $2" = "-m venv" ]; then
  dir="${{*: -1}}"; mkdir -p "$dir/bin"; cp "$0" "$dir/bin/python"
fi
if [ "$1 $2" = "-m pip" ]; then ln -sf '{resumesync}' "$(dirname "$0")/resumesync"; fi
"""


def fake_python(directory: Path) -> Path:
    """The stub interpreter; its calls are logged in directory/python-calls.log."""
    directory.mkdir(parents=True, exist_ok=True)
    stub = directory / "python3"
    stub.write_text(
        FAKE_PYTHON.format(log=directory / "python-calls.log", resumesync=resumesync_executable()),
        encoding="utf-8",
    )
    stub.chmod(0o755)
    return stub


@dataclass
class Runner:
    """Runs jobs of one workflow in `workspace` (the checked-out repository)."""

    workflow: dict[str, Any]
    workspace: Path
    temp: Path
    expressions: Mapping[str, str]
    overrides: Mapping[str, str] = field(default_factory=dict)  # workflow-level env knobs
    python: Path | None = None  # what setup-python gives the action (default: a stub)
    tools: Path | None = None  # a directory of stand-ins (gh) put first on PATH
    action: dict[str, Any] = field(default_factory=lambda: load(ACTION))

    def run_job(self, job_name: str, event: Event) -> JobResult:
        """The job's steps in order, stopping at the first failure as Actions does."""
        job = self.workflow["jobs"][job_name]
        assert condition_holds(job.get("if"), event), f"{job_name} does not run on {event}"
        unknown = set(self.overrides) - set(self.workflow.get("env", {}))
        assert not unknown, f"overrides must name workflow env variables: {unknown}"
        self.temp.mkdir(parents=True, exist_ok=True)
        if self.python is None:
            self.python = fake_python(self.temp / "python")
        self._summary = self.temp / "step_summary"
        self._path_file = self.temp / "github_path"
        self._summary.write_text("")
        self._path_file.write_text("")
        self._counter = 0
        job_env = self._scope_env(
            [self.workflow.get("env", {}), job.get("env", {})], self._context(event)
        )
        job_env.update(self.overrides)
        result = JobResult()
        step_outputs: dict[str, dict[str, str]] = {}
        failed = False
        for step in job["steps"]:
            context = self._context(event, steps=step_outputs, env=job_env)
            context["job.status"] = "failure" if failed else "success"
            condition = step.get("if")
            # After a failure only steps that ask for it run (always(), failure()), as on GitHub.
            if failed and not re.search(r"\b(always|failure)\(\)", str(condition or "")):
                continue
            if not evaluate(condition, context):
                continue
            name = step.get("name", step.get("run", step.get("uses", "")).splitlines()[0])
            env = {**job_env, **self._scope_env([step.get("env", {})], context)}
            if uses_action(step):
                outcome = self._run_action(name, step, env, context, event)
            elif "run" in step:
                outcome = self._run_script(name, step["run"], env)
            else:
                result.actions.append(name)
                continue
            result.steps.append(outcome)
            if "id" in step:
                step_outputs[step["id"]] = outcome.outputs
            result.outputs.update(outcome.outputs)
            failed = failed or outcome.returncode != 0
        result.summary = self._summary.read_text(encoding="utf-8")
        return result

    # --- the resumesync action -------------------------------------------------------------

    def _run_action(
        self,
        name: str,
        step: Mapping[str, Any],
        env: dict[str, str],
        context: Mapping[str, str],
        event: Event,
    ) -> StepResult:
        """A `uses: resumesync/resumesync@...` step: the composite action's steps, with the
        step's `with:` as inputs and its `env:` in every inner step's environment."""
        declared = self.action["inputs"]
        given = {key: resolve(value, context) for key, value in (step.get("with") or {}).items()}
        unexpected = set(given) - set(declared)
        assert not unexpected, f"{name}: the action has no input {unexpected}"
        inputs: dict[str, str] = {}
        for key, spec in declared.items():
            if key in given:
                inputs[key] = given[key]
            else:
                assert not spec.get("required"), f"{name}: the required input {key} is missing"
                inputs[key] = resolve(spec.get("default", ""), context)
        base = {**event.context(), **{f"inputs.{k}": v for k, v in inputs.items()}}
        base["github.action_path"] = str(REPO)
        env = {**env, "GITHUB_ACTION_PATH": str(REPO)}
        inner_outputs: dict[str, dict[str, str]] = {}
        inner: list[StepResult] = []
        for inner_step in self.action["runs"]["steps"]:
            inner_context = {**self.expressions, **base, **_step_context(inner_outputs)}
            if not evaluate(inner_step.get("if"), inner_context):
                continue
            inner_name = inner_step.get("name", inner_step.get("uses", ""))
            uses = str(inner_step.get("uses", ""))
            if uses.startswith("actions/setup-python@"):
                inner_outputs[inner_step["id"]] = {"python-path": str(self.python)}
                continue
            if "run" not in inner_step:
                continue  # github-script: JavaScript, not run here
            assert inner_step.get("shell") == "bash", f"{inner_name}: composite steps name a shell"
            step_env = {**env, **self._scope_env([inner_step.get("env", {})], inner_context)}
            outcome = self._run_script(inner_name, inner_step["run"], step_env)
            inner.append(outcome)
            if "id" in inner_step:
                inner_outputs[inner_step["id"]] = outcome.outputs
            if outcome.returncode != 0:
                break
        outputs_context = _step_context(inner_outputs)
        outputs = {
            key: resolve(spec["value"], {**_empty_outputs(spec["value"]), **outputs_context})
            for key, spec in self.action.get("outputs", {}).items()
        }
        failed = next((s.returncode for s in inner if s.returncode != 0), 0)
        return StepResult(
            name,
            failed,
            "".join(s.stdout for s in inner),
            "".join(s.stderr for s in inner),
            outputs,
            inner,
        )

    # --- plumbing --------------------------------------------------------------------------

    def _context(
        self,
        event: Event,
        steps: Mapping[str, Mapping[str, str]] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        context = {**self.expressions, **event.context(), **_step_context(steps or {})}
        context.update({f"env.{key}": value for key, value in (env or {}).items()})
        return context

    def _scope_env(
        self, scopes: list[Mapping[str, Any]], context: Mapping[str, str]
    ) -> dict[str, str]:
        env: dict[str, str] = {}
        for scope in scopes:
            env.update({key: resolve(value, context) for key, value in scope.items()})
        return env

    def _run_script(self, name: str, script: str, env: Mapping[str, str]) -> StepResult:
        self._counter += 1
        script_file = self.temp / f"step-{self._counter}.sh"
        script_file.write_text(script, encoding="utf-8")
        output_file = self.temp / f"github_output-{self._counter}"
        output_file.write_text("")
        added = [line for line in self._path_file.read_text().splitlines() if line]
        full_env = {
            "PATH": os.pathsep.join(
                [*([str(self.tools)] if self.tools else []), *reversed(added), SYSTEM_PATH]
            ),
            "HOME": str(self.temp),
            "LANG": "C.UTF-8",
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(self._summary),
            "GITHUB_PATH": str(self._path_file),
            **env,
        }
        completed = subprocess.run(
            [*BASH, str(script_file)],
            cwd=self.workspace,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        outputs = dict(
            line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
        )
        return StepResult(name, completed.returncode, completed.stdout, completed.stderr, outputs)


def _step_context(outputs: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    return {
        f"steps.{step}.outputs.{key}": value
        for step, values in outputs.items()
        for key, value in values.items()
    }


def _empty_outputs(value: str) -> dict[str, str]:
    """An output a step did not write (the step did not run) is empty, as in GitHub."""
    return {expression: "" for expression in EXPRESSION.findall(value)}


def resumesync_executable() -> Path:
    return Path(sys.executable).parent / "resumesync"
