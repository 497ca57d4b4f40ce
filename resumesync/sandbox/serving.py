"""Serving the sandbox: `running_sandbox(config)` in a background thread on an ephemeral port
(tests, `--sandbox`), `serve(config, port)` in the foreground until Ctrl+C."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

from resumesync.sandbox.account import Account
from resumesync.sandbox.config import SandboxConfig
from resumesync.sandbox.holds import Arrival, Gate, Hold, Stage
from resumesync.sandbox.requestlog import LoggedRequest
from resumesync.sandbox.server import SandboxServer

POLL_INTERVAL = 0.02  # how fast serve_forever notices shutdown()


class RunningSandbox:
    """A sandbox serving in a background thread (see running_sandbox)."""

    def __init__(self, server: SandboxServer) -> None:
        self._server = server

    def __repr__(self) -> str:
        return f"RunningSandbox({self.url})"

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def tokens(self) -> list[str]:
        return self._server.state.tokens

    @property
    def requests(self) -> list[LoggedRequest]:
        return self._server.logged()

    def clear_requests(self) -> None:
        self._server.clear_log()

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of sandbox bugs (answered with 500); empty in a healthy run."""
        return list(self._server.internal_errors)

    def issue_tokens(self, token: str | None = None) -> dict[str, Any]:
        """A test hook: a token pair for the account of `token` (the first account when None),
        as if its holder had logged in: the token endpoint's answer."""
        state = self._server.state
        with state.lock:
            account = token if token is not None else state.tokens[0]
            return state.oauth.issue(account, state.now())

    def issued_secrets(self) -> list[str]:
        """Every access token, refresh token and code OAuth issued (for tests that check
        that none of them leaked into output)."""
        oauth = self._server.state.oauth
        with self._server.state.lock:
            return [
                *oauth.tokens,
                *(issued.refresh_token for issued in oauth.tokens.values()),
                *oauth.codes,
            ]

    def account(self, token: str | None = None) -> Account:
        """A snapshot of the live state of an account (the first one when token is None)."""
        return self._server.state.snapshot(token)

    def set_faults(self, **changes: float) -> None:
        """latency=, error_rate=, rate_limit_rate=, drop_rate=, retry_after= at run time."""
        self._server.dice.set(**changes)

    def reseed(self, seed: int | None) -> None:
        """Starts the fault dice over from `seed`, as if the server had just started: with
        faults_by_request, each request's faults then follow from the seed and how often it
        came since, whatever earlier clients sent (or gave up before sending)."""
        self._server.dice.reseed(seed)

    def hold(
        self,
        nth: int = 1,
        *,
        stage: Stage = "after",
        writes_only: bool = False,
        match: Callable[[Arrival], bool] | None = None,
    ) -> Hold:
        """Holds the `nth` matching request from now on inside the server, "before" it is
        applied or "after" (its answer waits), until `release()` or `drop()`; `wait(timeout)`
        blocks until it is held. A test hook for killing clients at exact points: see
        resumesync.sandbox.holds. Held requests are dropped when the sandbox stops."""
        return self._server.holds.arm(nth, stage=stage, writes_only=writes_only, match=match)

    def gate(
        self, *, writes_only: bool = False, match: Callable[[Arrival], bool] | None = None
    ) -> Gate:
        """Holds every matching request from now on, before it is applied, until
        `gate.open()`: a test hook for making clients overlap (resumesync.sandbox.holds)."""
        return self._server.holds.gate(writes_only=writes_only, match=match)

    def reset(self) -> None:
        """Back to the seed accounts, with an empty request log."""
        self._server.state.reset()
        self._server.clear_log()


@contextlib.contextmanager
def running_sandbox(
    config: SandboxConfig | None = None, port: int = 0, host: str = "127.0.0.1"
) -> Iterator[RunningSandbox]:
    """Serves the sandbox in a daemon thread (an ephemeral port by default) while inside."""
    server = SandboxServer(host, port, config or SandboxConfig())
    thread = threading.Thread(
        target=server.serve_forever, args=(POLL_INTERVAL,), daemon=True, name="resumesync-sandbox"
    )
    thread.start()
    try:
        yield RunningSandbox(server)
    finally:
        server.holds.drop_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()


def connection_help(url: str, token: str) -> str:
    """What to tell people who want to point a client at a running sandbox."""
    return f"HH_API_URL={url}\nHH_TOKEN={token}"


def serve(
    config: SandboxConfig,
    port: int = 0,
    host: str = "127.0.0.1",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serves in the foreground until KeyboardInterrupt. HH_SANDBOX_* variables apply.
    `on_ready(url)` is called once the port is open (default: print HH_API_URL/HH_TOKEN)."""
    server = SandboxServer(host, port, config.with_env(os.environ))
    try:
        if on_ready is not None:
            on_ready(server.url)
        else:
            print(connection_help(server.url, server.state.tokens[0]), flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.close_connections()
        server.server_close()
