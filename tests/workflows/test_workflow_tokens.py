"""The token pair in CI: the workflows' jobs, with the action's own steps, against a sandbox
whose access tokens expire.

The secret HH_TOKEN_STORE holds the store `resumesync login --token-file` writes. The apply
job and the hourly renew (the apply concurrency group) refresh an expired pair once, use the new
pair for the rest of the job (the drift check), and write it back with `gh secret set` (a
stand-in that records what it was given); every other run reuses the access token; pull-request
plans never refresh.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from resumesync.auth.pair import TokenPair
from resumesync.auth.store import StoredPair, TokenStore, store_key
from resumesync.sandbox import Account, ManualClock, RunningSandbox, SandboxConfig, running_sandbox

from .runner import MATRIX, RENEW_CRON, REPO, SINGLE, Event, JobResult, Runner, load

STATIC = "USERworkflowstatic00000000000000000000000000000000000000000000000000"
SECRETS_TOKEN = "github_pat_workflowtests0000000000000000000000000000000000000000"
EMAIL = "secret.mail.from.ci@example.com"
PHONE = "7654321"
FOURTEEN_DAYS = 14 * 24 * 3600
# The apply job (apply with its drift check, save-token) runs on a manual run; the daily run
# is `reconcile`, which does the same after `pull` found nothing.
DISPATCH = Event("workflow_dispatch")
HOURLY = Event("schedule", schedule=RENEW_CRON)
PULL_REQUEST = Event("pull_request", ref="refs/pull/7/merge")
FAKE_GH = """#!/usr/bin/env bash
# A stand-in for the GitHub CLI: records its arguments, environment names and standard input.
printf '%s\\n' "$@" > '{log}/gh-args'
cat > '{log}/gh-stdin'
printf '%s\\n' "GH_REPO=$GH_REPO" "GH_TOKEN_SET=${{GH_TOKEN:+yes}}" > '{log}/gh-env'
exit "${{FAKE_GH_EXIT:-0}}"
"""


@dataclass
class TokenWorld:
    sandbox: RunningSandbox
    clock: ManualClock
    runner: Runner
    tools: Path
    pair: dict[str, object]  # the pair the secret holds

    def refreshes(self) -> list:
        return [
            r
            for r in self.sandbox.requests
            if r.path == "/token" and (r.body or {}).get("grant_type") == "refresh_token"
        ]

    def gh_called(self) -> bool:
        return (self.tools / "gh-args").exists()

    def leaked(self, job: JobResult) -> list[str]:
        printed = job.output + job.summary + json.dumps(job.outputs)
        printed += "".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in self.tools.iterdir()
            if path.name.startswith("gh-") and path.name != "gh-stdin"  # stdin is the secret
        )
        secrets = [*self.sandbox.issued_secrets(), SECRETS_TOKEN, EMAIL, PHONE]
        return [secret[:10] for secret in secrets if secret in printed]


def _store_text(api_url: str, pair: dict[str, object], expires_at: float, path: Path) -> str:
    store = TokenStore(path)
    store.save(
        store_key("default", api_url),
        StoredPair(
            TokenPair(str(pair["access_token"]), str(pair["refresh_token"]), expires_at), "1"
        ),
    )
    return path.read_text(encoding="utf-8")


@pytest.fixture
def make_world(tmp_path: Path) -> Iterator[Callable[..., TokenWorld]]:
    """make_world(expired=..., gh_token=...): a sandbox, and the secret HH_TOKEN_STORE holding a
    pair that is live, or due for its refresh on both sides (`expired`)."""
    stack = contextlib.ExitStack()

    def make(*, expired: bool = False, gh_token: bool = True) -> TokenWorld:
        workspace = tmp_path / "workspace"
        shutil.copytree(REPO / "examples" / "basic", workspace)
        tools = tmp_path / "tools"
        tools.mkdir()
        (tools / "gh").write_text(FAKE_GH.format(log=tools), encoding="utf-8")
        (tools / "gh").chmod(0o755)
        clock = ManualClock(time.time())
        config = SandboxConfig(accounts={STATIC: Account.example()}, clock=clock)
        sandbox = stack.enter_context(running_sandbox(config))
        pair = sandbox.issue_tokens()
        expires_at = time.time() + FOURTEEN_DAYS
        if expired:
            clock.advance(FOURTEEN_DAYS + 60)
            expires_at = time.time() - 60
        secret = _store_text(sandbox.url, pair, expires_at, tmp_path / "secret.json")
        runner = Runner(
            workflow=load(SINGLE),
            workspace=workspace,
            temp=tmp_path / "runner",
            expressions={
                "vars.HH_USER_AGENT": "resumesync-workflow-tests/1.0 (tests@example.com)",
                "vars.HH_API_URL": sandbox.url,
                "secrets.HH_TOKEN": "",
                "secrets.HH_TOKEN_STORE": secret,
                "secrets.RESUMESYNC_SECRETS_TOKEN": SECRETS_TOKEN if gh_token else "",
                "secrets.HH_EMAIL": EMAIL,
                "secrets.HH_PHONE_NUMBER": PHONE,
                "github.repository": "someone/resumes",
            },
            tools=tools,
        )
        return TokenWorld(sandbox, clock, runner, tools, pair)

    with stack:
        yield make


def test_a_run_with_a_live_access_token_reuses_it_and_saves_nothing(make_world) -> None:
    world = make_world()
    job = world.runner.run_job("apply", DISPATCH)
    assert job.ok, job.output
    assert world.refreshes() == []
    used = {r.token for r in world.sandbox.requests if r.path.startswith("/resumes")}
    assert used == {world.pair["access_token"]}
    assert "nothing to save" in job.step("Save the refreshed token").stdout
    assert not world.gh_called()
    assert world.leaked(job) == []


def test_the_apply_job_refreshes_once_uses_the_new_pair_and_writes_it_back(make_world) -> None:
    world = make_world(expired=True)
    job = world.runner.run_job("apply", DISPATCH)
    assert job.ok, job.output
    assert [s.name for s in job.steps] == [
        "Apply and check for drift",
        "Commit the new resume ids and resumesync.lock",
        "Save the refreshed token",
    ]
    assert len(world.refreshes()) == 1  # apply refreshed; its drift re-read used the new pair
    assert "Saved the refreshed hh.ru token pair to the secret HH_TOKEN_STORE" in job.output
    assert (world.tools / "gh-args").read_text().split() == ["secret", "set", "HH_TOKEN_STORE"]
    env = (world.tools / "gh-env").read_text().split()
    assert env == ["GH_REPO=someone/resumes", "GH_TOKEN_SET=yes"]
    saved = json.loads((world.tools / "gh-stdin").read_text())
    (entry,) = saved["pairs"].values()
    assert entry["refresh_token"] != world.pair["refresh_token"]
    assert entry["access_token"] in world.sandbox.issued_secrets()
    used = {r.token for r in world.sandbox.requests if r.status == 200 and r.method == "GET"}
    assert used == {entry["access_token"]}
    assert world.leaked(job) == []
    # The next run starts from the saved secret: it reuses the new access token.
    world.runner.expressions = {
        **world.runner.expressions,
        "secrets.HH_TOKEN_STORE": json.dumps(saved),
    }
    shutil.rmtree(world.runner.temp)
    world.runner.python = None
    (world.tools / "gh-args").unlink()
    again = world.runner.run_job("apply", DISPATCH)
    assert again.ok, again.output
    assert len(world.refreshes()) == 1 and not world.gh_called()


def _save_only(world: TokenWorld) -> JobResult:
    """The apply job's save step alone, after a step that refreshed the pair: the job's store
    file differs from the secret it was restored from."""
    (save,) = [
        step
        for step in world.runner.workflow["jobs"]["apply"]["steps"]
        if (step.get("with") or {}).get("command") == "save-token"
    ]
    world.runner.workflow = {**world.runner.workflow, "jobs": {"save": {"steps": [save]}}}
    world.runner.temp.mkdir(parents=True, exist_ok=True)
    store = world.runner.temp / "resumesync-token-store.json"
    store.write_text(json.dumps({"format_version": 1, "pairs": {}}), encoding="utf-8")
    store.with_name(store.name + ".sha256").write_text(f"{'0' * 64}  {store}\n")
    return world.runner.run_job("save", DISPATCH)


@pytest.mark.parametrize("failure", ["no GH_TOKEN", "gh fails"])
def test_a_refreshed_pair_that_cannot_be_saved_fails_the_run_and_says_what_to_do(
    make_world, failure: str
) -> None:
    world = make_world(gh_token=failure != "no GH_TOKEN")
    if failure == "gh fails":
        (world.tools / "gh").write_text(
            FAKE_GH.format(log=world.tools).replace('"${FAKE_GH_EXIT:-0}"', "1"), encoding="utf-8"
        )
    job = _save_only(world)
    (save,) = job.steps
    assert save.returncode == 1
    assert "::error title=resumesync token::" in save.stdout
    assert "The old pair is spent: run `resumesync login --token-file store.json`" in save.stdout
    if failure == "no GH_TOKEN":
        assert "GH_TOKEN is empty" in save.stdout and "RESUMESYNC_SECRETS_TOKEN" in save.stdout
        assert not world.gh_called()
    else:
        assert "gh secret set HH_TOKEN_STORE failed" in save.stdout
    assert world.leaked(job) == []


def test_the_hourly_renew_refreshes_an_expired_pair_raises_and_writes_it_back(
    make_world,
) -> None:
    """renew runs in the apply concurrency group on the default branch (trusted), so it may
    spend the refresh token: it refreshes once, raises what is due with the new pair, and its
    last step saves that pair to the secret, as the apply job does."""
    world = make_world(expired=True)
    job = world.runner.run_job("renew", HOURLY)
    assert job.ok, job.output
    assert [s.name for s in job.steps] == ["Renew", "Save the refreshed token"]
    assert len(world.refreshes()) == 1
    assert "backend: renewed; next due" in job.output
    saved = json.loads((world.tools / "gh-stdin").read_text())
    (entry,) = saved["pairs"].values()
    assert entry["refresh_token"] != world.pair["refresh_token"]
    assert (world.tools / "gh-args").read_text().split() == ["secret", "set", "HH_TOKEN_STORE"]
    published = [r for r in world.sandbox.requests if r.path.endswith("/publish")]
    assert published and {r.token for r in published} == {entry["access_token"]}
    assert "Saved the refreshed hh.ru token pair to the secret HH_TOKEN_STORE" in job.output
    assert world.leaked(job) == []


def test_an_hourly_renew_with_a_live_pair_refreshes_nothing_and_saves_nothing(
    make_world,
) -> None:
    world = make_world()
    job = world.runner.run_job("renew", HOURLY)
    assert job.ok, job.output
    assert world.refreshes() == []
    assert "nothing to save" in job.step("Save the refreshed token").stdout
    assert not world.gh_called()
    assert world.leaked(job) == []


def test_a_pull_request_plan_never_refreshes(make_world) -> None:
    """A pull request's plan runs on content anyone can propose, in a group that a newer push
    cancels (a cancelled refresh loses the new pair after the old one is spent), beside the
    apply group, and without the token that writes secrets: it must not spend the pair."""
    world = make_world(expired=True)
    plan = world.runner.run_job("plan", PULL_REQUEST)
    assert not plan.ok
    assert "may not refresh it" in plan.output
    assert world.refreshes() == []
    assert world.leaked(plan) == []


def test_a_renew_step_that_may_not_refresh_skips_with_a_warning(make_world) -> None:
    world = make_world(expired=True)
    jobs = world.runner.workflow["jobs"]
    renew = jobs["renew"]
    steps = [
        {**step, "with": {**step["with"], "refresh": "false"}}
        if (step.get("with") or {}).get("command") == "renew"
        else step
        for step in renew["steps"]
    ]
    world.runner.workflow = {
        **world.runner.workflow,
        "jobs": {**jobs, "renew": {**renew, "steps": steps}},
    }
    job = world.runner.run_job("renew", HOURLY)
    assert job.ok, job.output  # an expired token pauses renewal: a warning, not a failure
    assert "::warning title=resumesync renew::The hh.ru access token has expired" in job.output
    assert world.refreshes() == [] and not world.gh_called()
    assert world.leaked(job) == []


def test_a_store_secret_that_is_not_a_store_is_named(make_world) -> None:
    world = make_world()
    world.runner.expressions = {**world.runner.expressions, "secrets.HH_TOKEN_STORE": "USERoops"}
    job = world.runner.run_job("apply", DISPATCH)
    assert not job.ok
    assert "HH_TOKEN_STORE is not a resumesync token store" in job.output
    assert "USERoops" not in job.output


@pytest.mark.parametrize("job_name", ["apply", "renew"])
def test_a_matrix_profile_refreshes_its_own_pair_and_saves_it_to_its_own_secret(
    tmp_path: Path, job_name: str
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(REPO / "examples" / "team", workspace)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "gh").write_text(FAKE_GH.format(log=tools), encoding="utf-8")
    (tools / "gh").chmod(0o755)
    clock = ManualClock(time.time())
    anna, boris = "USERworkflowanna" + "0" * 50, "USERworkflowboris" + "0" * 50
    config = SandboxConfig(
        accounts={anna: Account.example(), boris: Account.example()}, clock=clock
    )
    with running_sandbox(config) as sandbox:
        pair = sandbox.issue_tokens(anna)
        clock.advance(FOURTEEN_DAYS + 60)
        store = TokenStore(tmp_path / "anna.json")
        store.save(
            store_key("anna", sandbox.url),
            StoredPair(TokenPair(pair["access_token"], pair["refresh_token"], time.time() - 60)),
        )
        runner = Runner(
            workflow=load(MATRIX),
            workspace=workspace,
            temp=tmp_path / "runner",
            expressions={
                "vars.HH_USER_AGENT": "resumesync-workflow-tests/1.0 (tests@example.com)",
                "vars.HH_API_URL": sandbox.url,
                "matrix.profile": "anna",
                "secrets[format('HH_TOKEN_{0}', matrix.profile)]": "",
                "secrets[format('HH_TOKEN_STORE_{0}', matrix.profile)]": store.path.read_text(),
                "secrets.RESUMESYNC_SECRETS_TOKEN": SECRETS_TOKEN,
                "secrets.HH_EMAIL": EMAIL,
                "secrets.HH_PHONE_NUMBER": PHONE,
                "github.repository": "someone/resumes",
            },
            overrides={"RESUMESYNC_MAX_RPS": "1000"},
            tools=tools,
        )
        job = runner.run_job(job_name, DISPATCH if job_name == "apply" else HOURLY)
        assert job.ok, job.output
        refreshes = [r for r in sandbox.requests if r.path == "/token"]
        assert len(refreshes) == 1
        assert {r.account_index for r in sandbox.requests if r.path.startswith("/resumes")} == {0}
        assert (tools / "gh-args").read_text().split() == ["secret", "set", "HH_TOKEN_STORE_ANNA"]
        saved = json.loads((tools / "gh-stdin").read_text())
        assert list(saved["pairs"]) == [store_key("anna", sandbox.url)]
        printed = job.output + job.summary
        assert all(secret not in printed for secret in sandbox.issued_secrets())
