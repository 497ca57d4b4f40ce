"""Refresh rules over real HTTP: a plan with a stored pair refreshes it at expiry (by the
stored expiry, or after the API's 403 token_expired), once; a spent or revoked pair ends in
"run `resumesync login` again"; logout revokes and forgets; auth status never shows tokens."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner, Result

from resumesync.auth.pair import TokenPair
from resumesync.auth.store import StoredPair, TokenStore, store_key
from resumesync.cli import cli

from .conftest import STATIC_TOKEN, OAuthSandbox
from .support import AGENT, grant_pair

FOURTEEN_DAYS = 14 * 24 * 3600


def run(oauth: OAuthSandbox, *args: str, env: dict[str, str] | None = None) -> Result:
    command, rest = args[0], list(args[1:])
    if command in ("plan", "apply"):  # not paced at hh.ru's 10 requests a second
        rest += ["--max-rps", "1000"]
    return CliRunner().invoke(
        cli,
        [command, *rest, "--api-url", oauth.url, "--user-agent", AGENT],
        env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_API_URL": None, **(env or {})},
        catch_exceptions=False,
    )


def stored_pair(oauth: OAuthSandbox, path: Path, *, expires_at: float | None = None) -> dict:
    """Logs in (as the test's application) and stores the pair as `login` would."""
    pair = grant_pair(oauth.url, oauth.redirect_uri)
    store = TokenStore(path)
    expiry = time.time() + pair["expires_in"] if expires_at is None else expires_at
    store.save(
        store_key("default", oauth.url),
        StoredPair(TokenPair(pair["access_token"], pair["refresh_token"], expiry), "10000001"),
    )
    return pair


def plan(
    oauth: OAuthSandbox, repo: Path, store: Path, *extra: str, env: dict[str, str] | None = None
) -> Result:
    return run(oauth, "plan", "--dir", str(repo), "--token-file", str(store), *extra, env=env)


def test_a_pair_past_its_stored_expiry_is_refreshed_once_before_the_plan(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    old = stored_pair(oauth, store_path, expires_at=time.time() - 1)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    result = plan(oauth, repo, store_path)
    assert result.exit_code == 0, result.output
    (refresh,) = oauth.refresh_requests()
    assert refresh.body == {"grant_type": "refresh_token", "refresh_token": "(secret)"}
    new = TokenStore(store_path).load(store_key("default", oauth.url))
    assert new is not None and new.pair.access_token != old["access_token"]
    assert new.pair.expires_at is not None and new.pair.expires_at > time.time()
    assert new.account_id == "10000001"
    used = {r.token for r in oauth.sandbox.requests if r.path.startswith("/resumes")}
    assert used == {new.pair.access_token}  # the refreshed pair was saved, then used


def test_a_403_token_expired_during_a_plan_refreshes_and_retries_once(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    old = stored_pair(oauth, store_path)  # the store thinks it is fresh; the API disagrees
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    result = plan(oauth, repo, store_path)
    assert result.exit_code == 0, result.output
    assert len(oauth.refresh_requests()) == 1
    expired = [r for r in oauth.sandbox.requests if r.status == 403]
    assert expired and {r.token for r in expired} == {old["access_token"]}
    new = TokenStore(store_path).load(store_key("default", oauth.url))
    assert new is not None and new.pair.refresh_token != old["refresh_token"]


def test_a_spent_refresh_token_asks_for_a_new_login_without_looping(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    stored_pair(oauth, store_path, expires_at=time.time() - 1)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(store_path.read_bytes())
    assert plan(oauth, repo, elsewhere).exit_code == 0  # another copy spends the refresh token
    result = plan(oauth, repo, store_path)
    assert result.exit_code == 1
    assert "token has already been refreshed" in result.output
    assert "run `resumesync login` again" in result.output
    assert "Traceback" not in result.output
    assert len(oauth.refresh_requests()) == 2  # one each: no second try, no loop


def test_a_revoked_token_asks_for_a_new_login(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    pair = stored_pair(oauth, store_path)
    import httpx

    httpx.delete(
        f"{oauth.url}/oauth/token",
        headers={"Authorization": f"Bearer {pair['access_token']}", "HH-User-Agent": AGENT},
    ).raise_for_status()
    result = plan(oauth, repo, store_path)
    assert result.exit_code == 1
    assert "token_revoked" in result.output and "resumesync login" in result.output
    assert oauth.refresh_requests() == []  # the store's expiry has not passed: no refresh


def test_hh_refresh_token_without_a_stored_pair_is_refreshed_and_stored(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    pair = grant_pair(oauth.url, oauth.redirect_uri)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    store_path = tmp_path / "ci-store.json"
    result = plan(oauth, repo, store_path, env={"HH_REFRESH_TOKEN": pair["refresh_token"]})
    assert result.exit_code == 0, result.output
    stored = TokenStore(store_path).load(store_key("default", oauth.url))
    assert stored is not None and stored.pair.refresh_token != pair["refresh_token"]
    # The next run uses the stored pair: the spent HH_REFRESH_TOKEN is not tried again.
    again = plan(oauth, repo, store_path, env={"HH_REFRESH_TOKEN": pair["refresh_token"]})
    assert again.exit_code == 0, again.output
    assert len(oauth.refresh_requests()) == 1


def test_hh_token_wins_over_the_stored_pair(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    stored_pair(oauth, store_path, expires_at=time.time() - 1)
    result = plan(oauth, repo, store_path, env={"HH_TOKEN": STATIC_TOKEN})
    assert result.exit_code == 0, result.output
    assert oauth.refresh_requests() == []
    assert {r.token for r in oauth.sandbox.requests if r.path.startswith("/resumes")} == {
        STATIC_TOKEN
    }


def test_no_refresh_runs_refuse_to_spend_the_refresh_token(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    stored_pair(oauth, store_path, expires_at=time.time() - 1)
    result = plan(oauth, repo, store_path, env={"RESUMESYNC_NO_REFRESH": "1"})
    assert result.exit_code == 1
    assert "may not refresh it" in result.output
    assert oauth.refresh_requests() == []


def test_logout_revokes_and_forgets_and_status_shows_no_token(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    pair = stored_pair(oauth, store_path)
    status = run(oauth, "auth", "status", "--token-file", str(store_path))
    assert status.exit_code == 0, status.output
    assert "Sandbox Applicant 1 (id 10000001)" in status.output
    assert str(store_path) in status.output and "in 14.0 days" in status.output
    assert pair["access_token"] not in status.output and pair["refresh_token"] not in status.output
    done = run(oauth, "logout", "--token-file", str(store_path))
    assert done.exit_code == 0, done.output
    assert "revoked it on hh.ru" in done.output
    revoke = [r for r in oauth.sandbox.requests if r.method == "DELETE"]
    assert [(r.path, r.status, r.token) for r in revoke] == [
        ("/oauth/token", 204, pair["access_token"])
    ]
    assert TokenStore(store_path).load(store_key("default", oauth.url)) is None
    assert "nothing to do" in run(oauth, "logout", "--token-file", str(store_path)).output
    after = run(oauth, "auth", "status", "--token-file", str(store_path))
    assert after.exit_code == 1 and "Not logged in" in after.output


def test_plan_without_any_token_names_login(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["plan", "--dir", str(repo)], env={"HH_TOKEN": None}, catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "run `resumesync login`" in result.output


def test_status_offline_reads_only_the_store_and_exits_2_when_expired(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    stored_pair(oauth, store_path)
    oauth.sandbox.clear_requests()
    fresh = run(oauth, "auth", "status", "--offline", "--token-file", str(store_path))
    assert fresh.exit_code == 0, fresh.output
    assert "in 14.0 days" in fresh.output
    stored_pair(oauth, store_path, expires_at=time.time() - 1)
    oauth.sandbox.clear_requests()
    expired = run(oauth, "auth", "status", "--offline", "--token-file", str(store_path))
    assert expired.exit_code == 2 and "expired" in expired.output
    assert oauth.sandbox.requests == []


def test_restore_writes_a_store_from_the_environment_and_refuses_anything_else(
    tmp_path: Path,
) -> None:
    import stat

    text = '{"format_version": 1, "pairs": {"default@https://api.hh.ru": {}}}'
    target = tmp_path / "ci" / "store.json"
    result = CliRunner().invoke(
        cli, ["auth", "restore", "--token-file", str(target)], env={"HH_TOKEN_STORE": text}
    )
    assert result.exit_code == 0, result.output
    assert target.read_text() == text and stat.S_IMODE(target.stat().st_mode) == 0o600
    bad = CliRunner().invoke(
        cli,
        ["auth", "restore", "--token-file", str(tmp_path / "x.json"), "--from-env", "MY_STORE"],
        env={"MY_STORE": "USERnotastore"},
    )
    assert bad.exit_code == 1
    assert "MY_STORE is not a resumesync token store" in bad.output
    assert "USERnotastore" not in bad.output and not (tmp_path / "x.json").exists()


def test_a_damaged_store_is_named_without_a_traceback(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    store_path.write_text('{"pairs": [1, 2]', encoding="utf-8")
    result = plan(oauth, repo, store_path)
    assert result.exit_code == 1
    assert f"{store_path}: not a resumesync token store" in result.output
    assert "Traceback" not in result.output
    assert oauth.sandbox.requests == []


def test_a_refreshed_pair_is_never_written_through_a_symlink(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.json"
    stored_pair(oauth, real, expires_at=time.time() - 1)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    before = real.read_text()
    result = plan(oauth, repo, link)
    assert result.exit_code == 1
    assert "symlink" in result.output and "Traceback" not in result.output
    assert real.read_text() == before and link.is_symlink()
    assert oauth.refresh_requests() == []  # refused before the refresh token was spent


def test_logout_with_an_expired_pair_refreshes_first_since_only_a_live_token_can_be_revoked(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    old = stored_pair(oauth, store_path, expires_at=time.time() - 1)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    done = run(oauth, "logout", "--token-file", str(store_path))
    assert done.exit_code == 0, done.output
    assert len(oauth.refresh_requests()) == 1
    (revoke,) = [r for r in oauth.sandbox.requests if r.method == "DELETE"]
    assert revoke.status == 204 and revoke.token != old["access_token"]
    assert TokenStore(store_path).load(store_key("default", oauth.url)) is None


def test_login_without_no_browser_refuses_a_redirect_uri_that_is_not_loopback(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    result = run(
        oauth,
        "login",
        "--token-file",
        str(tmp_path / "store.json"),
        "--redirect-uri",
        "https://example.org/after-login",
        env={"HH_CLIENT_ID": "x", "HH_CLIENT_SECRET": "y", "HH_OAUTH_URL": oauth.url},
    )
    assert result.exit_code == 1
    assert "is not a loopback URL: use --no-browser" in result.output
    assert "Traceback" not in result.output and oauth.token_requests() == []
