"""`renew`: one read of /resumes/mine, a publish for each `publish: renew` resume that is due,
and when each is next due. Against the sandbox with a hand-moved clock: no sleeping."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from resumesync.model import DesiredResume, DesiredState, PublishMode
from resumesync.renew import Outcome, Renewal, format_moment, parse_moment, renew
from resumesync.sandbox import Account, ManualClock, SandboxConfig, running_sandbox
from resumesync.settings import Settings
from tests.client.hostile import json_body

TOKEN = "USERrenewtests000000000000000000000000000000000000000000000000000000"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"  # published, renewable in the seed
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"  # not published
SYSADMIN = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e"  # published, renewable


def desired(*resumes: tuple[str, str, PublishMode]) -> DesiredState:
    return DesiredState(
        root=".",
        resumes=[
            DesiredResume(key=key, resume_id=rid, file=f"resumes/{key}.yaml", publish=mode)
            for key, rid, mode in resumes
        ],
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sandbox(clock: ManualClock) -> Iterator[Any]:
    data = Account.example().to_json()
    data["resume_state"][SYSADMIN]["blocked"] = False
    config = SandboxConfig(accounts={TOKEN: Account.from_json(data)}, clock=clock)
    with running_sandbox(config) as running:
        yield running


def run(sandbox: Any, clock: ManualClock, state: DesiredState) -> list[Renewal]:
    settings = Settings(directory=Path("."), token=TOKEN, api_url=sandbox.url, max_rps=1000)
    now = dt.datetime.fromtimestamp(clock(), dt.UTC)
    return renew(state, settings, now=now).renewals


def test_raises_only_what_is_due_and_reads_when_it_is_next_due(sandbox, clock) -> None:
    state = desired(
        ("backend", BACKEND, PublishMode.RENEW),
        ("data-engineer", DATA_ENGINEER, PublishMode.RENEW),
        ("sysadmin", SYSADMIN, PublishMode.ONCE),  # not `renew`: left alone
    )
    first = run(sandbox, clock, state)
    assert [(r.resume, r.outcome) for r in first] == [
        ("backend", Outcome.RENEWED),
        ("data-engineer", Outcome.NOT_PUBLISHED),
    ]
    four_hours = dt.datetime.fromtimestamp(clock() + 4 * 3600, dt.UTC)
    assert first[0].next_due == four_hours  # read back from the server, not guessed
    writes = [(r.method, r.path) for r in sandbox.requests if r.method != "GET"]
    assert writes == [("POST", f"/resumes/{BACKEND}/publish")]
    assert [r.path for r in sandbox.requests if r.method == "GET"] == ["/resumes/mine"] * 2

    sandbox.clear_requests()
    clock.advance(4 * 3600 - 60)  # a minute early: not due, and nothing is sent
    early = run(sandbox, clock, state)
    assert early[0].outcome is Outcome.NOT_DUE and early[0].next_due == four_hours
    assert [(r.method, r.path) for r in sandbox.requests] == [("GET", "/resumes/mine")]

    clock.advance(60)  # due now: raised again
    assert run(sandbox, clock, state)[0].outcome is Outcome.RENEWED


def test_a_server_whose_clock_is_behind_ours_is_not_yet_not_a_failure(sandbox, clock) -> None:
    state = desired(("backend", BACKEND, PublishMode.RENEW))
    assert run(sandbox, clock, state)[0].outcome is Outcome.RENEWED
    settings = Settings(directory=Path("."), token=TOKEN, api_url=sandbox.url, max_rps=1000)
    later = dt.datetime.fromtimestamp(clock() + 5 * 3600, dt.UTC)
    result = renew(state, settings, now=later)
    assert [r.outcome for r in result.renewals] == [Outcome.NOT_YET]
    assert result.ok
    assert [r.method for r in sandbox.requests].count("POST") == 1


class RacingServer(BaseHTTPRequestHandler):
    """Lists a resume as renewable, then answers its publish with hh.ru's 429: someone else
    raised it in between."""

    def do_GET(self) -> None:
        item = {
            "id": BACKEND,
            "title": "Backend",
            "status": {"id": "published", "name": "published"},
            "can_publish_or_update": True,
            "next_publish_at": "2020-01-01T00:00:00+0300",
        }
        json_body(
            self,
            status=200,
            body={"found": 1, "pages": 1, "page": 0, "per_page": 100, "items": [item]},
        )

    def do_POST(self) -> None:
        json_body(
            self,
            status=429,
            body={"errors": [{"type": "resumes", "value": "touch_limit_exceeded"}]},
        )

    def log_message(self, *args: object) -> None:
        pass


def test_a_429_on_publish_is_not_yet_and_not_a_failure() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RacingServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        settings = Settings(directory=Path("."), token=TOKEN, api_url=url, retries=0)
        result = renew(desired(("backend", BACKEND, PublishMode.RENEW)), settings, now=NOW)
    finally:
        server.shutdown()
        server.server_close()
    assert [r.outcome for r in result.renewals] == [Outcome.NOT_YET]
    assert "429" in result.renewals[0].message
    assert result.ok


def test_a_resume_the_account_lacks_fails_the_run_without_stopping_the_others(
    sandbox, clock
) -> None:
    state = desired(("gone", "0" * 38, PublishMode.RENEW), ("backend", BACKEND, PublishMode.RENEW))
    settings = Settings(directory=Path("."), token=TOKEN, api_url=sandbox.url, max_rps=1000)
    result = renew(state, settings, now=dt.datetime.fromtimestamp(clock(), dt.UTC))
    assert [r.outcome for r in result.renewals] == [Outcome.NOT_IN_ACCOUNT, Outcome.RENEWED]
    assert not result.ok


def test_nothing_to_renew_makes_no_request(sandbox, clock) -> None:
    assert run(sandbox, clock, desired(("backend", BACKEND, PublishMode.ONCE))) == []
    assert sandbox.requests == []


NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("item", "outcome"),
    [
        ({"status": {"id": "published"}, "can_publish_or_update": True}, Outcome.RENEWED),
        (
            {
                "status": {"id": "published"},
                "can_publish_or_update": True,
                "next_publish_at": "2026-12-01T12:30:00+0300",  # 09:30 UTC
            },
            Outcome.NOT_DUE,
        ),
        (
            {
                "status": {"id": "published"},
                "can_publish_or_update": False,
                "next_publish_at": "2026-12-01T11:00:00+0300",  # past by our clock
            },
            Outcome.NOT_YET,  # the server's clock is behind: later, not a failure
        ),
        (
            {"status": {"id": "published"}, "can_publish_or_update": False},
            Outcome.NOT_POSSIBLE,  # mandatory fields empty, say
        ),
        ({"status": {"id": "not_published"}, "can_publish_or_update": True}, Outcome.NOT_PUBLISHED),
        ({"status": {"id": "published"}, "blocked": True}, Outcome.NOT_POSSIBLE),
    ],
)
def test_judging_an_item_of_resumes_mine(item: dict[str, Any], outcome: Outcome) -> None:
    from resumesync.renew import _judge

    assert _judge("backend", BACKEND, item, NOW).outcome is outcome


def test_moments_print_in_utc_with_how_long_until_then() -> None:
    moment = parse_moment("2026-12-01T15:10:00+0300")
    assert moment == dt.datetime(2026, 12, 1, 12, 10, tzinfo=dt.UTC)
    assert format_moment(moment, NOW) == "2026-12-01 12:10 UTC (in 3 h 10 min)"
    assert format_moment(NOW + dt.timedelta(hours=4), NOW) == "2026-12-01 13:00 UTC (in 4 h)"
    assert format_moment(NOW + dt.timedelta(seconds=30), NOW).endswith("(in 1 min)")
    assert format_moment(NOW, NOW).endswith("(now)")
    assert parse_moment("not a time") is None and parse_moment(None) is None
