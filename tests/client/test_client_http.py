"""HHClient against the real sandbox on 127.0.0.1: pagination, limits, retries, errors."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import pytest

from resumesync.client import (
    ApiError,
    AuthError,
    BadUserAgentError,
    ClientSettings,
    HHClient,
    NotFoundError,
    PublishNotYet,
    RetryEvent,
    TransportError,
)
from resumesync.sandbox import Account, SandboxConfig, running_sandbox

from .support import (
    BACKEND,
    DATA_ENGINEER,
    TOKEN,
    RecordingTransport,
    SleepRecorder,
    example_config,
    make_client,
    run,
)


def account_with(*, blacklist: int = 0, extra_resumes: int = 0) -> Account:
    """The example account with a long backend blacklist and/or many more resumes."""
    data = Account.example().to_json()
    data["lists"][BACKEND]["blacklist"] = [str(10_000 + n) for n in range(blacklist)]
    template = data["resumes"][BACKEND]
    for n in range(extra_resumes):
        resume_id = f"{n:038x}"
        data["resumes"][resume_id] = {**template, "title": f"Extra resume {n}"}
        data["resume_state"][resume_id] = data["resume_state"][BACKEND]
        data["lists"][resume_id] = {"blacklist": [], "whitelist": []}
    return Account.from_json(data)


def test_a_250_employer_list_takes_exactly_three_gets() -> None:
    config = SandboxConfig(accounts={TOKEN: account_with(blacklist=250)})
    with running_sandbox(config) as server:

        async def main() -> dict[str, Any]:
            async with make_client(server.url) as client:
                return await client.get_list(BACKEND, "blacklist")

        body = run(main())
        gets = [r for r in server.requests if r.path == f"/resumes/{BACKEND}/blacklist"]
    assert sorted(r.query["page"][0] for r in gets) == ["0", "1", "2"]
    assert all(r.query["per_page"] == ["100"] and r.method == "GET" for r in gets)
    assert [item["id"] for item in body["items"]] == [str(10_000 + n) for n in range(250)]
    assert (body["found"], body["limit"], body["can_add"]) == (250, 2000, 1750)
    # only what the callers use is kept of each employer (not its urls and logos)
    assert {tuple(item) for item in body["items"]} == {("id", "name")}
    assert all(item["name"] for item in body["items"])


def test_mine_reads_every_page() -> None:
    config = SandboxConfig(accounts={TOKEN: account_with(extra_resumes=130)})
    with running_sandbox(config) as server:

        async def main() -> list[dict[str, Any]]:
            async with make_client(server.url) as client:
                return await client.get_mine()

        items = run(main())
        pages = sorted(r.query["page"][0] for r in server.requests)
    assert pages == ["0", "1"]
    assert len(items) == 134 and len({item["id"] for item in items}) == 134  # 4 + 130
    assert {BACKEND, DATA_ENGINEER} <= {item["id"] for item in items}


@pytest.mark.parametrize("parallelism", [1, 3])
def test_no_more_requests_in_flight_than_the_parallelism(parallelism: int) -> None:
    with running_sandbox(example_config(latency=0.03)) as server:
        transport = RecordingTransport()

        async def main() -> None:
            client = make_client(server.url, transport=transport, parallelism=parallelism)
            async with client:
                await _gather(*(client.get_resume(BACKEND) for _ in range(9)))
            assert client.request_count == client.attempt_count == 9

        run(main())
        assert len(server.requests) == 9
    # every task starts at once and the server is slow: the bound is what holds them back
    assert transport.max_in_flight == parallelism


async def _gather(*awaitables: Any) -> list[Any]:
    return list(await asyncio.gather(*awaitables))


def test_the_rate_limit_is_shared_by_concurrent_tasks(sandbox: Any) -> None:
    clock_value = 100.0
    recorder = SleepRecorder()
    client = HHClient(
        ClientSettings(base_url=sandbox.url, token=TOKEN, max_rps=10.0),
        clock=lambda: clock_value,
        sleep=recorder,
    )

    async def main() -> None:
        async with client:
            await _gather(*(client.get_resume(BACKEND) for _ in range(4)))

    run(main())
    # the clock stands still, so each task's wait is its slot: 0, 0.1, 0.2, 0.3 s
    assert sorted(recorder.delays) == pytest.approx([0.1, 0.2, 0.3])
    assert len(sandbox.requests) == 4


def test_5xx_answers_are_retried_until_they_succeed() -> None:
    with running_sandbox(example_config(error_rate=0.5, seed=1)) as server:
        events: list[RetryEvent] = []
        client = make_client(server.url, retries=20, on_retry=events.append)

        async def main() -> list[dict[str, Any]]:
            async with client:
                return [await client.get_resume(BACKEND) for _ in range(10)]

        documents = run(main())
        seen = len(server.requests)
    assert all(document["id"] == BACKEND for document in documents)
    assert events, "error_rate=0.5 over 10 calls must have failed at least once"
    assert {event.reason for event in events} <= {"HTTP 500", "HTTP 503"}
    assert client.request_count == 10
    assert client.attempt_count == 10 + len(events) == seen
    assert client.retry_count == len(events)


def test_429_waits_what_retry_after_says() -> None:
    with running_sandbox(example_config(rate_limit_rate=0.5, retry_after=0.25, seed=2)) as server:
        transport = RecordingTransport()
        recorder = SleepRecorder()
        client = make_client(
            server.url, transport=transport, sleep=recorder, retries=20, backoff_cap=1000.0
        )

        async def main() -> None:
            async with client:
                for _ in range(10):
                    await client.get_list(DATA_ENGINEER, "whitelist")

        run(main())
    limited = [e for e in transport.exchanges if e.status == 429]
    assert limited, "rate_limit_rate=0.5 over 10 calls must have limited at least once"
    assert all("Retry-After" in e.headers for e in limited)
    assert recorder.delays == [float(e.headers["Retry-After"]) for e in limited]
    assert set(recorder.delays) == {0.25}


def test_retry_after_is_capped() -> None:
    with running_sandbox(example_config(rate_limit_rate=1.0)) as server:
        recorder = SleepRecorder()
        client = make_client(server.url, sleep=recorder, retries=3, backoff_cap=0.005)

        async def main() -> None:
            async with client:
                await client.get_resume(BACKEND)

        with pytest.raises(ApiError) as caught:
            run(main())
    assert caught.value.status == 429
    assert "gave up after 4 attempts" in str(caught.value)
    assert recorder.delays == [0.005, 0.005, 0.005]


def test_retries_are_bounded_and_end_in_a_clear_error() -> None:
    with running_sandbox(example_config(error_rate=1.0)) as server:
        events: list[RetryEvent] = []
        client = make_client(server.url, retries=2, on_retry=events.append)

        async def main() -> None:
            async with client:
                await client.get_mine()

        with pytest.raises(ApiError) as caught:
            run(main())
        assert len(server.requests) == 3
    assert caught.value.status in (500, 503)
    assert str(caught.value).startswith("GET /resumes/mine: HTTP 5")
    assert "gave up after 3 attempts" in str(caught.value)
    assert [event.attempt for event in events] == [1, 2]


def test_an_unreachable_server_is_a_transport_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    events: list[RetryEvent] = []
    client = make_client(url, retries=2, on_retry=events.append)

    async def main() -> None:
        async with client:
            await client.get_mine()

    with pytest.raises(TransportError) as caught:
        run(main())
    message = str(caught.value)
    assert message.startswith(f"cannot reach {url}: GET /resumes/mine failed after 3 attempts")
    assert "ConnectError" in message
    assert [event.reason for event in events] == ["connection error (ConnectError)"] * 2


def test_dropped_connections_are_retried_and_writes_land_once() -> None:
    with running_sandbox(example_config(drop_rate=0.5, seed=4)) as server:
        events: list[RetryEvent] = []
        client = make_client(server.url, retries=30, on_retry=events.append)
        ids = [str(20_000 + n) for n in range(250)]

        async def main() -> None:
            async with client:
                await client.add_to_list(BACKEND, "blacklist", ids)
                await client.remove_from_list(BACKEND, "blacklist", ids[:120])
                await client.put_resume(BACKEND, {"title": "Staff Python developer"})
                await client.clear_list(DATA_ENGINEER, "whitelist")

        run(main())
        account = server.account().to_json()
    assert any(event.reason.startswith("connection error") for event in events)
    assert sorted(account["lists"][BACKEND]["blacklist"]) == ids[120:]
    assert account["resumes"][BACKEND]["title"] == "Staff Python developer"
    assert account["lists"][DATA_ENGINEER]["whitelist"] == []


def test_a_wrong_token_is_an_auth_error_that_never_shows_the_token(
    sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "USERwrong-and-secret-token"
    client = make_client(sandbox.url, token=secret)

    async def main() -> None:
        async with client:
            await client.get_mine()

    with pytest.raises(AuthError) as caught:
        run(main())
    assert caught.value.status == 403 and caught.value.oauth_value == "bad_authorization"
    assert "the token was rejected (bad_authorization): set HH_TOKEN / --token" in str(caught.value)
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in caplog.text


def test_retries_are_logged_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with running_sandbox(example_config(error_rate=1.0)) as server:
        client = make_client(server.url, retries=2)

        async def main() -> None:
            async with client:
                await client.get_resume(BACKEND)

        with pytest.raises(ApiError) as caught:
            run(main())
    assert "retrying: GET /resumes/" in caplog.text
    assert TOKEN not in caplog.text and TOKEN not in str(caught.value)


def test_a_library_user_agent_is_refused_with_advice(sandbox: Any) -> None:
    client = make_client(sandbox.url, user_agent="python-httpx/0.28.1")

    async def main() -> None:
        async with client:
            await client.get_mine()

    with pytest.raises(BadUserAgentError) as caught:
        run(main())
    assert "bad_user_agent: blacklisted" in str(caught.value)


def test_the_default_user_agent_is_accepted(sandbox: Any) -> None:
    client = HHClient(ClientSettings(base_url=sandbox.url, token=TOKEN, max_rps=None))

    async def main() -> list[dict[str, Any]]:
        async with client:
            return await client.get_mine()

    assert {BACKEND, DATA_ENGINEER} <= {item["id"] for item in run(main())}


def test_an_unknown_resume_is_not_found(sandbox: Any) -> None:
    client = make_client(sandbox.url)

    async def main() -> None:
        async with client:
            await client.get_resume("0" * 38)

    with pytest.raises(NotFoundError) as caught:
        run(main())
    assert caught.value.path == "/resumes/" + "0" * 38
    assert client.attempt_count == 1  # a 404 is an answer, not a fault


def test_publish_429_is_not_yet_and_not_retried(sandbox: Any) -> None:
    client = make_client(sandbox.url, retries=5)

    async def main() -> None:
        async with client:
            await client.publish(BACKEND)  # the seed allows renewing backend now
            await client.publish(BACKEND)

    with pytest.raises(PublishNotYet) as caught:
        run(main())
    publishes = [r for r in sandbox.requests if r.path.endswith("/publish")]
    assert [r.status for r in publishes] == [204, 429]
    assert caught.value.errors == [{"type": "resumes", "value": "touch_limit_exceeded"}]
    assert not caught.value.maybe_applied


def test_list_writes_are_batched_by_100(sandbox: Any) -> None:
    ids = [str(30_000 + n) for n in range(205)]
    client = make_client(sandbox.url)

    async def main() -> None:
        async with client:
            await client.add_to_list(BACKEND, "blacklist", ids)
            await client.remove_from_list(BACKEND, "blacklist", ids[:101])

    run(main())
    posts = [r for r in sandbox.requests if r.method == "POST"]
    deletes = [r for r in sandbox.requests if r.method == "DELETE"]
    assert sorted(len(r.body["items"]) for r in posts) == [5, 100, 100]
    assert sorted(len(r.query["id"]) for r in deletes) == [1, 100]
    assert sorted(sandbox.account().to_json()["lists"][BACKEND]["blacklist"]) == ids[101:]


def test_publish_not_yet_after_a_dropped_answer_says_it_may_have_been_applied() -> None:
    with running_sandbox(example_config(drop_rate=1.0)) as server:
        client = make_client(server.url)

        async def main() -> None:
            async with client:
                await client.publish(BACKEND)

        with pytest.raises(PublishNotYet) as caught:
            run(main())
    assert caught.value.maybe_applied
    assert client.attempt_count == 2
