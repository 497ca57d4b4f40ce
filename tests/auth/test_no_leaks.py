"""The tokens, the code and the client secret never reach anything a run writes: its output,
a plan file, the files next to the store, the request bodies the server saw."""

from __future__ import annotations

import json
import time
from pathlib import Path

from resumesync.auth.pair import TokenPair
from resumesync.auth.store import StoredPair, TokenStore, store_key

from .conftest import OAuthSandbox
from .support import AGENT, CLIENT_SECRET, consent
from .test_login import _env, _paste_login
from .test_refresh import FOURTEEN_DAYS, run


def test_nothing_a_run_writes_holds_a_token_or_the_client_secret(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    config_dir = tmp_path / "config"
    written: list[str] = []
    code, stdout, stderr = _paste_login(
        oauth, _env(oauth, config_dir, HH_USER_AGENT=AGENT), consent
    )
    assert code == 0, stderr
    written += [stdout, stderr]
    store = TokenStore(config_dir / "tokens.json")
    key = store_key("default", oauth.url)
    stored = store.load(key)
    assert stored is not None
    # Make the pair due, on both sides: the plan refreshes it first.
    store.save(
        key,
        StoredPair(TokenPair(stored.pair.access_token, stored.pair.refresh_token, time.time() - 1)),
    )
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    env = {"RESUMESYNC_CONFIG_DIR": str(config_dir)}
    plan_file = tmp_path / "plan.json"
    for args in (
        ("plan", "--dir", str(repo), "--out", str(plan_file), "--format", "json"),
        ("plan", "--dir", str(repo), "--format", "markdown"),
        ("auth", "status"),
        ("logout",),
    ):
        result = run(oauth, *args, env=env)
        assert result.exit_code == 0, result.output
        written.append(result.output)
    assert len(oauth.refresh_requests()) == 1
    written.append(plan_file.read_text(encoding="utf-8"))
    neighbours = [path for path in config_dir.iterdir() if path != store.path]
    assert {path.name for path in neighbours} >= {"settings.json"}
    written += [path.read_text(encoding="utf-8") for path in neighbours if path.is_file()]
    written += [json.dumps(entry.to_json()) for entry in oauth.sandbox.requests]
    everything = "\n".join(written)
    secrets = [*oauth.sandbox.issued_secrets(), CLIENT_SECRET]
    assert len(secrets) >= 6  # two pairs, a code, the secret
    leaked = [secret[:8] for secret in secrets if secret in everything]
    assert leaked == []
