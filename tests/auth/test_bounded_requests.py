"""The login flows' own requests (the token endpoint, GET /me) are bounded like the API
client's (issue 12 §6): the whole attempt by the timeout, the body by a cap. Against a small
hostile server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from resumesync.auth.endpoint import TokenEndpoint
from resumesync.auth.errors import TokenError
from resumesync.auth.login import fetch_account
from tests.client.hostile import dripping, hostile_server, streaming

BOUND = 20.0  # seconds: a call that ignored the timeout is still running here


def outcome(call: Callable[[], Any]) -> Any:
    """What `call` returned or raised, from a thread that must end within BOUND."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(call())
        except Exception as error:  # the test looks at it
            result.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(BOUND)
    assert not worker.is_alive(), f"still waiting after {BOUND:g} s"
    return result[0]


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # a drip still going ends with the test


def header_drip(stop: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():
            handler.wfile.write(b"X-Slow: a\r\n")
            handler.wfile.flush()
            stop.wait(0.05)

    return drip


@pytest.mark.parametrize("drip", [dripping, header_drip])
def test_a_token_endpoint_that_drips_its_answer_hits_the_timeout(
    stop: threading.Event, drip: Callable[[threading.Event], Any]
) -> None:
    with hostile_server(lambda method, path: drip(stop)) as server:
        endpoint = TokenEndpoint(f"{server.url}/token", "resumesync-test", timeout=0.5)
        error = outcome(lambda: endpoint.refresh("REFRESHsecret"))
    assert isinstance(error, TokenError)
    assert "no answer within 0.5 s" in str(error)
    assert "REFRESHsecret" not in str(error)


def test_get_me_that_drips_its_answer_hits_the_timeout(stop: threading.Event) -> None:
    with hostile_server(lambda method, path: dripping(stop)) as server:
        account = outcome(lambda: fetch_account(server.url, "USERtoken", "agent", timeout=0.5))
    assert account.name == "(unknown: GET /me failed)"


def test_a_huge_answer_is_not_read_to_its_end() -> None:
    total, sent = 64 * 1024 * 1024, {}
    respond = streaming(sent, "answer", b"x" * 65536, total, {})
    with hostile_server(lambda method, path: respond) as server:
        account = outcome(lambda: fetch_account(server.url, "USERtoken", "agent"))
        assert sent["answer"] < total
        endpoint = TokenEndpoint(f"{server.url}/token", "resumesync-test")
        error = outcome(lambda: endpoint.refresh("REFRESHsecret"))
        assert sent["answer"] < total
    assert account.name == "(unknown: GET /me failed)"
    assert isinstance(error, TokenError)
    assert "answered with no token pair" in str(error)
