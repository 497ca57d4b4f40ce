"""A small hostile HTTP server on 127.0.0.1: answers what a test tells it to, records what it
was asked, and counts the bytes it managed to send (to show the client stopped reading)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

# A handler gets the request handler (to write anything at all) and returns nothing.
Respond = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Hostile:
    url: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path with query)
    sent: dict[str, int] = field(default_factory=dict)  # path -> body bytes written

    def paths(self, method: str = "GET") -> list[str]:
        return [path for m, path in self.requests if m == method]


def json_body(handler: BaseHTTPRequestHandler, body: Any, status: int = 200) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextlib.contextmanager
def hostile_server(route: Callable[[str, str], Respond | Any]) -> Iterator[Hostile]:
    """`route(method, path)` returns a Respond callable or a JSON-able body (answered 200);
    None answers 204."""
    state: Hostile

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            state.requests.append((self.command, self.path))
            answer = route(self.command, urlsplit(self.path).path)
            try:
                if callable(answer):
                    answer(self)
                elif answer is None:
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    json_body(self, answer)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        do_GET = do_PUT = do_POST = do_DELETE = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = Hostile(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def streaming(
    state_sent: dict[str, int], key: str, chunk: bytes, total: int, headers: dict[str, str]
) -> Respond:
    """Writes `total` bytes of `chunk`s (no Content-Length: the body ends with the
    connection), counting what went out until the client hangs up."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        written = 0
        state_sent[key] = 0
        while written < total:
            handler.wfile.write(chunk)
            written += len(chunk)
            state_sent[key] = written

    return respond


def dripping(stop: threading.Event) -> Respond:
    """A 200 with a 1 MB Content-Length whose body comes one byte every 50 ms until `stop`:
    every read succeeds well within any timeout, the whole answer never comes."""

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        while not stop.is_set():
            handler.wfile.write(b" ")
            handler.wfile.flush()
            stop.wait(0.05)

    return drip


def gzipped(body: bytes) -> Respond:
    """A 200 whose body is `body` as sent, declared gzip-encoded (a bomb, to the client)."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond
