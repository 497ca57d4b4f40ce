"""The workflows' jobs, with the resumesync action's own steps, executed with bash against the
sandbox.

Each test runs a job the way GitHub would for one event (see runner.py): the same scripts, the
same environment names, secrets filled with recognisable values that must never show up in
what the job prints or writes. setup-python's interpreter is a stub, so the action's install
script runs for real without reaching a package index.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .runner import (
    DAILY_CRON,
    MATRIX,
    RENEW_CRON,
    REPO,
    SINGLE,
    Event,
    JobResult,
    Runner,
    load,
    resumesync_executable,
)

EXAMPLES = REPO / "examples"
TOKEN = "USERworkflowtoken000000000000000000000000000000000000000000000000000"
ANNA_TOKEN = "USERworkflowanna0000000000000000000000000000000000000000000000000000"
BORIS_TOKEN = "USERworkflowboris000000000000000000000000000000000000000000000000000"
BORIS_RESUME = "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a"
EXAMPLE_BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
EXAMPLE_DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
EMAIL = "secret.mail.from.ci@example.com"
PHONE = "7654321"
SECRET_VALUES = (TOKEN, ANNA_TOKEN, BORIS_TOKEN, EMAIL, PHONE)

PULL_REQUEST = Event("pull_request", ref="refs/pull/7/merge")
PUSH = Event("push")
DAILY = Event("schedule", schedule=DAILY_CRON)
# The apply job runs its drift pass on a manual run; the daily run is the reconcile job.
DISPATCH = Event("workflow_dispatch")
HOURLY = Event("schedule", schedule=RENEW_CRON)


def expressions(api_url: str) -> dict[str, str]:
    """Values of the `${{ }}` expressions the workflows use, as GitHub would fill them in."""
    return {
        "vars.HH_USER_AGENT": "resumesync-workflow-tests/1.0 (tests@example.com)",
        "vars.HH_API_URL": api_url,
        "secrets.HH_TOKEN": TOKEN,
        "secrets.HH_TOKEN_STORE": "",  # these tests use an access token (test_workflow_tokens.py)
        "secrets.RESUMESYNC_SECRETS_TOKEN": "",
        "secrets.HH_EMAIL": EMAIL,
        "secrets.HH_PHONE_NUMBER": PHONE,
        "github.repository": "someone/resumes",
    }


def matrix_expressions(api_url: str, profile: str, token: str) -> dict[str, str]:
    return {
        **expressions(api_url),
        "matrix.profile": profile,
        "secrets[format('HH_TOKEN_{0}', matrix.profile)]": token,
        "secrets[format('HH_TOKEN_STORE_{0}', matrix.profile)]": "",
    }


def assert_no_secret_leaks(job: JobResult, *files: Path) -> None:
    printed = job.output + job.summary + json.dumps(job.outputs)
    printed += "".join(path.read_text(encoding="utf-8") for path in files if path.exists())
    for value in SECRET_VALUES:
        assert value not in printed, "a secret value reached the job's output"


def python_calls(runner: Runner) -> list[tuple[str, dict[str, str]]]:
    """(arguments, environment) of every call of the stub interpreter."""
    log = runner.temp / "python" / "python-calls.log"
    calls: list[tuple[str, dict[str, str]]] = []
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("call: "):
            calls.append((line.removeprefix("call: "), {}))
        elif line.startswith("env: ") and "=" in line:
            key, value = line.removeprefix("env: ").split("=", 1)
            calls[-1][1][key] = value
    return calls


@pytest.fixture(scope="module", autouse=True)
def resumesync_installed() -> None:
    assert resumesync_executable().exists(), (
        f"the workflows call `resumesync`; install the package: {resumesync_executable()}"
    )


@pytest.fixture
def single(tmp_path: Path) -> Iterator[tuple[object, Runner]]:
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES / "basic", workspace)
    config = SandboxConfig(accounts={TOKEN: Account.example()})
    with running_sandbox(config) as sandbox:
        runner = Runner(
            workflow=load(SINGLE),
            workspace=workspace,
            temp=tmp_path / "runner",
            expressions=expressions(sandbox.url),
        )
        yield sandbox, runner


def test_pull_request_job_plans_and_writes_the_markdown_plan_to_the_summary(single) -> None:
    sandbox, runner = single
    job = runner.run_job("plan", PULL_REQUEST)
    assert job.ok, job.output
    assert [step.name for step in job.steps] == ["Plan"]
    assert [s.name for s in job.step("Plan").inner] == ["Install resumesync", "Run resumesync"]
    plan_file = Path(job.step("Plan").outputs["plan-file"])
    assert plan_file == runner.temp / "resumesync-plan.md"  # what the comment step posts
    plan = plan_file.read_text(encoding="utf-8")
    assert plan.startswith("## resumesync plan")
    assert "resume backend" in plan and "resume data-engineer" in plan
    assert job.summary == plan
    # A plan with changes is a success of the plan job; the output says there are changes.
    assert job.step("Plan").outputs["changes"] == "true"
    assert job.step("Plan").outputs["exit-code"] == "0"
    assert {request.method for request in sandbox.requests} == {"GET"}  # a plan writes nothing
    assert {request.token for request in sandbox.requests} == {TOKEN}
    assert_no_secret_leaks(job, plan_file)


def test_the_action_installs_its_own_checkout_into_a_venv_without_the_secrets(single) -> None:
    _, runner = single
    job = runner.run_job("plan", PULL_REQUEST)
    assert job.ok, job.output
    calls = python_calls(runner)
    venv = runner.temp / "resumesync-venv"
    assert [arguments for arguments, _ in calls] == [
        f"-m venv --clear {venv}",
        f"-m pip install --quiet --disable-pip-version-check {REPO}",  # the action's checkout
    ]
    for _, environment in calls:
        assert set(environment) <= {"HOME", "PATH", "LANG", "PWD", "SHLVL", "_"}, environment
        for value in SECRET_VALUES:
            assert value not in json.dumps(environment)
    # The run step found resumesync through $GITHUB_PATH, in the venv.
    assert (runner.temp / "github_path").read_text().split() == [str(venv / "bin")]
    assert "resumesync, version" in job.step("Plan").inner[0].stdout


def test_a_manual_run_applies_and_checks_for_drift_in_one_read_pass(single) -> None:
    sandbox, runner = single
    job = runner.run_job("apply", DISPATCH)
    assert job.ok, job.output
    assert [step.name for step in job.steps] == [
        "Apply and check for drift",
        "Commit the new resume ids and resumesync.lock",
        "Save the refreshed token",
    ]
    assert (
        "did not change in this job: nothing to save" in job.step("Save the refreshed token").stdout
    )
    step = job.step("Apply and check for drift")
    applied = re.search(r"Applied (\d+) of (\d+) changes\.", step.stdout)
    assert applied is not None and applied.group(1) == applied.group(2) != "0", job.output
    assert "The hh.ru account matches the files." in step.stdout
    assert "### resumesync apply" in job.summary and "Applied " in job.summary
    live = sandbox.account(TOKEN).to_json()["resumes"][EXAMPLE_BACKEND]
    assert live["title"] == "Senior Python developer"
    assert any(r.method == "POST" and r.path.endswith("/publish") for r in sandbox.requests)
    # One read pass: after the last write only the changed resumes are read again (no
    # conditions, and fewer reads than the plan's).
    log = sandbox.requests
    last_write = max(i for i, r in enumerate(log) if r.method != "GET")
    before = [r for r in log[:last_write] if r.method == "GET"]
    after = [r for r in log[last_write + 1 :] if r.method == "GET"]
    assert 0 < len(after) < len(before)
    assert not any(r.path.split("?")[0].endswith("/conditions") for r in after)
    calls = [args for args, _ in python_calls(runner)]
    assert len(calls) == 2 and calls[0].startswith("-m venv")  # one install, one use
    assert_no_secret_leaks(job)


def test_daily_run_with_no_edits_on_hh_ru_applies_and_checks_for_drift(single) -> None:
    sandbox, runner = single
    assert runner.run_job("apply", PUSH).ok  # the files were applied when they were pushed
    sandbox.clear_requests()
    job = runner.run_job("reconcile", DAILY)
    assert job.ok, job.output
    assert [s.name for s in job.steps] == [
        "Pull edits made on hh.ru",
        "Apply and check for drift",
        "Commit the new resume ids and resumesync.lock",
        "Save the refreshed token",
    ]
    assert "The files already hold the live values." in job.step("Pull edits made on hh.ru").stdout
    assert job.step("Pull edits made on hh.ru").outputs["changes"] == "false"
    assert "Open a pull request with the edits" not in job.actions
    assert "The hh.ru account matches the files." in job.output
    assert_no_secret_leaks(job)


def test_daily_run_turns_edits_made_on_hh_ru_into_a_pull_request_and_applies_nothing(
    single,
) -> None:
    sandbox, runner = single
    assert runner.run_job("apply", PUSH).ok
    edited = httpx.put(  # the website's edit, through the API
        f"{sandbox.url}/resumes/{EXAMPLE_BACKEND}",
        json={"title": "Edited on the website"},
        headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "web/1 (t@example.com)"},
    )
    assert edited.status_code == 204, edited.text
    sandbox.clear_requests()
    before = (runner.workspace / "resumes" / "backend.yaml").read_text(encoding="utf-8")
    job = runner.run_job("reconcile", DAILY)
    assert job.ok, job.output
    # No apply, no drift; the token step runs always (here it has nothing to save).
    assert [s.name for s in job.steps] == ["Pull edits made on hh.ru", "Save the refreshed token"]
    assert job.step("Pull edits made on hh.ru").outputs["changes"] == "true"
    assert "Open a pull request with the edits" in job.actions  # commits the workspace's edits
    after = (runner.workspace / "resumes" / "backend.yaml").read_text(encoding="utf-8")
    assert after == before.replace("Senior Python developer", "Edited on the website")
    assert "updated resumes/backend.yaml: title" in job.summary
    assert {r.method for r in sandbox.requests} == {"GET"}
    assert_no_secret_leaks(job)


def test_drift_check_fails_with_a_clear_message_when_changes_remain(single) -> None:
    sandbox, runner = single
    # Someone edits the resume on hh.ru right after the apply's writes: the re-read of the
    # changed resumes (its second GET) sees it, and `apply --detailed-exitcode` exits 2.
    hold = sandbox.hold(
        2,
        stage="before",
        match=lambda a: a.method == "GET" and a.path == f"/resumes/{EXAMPLE_BACKEND}",
    )

    def edit_elsewhere() -> None:
        if hold.wait(timeout=120):
            answer = httpx.put(
                f"{sandbox.url}/resumes/{EXAMPLE_BACKEND}",
                json={"title": "Edited on hh.ru"},
                headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "else/1.0"},
            )
            assert answer.status_code < 300, answer.text
        hold.release()

    editor = threading.Thread(target=edit_elsewhere)
    editor.start()
    try:
        job = runner.run_job("apply", DISPATCH)
    finally:
        hold.release()
        editor.join(timeout=120)
    drift = job.step("Apply and check for drift")
    assert drift.returncode == 1
    assert "::error title=resumesync drift::" in drift.stdout
    assert "still differs from the files" in drift.stdout
    assert drift.outputs["changes"] == "true"
    assert "Changes remain after the apply (drift):" in job.summary  # in the run summary
    assert "Edited on hh.ru" in job.summary


def test_drift_check_reports_an_error_when_resumesync_fails(single) -> None:
    sandbox, runner = single
    runner.expressions = {**runner.expressions, "secrets.HH_TOKEN": "USERrevokedtoken"}
    drift = runner.run_job("apply", DISPATCH).step("Apply and check for drift")
    assert drift.returncode == 1
    assert "::error title=resumesync error::" in drift.stdout
    assert "exit code 1" in drift.stdout
    assert "drift::" not in drift.stdout
    assert sandbox.requests and all(r.status == 403 for r in sandbox.requests)


def test_hourly_renew_raises_what_is_due_and_says_when_it_is_next_due(single) -> None:
    sandbox, runner = single
    job = runner.run_job("renew", HOURLY)
    assert job.ok, job.output
    out = job.step("Renew").stdout
    # backend says `publish: renew` and its next_publish_at is past; data-engineer says
    # `publish: true` and is left to apply.
    next_at = sandbox.account(TOKEN).to_json()["resume_state"][EXAMPLE_BACKEND]["next_publish_at"]
    due = dt.datetime.fromtimestamp(next_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert re.search(rf"^backend: renewed; next due {due} \(in ", out, re.M), out
    assert "data-engineer" not in out
    assert f"Next renewal due: backend at {due}" in out
    assert "Raised 1 of 1 resumes." in out
    assert "### resumesync renew" in job.summary
    posts = [(r.method, r.path) for r in sandbox.requests if r.method != "GET"]
    assert posts == [("POST", f"/resumes/{EXAMPLE_BACKEND}/publish")]
    # Cheap: /resumes/mine before and after, nothing else.
    assert [r.path for r in sandbox.requests if r.method == "GET"] == ["/resumes/mine"] * 2

    sandbox.clear_requests()
    again = runner.run_job("renew", HOURLY)
    assert again.ok, again.output
    assert re.search(rf"^backend: not due; next due {due} \(in ", again.output, re.M)
    assert "Raised 0 of 1 resumes." in again.output
    assert [(r.method, r.path) for r in sandbox.requests] == [("GET", "/resumes/mine")]
    assert_no_secret_leaks(job)


def test_the_action_refuses_an_unknown_command(single) -> None:
    sandbox, runner = single
    workflow = json.loads(json.dumps(runner.workflow))
    workflow["jobs"]["plan"]["steps"][1]["with"]["command"] = "destroy"
    job = Runner(workflow, runner.workspace, runner.temp, runner.expressions).run_job(
        "plan", PULL_REQUEST
    )
    assert not job.ok
    assert "unknown command 'destroy'" in job.output
    assert sandbox.requests == []


def test_extra_arguments_are_split_like_a_shell_and_never_expanded(single) -> None:
    sandbox, runner = single
    workflow = json.loads(json.dumps(runner.workflow))
    workflow["jobs"]["plan"]["steps"][1]["with"]["args"] = "--user-agent 'quoted agent $HOME'"
    job = Runner(workflow, runner.workspace, runner.temp, runner.expressions).run_job(
        "plan", PULL_REQUEST
    )
    assert job.ok, job.output
    assert {r.user_agent for r in sandbox.requests} == {"quoted agent $HOME"}


def without_step(runner: Runner, job: str, name: str) -> Runner:
    """The same runner on a copy of the workflow whose `job` lacks the step `name`."""
    workflow = json.loads(json.dumps(runner.workflow))
    workflow["jobs"][job]["steps"] = [
        s for s in workflow["jobs"][job]["steps"] if s.get("name") != name
    ]
    return Runner(workflow, runner.workspace, runner.temp, runner.expressions)


# --- the agency variant: one job per profile ---------------------------------------------


def boris_account() -> Account:
    """A second account: the example's backend resume under Boris's resume id."""
    text = json.dumps(Account.example().to_json()).replace(EXAMPLE_BACKEND, BORIS_RESUME)
    data = json.loads(text)
    data["resumes"] = {BORIS_RESUME: data["resumes"][BORIS_RESUME]}
    data["lists"] = {BORIS_RESUME: data["lists"].get(BORIS_RESUME, {})}
    return Account.from_json(data)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[object, Path, Path]]:
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES / "team", workspace)
    config = SandboxConfig(accounts={ANNA_TOKEN: Account.example(), BORIS_TOKEN: boris_account()})
    with running_sandbox(config) as sandbox:
        yield sandbox, workspace, tmp_path


def matrix_runner(sandbox: object, workspace: Path, temp: Path, profile: str, token: str) -> Runner:
    return Runner(
        workflow=load(MATRIX),
        workspace=workspace,
        temp=temp,
        expressions=matrix_expressions(sandbox.url, profile, token),
        # The real value keeps parallel jobs under hh.ru's per-IP limit; the sandbox has none.
        overrides={"RESUMESYNC_MAX_RPS": "1000"},
    )


def test_matrix_profiles_job_validates_and_outputs_the_profile_names(team) -> None:
    sandbox, workspace, temp = team
    runner = matrix_runner(sandbox, workspace, temp / "profiles", "unused", "unused")
    job = runner.run_job("profiles", PUSH)
    assert job.ok, job.output
    assert "3 resumes valid." in job.step("Validate every profile").stdout
    # The matrix is fromJSON(needs.profiles.outputs.names); `resumesync` is on PATH after
    # the action.
    assert json.loads(job.outputs["names"]) == ["anna", "boris"]
    assert sandbox.requests == []


def test_matrix_apply_job_applies_one_profile_with_its_own_token_and_converges(team) -> None:
    sandbox, workspace, temp = team
    runner = matrix_runner(sandbox, workspace, temp / "runner", "anna", ANNA_TOKEN)
    job = runner.run_job("apply", DISPATCH)
    assert job.ok, job.output
    assert [step.name for step in job.steps] == [
        "Apply and check for drift",
        "Commit the new resume ids and resumesync.lock",
        "Save the refreshed token",
    ]
    assert (
        "did not change in this job: nothing to save" in job.step("Save the refreshed token").stdout
    )
    assert "The hh.ru account of profile anna matches the files." in job.output
    assert {request.token for request in sandbox.requests} == {ANNA_TOKEN}  # boris untouched
    live = sandbox.account(ANNA_TOKEN).to_json()["resumes"][EXAMPLE_BACKEND]
    assert live["title"] == "Senior Python developer"
    assert_no_secret_leaks(job)


def test_matrix_plan_job_plans_one_profile(team) -> None:
    sandbox, workspace, temp = team
    runner = matrix_runner(sandbox, workspace, temp / "runner", "boris", BORIS_TOKEN)
    job = runner.run_job("plan", PULL_REQUEST)
    assert job.ok, job.output
    plan = (runner.temp / "resumesync-plan.md").read_text(encoding="utf-8")
    assert "Frontend developer (React, TypeScript)" in plan
    assert job.summary == plan
    assert {request.token for request in sandbox.requests} == {BORIS_TOKEN}
    assert {request.method for request in sandbox.requests} == {"GET"}
    assert_no_secret_leaks(job, runner.temp / "resumesync-plan.md")


def test_matrix_renew_job_renews_one_profile(team) -> None:
    sandbox, workspace, temp = team
    runner = matrix_runner(sandbox, workspace, temp / "runner", "anna", ANNA_TOKEN)
    job = runner.run_job("renew", HOURLY)
    assert job.ok, job.output
    assert "Raised " in job.output
    assert {request.token for request in sandbox.requests} == {ANNA_TOKEN}
    assert_no_secret_leaks(job)


def test_matrix_job_names_the_missing_secret(team) -> None:
    sandbox, workspace, temp = team
    runner = matrix_runner(sandbox, workspace, temp / "runner", "boris", "")
    job = runner.run_job("apply", PUSH)
    assert not job.ok
    assert "Secret HH_TOKEN_BORIS is missing" in job.step("Apply").stdout
    assert sandbox.requests == []


def test_matrix_daily_run_pulls_one_profile(team) -> None:
    sandbox, workspace, temp = team
    runner = matrix_runner(sandbox, workspace, temp / "runner", "boris", BORIS_TOKEN)
    assert runner.run_job("apply", PUSH).ok
    job = runner.run_job("reconcile", DAILY)
    assert job.ok, job.output
    assert "Open a pull request with the edits" not in job.actions
    assert {request.token for request in sandbox.requests} == {BORIS_TOKEN}
    assert_no_secret_leaks(job)


def git(*args: str, cwd: Path) -> str:
    import subprocess

    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_the_apply_job_commits_new_resume_ids_and_the_lock_back_to_the_branch(
    tmp_path: Path,
) -> None:
    """A push creates data-analyst and uploads backend's photo: the checkout is gone after
    the job, so the job commits the id line and resumesync.lock to the branch; a second run
    has nothing to commit and creates and uploads nothing."""
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(remote), cwd=tmp_path)
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES / "basic", workspace)
    git("init", "--quiet", "--initial-branch=main", cwd=workspace)
    git("add", "-A", cwd=workspace)
    identity = ("-c", "user.name=me", "-c", "user.email=me@example.com")
    git(*identity, "commit", "--quiet", "-m", "my resumes", cwd=workspace)
    git("remote", "add", "origin", str(remote), cwd=workspace)
    git("push", "--quiet", "origin", "main", cwd=workspace)
    config = SandboxConfig(accounts={TOKEN: Account.example()})
    with running_sandbox(config) as sandbox:
        runner = Runner(
            workflow=load(SINGLE),
            workspace=workspace,
            temp=tmp_path / "runner",
            expressions=expressions(sandbox.url),
        )
        job = runner.run_job("apply", PUSH)
        (created,) = set(sandbox.account(TOKEN).resumes) - set(Account.example().resumes)
        (artifact,) = sandbox.account(TOKEN).artifacts
        sandbox.clear_requests()
        again = runner.run_job("apply", PUSH)
        writes = [r for r in sandbox.requests if r.method != "GET"]

    assert job.ok, job.output
    step = job.step("Commit the new resume ids and resumesync.lock")
    assert "Pushed: resumesync: ids of created resumes, uploaded images" in step.output
    assert git("log", "--format=%s", "main", cwd=remote).splitlines() == [
        "resumesync: ids of created resumes, uploaded images",
        "my resumes",
    ]
    assert git("show", "--stat", "--format=", "main", cwd=remote).split("|")[0].strip() in (
        "resumes/data-analyst.yaml",
        "resumesync.lock",
    )
    analyst = git("show", "main:resumes/data-analyst.yaml", cwd=remote)
    assert f"\nid: {created}\n" in analyst
    lock = json.loads(git("show", "main:resumesync.lock", cwd=remote))
    assert [entry["id"] for entry in lock["artifacts"].values()] == [artifact]
    assert again.ok, again.output
    assert "Nothing to commit" in again.step("Commit the new resume ids and resumesync.lock").output
    assert [(r.method, r.path) for r in writes if r.path in ("/resumes", "/artifacts")] == []
