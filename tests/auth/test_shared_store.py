"""Two processes sharing one token store: the pair is refreshed exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from resumesync.auth.store import TokenStore, store_key

from .conftest import OAuthSandbox
from .support import AGENT
from .test_refresh import FOURTEEN_DAYS, stored_pair


def test_two_processes_that_meet_an_expired_token_refresh_it_once(
    oauth: OAuthSandbox, repo: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store.json"
    old = stored_pair(oauth, store_path)
    oauth.clock.advance(FOURTEEN_DAYS + 1)  # the API says expired; the store does not know yet
    # Both processes' first request waits at the gate until both have sent it, so both get
    # 403 token_expired and both go for the store's lock at about the same time.
    gate = oauth.sandbox.gate(match=lambda arrival: arrival.path == "/resumes/mine")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HH_")}
    env.update(NO_COLOR="1", HH_USER_AGENT=AGENT)
    command = [
        sys.executable,
        "-m",
        "resumesync.cli",
        "plan",
        "--dir",
        str(repo),
        "--api-url",
        oauth.url,
        "--token-file",
        str(store_path),
    ]
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        assert gate.wait_for(lambda waiting: len(waiting) == 2, timeout=60)
        gate.open()
        outputs = [process.communicate(timeout=60) for process in processes]
    finally:
        gate.open()
        for process in processes:
            process.kill()
    log = "\n".join(f"{r.method} {r.path} {r.status}" for r in oauth.sandbox.requests)
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, f"{stderr}\n{log}"
        assert "Traceback" not in stderr
    assert len(oauth.refresh_requests()) == 1
    refused = [r for r in oauth.sandbox.requests if r.status == 403]
    assert len(refused) >= 2 and {r.token for r in refused} == {old["access_token"]}
    new = TokenStore(store_path).load(store_key("default", oauth.url))
    assert new is not None
    later = [r for r in oauth.sandbox.requests if r.status == 200 and r.path.startswith("/resumes")]
    assert {r.token for r in later} == {new.pair.access_token}
