"""The shape of the example workflows and of the action: triggers, routing, permissions,
concurrency, secrets, and what the action runs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .runner import (
    ACTION,
    DAILY_CRON,
    MATRIX,
    RENEW_CRON,
    SINGLE,
    Event,
    action_steps,
    condition_holds,
    evaluate,
    load,
    run_scripts,
    steps,
    triggers,
    uses_action,
)

WORKFLOWS = {"single": load(SINGLE), "matrix": load(MATRIX)}
ACTION_DOC = load(ACTION)
TOKEN_VARIABLES = re.compile(r"\$\{?(HH_TOKEN\w*|PROFILE_TOKEN)\b")

PULL_REQUEST = Event("pull_request", ref="refs/pull/7/merge")
PUSH_MAIN = Event("push")
PUSH_BRANCH = Event("push", ref="refs/heads/experiment")
PUSH_TAG = Event("push", ref="refs/tags/main")
HOURLY = Event("schedule", schedule=RENEW_CRON)
DAILY = Event("schedule", schedule=DAILY_CRON)
DISPATCH_MAIN = Event("workflow_dispatch")
DISPATCH_BRANCH = Event("workflow_dispatch", ref="refs/heads/experiment")
# A repository whose default branch is not called main.
PUSH_TRUNK = Event("push", ref="refs/heads/trunk", default_branch="trunk")
PUSH_MAIN_ON_TRUNK = Event("push", ref="refs/heads/main", default_branch="trunk")
DISPATCH_TRUNK = Event("workflow_dispatch", ref="refs/heads/trunk", default_branch="trunk")

both = pytest.mark.parametrize("workflow", WORKFLOWS.values(), ids=WORKFLOWS.keys())


def action_uses(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return [step for step in workflow["jobs"][job]["steps"] if uses_action(step)]


def commands(workflow: dict[str, Any], job: str) -> list[str]:
    return [step["with"]["command"] for step in action_uses(workflow, job)]


def resumesync_uses(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    """The action steps that run resumesync against hh.ru (not `save-token`, not `commit`)."""
    return [
        s
        for s in action_uses(workflow, job)
        if s["with"]["command"] not in ("save-token", "commit")
    ]


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
    assert on["push"] is None  # every branch: the jobs pick the default branch, whatever its name
    assert [entry["cron"] for entry in on["schedule"]] == [RENEW_CRON, DAILY_CRON]
    minute, hour, *rest = RENEW_CRON.split()
    assert hour == "*" and rest == ["*", "*", "*"] and minute.isdigit()  # hourly


def test_events_route_to_the_right_jobs_of_the_single_account_workflow() -> None:
    workflow = WORKFLOWS["single"]
    assert running_jobs(workflow, PULL_REQUEST) == {"plan"}
    assert running_jobs(workflow, PUSH_MAIN) == {"apply"}
    assert running_jobs(workflow, PUSH_BRANCH) == set()  # only the default branch is applied
    assert running_jobs(workflow, PUSH_TAG) == set()
    assert running_jobs(workflow, HOURLY) == {"renew"}
    assert running_jobs(workflow, DAILY) == {"reconcile"}
    assert running_jobs(workflow, DISPATCH_MAIN) == {"apply"}
    assert running_jobs(workflow, DISPATCH_BRANCH) == set()
    assert "Apply" in running_steps(workflow, "apply", PUSH_MAIN)
    assert "Apply and check for drift" not in running_steps(workflow, "apply", PUSH_MAIN)
    assert "Apply and check for drift" in running_steps(workflow, "apply", DISPATCH_MAIN)
    assert "Apply" not in running_steps(workflow, "apply", DISPATCH_MAIN)  # one read pass


@both
def test_the_default_branch_is_applied_whatever_it_is_called(workflow) -> None:
    assert "apply" in running_jobs(workflow, PUSH_TRUNK)
    assert "apply" in running_jobs(workflow, DISPATCH_TRUNK)
    assert "apply" not in running_jobs(workflow, PUSH_MAIN_ON_TRUNK)
    text = (SINGLE if workflow is WORKFLOWS["single"] else MATRIX).read_text(encoding="utf-8")
    assert "refs/heads/main" not in text and "branches:" not in text


def test_events_route_to_the_right_jobs_of_the_matrix_workflow() -> None:
    workflow = WORKFLOWS["matrix"]
    assert running_jobs(workflow, PULL_REQUEST) == {"profiles", "plan"}
    assert running_jobs(workflow, PUSH_MAIN) == {"profiles", "apply"}
    assert running_jobs(workflow, HOURLY) == {"profiles", "renew"}
    assert running_jobs(workflow, DAILY) == {"profiles", "reconcile"}
    assert running_jobs(workflow, DISPATCH_BRANCH) == {"profiles"}
    assert "Apply and check for drift" not in running_steps(workflow, "apply", PUSH_MAIN)
    assert "Apply and check for drift" in running_steps(workflow, "apply", DISPATCH_MAIN)
    assert "Apply" not in running_steps(workflow, "apply", DISPATCH_MAIN)


@both
def test_the_jobs_run_the_action_with_the_documented_commands(workflow) -> None:
    assert commands(workflow, "plan") == ["plan"]
    # 2nd: drift "true"; then the commit of new resume ids and resumesync.lock
    assert commands(workflow, "apply") == ["apply", "apply", "commit", "save-token"]
    assert commands(workflow, "reconcile") == ["pull", "apply", "commit", "save-token"]
    assert commands(workflow, "renew") == ["renew", "save-token"]
    first_job = "profiles" if "profiles" in workflow["jobs"] else "plan"
    assert commands(workflow, first_job)[0] in {"validate", "plan"}
    for _, step in steps(workflow):
        uses = str(step.get("uses", ""))
        if "resumesync" in uses:
            assert uses_action(step), uses
    # Every step that runs resumesync is the action, or comes after it in its job.
    for job in workflow["jobs"].values():
        seen_action = False
        for step in job["steps"]:
            seen_action = seen_action or uses_action(step)
            if "resumesync" in step.get("run", ""):
                assert seen_action, step


def test_matrix_commands_each_target_one_profile_at_a_bounded_rate() -> None:
    workflow = WORKFLOWS["matrix"]
    for job in ("plan", "apply", "reconcile", "renew"):
        for step in action_uses(workflow, job):
            assert step["with"]["profile"] == "${{ matrix.profile }}"
        for step in resumesync_uses(workflow, job):
            assert step["with"]["args"] == "--max-rps ${{ env.RESUMESYNC_MAX_RPS }}"


@both
def test_with_names_only_the_action_s_inputs_and_gives_the_required_ones(workflow) -> None:
    inputs = ACTION_DOC["inputs"]
    required = {name for name, spec in inputs.items() if spec.get("required")}
    for job, step in steps(workflow):
        if uses_action(step):
            given = set(step.get("with") or {})
            assert given <= set(inputs), f"{job}: unknown inputs {given - set(inputs)}"
            assert required <= given, f"{job}: missing {required - given}"


@both
def test_permissions_are_read_only_except_the_comment_and_the_pull_request(workflow) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    expected = {
        "plan": {"contents": "read", "pull-requests": "write"},  # the plan comment
        "reconcile": {"contents": "write", "pull-requests": "write"},  # pull's pull request
        "apply": {"contents": "write"},  # the commit of new resume ids and resumesync.lock
    }
    for name, job in workflow["jobs"].items():
        wanted = expected.get(name, {"contents": "read"})
        assert job.get("permissions", workflow["permissions"]) == wanted, name


@both
def test_applies_never_overlap_and_are_never_cancelled(workflow) -> None:
    # renew refreshes an expired pair too (a refresh token works once): the same group, so it
    # never runs beside an apply, and none of them is cancelled half-way.
    for job in ("apply", "reconcile", "renew"):
        concurrency = workflow["jobs"][job]["concurrency"]
        assert concurrency["group"] == workflow["jobs"]["apply"]["concurrency"]["group"]
        assert concurrency["group"].startswith("resumesync-apply")
        assert concurrency["cancel-in-progress"] is False
    # Pull-request plans are in groups of their own (a newer push cancels them): never there.
    plan = workflow["jobs"]["plan"]["concurrency"]
    assert plan["group"].startswith("resumesync-plan-")


def test_matrix_applies_are_serialised_per_profile() -> None:
    group = WORKFLOWS["matrix"]["jobs"]["apply"]["concurrency"]["group"]
    assert "${{ matrix.profile }}" in group


def test_the_action_posts_the_plan_as_one_comment_found_again_by_its_marker() -> None:
    comment = next(
        s for s in action_steps() if str(s.get("uses", "")).startswith("actions/github-script@")
    )
    assert "inputs.command == 'plan'" in comment["if"]
    assert "github.event_name == 'pull_request'" in comment["if"]
    script = comment["with"]["script"]
    assert "'<!-- resumesync-plan -->'" in script  # the marker of the earlier workflows
    assert "`<!-- resumesync-plan:${profile} -->`" in script  # one comment per profile
    assert "process.env.PLAN_FILE" in script
    assert comment["env"]["PLAN_FILE"] == "${{ steps.run.outputs.plan-file }}"
    for call in ("listComments", "updateComment", "createComment", "paginate"):
        assert f"github.rest.issues.{call}" in script or f"github.{call}" in script, call
    assert comment["with"]["github-token"] == "${{ inputs.github-token }}"


def test_the_comment_step_runs_only_for_a_plan_on_a_pull_request() -> None:
    comment = next(s for s in action_steps() if "github-script" in str(s.get("uses", "")))
    for command, event, expected in [
        ("plan", PULL_REQUEST, True),
        ("plan", PUSH_MAIN, False),
        ("apply", PULL_REQUEST, False),
    ]:
        context = {**event.context(), "inputs.command": command, "inputs.comment": "true"}
        assert evaluate(comment["if"], context) is expected
    context = {**PULL_REQUEST.context(), "inputs.command": "plan", "inputs.comment": "false"}
    assert evaluate(comment["if"], context) is False


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
        if mentions_secrets(step.get("env")):
            assert uses_action(step), f"{job}: a secret reaches a step that is not resumesync"


def test_the_token_comes_from_the_hh_token_secret() -> None:
    for job in ("plan", "apply", "reconcile", "renew"):
        for step in resumesync_uses(WORKFLOWS["single"], job):
            assert step["env"]["HH_TOKEN_STORE"] == "${{ secrets.HH_TOKEN_STORE }}"
            assert step["env"]["HH_TOKEN"] == "${{ secrets.HH_TOKEN }}"
            assert step["env"]["HH_EMAIL"] == "${{ secrets.HH_EMAIL }}"
            assert step["env"]["HH_PHONE_NUMBER"] == "${{ secrets.HH_PHONE_NUMBER }}"


def test_matrix_tokens_come_from_a_secret_named_by_the_profile() -> None:
    for job in ("plan", "apply", "reconcile", "renew"):
        for step in resumesync_uses(WORKFLOWS["matrix"], job):
            expected = "${{ secrets[format('HH_TOKEN_{0}', matrix.profile)] }}"
            assert step["env"]["PROFILE_TOKEN"] == expected
            store = "${{ secrets[format('HH_TOKEN_STORE_{0}', matrix.profile)] }}"
            assert step["env"]["HH_TOKEN_STORE"] == store
    run = next(s for s in action_steps() if s.get("id") == "run")["run"]
    assert 'export "HH_TOKEN_${PROFILE^^}=$PROFILE_TOKEN"' in run


def scripts_of_everything() -> list[tuple[str, str]]:
    found = [
        (f"{job}/{name}", script)
        for w in WORKFLOWS.values()
        for job, name, script in run_scripts(w)
    ]
    found += [(f"action/{s['name']}", s["run"]) for s in action_steps() if "run" in s]
    return found


def test_scripts_never_print_secrets_nor_expand_expressions() -> None:
    for where, script in scripts_of_everything():
        assert "${{" not in script, f"{where}: pass values through env, not ${{{{ }}}}"
        assert not re.search(r"\bset\s+-\w*x|xtrace", script), f"{where}: tracing prints secrets"
        assert not re.search(r"^\s*(env|printenv|export -p)\s*$", script, re.M), where
        for command in re.split(r"[;&|{}]|\n", script):
            words = command.split()
            if words and words[0] in {"echo", "printf", "cat"}:
                assert not TOKEN_VARIABLES.search(command), f"{where}: prints a token: {command}"


def test_the_action_installs_its_own_checkout_never_a_package_by_name() -> None:
    assert ACTION_DOC["runs"]["using"] == "composite"
    install = next(s for s in action_steps() if s.get("id") == "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    pip = [line for line in install["run"].splitlines() if "pip install" in line]
    assert len(pip) == 1
    assert pip[0].strip().endswith('"$ACTION_PATH"')
    assert pip[0].strip().startswith('env -i "${keep[@]}"')  # no secret reaches pip
    setup = next(s for s in action_steps() if s.get("id") == "python")
    assert str(setup["uses"]).startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False
    default = ACTION_DOC["inputs"]["python-version"]["default"]
    assert tuple(map(int, default.split("."))) >= (3, 11)
    for where, script in scripts_of_everything():
        assert "RESUMESYNC_SPEC" not in script, where
        assert not re.search(r"pip install\b(?!.*ACTION_PATH)", script), where
    for path in (SINGLE, MATRIX, ACTION):
        assert "RESUMESYNC_SPEC" not in path.read_text(encoding="utf-8")


@both
def test_scripts_run_with_bash(workflow) -> None:
    assert workflow["defaults"]["run"]["shell"] == "bash"  # what the tests run the scripts with
    assert all(s.get("shell") == "bash" for s in action_steps() if "run" in s)


def test_matrix_fans_out_over_the_profiles_output_at_a_bounded_total_rate() -> None:
    workflow = WORKFLOWS["matrix"]
    profiles = workflow["jobs"]["profiles"]
    assert profiles["outputs"]["names"] == "${{ steps.list.outputs.names }}"
    rate = float(workflow["env"]["RESUMESYNC_MAX_RPS"])
    for name in ("plan", "apply", "reconcile", "renew"):
        job = workflow["jobs"][name]
        assert job["needs"] == "profiles"
        strategy = job["strategy"]
        assert strategy["matrix"] == {"profile": "${{ fromJSON(needs.profiles.outputs.names) }}"}
        assert strategy["fail-fast"] is False  # one account's failure must not stop the others
        # hh.ru allows about 10 requests a second per IP, and parallel jobs may share one.
        assert strategy["max-parallel"] >= 1 and strategy["max-parallel"] * rate <= 10


@both
def test_the_daily_run_pulls_and_opens_a_pull_request_instead_of_applying(workflow) -> None:
    steps_ = workflow["jobs"]["reconcile"]["steps"]
    names = [step.get("name", step.get("uses")) for step in steps_]
    assert names == [
        "actions/checkout@v5",
        "Pull edits made on hh.ru",
        "Open a pull request with the edits",
        "Apply and check for drift",
        "Commit the new resume ids and resumesync.lock",
        "Save the refreshed token",
    ]
    pull, opener, apply_, commit, _ = steps_[1:]
    assert apply_["with"] == {**apply_["with"], "command": "apply", "drift": "true"}
    assert pull["id"] == "pull" and pull["with"]["command"] == "pull"
    # A well-known action, pinned to a full commit (a tag can be moved).
    assert re.fullmatch(r"peter-evans/create-pull-request@[0-9a-f]{40}", opener["uses"])
    for changes, expected in (("true", (True, False)), ("false", (False, True))):
        context = {**DAILY.context(), "steps.pull.outputs.changes": changes}
        assert tuple(evaluate(s["if"], context) for s in (opener, apply_)) == expected
        # pull's edits go to its pull request, never committed to the default branch
        assert evaluate(commit["if"], context) is (changes == "false")
    assert opener["with"]["branch"].startswith("resumesync/pull")


@both
def test_only_the_apply_group_saves_a_refreshed_pair_and_only_it_gets_the_secrets_token(
    workflow,
) -> None:
    """A refresh token works once: only the jobs in the apply concurrency group may refresh
    (apply, drift, the daily run's pull, the hourly renew), and they save the new pair even
    when a step failed after refreshing; the token that writes secrets reaches those steps and
    nothing else."""
    saves = []
    for job in ("apply", "reconcile", "renew"):
        (save,) = [s for s in action_uses(workflow, job) if s["with"]["command"] == "save-token"]
        assert save["if"] == "always()"
        assert save["env"] == {"GH_TOKEN": "${{ secrets.RESUMESYNC_SECRETS_TOKEN }}"}
        assert workflow["jobs"][job]["steps"][-1] is save
        assert workflow["jobs"][job]["concurrency"]["group"].startswith("resumesync-apply")
        saves.append(save)
    for job, step in steps(workflow):
        if all(step is not save for save in saves):
            assert "RESUMESYNC_SECRETS_TOKEN" not in str(step.get("env", {})), job
    refresh = ACTION_DOC["inputs"]["refresh"]["default"]
    assert refresh == "auto"
    run = next(s for s in action_steps() if s.get("id") == "run")["run"]
    assert "auto:apply | auto:drift | auto:pull | auto:renew | true:*) ;;" in run
    assert "export RESUMESYNC_NO_REFRESH=1" in run
    for job in workflow["jobs"]:
        for step in action_uses(workflow, job):
            assert step["with"].get("refresh", "auto") == "auto"  # so plan never refreshes
