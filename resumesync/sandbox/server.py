"""The sandbox over real HTTP, on loopback.

Built on the standard library's http.server.ThreadingHTTPServer: it adds no dependency to
the product, a thread per connection is plenty for a loopback test server, and dropping a
connection right after a write was applied (a fault hh.ru clients must survive) is a
matter of shutting the socket instead of answering.

`running_sandbox(config)` serves in a background thread on an ephemeral port (tests,
`--sandbox`); `serve(config, port)` serves in the foreground until Ctrl+C.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import itertools
import json
import os
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from resumesync.sandbox.account import Account
from resumesync.sandbox.calls import bearer_token, dispatch, user_agent
from resumesync.sandbox.config import Decision, FaultDice, SandboxConfig
from resumesync.sandbox.errors import ApiError
from resumesync.sandbox.holds import Arrival, Gate, Hold, Holds, Stage, Verdict
from resumesync.sandbox.multipart import FormFile, parse_form
from resumesync.sandbox.routes import all_routes
from resumesync.sandbox.state import Request, Response, SandboxState

DEFAULT_TOKEN = "USERsandbox"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CONTROL_PREFIX = "/_sandbox/"
WRITES = ("PUT", "POST", "DELETE", "PATCH")
POLL_INTERVAL = 0.02  # how fast serve_forever notices shutdown()
# Safe to leave running: a request body larger than this is refused (413) without being
# read whole (an artifact upload is at most 5 MB), and the log keeps at most this much of
# each body (the newest `log_limit` entries).
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_LOGGED_BODY_BYTES = 256 * 1024
# The names a request may give in `Host`: a web page that rebinds its own DNS name to
# 127.0.0.1 still sends its own name, and is refused.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


class BodyTooLarge(ValueError):
    """A request body over MAX_BODY_BYTES."""


def loopback_host(header: str | None) -> bool:
    """Whether a Host header names the loopback interface (any port)."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):
        name, _, rest = host.partition("]")
        name += "]"
        port = rest.removeprefix(":") if rest.startswith(":") else rest
    else:
        name, _, port = host.partition(":")
    return name in LOOPBACK_HOSTS and (port == "" or port.isdigit())


# Token endpoint fields the log never shows, as it never shows bearer tokens.
SECRET_FORM_FIELDS = frozenset({"client_secret", "code", "refresh_token", "access_token"})


@dataclass(frozen=True)
class LoggedRequest:
    """One request the sandbox answered (or dropped). The token is kept for tests that check
    which profile was used, and never shown: not in repr, not over HTTP."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    body: Any
    token: str | None = field(default=None, repr=False)
    account_index: int | None = None
    user_agent: str = ""
    dropped: bool = False  # the connection was closed after the write, without an answer
    # "rate_limit", "error" or "drop" when injected; "hold" when a test hold dropped it
    # (status 0: held before it was looked at, so never applied)
    fault: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "body": self.body,
            "account": self.account_index,
            "user_agent": self.user_agent,
            "dropped": self.dropped,
            "fault": self.fault,
        }


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog of 5 overflows when a client opens 8 connections
    # at once; the dropped handshakes then stall 0.2-1 s until the SYN-ACK is retransmitted.
    request_queue_size = 128
    block_on_close = False  # connections are closed and joined by close_connections()

    def __init__(self, host: str, port: int, config: SandboxConfig) -> None:
        if host not in LOOPBACK:
            raise ValueError("the sandbox serves on loopback only (127.0.0.1)")
        accounts = (
            config.accounts if config.accounts is not None else {DEFAULT_TOKEN: Account.example()}
        )
        self.state = SandboxState(
            accounts,
            config.clock or time.time,
            config.publish_interval_seconds,
            config.applications,
            config.access_lifetime,
        )
        self.dice = FaultDice(config.faults(), config.seed, by_request=config.faults_by_request)
        self.holds = Holds()
        self.routes = all_routes()
        self.log: collections.deque[LoggedRequest] = collections.deque(maxlen=config.log_limit)
        self.on_write = config.on_write
        self.log_lock = threading.Lock()  # handler threads append while tests read
        self.internal_errors: list[str] = []
        self._request_ids = itertools.count(1)
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        family = socket.AF_INET6 if host == "::1" else socket.AF_INET
        self.address_family = family
        super().__init__((host, port), SandboxHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"

    def next_request_id(self) -> str:
        return f"sandbox-{next(self._request_ids):08d}"

    # A thread per connection, remembered so that close_connections() can end them.
    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            daemon=True,
            name="resumesync-sandbox-connection",
        )
        with self._connections_lock:
            self._connections[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def close_connections(self, timeout: float = 2.0) -> None:
        """End idle keep-alive connections so that no handler thread outlives the server."""
        with self._connections_lock:
            connections = list(self._connections.items())
        for connection, _ in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for _, thread in connections:
            if thread is not threading.current_thread():
                thread.join(timeout)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is normal; anything else is a sandbox bug, kept for tests."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            self.internal_errors.append(traceback.format_exc())

    def answer(self, request: Request) -> Response:
        try:
            return dispatch(self.routes, request, self.state, self.url)
        except ApiError as error:
            return Response(error.status, error.body(self.next_request_id()), error.headers)
        except Exception:  # a sandbox bug: answer 500 and keep the evidence for tests
            self.internal_errors.append(traceback.format_exc())
            return Response(
                500, {"errors": [{"type": "internal_error"}], "request_id": self.next_request_id()}
            )

    def record(
        self,
        request: Request,
        status: int,
        dropped: bool = False,
        fault: str | None = None,
    ) -> None:
        token = bearer_token(request)
        entry = LoggedRequest(
            method=request.method,
            path=request.path,
            query=request.query,
            status=status,
            body=logged_body(request),
            token=token,
            account_index=self.state.account_index(token),
            user_agent=user_agent(request),
            dropped=dropped,
            fault=fault,
        )
        with self.log_lock:
            self.log.append(entry)

    def logged(self) -> list[LoggedRequest]:
        with self.log_lock:
            return list(self.log)

    def clear_log(self) -> None:
        with self.log_lock:
            self.log.clear()


def logged_body(request: Request) -> Any:
    """The request body as the log shows it: parsed JSON, form fields, or None."""
    if not request.body:
        return None
    content_type = request.headers.get("Content-Type") or ""
    if len(request.body) > MAX_LOGGED_BODY_BYTES and not content_type.startswith(
        "multipart/form-data"
    ):
        return {"not_logged": "body too large", "size": len(request.body)}
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            form = parse_form(content_type, request.body)
            return {
                name: (
                    {"filename": value.filename, "size": len(value.content)}
                    if isinstance(value, FormFile)
                    else "(secret)"
                    if name in SECRET_FORM_FIELDS
                    else value
                )
                for name, value in form.items()
            }
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return request.body.decode("utf-8", "replace")


class SandboxHandler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"  # keep-alive, as hh.ru
    server_version = "resumesync-sandbox"
    timeout = 60  # an idle keep-alive connection is closed after a minute
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK stalls

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is in memory (and never shows tokens)."""

    def do_GET(self) -> None:
        self.handle_call()

    do_PUT = do_POST = do_DELETE = do_PATCH = do_GET

    def read_body(self) -> bytes:
        """The body, BodyTooLarge past MAX_BODY_BYTES (never read beyond that)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size = int(self.rfile.readline(100).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline(100)
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise BodyTooLarge(total)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(100)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise BodyTooLarge(length)
        return self.rfile.read(length) if length > 0 else b""

    def handle_call(self) -> None:
        try:
            body = self.read_body()
        except BodyTooLarge:
            self.close_connection = True  # the rest of the body is never read
            self.send(Response(413, {"errors": [{"type": "bad_request", "value": "too_large"}]}))
            return
        except ValueError:  # a broken Content-Length or chunk size
            self.close_connection = True
            self.send(Response(400, {"errors": [{"type": "bad_request"}]}))
            return
        if not loopback_host(self.headers.get("Host")):
            # DNS rebinding: a web page's own name resolved to 127.0.0.1. Refused before
            # anything is applied or logged (the bounded body was read: closing on unread
            # data would reset the connection before the answer arrives).
            self.send(Response(403, {"errors": [{"type": "forbidden", "value": "host"}]}))
            return
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=unquote(parts.path),
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
        )
        if request.path.startswith(CONTROL_PREFIX):
            self.send(control(self.server, request))
            return
        server = self.server
        dice = server.dice
        decision = dice.draw(fault_key(self.command, self.path, body) if dice.by_request else "")
        arrival = Arrival(request.method, request.path, user_agent(request))
        server.holds.pass_gates(arrival)
        hold = server.holds.catch(arrival)
        try:
            self.respond(request, decision, arrival, hold)
        finally:
            if hold is not None:
                hold.finish()

    def respond(
        self, request: Request, decision: Decision, arrival: Arrival, hold: Hold | None
    ) -> None:
        """Answers one API call, with the faults `decision` injects and the test `hold`."""
        server = self.server
        if hold is not None and hold.stage == "before":
            if hold.block(arrival, applied=False) is Verdict.DROP:
                server.record(request, 0, dropped=True, fault="hold")
                self.drop_connection()
                return
            hold = None
        if decision.latency:
            time.sleep(decision.latency)
        fault: str | None = None
        if decision.rate_limited:
            fault = "rate_limit"
            response = Response(
                429,
                {"errors": [{"type": "too_many_requests"}], "request_id": server.next_request_id()},
                {"Retry-After": f"{decision.retry_after:g}"},
            )
        elif decision.error_status is not None:
            fault = "error"
            response = injected_error(decision.error_status, server.next_request_id())
        else:
            response = server.answer(request)
        applied = fault is None and request.method in WRITES and 200 <= response.status < 300
        if applied and decision.drop_after_write:
            fault = "drop"
        elif hold is not None and hold.block(arrival, applied) is Verdict.DROP:
            fault = "hold"
        if applied and server.on_write is not None:
            server.on_write()  # saved before anyone can be told it was done
        if fault in ("drop", "hold"):
            server.record(request, response.status, dropped=True, fault=fault)
            self.drop_connection()
            return
        server.record(request, response.status, fault=fault)
        self.send(response)

    def drop_connection(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def send(self, response: Response) -> None:
        if isinstance(response.body, bytes):
            payload = response.body
        elif response.body is None:
            payload = b""
        else:
            payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        self.send_response(response.status)
        headers = dict(response.headers)
        if payload and "Content-Type" not in headers:
            headers["Content-Type"] = "application/json; charset=UTF-8"
        headers["Content-Length"] = str(len(payload))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(payload)


def fault_key(method: str, target: str, body: bytes) -> str:
    """What makes two requests the same request, for faults_by_request."""
    return f"{method} {target} {hashlib.sha256(body).hexdigest()}"


def injected_error(status: int, request_id: str) -> Response:
    """503 is documented with a JSON body; a 500 may come without valid JSON (errors.md)."""
    if status == 503:
        return Response(
            503, {"errors": [{"type": "service_unavailable"}], "request_id": request_id}
        )
    return Response(
        500,
        b"<html><body>500 Internal Server Error</body></html>",
        {"Content-Type": "text/html; charset=UTF-8"},
    )


def control(server: SandboxServer, request: Request) -> Response:
    """The reserved /_sandbox/ endpoints: inspection and control, never faults or logging.

    They need a sandbox token like every API call: a form that a web page posts to
    127.0.0.1 (CSRF) cannot carry an Authorization header, so it cannot change the faults,
    reset the account or read the log."""
    state = server.state
    if bearer_token(request) not in state.tokens:
        return Response(403, {"errors": [{"type": "oauth", "value": "bad_authorization"}]})
    name = request.path.removeprefix(CONTROL_PREFIX).strip("/")
    if (request.method, name) == ("GET", "requests"):
        return Response(200, {"requests": [entry.to_json() for entry in server.logged()]})
    if (request.method, name) == ("GET", "state"):
        with state.lock:
            accounts = [
                {"account": index, **state.accounts[token].to_json()}
                for index, token in enumerate(state.tokens)
            ]
        return Response(200, {"accounts": accounts, "now": state.now()})
    if (request.method, name) == ("POST", "reset"):
        state.reset()
        server.clear_log()
        return Response(204)
    if (request.method, name) == ("GET", "faults"):
        return Response(200, vars(server.dice.faults))
    if (request.method, name) == ("POST", "faults"):
        try:
            server.dice.set(**json.loads(request.body or b"{}"))
        except (ValueError, TypeError) as error:
            return Response(400, {"errors": [{"type": "bad_argument", "value": str(error)}]})
        return Response(204)
    return Response(404, {"errors": [{"type": "not_found"}]})


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
