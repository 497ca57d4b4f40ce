"""The sandbox's test hooks that the reliability tests rely on: holds (one request stopped
before or after it is applied), gates (every matching request waits until opened) and faults
that follow the request rather than the order of arrival."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from resumesync.sandbox import Account, RunningSandbox, SandboxConfig, running_sandbox

BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
TOKEN = "USERsandbox"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "hooks-test/1.0 (t@example.com)"}
WAIT = 10.0


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as running:
        yield running


@pytest.fixture
def background() -> Iterator[Callable[..., Future[Any]]]:
    """Sends requests from other threads: a held request blocks its sender."""
    with ThreadPoolExecutor(4) as pool, httpx.Client(headers=HEADERS, timeout=WAIT) as client:

        def send(method: str, url: str, **kwargs: Any) -> Future[Any]:
            return pool.submit(client.request, method, url, **kwargs)

        yield send


def title(sandbox: RunningSandbox) -> str:
    return sandbox.account(TOKEN).resumes[BACKEND].fields["title"]


def test_a_hold_before_keeps_the_write_unapplied_and_drop_loses_it(
    sandbox: RunningSandbox, background: Callable[..., Future[Any]]
) -> None:
    hold = sandbox.hold(1, stage="before", writes_only=True)
    before = title(sandbox)
    sent = background("PUT", f"{sandbox.url}/resumes/{BACKEND}", json={"title": "Held"})
    assert hold.wait(WAIT)
    assert hold.arrival is not None and hold.arrival.method == "PUT"
    assert hold.applied is False and title(sandbox) == before
    hold.drop()
    with pytest.raises(httpx.TransportError):
        sent.result(WAIT)
    assert hold.settled(WAIT)
    assert title(sandbox) == before  # never applied
    assert [(r.status, r.fault, r.dropped) for r in sandbox.requests] == [(0, "hold", True)]


def test_a_hold_after_counts_matches_applies_then_waits_to_answer(
    sandbox: RunningSandbox, background: Callable[..., Future[Any]]
) -> None:
    hold = sandbox.hold(2, stage="after", match=lambda arrival: arrival.method == "PUT")
    url = f"{sandbox.url}/resumes/{BACKEND}"
    assert background("GET", url).result(WAIT).status_code == 200  # not a match
    assert background("PUT", url, json={"title": "First"}).result(WAIT).status_code == 204
    sent = background("PUT", url, json={"title": "Second"})
    assert hold.wait(WAIT)
    assert hold.applied is True and title(sandbox) == "Second"  # applied, answer held
    assert not sent.done()
    hold.release()
    assert sent.result(WAIT).status_code == 204
    assert hold.settled(WAIT)
    assert [r.fault for r in sandbox.requests] == [None, None, None]


def test_a_gate_holds_every_match_until_opened(
    sandbox: RunningSandbox, background: Callable[..., Future[Any]]
) -> None:
    gate = sandbox.gate(writes_only=True)
    url = f"{sandbox.url}/resumes/{BACKEND}"
    assert background("GET", url).result(WAIT).status_code == 200  # reads pass
    sent = [background("PUT", url, json={"title": f"Gated {n}"}) for n in range(2)]
    assert gate.wait_for(lambda waiting: len(waiting) == 2, WAIT)
    assert not any(future.done() for future in sent)
    assert not title(sandbox).startswith("Gated")
    gate.open()
    assert [future.result(WAIT).status_code for future in sent] == [204, 204]
    assert [arrival.method for arrival in gate.waiting] == ["PUT", "PUT"]


def test_a_pending_hold_does_not_keep_the_sandbox_from_stopping(
    background: Callable[..., Future[Any]],
) -> None:
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as running:
        hold = running.hold(1, stage="after")
        sent = background("GET", f"{running.url}/resumes/mine")
        assert hold.wait(WAIT)
    assert hold.settled(WAIT)  # the handler thread let go of it: nothing is left waiting
    with pytest.raises(httpx.TransportError):  # dropped on the way out
        sent.result(WAIT)


def test_faults_by_request_do_not_depend_on_the_order_of_arrival() -> None:
    paths = [f"/resumes/{BACKEND}", "/resumes/mine", f"/resumes/{BACKEND}/blacklist"] * 4

    def faults(order: list[str]) -> dict[tuple[str, int], int]:
        config = SandboxConfig(
            accounts={TOKEN: Account.example()}, error_rate=0.5, seed=3, faults_by_request=True
        )
        seen: dict[str, int] = {}
        statuses = {}
        with running_sandbox(config) as running, httpx.Client(headers=HEADERS) as client:
            for path in order:
                seen[path] = seen.get(path, 0) + 1
                statuses[(path, seen[path])] = client.get(running.url + path).status_code
        return statuses

    forward, backward = faults(paths), faults(paths[::-1])
    assert forward == backward
    assert set(forward.values()) & {500, 503}
