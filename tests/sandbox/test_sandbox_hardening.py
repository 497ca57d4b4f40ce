"""Issue 12 §9: the sandbox server is safe to leave running. Reproductions: a CSRF form post
from a web page changed the fault settings; a DNS-rebound name reached the API; bodies and
the log were unbounded; `latency` took any value."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from resumesync.cli import cli
from resumesync.sandbox import handler, requestlog
from resumesync.sandbox.handler import loopback_host

from .support import BACKEND, make_client


def test_control_endpoints_need_the_sandbox_token(start: Callable[..., Any]) -> None:
    sandbox, client = start()
    anonymous = make_client(sandbox.url, token=None)
    stranger = make_client(sandbox.url, token="USERnot-this-sandbox")
    for who in (anonymous, stranger):
        assert who.get("/_sandbox/requests").status_code == 403
        assert who.get("/_sandbox/state").status_code == 403
        assert who.post("/_sandbox/reset").status_code == 403
    # the form a web page can post cross-origin (no Authorization header)
    csrf = anonymous.post(
        "/_sandbox/faults",
        content=b"latency=50&error_rate=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert csrf.status_code == 403
    assert client.get("/_sandbox/faults").json()["latency"] == 0.0
    assert client.get("/_sandbox/faults").json()["error_rate"] == 0.0
    anonymous.close()
    stranger.close()


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil", ""]
)
def test_a_host_that_is_not_loopback_is_refused(start: Callable[..., Any], host: str) -> None:
    sandbox, client = start()
    response = client.put(f"/resumes/{BACKEND}", json={"title": "Rebound"}, headers={"Host": host})
    assert response.status_code == 403
    assert client.get(f"/resumes/{BACKEND}").json()["title"] == "Python developer"
    assert [entry.method for entry in sandbox.requests] == ["GET"]  # not applied, not logged


def test_loopback_names() -> None:
    for host in ("127.0.0.1", "127.0.0.1:8080", "localhost:1", "LOCALHOST", "[::1]:80", "[::1]"):
        assert loopback_host(host), host
    for host in (None, "", "evil", "127.0.0.2", "[::2]:80", "localhost:x", "localhost.x:1"):
        assert not loopback_host(host), host


def test_a_body_over_the_limit_is_refused_unread(
    start: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handler, "MAX_BODY_BYTES", 1000)
    sandbox, client = start()
    url = httpx.URL(sandbox.url)
    head = (
        f"PUT /resumes/{BACKEND} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer USERsandbox\r\nContent-Type: application/json\r\n"
    )
    for framing in (
        "Content-Length: 1000000000\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\n7d0\r\n",
    ):
        with socket.create_connection((url.host, url.port), timeout=10) as connection:
            connection.sendall((head + framing).encode())  # and never the body
            answer = connection.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 413"), framing
    assert client.get(f"/resumes/{BACKEND}").json()["title"] == "Python developer"


def test_the_log_keeps_big_bodies_small(
    start: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(requestlog, "MAX_LOGGED_BODY_BYTES", 100)
    sandbox, client = start()
    client.put(f"/resumes/{BACKEND}", json={"title": "x" * 500})
    assert sandbox.requests[-1].body == {"not_logged": "body too large", "size": 512}


@pytest.mark.parametrize(
    "faults",
    [
        {"latency": 1e9},
        {"latency": float("nan")},
        {"latency": -1},
        {"retry_after": 1e9},
        {"latency": "slow"},
        {"error_rate": float("nan")},
    ],
)
def test_fault_values_are_range_checked(start: Callable[..., Any], faults: dict[str, Any]) -> None:
    _, client = start()

    response = client.post(
        "/_sandbox/faults",
        content=json.dumps(faults).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert client.get("/_sandbox/faults").json()["latency"] == 0.0


def test_token_help_warns_about_ps() -> None:
    for command in ("plan", "sandbox"):
        result = CliRunner().invoke(cli, [command, "--help"])
        text = " ".join(result.output.split())
        assert "visible to other users" in text and "ps" in text and "HH_TOKEN" in text


@pytest.mark.parametrize(
    "option", [["--latency", "nan"], ["--latency", "1000"], ["--fail-rate", "nan"]]
)
def test_sandbox_command_range_checks_its_fault_options(option: list[str]) -> None:
    result = CliRunner().invoke(cli, ["sandbox", *option])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "must be between" in result.output
