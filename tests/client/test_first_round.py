"""Issue 16: the reads that do not depend on `GET /resumes/mine` go out with it (a round of 50 ms
less on every plan), and issue 12 §7 still holds: when it fails, its error is the one reported,
the reads that went out beside it are not retried, and nothing else starts (resumesync/lead.py).
Against a small hostile server on 127.0.0.1."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from resumesync.client import ApiError, AuthError
from resumesync.live import read_live_state
from resumesync.model import DesiredList, DesiredResume, DesiredState

from .hostile import hostile_server, json_body
from .support import make_client
from .test_hostile_server import bounded

FIRST = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
SECOND = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
DEADLOCK_BOUND = 10.0  # seconds a held answer waits at most (never reached when the test passes)


def managing(*resume_ids: str) -> DesiredState:
    """Files managing each resume's blacklist (exact, one employer)."""
    return DesiredState(
        root=".",
        resumes=[
            DesiredResume(
                key=f"r{index}",
                resume_id=resume_id,
                file=f"resumes/r{index}.yaml",
                lists={"blacklist": DesiredList("blacklist", ("1",), True)},
            )
            for index, resume_id in enumerate(resume_ids)
        ],
    )


def account(*resume_ids: str) -> Any:
    def route(method: str, path: str) -> Any:
        if path == "/resumes/mine":
            return {"pages": 1, "items": [{"id": rid, "title": "T"} for rid in resume_ids]}
        if path.endswith("/blacklist"):
            return {"items": [{"id": "1", "name": "E"}], "pages": 1, "limit": 2000}
        return {"id": path.rsplit("/", 1)[1], "title": "T"}

    return route


def read(url: str, desired: DesiredState, **settings: Any) -> Any:
    async def main() -> Any:
        async with make_client(url, **settings) as client:
            return await read_live_state(desired, client)

    return bounded(main())


def paths(server: Any) -> list[str]:
    return [path.split("?")[0] for _, path in server.requests]


def test_the_resume_and_its_lists_go_out_with_resumes_mine() -> None:
    """The server answers /resumes/mine only once it has been asked for the resume and its
    list's page 0: they must not wait for it."""
    arrived = threading.Event()
    answer = account(FIRST)
    seen: list[str] = []

    def route(method: str, path: str) -> Any:
        seen.append(path)
        if {f"/resumes/{FIRST}", f"/resumes/{FIRST}/blacklist"} <= set(seen):
            arrived.set()
        if path != "/resumes/mine":
            return answer(method, path)

        def held(handler: Any) -> None:
            went_out = arrived.wait(DEADLOCK_BOUND)
            seen.append(f"mine answered (the others had gone out: {went_out})")
            json_body(handler, answer(method, path))

        return held

    with hostile_server(route) as server:
        live = read(server.url, managing(FIRST))
    assert list(live.resumes) == [FIRST]
    assert "mine answered (the others had gone out: True)" in seen


def test_reads_past_the_first_round_wait_for_resumes_mine() -> None:
    """parallelism 4: /resumes/mine and one resume's two reads make the first round; the
    second resume is read once /resumes/mine is in."""
    answer = account(FIRST, SECOND)
    log: list[str] = []

    def route(method: str, path: str) -> Any:
        log.append(path)
        if path != "/resumes/mine":
            return answer(method, path)

        def answered(handler: Any) -> None:
            log.append("mine answered")  # before the answer leaves: nothing it lets start
            json_body(handler, answer(method, path))  # can be logged ahead of this line

        return answered

    with hostile_server(route) as server:
        live = read(server.url, managing(FIRST, SECOND), parallelism=4)
    assert set(live.resumes) == {FIRST, SECOND}
    answered = log.index("mine answered")
    assert f"/resumes/{SECOND}" in log[answered:]
    assert f"/resumes/{SECOND}/blacklist" in log[answered:]


def test_when_resumes_mine_is_refused_its_error_is_the_one_reported() -> None:
    """A bad token: every read of the first round is refused; the error names /resumes/mine
    (not whichever read came back first), each read went out once, nothing after them."""

    def route(method: str, path: str) -> Any:
        return lambda handler: json_body(
            handler, {"errors": [{"type": "oauth", "value": "bad_authorization"}]}, 403
        )

    with hostile_server(route) as server, pytest.raises(AuthError) as caught:
        read(server.url, managing(FIRST, SECOND), retries=3, parallelism=4)
    assert caught.value.path == "/resumes/mine"
    first_round = {"/resumes/mine", f"/resumes/{FIRST}", f"/resumes/{FIRST}/blacklist"}
    assert set(paths(server)) <= first_round
    assert len(paths(server)) == len(set(paths(server)))  # no read twice


def test_when_resumes_mine_keeps_failing_only_it_is_retried() -> None:
    """A server in trouble (503 to everything): /resumes/mine is retried as configured, the
    reads beside it are not (one attempt each, no flood of retries), and its error is raised.
    Its first answer waits until both other reads have arrived, so both surely went out."""
    beside = {f"/resumes/{FIRST}", f"/resumes/{FIRST}/blacklist"}
    arrived = threading.Event()
    seen: set[str] = set()

    def route(method: str, path: str) -> Any:
        seen.add(path)
        if beside <= seen:
            arrived.set()

        def unavailable(handler: Any) -> None:
            if path == "/resumes/mine":
                arrived.wait(DEADLOCK_BOUND)
            json_body(handler, {"errors": [{"type": "unavailable"}]}, 503)

        return unavailable

    with hostile_server(route) as server, pytest.raises(ApiError) as caught:
        read(server.url, managing(FIRST), retries=3)
    assert arrived.is_set()
    assert caught.value.path == "/resumes/mine"
    assert caught.value.attempts == 4
    assert paths(server).count("/resumes/mine") == 4
    assert sorted(path for path in paths(server) if path != "/resumes/mine") == sorted(beside)


def test_a_read_beside_resumes_mine_is_retried_once_it_is_in() -> None:
    """The resume's first GET fails (503): once /resumes/mine has succeeded, it is retried."""
    answer = account(FIRST)
    failed: list[str] = []

    def route(method: str, path: str) -> Any:
        if path == f"/resumes/{FIRST}" and not failed:
            failed.append(path)
            return lambda handler: json_body(handler, {"errors": [{"type": "unavailable"}]}, 503)
        return answer(method, path)

    with hostile_server(route) as server:
        live = read(server.url, managing(FIRST), retries=2)
    assert list(live.resumes) == [FIRST]
    assert paths(server).count(f"/resumes/{FIRST}") == 2
