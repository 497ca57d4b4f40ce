"""The shape of the example workflows: triggers, routing, permissions, concurrency, secrets."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest

from .runner import (
    MATRIX,
    SINGLE,
    Event,
    condition_holds,
    load,
    run_scripts,
    steps,
    triggers,
)

WORKFLOWS = {"single": load(SINGLE), "matrix": load(MATRIX)}
MARKER = "<!-- resumesync-plan"
TOKEN_VARIABLES = re.compile(r"\$\{?(HH_TOKEN\w*|PROFILE_TOKEN)\b")

PULL_REQUEST = Event("pull_request", ref="refs/pull/7/merge")
PUSH_MAIN = Event("push")
SCHEDULE = Event("schedule")
DISPATCH_MAIN = Event("workflow_dispatch")
DISPATCH_BRANCH = Event("workflow_dispatch", ref="refs/heads/experiment")

both = pytest.mark.parametrize("workflow", WORKFLOWS.values(), ids=WORKFLOWS.keys())


def resumesync_commands(workflow: dict[str, Any], job: str) -> list[list[str]]:
    """Every `resumesync ...` invocation of a job (also inside `$(...)`), cut at the first
    shell operator."""
    commands = []
    for step in workflow["jobs"][job]["steps"]:
        for line in step.get("run", "").splitlines():
            commands += [
                shlex.split(inner) for inner in re.findall(r"\$\((resumesync [^)]*)\)", line)
            ]
            words = shlex.split(line, comments=True)
            if "resumesync" not in words:
                continue
            words = words[words.index("resumesync") :]
            cut = next((i for i, w in enumerate(words) if w in {">", ">>", "||", "&&", "|"}), None)
            commands.append(words[:cut])
    return commands


def running_jobs(workflow: dict[str, Any], event: Event) -> set[str]:
    return {name for name, job in workflow["jobs"].items() if condition_holds(job.get("if"), event)}


def running_steps(workflow: dict[str, Any], job: str, event: Event) -> list[str]:
    return [
        step.get("name", step.get("uses", ""))
        for step in workflow["jobs"][job]["steps"]
        if condition_holds(step.get("if"), event)
    ]


@both
def test_triggers(workflow) -> None:
    on = triggers(workflow)
    assert set(on) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    assert len(on["schedule"]) == 1
    assert len(on["schedule"][0]["cron"].split()) == 5


def test_events_route_to_the_right_jobs_of_the_single_account_workflow() -> None:
    workflow = WORKFLOWS["single"]
    assert running_jobs(workflow, PULL_REQUEST) == {"plan"}
    assert running_jobs(workflow, PUSH_MAIN) == {"apply"}
    assert running_jobs(workflow, SCHEDULE) == {"apply"}
    assert running_jobs(workflow, DISPATCH_MAIN) == {"apply"}
    assert running_jobs(workflow, DISPATCH_BRANCH) == set()  # only main is ever applied
    assert "Check for drift" not in running_steps(workflow, "apply", PUSH_MAIN)
    assert "Check for drift" in running_steps(workflow, "apply", SCHEDULE)


def test_events_route_to_the_right_jobs_of_the_matrix_workflow() -> None:
    workflow = WORKFLOWS["matrix"]
    assert running_jobs(workflow, PULL_REQUEST) == {"profiles", "plan"}
    assert running_jobs(workflow, PUSH_MAIN) == {"profiles", "apply"}
    assert running_jobs(workflow, SCHEDULE) == {"profiles", "apply"}
    assert running_jobs(workflow, DISPATCH_BRANCH) == {"profiles"}
    assert "Check for drift" not in running_steps(workflow, "apply", PUSH_MAIN)
    assert "Check for drift" in running_steps(workflow, "apply", SCHEDULE)


@both
def test_the_jobs_run_the_documented_commands(workflow) -> None:
    plan = [c for c in resumesync_commands(workflow, "plan") if c[1] != "validate"]
    apply = resumesync_commands(workflow, "apply")
    assert [command[1] for command in plan] == ["plan"]
    assert plan[0][plan[0].index("--format") + 1] == "markdown"
    assert [command[1] for command in apply] == ["apply", "plan"]
    assert "--yes" in apply[0]
    assert "--detailed-exitcode" in apply[1]
    validate = ["resumesync", "validate"]
    first_job = workflow["jobs"].get("profiles", workflow["jobs"]["plan"])
    assert validate in [shlex.split(step.get("run", "")) for step in first_job["steps"]]


def test_matrix_commands_each_target_one_profile_at_a_bounded_rate() -> None:
    workflow = WORKFLOWS["matrix"]
    assert resumesync_commands(workflow, "profiles") == [
        ["resumesync", "validate"],
        ["resumesync", "profiles", "--format", "json"],
    ]
    for job in ("plan", "apply"):
        for command in resumesync_commands(workflow, job):
            assert command[command.index("--profile") + 1] == "$PROFILE"
            assert command[command.index("--max-rps") + 1] == "$RESUMESYNC_MAX_RPS"


@both
def test_permissions_are_read_only_except_the_pull_request_comment(workflow) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        expected = (
            {"contents": "read", "pull-requests": "write"}
            if name == "plan"
            else {"contents": "read"}
        )
        assert job.get("permissions", workflow["permissions"]) == expected, name


@both
def test_applies_never_overlap_and_are_never_cancelled(workflow) -> None:
    concurrency = workflow["jobs"]["apply"]["concurrency"]
    assert concurrency["group"].startswith("resumesync-apply")
    assert concurrency["cancel-in-progress"] is False


def test_matrix_applies_are_serialised_per_profile() -> None:
    group = WORKFLOWS["matrix"]["jobs"]["apply"]["concurrency"]["group"]
    assert "${{ matrix.profile }}" in group


@both
def test_the_plan_is_posted_as_one_comment_found_again_by_its_marker(workflow) -> None:
    comment = next(
        step
        for step in workflow["jobs"]["plan"]["steps"]
        if str(step.get("uses", "")).startswith("actions/github-script@")
    )
    marker = comment["env"]["MARKER"]
    assert marker.startswith(MARKER) and marker.endswith("-->")
    script = comment["with"]["script"]
    assert "process.env.MARKER" in script
    assert "resumesync-plan.md" in script  # the file the Plan step writes
    for call in ("listComments", "updateComment", "createComment", "paginate"):
        assert f"github.rest.issues.{call}" in script or f"github.{call}" in script, call
    plan_step = next(s for s in workflow["jobs"]["plan"]["steps"] if s.get("name") == "Plan")
    assert '> "$RUNNER_TEMP/resumesync-plan.md"' in plan_step["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in plan_step["run"]


def test_matrix_comments_are_one_per_profile() -> None:
    steps_ = WORKFLOWS["matrix"]["jobs"]["plan"]["steps"]
    marker = next(s for s in steps_ if "env" in s and "MARKER" in s["env"])["env"]["MARKER"]
    assert "${{ matrix.profile }}" in marker


@both
def test_secrets_reach_only_the_steps_that_talk_to_hh_ru(workflow) -> None:
    def mentions_secrets(value: object) -> bool:
        return "secrets" in str(value)

    assert not mentions_secrets(workflow.get("env"))
    for name, job in workflow["jobs"].items():
        assert not mentions_secrets(job.get("env")), f"job {name} env holds a secret"
        assert not mentions_secrets(job.get("outputs")), f"job {name} outputs a secret"
    for job, step in steps(workflow):
        assert not mentions_secrets(step.get("run")), f"{job}: a script expands a secret"
        assert not mentions_secrets(step.get("with")), f"{job}: an action gets a secret"
        if "pip install" in step.get("run", ""):
            assert not mentions_secrets(step.get("env")), "pip install runs with secrets"


def test_the_token_comes_from_the_hh_token_secret() -> None:
    for job in ("plan", "apply"):
        for step in WORKFLOWS["single"]["jobs"][job]["steps"]:
            if "resumesync plan" in step.get("run", "") or "resumesync apply" in step.get(
                "run", ""
            ):
                assert step["env"]["HH_TOKEN"] == "${{ secrets.HH_TOKEN }}"
                assert step["env"]["HH_EMAIL"] == "${{ secrets.HH_EMAIL }}"
                assert step["env"]["HH_PHONE_NUMBER"] == "${{ secrets.HH_PHONE_NUMBER }}"


def test_matrix_tokens_come_from_a_secret_named_by_the_profile() -> None:
    for job in ("plan", "apply"):
        for step in WORKFLOWS["matrix"]["jobs"][job]["steps"]:
            if "resumesync" in step.get("run", "") and "pip install" not in step["run"]:
                expected = "${{ secrets[format('HH_TOKEN_{0}', matrix.profile)] }}"
                assert step["env"]["PROFILE_TOKEN"] == expected
                assert 'export "HH_TOKEN_${PROFILE^^}=$PROFILE_TOKEN"' in step["run"]


@both
def test_scripts_never_print_secrets_nor_expand_expressions(workflow) -> None:
    for job, name, script in run_scripts(workflow):
        where = f"{job}/{name}"
        assert "${{" not in script, f"{where}: pass values through env, not ${{{{ }}}}"
        assert not re.search(r"\bset\s+-\w*x|xtrace", script), f"{where}: tracing prints secrets"
        assert not re.search(r"^\s*(env|printenv|export -p)\s*$", script, re.M), where
        for command in re.split(r"[;&|{}]|\n", script):
            words = command.split()
            if words and words[0] in {"echo", "printf", "cat"}:
                assert not TOKEN_VARIABLES.search(command), f"{where}: prints a token: {command}"


@both
def test_python_and_resumesync_install(workflow) -> None:
    assert "'resumesync'" in workflow["env"]["RESUMESYNC_SPEC"]
    assert workflow["defaults"]["run"]["shell"] == "bash"  # what the tests run the scripts with
    for _, step in steps(workflow):
        if str(step.get("uses", "")).startswith("actions/setup-python@"):
            major, minor = map(int, str(step["with"]["python-version"]).split(".")[:2])
            assert (major, minor) >= (3, 11)
    installs = [s["run"] for _, s in steps(workflow) if "pip install" in s.get("run", "")]
    assert installs
    assert all(run.strip().endswith('"$RESUMESYNC_SPEC"') for run in installs)


def test_matrix_fans_out_over_the_profiles_output_at_a_bounded_total_rate() -> None:
    workflow = WORKFLOWS["matrix"]
    profiles = workflow["jobs"]["profiles"]
    assert profiles["outputs"]["names"] == "${{ steps.list.outputs.names }}"
    rate = float(workflow["env"]["RESUMESYNC_MAX_RPS"])
    for name in ("plan", "apply"):
        job = workflow["jobs"][name]
        assert job["needs"] == "profiles"
        strategy = job["strategy"]
        assert strategy["matrix"] == {"profile": "${{ fromJSON(needs.profiles.outputs.names) }}"}
        assert strategy["fail-fast"] is False  # one account's failure must not stop the others
        # hh.ru allows about 10 requests a second per IP, and parallel jobs may share one.
        assert strategy["max-parallel"] >= 1 and strategy["max-parallel"] * rate <= 10
