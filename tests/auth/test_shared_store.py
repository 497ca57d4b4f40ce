"""Two processes sharing one token store: the pair is refreshed exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from resumesync.auth.endpoint import TokenEndpoint
from resumesync.auth.provider import StoredTokenProvider
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
    # Both processes' first request waits at the gate until both have sent it. Whichever is
    # answered first refreshes; the other gets 403 token_expired (answered before that refresh
    # reached the server) or bad_authorization (after: the old pair is spent), and either way
    # waits for the store's lock and takes the saved pair. Every interleaving passes; the one
    # that failed under load is pinned down by the test below.
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
        assert gate.wait_for(lambda waiting: len(waiting) == 2, timeout=120)
        gate.open()
        outputs = [process.communicate(timeout=120) for process in processes]
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


class WatchedStore(TokenStore):
    """The real store, telling the test when a caller goes for its lock."""

    def __init__(self, path: Path, went_for_lock: threading.Event) -> None:
        super().__init__(path)
        self.went_for_lock = went_for_lock

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.went_for_lock.set()
        with super().locked():
            yield


def test_a_token_refused_while_another_process_refreshes_waits_for_that_refresh(
    oauth: OAuthSandbox, tmp_path: Path
) -> None:
    """The race behind the two-process test's failure under load: process A got 403
    token_expired and refreshed; the server spent the old pair, so process B's request with the
    old token got bad_authorization, and B looked for a replacement in the store before A had
    saved the new pair there (A was still reading the token endpoint's answer). B must wait for
    the store's lock, which A holds from before the refresh until the new pair is saved."""
    store_path = tmp_path / "store.json"
    old = stored_pair(oauth, store_path)
    oauth.clock.advance(FOURTEEN_DAYS + 1)
    key = store_key("default", oauth.url)
    endpoint = TokenEndpoint(f"{oauth.url}/token", AGENT, timeout=120)  # a bound, not a wait
    # The refresh is applied on the server (the old pair is spent), its answer waits.
    answer = oauth.sandbox.hold(stage="after", match=lambda arrival: arrival.path == "/token")
    first = StoredTokenProvider(TokenStore(store_path), key, endpoint)
    decided = threading.Event()  # B went for the lock, or B gave its answer
    second = StoredTokenProvider(WatchedStore(store_path, decided), key, endpoint)
    with ThreadPoolExecutor(2) as pool:
        try:
            refreshed = pool.submit(asyncio.run, first.expired(old["access_token"]))
            assert answer.wait(timeout=60)  # A holds the lock; the store has the old pair
            replaced = pool.submit(asyncio.run, second.replaced(old["access_token"]))
            replaced.add_done_callback(lambda _: decided.set())
            assert decided.wait(timeout=60)
        finally:
            answer.release()  # also when an assertion failed: no thread is left waiting
        new_token = refreshed.result(timeout=60)
        assert replaced.result(timeout=60) == new_token != old["access_token"]
    assert len(oauth.refresh_requests()) == 1
    stored = TokenStore(store_path).load(key)
    assert stored is not None and stored.pair.access_token == new_token
