"""Tokens that no environment variable holds are secrets all the same: the pairs of the token
store (`login`'s, or `--token-file`), of a store kept in a variable (HH_TOKEN_STORE), and a
pair obtained by a refresh during the run. The plan, every rendered format and the plan file
refuse them as they refuse HH_TOKEN, with the file and line, never printing the value."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from resumesync import pipeline
from resumesync.auth.pair import TokenPair
from resumesync.auth.store import StoredPair, TokenStore, store_key, token_values
from resumesync.cli import Console, Target, render
from resumesync.credentials import RunTokens, SecretLeakError, Secrets
from resumesync.model import Action, Change, Plan
from resumesync.planfile import write_plan_file
from resumesync.settings import resolve_settings

from .conftest import STATIC_TOKEN, OAuthSandbox
from .support import AGENT, grant_pair
from .test_refresh import FOURTEEN_DAYS, plan, run, stored_pair

BACKEND_FILE = "resumes/backend.yaml"


def set_title(repo: Path, title: str) -> int:
    """Replaces the backend resume's title; the line it is on."""
    path = repo / BACKEND_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = f"title: {json.dumps(title)}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def resume_writes(oauth: OAuthSandbox) -> list[str]:
    return [
        f"{r.method} {r.path}"
        for r in oauth.sandbox.requests
        if r.method != "GET" and r.path.startswith("/resumes")
    ]


@pytest.mark.parametrize("kind", ["access_token", "refresh_token"])
@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_a_store_only_token_in_a_file_is_refused_at_plan_with_its_line(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path, output_format: str, kind: str
) -> None:
    store = tmp_path / "store.json"
    pair = stored_pair(oauth, store)  # the only place the pair is: no HH_TOKEN, no variable
    line = set_title(repo, f"Dev {pair[kind]}")
    out = tmp_path / "plan.json"
    result = plan(oauth, repo, store, "--format", output_format, "--out", str(out))
    assert result.exit_code == 1, result.output
    words = kind.replace("_", " ")
    assert (
        f"{BACKEND_FILE}:{line}: title: resume backend: the plan would contain the value of the "
        f"{words} in the token store {store}; refusing" in result.output
    )
    assert pair[kind] not in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    applied = run(oauth, "apply", "--dir", str(repo), "--token-file", str(store), "--yes")
    assert applied.exit_code == 1
    assert pair[kind] not in applied.output
    assert resume_writes(oauth) == []


def test_the_tokens_of_a_store_kept_in_hh_token_store_are_refused_too(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    """HH_TOKEN wins for the requests; the store in HH_TOKEN_STORE (the CI secret's JSON) still
    holds the user's credentials, and each of its tokens is refused, not only its whole text."""
    pair = grant_pair(oauth.url, oauth.redirect_uri)
    text = json.dumps({"format_version": 1, "pairs": {"default@x": pair}})
    line = set_title(repo, f"Dev {pair['refresh_token']}")
    env = {"HH_TOKEN": STATIC_TOKEN, "HH_TOKEN_STORE": text}
    result = run(oauth, "plan", "--dir", str(repo), "--format", "markdown", env=env)
    assert result.exit_code == 1, result.output
    assert (
        f"{BACKEND_FILE}:{line}: title: resume backend: the plan would contain the value of the "
        "refresh token in the token store in HH_TOKEN_STORE" in result.output
    )
    assert pair["refresh_token"] not in result.output


def leaky_plan(token: str) -> Plan:
    change = Change(
        Action.UPDATE,
        "backend",
        "0123456789abcdef",
        "PUT",
        "/resumes/0123456789abcdef",
        body={"title": f"Dev {token}"},
        diff={"title": {"old": "Dev", "new": f"Dev {token}"}},
    )
    return Plan(changes=[change], api_url="https://api.hh.ru")


def test_a_pair_obtained_by_a_refresh_during_the_run_is_a_secret_for_every_check(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    old = stored_pair(oauth, store_path, expires_at=time.time() - 1)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    env = {"RESUMESYNC_CONFIG_DIR": str(tmp_path / "config")}
    settings = resolve_settings(
        repo, env, api_url=oauth.url, user_agent=AGENT, token_file=store_path, max_rps=1000
    )
    pipeline.plan(pipeline.load(repo, env), settings)
    assert len(oauth.refresh_requests()) == 1
    stored = TokenStore(store_path).load(store_key("default", oauth.url))
    assert stored is not None and stored.pair.access_token != old["access_token"]
    new_access, new_refresh = stored.pair.access_token, stored.pair.refresh_token
    assert new_access and new_refresh
    secrets = settings.secrets
    for token in (new_access, new_refresh, old["access_token"], old["refresh_token"]):
        assert secrets.find({"title": f"x{token}y"}) is not None
    target = Target("default", settings, None)
    for output_format in ("text", "markdown", "json"):
        with pytest.raises(SecretLeakError) as caught:
            render(leaky_plan(new_access), output_format, Console(env={}), True, target)
        assert new_access not in str(caught.value)
    out = tmp_path / "plan.json"
    with pytest.raises(SecretLeakError, match="the plan file contains the value of the"):
        write_plan_file(out, leaky_plan(new_refresh), secrets)
    assert not out.exists()


def test_the_store_is_read_once_and_only_when_a_check_needs_it(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "store.json")
    token = "USERstoredonly" + "7" * 50
    store.save("default@https://api.hh.ru", StoredPair(TokenPair(token, None, None)))
    reads: list[int] = []

    def load() -> list[tuple[str, str]]:
        reads.append(1)
        return token_values(store.path)

    secrets = Secrets.of({}, run=RunTokens(load=load))
    assert token not in repr(secrets) and reads == []  # a repr reads nothing
    assert secrets.find(f"a {token} b") == f"the access token in the token store {store.path}"
    assert secrets.find("nothing secret here") is None
    assert reads == [1]
    # A damaged or missing store holds no tokens (using it for requests says what is wrong).
    store.path.write_text("not json", encoding="utf-8")
    assert token_values(store.path) == [] and token_values(tmp_path / "missing.json") == []
