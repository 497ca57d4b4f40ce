"""The one-shot listener on 127.0.0.1 that receives the authorize redirect.

It serves only the redirect URI's path, answers the browser with a short page, checks
`state` and hands back the `code` (or the `error`). It binds the redirect URI's own port:
hh.ru compares the redirect URI with the application's saved one, port included, so the
port is part of what the user registered.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from resumesync.auth.errors import TokenError

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>resumesync</title></head>"
    "<body><p>{text}</p></body></html>"
)


@dataclass(frozen=True)
class Redirect:
    """What the redirect carried: `code`, or `error` (access_denied...)."""

    code: str | None
    error: str | None


def is_loopback_uri(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK


def redirect_from_query(query: str, expected_state: str) -> Redirect:
    """The code or error of a redirect's query; TokenError when `state` is not ours."""
    params = {name: values[-1] for name, values in parse_qs(query).items()}
    if params.get("state") != expected_state:
        raise TokenError(
            "the redirect does not carry this login's state (a stale tab, or a forged "
            "redirect): nothing was saved; run `resumesync login` again"
        )
    if params.get("error"):
        return Redirect(None, params["error"])
    if not params.get("code"):
        raise TokenError("the redirect carries no code: nothing was saved")
    return Redirect(params["code"], None)


class _OneShot(HTTPServer):
    def __init__(self, address: tuple[str, int], path: str, state: str) -> None:
        self.path = path or "/"
        self.expected_state = state
        self.outcome: Redirect | TokenError | None = None
        self.done = threading.Event()
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _OneShot
    timeout = 10  # a connection that sends nothing does not hold the listener

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the query holds the code."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") != self.server.path.rstrip("/") or self.server.done.is_set():
            self._answer(404, "Not found.")
            return
        try:
            outcome: Redirect | TokenError = redirect_from_query(
                parts.query, self.server.expected_state
            )
        except TokenError as error:
            outcome = error
        if isinstance(outcome, Redirect) and outcome.code:
            self._answer(200, "resumesync is logged in. You can close this tab.")
        else:
            self._answer(400, "resumesync did not get access. See the terminal.")
        self.server.outcome = outcome
        self.server.done.set()

    def _answer(self, status: int, text: str) -> None:
        payload = PAGE.format(text=text).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(payload)


class LoopbackListener:
    """`with LoopbackListener(uri, state) as listener: ...; listener.wait(timeout)`."""

    def __init__(self, redirect_uri: str, state: str) -> None:
        if not is_loopback_uri(redirect_uri):
            raise TokenError(f"{redirect_uri} is not a loopback URL: use --no-browser")
        parts = urlsplit(redirect_uri)
        if parts.port is None:
            raise TokenError(
                f"the redirect URI {redirect_uri} names no port: register one with a port, "
                "e.g. http://127.0.0.1:8765/callback"
            )
        self._address = (
            "127.0.0.1" if parts.hostname == "localhost" else parts.hostname,
            parts.port,
        )
        self._path = parts.path
        self._state = state
        self._server: _OneShot | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LoopbackListener:
        try:
            self._server = _OneShot(self._address, self._path, self._state)  # type: ignore[arg-type]
        except OSError as error:
            raise TokenError(
                f"cannot listen on {self._address[0]}:{self._address[1]} for the redirect "
                f"({error.strerror or error}); free the port or use --no-browser"
            ) from None
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True, name="resumesync-login"
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def wait(self, timeout: float) -> Redirect:
        assert self._server is not None, "use `with LoopbackListener(...)`"
        deadline = time.monotonic() + timeout
        if not self._server.done.wait(max(0.0, deadline - time.monotonic())):
            raise TokenError(
                f"no redirect arrived within {timeout:g} s: nothing was saved; run "
                "`resumesync login` again (or `resumesync login --no-browser`)"
            )
        outcome = self._server.outcome
        if isinstance(outcome, TokenError):
            raise outcome
        assert outcome is not None
        return outcome
