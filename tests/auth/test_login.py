"""`resumesync login` as a user runs it: a real process, a real sandbox, a test playing the
browser (through $BROWSER for the loopback redirect, by hand for --no-browser)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from resumesync.auth.store import TokenStore, store_key

from .conftest import OAuthSandbox
from .support import AGENT, CLIENT_ID, CLIENT_SECRET, consent, fake_browser_command


def _env(oauth: OAuthSandbox, config_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HH_", "BROWSER", "RESUMESYNC_"))
    }
    env.update(
        RESUMESYNC_CONFIG_DIR=str(config_dir),
        HH_CLIENT_ID=CLIENT_ID,
        HH_CLIENT_SECRET=CLIENT_SECRET,
        HH_OAUTH_URL=oauth.url,
        HH_API_URL=oauth.url,
        HH_REDIRECT_URI=oauth.redirect_uri,
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def _login(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "resumesync.cli", "login", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_login_through_the_loopback_redirect_stores_the_pair(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    config_dir = tmp_path / "config"
    env = _env(oauth, config_dir, BROWSER=fake_browser_command(), HH_USER_AGENT=AGENT)
    done = _login(env)
    assert done.returncode == 0, done.stderr
    assert "Logged in as Sandbox Applicant 1 (id 10000001)" in done.stdout
    store = TokenStore(config_dir / "tokens.json")
    stored = store.load(store_key("default", oauth.url))
    assert stored is not None and stored.account_id == "10000001"
    assert stored.pair.access_token in oauth.sandbox.issued_secrets()
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    # The user agent is stored with the settings for the next runs.
    settings = json.loads((config_dir / "settings.json").read_text())
    assert settings == {"user_agent": AGENT}
    (exchange,) = oauth.token_requests()
    assert exchange.body["redirect_uri"] == oauth.redirect_uri
    assert exchange.user_agent == AGENT


def test_denied_consent_saves_nothing_and_says_so(oauth: OAuthSandbox, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    env = _env(
        oauth,
        config_dir,
        BROWSER=fake_browser_command(),
        FAKE_BROWSER_DECISION="deny",
        HH_USER_AGENT=AGENT,
    )
    done = _login(env)
    assert done.returncode == 1
    assert "access was denied on hh.ru (access_denied)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (config_dir / "tokens.json").exists()
    assert oauth.token_requests() == []


def _paste_login(
    oauth: OAuthSandbox, env: dict[str, str], answer: callable, *args: str
) -> tuple[int, str, str]:
    """Runs `login --no-browser`, reads the URL it prints, and pastes `answer(url)`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "resumesync.cli", "login", "--no-browser", *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None and process.stdin is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "/oauth/authorize?" in line:
            break
    url = seen[-1].strip()
    try:
        stdout, rest = process.communicate(answer(url) + "\n", timeout=60)
    finally:
        process.kill()
    return process.returncode, stdout, "".join(seen) + rest


def test_no_browser_reads_the_pasted_redirect_url(oauth: OAuthSandbox, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    env = _env(oauth, config_dir, HH_REDIRECT_URI="https://example.org/after-login")
    # The application's redirect is not loopback: the user pastes where the browser went.
    oauth.register("https://example.org/after-login")
    code, stdout, stderr = _paste_login(
        oauth, env, consent, "--user-agent", AGENT, "--profile", "anna"
    )
    assert code == 0, stderr
    assert "profile anna" in stdout
    stored = TokenStore(config_dir / "tokens.json").load(store_key("anna", oauth.url))
    assert stored is not None
    assert TokenStore(config_dir / "tokens.json").load(store_key("default", oauth.url)) is None


def test_no_browser_takes_a_bare_code_and_refuses_another_state(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    config_dir = tmp_path / "config"
    env = _env(oauth, config_dir, HH_USER_AGENT=AGENT)

    def bare_code(url: str) -> str:
        return consent(url).split("code=")[1].split("&")[0]

    code, _, stderr = _paste_login(oauth, env, bare_code)
    assert code == 0, stderr

    def forged(url: str) -> str:
        location = consent(url)
        return location.replace("state=", "state=forged")

    code, _, stderr = _paste_login(oauth, env, forged, "--profile", "other")
    assert code == 1
    assert "does not carry this login's state" in stderr
    assert len(oauth.token_requests()) == 1  # the forged redirect's code was never exchanged


@pytest.mark.parametrize("pasted", ["", "two words"])
def test_no_browser_rejects_what_is_not_a_code(
    oauth: OAuthSandbox, tmp_path: Path, pasted: str
) -> None:
    env = _env(oauth, tmp_path / "config", HH_USER_AGENT=AGENT)
    code, _, stderr = _paste_login(oauth, env, lambda url: pasted)
    assert code == 1 and "nothing was saved" in stderr and "Traceback" not in stderr


def test_login_asks_for_the_contact_email_once(oauth: OAuthSandbox, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    env = _env(oauth, config_dir)

    def email_then_code(url: str) -> str:
        return consent(url).split("code=")[1].split("&")[0]

    process = subprocess.Popen(
        [sys.executable, "-m", "resumesync.cli", "login", "--no-browser"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write("me@example.com\n")
    process.stdin.flush()
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "/oauth/authorize?" in line:
            break
    _, stderr = process.communicate(email_then_code(seen[-1].strip()) + "\n", timeout=60)
    assert process.returncode == 0, stderr
    agent = json.loads((config_dir / "settings.json").read_text())["user_agent"]
    assert agent.endswith("(me@example.com)") and agent.startswith("resumesync/")
    assert oauth.token_requests()[0].user_agent == agent
