"""One HTTP request to the sandbox: the body read within its limit, the Host checked, then
the faults and the test holds around the API's answer."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from resumesync.sandbox.calls import user_agent
from resumesync.sandbox.config import Decision
from resumesync.sandbox.control import CONTROL_PREFIX, control
from resumesync.sandbox.holds import Arrival, Hold, Verdict
from resumesync.sandbox.state import Request, Response

if TYPE_CHECKING:
    from resumesync.sandbox.server import SandboxServer

WRITES = ("PUT", "POST", "DELETE", "PATCH")
# Safe to leave running: a request body larger than this is refused (413) without being
# read whole (an artifact upload is at most 5 MB).
MAX_BODY_BYTES = 8 * 1024 * 1024
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
