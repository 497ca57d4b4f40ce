"""The sandbox over real HTTP, on loopback.

Built on the standard library's http.server.ThreadingHTTPServer: it adds no dependency to
the product, a thread per connection is plenty for a loopback test server, and dropping a
connection right after a write was applied (a fault hh.ru clients must survive) is a
matter of shutting the socket instead of answering.

`SandboxServer` holds the state, the fault dice, the holds and the request log; the
modules next to it: `handler` (one HTTP request: body limits, Host check, faults, holds),
`control` (the reserved /_sandbox/ endpoints), `requestlog` (what the log keeps of a
request), `serving` (`running_sandbox(config)` serves in a background thread on an ephemeral
port, for tests and `--sandbox`; `serve(config, port)` serves in the foreground until Ctrl+C).
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import socket
import sys
import threading
import time
import traceback
from http.server import ThreadingHTTPServer
from typing import Any

from resumesync.sandbox.account import Account
from resumesync.sandbox.calls import bearer_token, dispatch, user_agent
from resumesync.sandbox.config import FaultDice, SandboxConfig
from resumesync.sandbox.errors import ApiError
from resumesync.sandbox.handler import SandboxHandler
from resumesync.sandbox.holds import Holds
from resumesync.sandbox.requestlog import LoggedRequest, logged_body
from resumesync.sandbox.routes import all_routes
from resumesync.sandbox.state import Request, Response, SandboxState

DEFAULT_TOKEN = "USERsandbox"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
