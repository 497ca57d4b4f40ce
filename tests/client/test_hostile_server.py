"""Issue 12 §6/§7: a hostile server stays bounded in time and memory, and its data is checked
before use. Each test is a reproduction from the security review, against a small hostile
server on 127.0.0.1 (tests/client/hostile.py)."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from resumesync.client import (
    ClientError,
    SettingsError,
    TransportError,
    UnexpectedAnswerError,
)
from resumesync.client import body as client_body
from resumesync.client.concurrency import bounded_map
from resumesync.live import read_live_state
from resumesync.model import DesiredList, DesiredResume, DesiredState

from .hostile import dripping, gzipped, hostile_server, json_body, streaming
from .support import TOKEN, make_client, run

RESUME = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
BOUND = 20.0  # seconds: a test whose client ignored the caps fails here instead of hanging


def bounded(coroutine: Any) -> Any:
    async def main() -> Any:
        return await asyncio.wait_for(coroutine, BOUND)

    return run(main())


async def get(url: str, path: str, **settings: Any) -> Any:
    async with make_client(url, retries=0, **settings) as client:
        return await client.request("GET", path)


# --- §6: response size after decompression ----------------------------------------------------


def test_a_huge_body_is_refused_while_streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_body, "MAX_RESPONSE_BYTES", 1024 * 1024)
    total = 64 * 1024 * 1024
    with hostile_server(lambda m, p: None) as server:
        respond = streaming(server.sent, "/big", b"x" * 65536, total, {})
        with hostile_server(lambda m, p: respond) as big:
            with pytest.raises(UnexpectedAnswerError, match="the body is larger than 1 MB"):
                bounded(get(big.url, "/big"))
            sent = big.sent.get("/big", 0)
    assert sent < total  # the client hung up instead of reading 64 MB


def test_a_gzip_bomb_is_refused_after_decompression(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_body, "MAX_RESPONSE_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024), compresslevel=9)  # ~32 KB on the wire
    respond = gzipped(bomb)

    with (
        hostile_server(lambda m, p: respond) as server,
        pytest.raises(UnexpectedAnswerError, match="larger than 1 MB"),
    ):
        bounded(get(server.url, "/resumes/mine"))


def test_the_default_cap_is_generous_and_finite() -> None:
    assert 1024 * 1024 <= client_body.MAX_RESPONSE_BYTES <= 64 * 1024 * 1024


# --- §6: page counts ---------------------------------------------------------------------------


def test_ten_million_pages_are_not_believed() -> None:
    with hostile_server(lambda m, p: {"pages": 10_000_000, "found": 1, "items": []}) as server:

        async def main() -> Any:
            async with make_client(server.url, retries=0) as client:
                return await client.get_mine()

        with pytest.raises(UnexpectedAnswerError, match="announces 10000000 pages"):
            bounded(main())
    assert len(server.requests) == 1


def test_pages_are_requested_lazily_under_the_parallelism_bound() -> None:
    in_flight = {"now": 0, "most": 0}
    lock = threading.Lock()

    def page(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        try:
            json_body(handler, {"pages": 20, "items": [{"id": "1"}]})
        finally:
            with lock:
                in_flight["now"] -= 1

    with hostile_server(lambda m, p: page) as server:

        async def main() -> Any:
            async with make_client(server.url, retries=0, parallelism=2) as client:
                return await client.get_mine()

        bounded(main())
    assert len(server.requests) == 20
    assert in_flight["most"] <= 2


def test_bounded_map_creates_no_work_ahead_of_its_workers() -> None:
    started: list[int] = []

    async def one(number: int) -> int:
        started.append(number)
        await asyncio.sleep(0)
        return number * 2

    async def main() -> list[int]:
        return await bounded_map(one, range(10_000_000), 3)

    async def first_few() -> None:
        task = asyncio.ensure_future(main())
        for _ in range(5):
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(first_few())
    assert 0 < len(started) <= 20  # not ten million coroutines made up front
    assert run(bounded_map(one, range(7), 3)) == [0, 2, 4, 6, 8, 10, 12]


# --- §6: the whole request is bounded by --timeout -------------------------------------------


def test_a_server_sending_one_byte_at_a_time_hits_the_timeout() -> None:
    stop = threading.Event()
    drip = dripping(stop)
    try:
        with hostile_server(lambda m, p: drip) as server, pytest.raises(TransportError) as caught:
            bounded(get(server.url, "/resumes/mine", read_timeout=0.5))
    finally:
        stop.set()
    assert "no answer within 0.5 s (read timeout; set with --timeout)" in str(caught.value)


# --- §7: permanent failures are not retried --------------------------------------------------


class UnresolvableHost(httpx.AsyncBaseTransport):
    """What the network does for a host name that does not resolve (as httpx raises it)."""

    def __init__(self) -> None:
        self.attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as cause:
            raise httpx.ConnectError(str(cause), request=request) from cause


def test_a_host_that_does_not_resolve_fails_at_once() -> None:
    transport = UnresolvableHost()

    async def main() -> Any:
        async with make_client("https://nowhere.invalid", retries=5, transport=transport) as c:
            return await c.request("GET", "/resumes/mine")

    with pytest.raises(TransportError, match="Name or service not known"):
        bounded(main())
    assert transport.attempts == 1


def one_managed_blacklist(employer: str) -> DesiredState:
    """One resume whose blacklist (exact: just `employer`) the files manage."""
    return DesiredState(
        root=".",
        resumes=[
            DesiredResume(
                key="a",
                resume_id=RESUME,
                file="resumes/a.yaml",
                lists={"blacklist": DesiredList("blacklist", (employer,), True)},
            )
        ],
    )


def test_when_resumes_mine_fails_no_other_read_starts() -> None:
    """Only the reads that went out beside it (the resume and its list's page 0: issue 16,
    tests/client/test_first_round.py), each once; nothing after them (no conditions)."""

    def route(method: str, path: str) -> Any:
        return lambda handler: json_body(handler, {"errors": [{"type": "oauth"}]}, 403)

    desired = one_managed_blacklist("1")
    with hostile_server(route) as server:

        async def main() -> Any:
            async with make_client(server.url, retries=0) as client:
                return await read_live_state(desired, client, sent=lambda r, d: {"title": "x"})

        with pytest.raises(ClientError, match=r"^GET /resumes/mine: HTTP 403"):
            bounded(main())
    sent = [path.split("?")[0] for _, path in server.requests]
    beside = {f"/resumes/{RESUME}", f"/resumes/{RESUME}/blacklist"}  # may be cancelled unsent
    assert "/resumes/mine" in sent
    assert set(sent) - {"/resumes/mine"} <= beside
    assert len(sent) == len(set(sent))


# --- §6/§7: data from the server is checked before use -----------------------------------------


def _read(route: Any) -> str:
    desired = one_managed_blacklist("3529")
    with hostile_server(route) as server:

        async def main() -> Any:
            async with make_client(server.url, retries=0) as client:
                return await read_live_state(desired, client)

        with pytest.raises(UnexpectedAnswerError) as caught:
            bounded(main())
    return str(caught.value)


def _account(mine: Any = None, resume: Any = None, blacklist: Any = None) -> Any:
    def route(method: str, path: str) -> Any:
        if path == "/resumes/mine":
            return mine if mine is not None else {"pages": 1, "items": [{"id": RESUME}]}
        if path.endswith("/blacklist"):
            return blacklist if blacklist is not None else {"items": [], "limit": 2000}
        return resume if resume is not None else {"id": RESUME, "title": "T"}

    return route


@pytest.mark.parametrize(
    ("employer", "shown"),
    [(None, "null"), (True, "boolean true"), (3529.0, "number 3529.0"), ("35x", "string '35x'")],
)
def test_employer_ids_that_are_not_digit_strings(employer: Any, shown: str) -> None:
    message = _read(_account(blacklist={"items": [{"id": employer}], "limit": 2000}))
    assert message == (
        f"GET /resumes/{RESUME}/blacklist: unexpected answer: items[0].id is not a string of "
        f"digits ({shown})"
    )


def test_list_items_that_are_not_objects() -> None:
    message = _read(_account(blacklist={"items": ["3529"], "limit": 2000}))
    assert message.endswith("page 0: items[0] is not an object")


def test_a_list_limit_that_is_not_a_number() -> None:
    message = _read(_account(blacklist={"items": [], "limit": "lots"}))
    assert message.endswith("`limit` is not a count of employers (string 'lots')")


def test_resumes_mine_items_that_are_strings() -> None:
    message = _read(_account(mine={"items": [RESUME]}))
    assert message == "GET /resumes/mine: unexpected answer: page 0: items[0] is not an object"


def test_a_resume_body_that_is_a_list() -> None:
    message = _read(_account(resume=[{"id": RESUME}]))
    assert (
        message == f"GET /resumes/{RESUME}: unexpected answer: expected a JSON object, got an array"
    )


def test_json_nested_too_deep_is_not_a_crash() -> None:
    deep = "[" * 200_000 + "]" * 200_000

    def respond(handler: BaseHTTPRequestHandler) -> None:
        data = deep.encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    with hostile_server(lambda m, p: respond) as server, pytest.raises(ClientError, match="JSON"):
        bounded(get(server.url, "/resumes/mine"))


# --- §7: the token is checked before anything is sent, and never shown --------------------------


@pytest.mark.parametrize("token", ["тест-токен", "USERabc\r\nX-Evil: 1", "   ", "USER abc"])
def test_a_token_that_cannot_be_sent_is_refused_before_any_request(token: str) -> None:
    with (
        hostile_server(lambda m, p: {"items": []}) as server,
        pytest.raises(SettingsError) as caught,
    ):
        bounded(get(server.url, "/resumes/mine", token=token))
    assert server.requests == []
    message = str(caught.value)
    assert "HH_TOKEN / --token" in message
    for form in (token.strip(), repr(token)[1:-1]):
        assert not form or form not in message


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("user_agent", "тест/1.0", "the user agent must be printable ASCII text"),
        ("user_agent", "ua\r\nX: 1", "the user agent must be printable ASCII text"),
        ("base_url", "http://[::1", "invalid API URL 'http://[::1'"),
        ("base_url", "http://127.0.0.1:99999", "port 99999 is not between 1 and 65535"),
        ("read_timeout", float("nan"), "--timeout must be a positive number of seconds"),
        ("max_rps", float("nan"), "--max-rps must be a number"),
    ],
)
def test_settings_that_cannot_be_sent(setting: str, value: Any, expected: str) -> None:
    with pytest.raises(SettingsError, match=expected.replace("[", r"\[").replace(".", r"\.")):
        make_client("http://127.0.0.1:9", **{setting: value}).open()


def test_the_token_is_redacted_in_every_form_a_server_echoes() -> None:
    token = "USERabc+def/ghi="
    encoded = "USERabc%2Bdef%2Fghi%3D"

    def route(method: str, path: str) -> Any:
        description = f"bad token {token} or {encoded} or {token!r}"
        return lambda handler: json_body(handler, {"description": description}, 400)

    with hostile_server(route) as server, pytest.raises(ClientError) as caught:
        bounded(get(server.url, "/resumes/mine", token=token))
    message = str(caught.value)
    assert token not in message and encoded not in message
    assert message.count("(token)") == 3
    assert TOKEN not in message


def test_a_gzip_bomb_never_expands_past_the_cap_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """httpx expands each network chunk whole: 64 KB of this bomb are 64 MB. The client
    inflates it itself, never more than the cap at a time."""
    import tracemalloc

    monkeypatch.setattr(client_body, "MAX_RESPONSE_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9)
    respond = gzipped(bomb)

    with hostile_server(lambda m, p: respond) as server:
        tracemalloc.start()
        try:
            with pytest.raises(UnexpectedAnswerError, match="larger than 1 MB"):
                bounded(get(server.url, "/resumes/mine"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_answers_still_read(encoding: str) -> None:
    import zlib

    body = b'{"items": [], "found": 0}'
    if encoding == "gzip":
        data = gzip.compress(body)
    elif encoding == "deflate":
        data = zlib.compress(body)
    else:
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = packer.compress(body) + packer.flush()

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Encoding", "deflate" if "deflate" in encoding else "gzip")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    with hostile_server(lambda m, p: respond) as server:
        assert bounded(get(server.url, "/resumes/mine")) == {"items": [], "found": 0}
