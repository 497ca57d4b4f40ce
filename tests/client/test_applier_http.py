"""apply_plan against the sandbox: privacy order, phases, isolation, not-yet, convergence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from resumesync.applier import ApplyEvent, ApplyResult, EventKind, Outcome, apply_plan
from resumesync.client import ApiError, BadJsonDataError, PublishNotYet
from resumesync.model import Action, Change, ListKind, Plan
from resumesync.sandbox import running_sandbox

from .support import (
    BACKEND,
    DATA_ENGINEER,
    RecordingTransport,
    example_config,
    make_client,
    run,
)

KEYS = {BACKEND: "backend", DATA_ENGINEER: "data-engineer"}


def add(resume_id: str, kind: ListKind, ids: Sequence[str], widens: bool = False) -> Change:
    return Change(
        action=Action.LIST_ADD,
        resume=KEYS[resume_id],
        resume_id=resume_id,
        method="POST",
        path=f"/resumes/{resume_id}/{kind}",
        body={"items": [{"id": employer} for employer in ids]},
        list_kind=kind,
        employers=tuple(ids),
        widens_visibility=widens,
    )


def remove(resume_id: str, kind: ListKind, ids: Sequence[str], widens: bool = False) -> Change:
    query = "&".join(f"id={employer}" for employer in ids)
    return Change(
        action=Action.LIST_REMOVE,
        resume=KEYS[resume_id],
        resume_id=resume_id,
        method="DELETE",
        path=f"/resumes/{resume_id}/{kind}/employer?{query}",
        list_kind=kind,
        employers=tuple(ids),
        widens_visibility=widens,
    )


def update(resume_id: str, body: dict[str, Any]) -> Change:
    return Change(Action.UPDATE, KEYS[resume_id], resume_id, "PUT", f"/resumes/{resume_id}", body)


def publish(resume_id: str) -> Change:
    path = f"/resumes/{resume_id}/publish"
    return Change(Action.PUBLISH, KEYS[resume_id], resume_id, "POST", path, reason="renew")


def apply(
    url: str, changes: list[Change], transport: RecordingTransport | None = None, **settings: Any
) -> tuple[ApplyResult, list[ApplyEvent]]:
    events: list[ApplyEvent] = []

    async def main() -> ApplyResult:
        async with make_client(url, transport=transport, **settings) as client:
            return await apply_plan(Plan(changes=changes), client, on_event=events.append)

    return run(main()), events


def employers(start: int, count: int) -> list[str]:
    return [str(start + n) for n in range(count)]


def privacy_plan() -> list[Change]:
    """Both example resumes, each in the planner's order: tighten, PUT, loosen, publish."""
    hidden = employers(40_000, 205)
    return [
        add(BACKEND, "blacklist", hidden[:100]),
        add(BACKEND, "blacklist", hidden[100:200]),
        add(BACKEND, "blacklist", hidden[200:]),
        update(
            BACKEND, {"title": "Senior Python developer", "access": {"type": {"id": "blacklist"}}}
        ),
        remove(BACKEND, "blacklist", hidden[:10], widens=True),
        publish(BACKEND),
        remove(DATA_ENGINEER, "whitelist", ["4181"]),
        update(DATA_ENGINEER, {"title": "Data engineer (Spark, Airflow)"}),
        add(DATA_ENGINEER, "whitelist", ["3776"], widens=True),
    ]


def test_a_plan_is_applied_phase_by_phase() -> None:
    changes = privacy_plan()
    with running_sandbox(example_config(latency=0.02)) as server:
        transport = RecordingTransport()
        result, events = apply(server.url, changes, transport)
        account = server.account().to_json()
        log = server.requests
    assert result.ok and not result.failed
    assert [item.outcome for item in result.outcomes] == [Outcome.DONE] * len(changes)
    assert [item.change for item in result.succeeded] == changes
    assert sorted(account["lists"][BACKEND]["blacklist"]) == employers(40_010, 195)
    assert account["resumes"][BACKEND]["title"] == "Senior Python developer"
    assert account["resumes"][BACKEND]["access"]["type"]["id"] == "blacklist"
    assert account["lists"][DATA_ENGINEER]["whitelist"] == ["1740", "3776"]
    # per resume, a phase's calls all reached the server before the next phase's first call
    for resume_id, phases in {
        BACKEND: [["POST"] * 3, ["PUT"], ["DELETE"], ["POST"]],
        DATA_ENGINEER: [["DELETE"], ["PUT"], ["POST"]],
    }.items():
        ours = [r.method for r in log if r.path.startswith(f"/resumes/{resume_id}")]
        assert ours == [method for phase in phases for method in phase]
    assert [r.path for r in log if r.path.startswith(f"/resumes/{BACKEND}")][-1].endswith(
        "/publish"
    )
    # the three blacklist batches (and the other resume) went out together
    assert transport.max_in_flight >= 3
    assert [e.kind for e in events].count(EventKind.STARTED) == len(changes)
    assert [e.kind for e in events].count(EventKind.DONE) == len(changes)
    assert {e.total for e in events} == {len(changes)}
    assert sorted({e.index for e in events}) == list(range(len(changes)))


def stages_plan() -> list[Change]:
    """One resume with two list changes in each of the two list stages."""
    return [
        add(DATA_ENGINEER, "blacklist", ["1455"]),  # tightening
        remove(DATA_ENGINEER, "whitelist", ["4181"]),  # tightening
        update(DATA_ENGINEER, {"title": "Data engineer (Spark, Airflow)"}),
        add(DATA_ENGINEER, "whitelist", ["3776"], widens=True),  # loosening
        remove(DATA_ENGINEER, "blacklist", ["1455"], widens=True),  # loosening
    ]


def test_blacklist_and_whitelist_changes_of_one_stage_go_out_together() -> None:
    """Tightening (blacklist additions, whitelist removals) is one phase, and so is loosening:
    both calls of a phase are in flight at once, and the PUT waits for the whole phase."""
    changes = stages_plan()
    with running_sandbox(example_config(latency=0.02)) as server:
        transport = RecordingTransport()
        result, _ = apply(server.url, changes, transport)
        account = server.account().to_json()
    assert [item.outcome for item in result.outcomes] == [Outcome.DONE] * len(changes)
    assert account["lists"][DATA_ENGINEER] == {"blacklist": [], "whitelist": ["1740", "3776"]}
    base = f"/resumes/{DATA_ENGINEER}"
    tightening = {("POST", f"{base}/blacklist"), ("DELETE", f"{base}/whitelist/employer")}
    loosening = {("POST", f"{base}/whitelist"), ("DELETE", f"{base}/blacklist/employer")}
    put = {("PUT", base)}
    steps = [(kind, (method, path)) for kind, method, path in transport.timeline]
    expected = [("start", call) for call in tightening], [("end", call) for call in tightening]
    assert sorted(steps[:2]) == sorted(expected[0])  # both started before either ended
    assert sorted(steps[2:4]) == sorted(expected[1])
    assert steps[4:6] == [("start", *put), ("end", *put)]
    assert sorted(steps[6:8]) == sorted(("start", call) for call in loosening)
    assert sorted(steps[8:]) == sorted(("end", call) for call in loosening)


def test_a_failure_in_a_phase_lets_its_siblings_finish_and_skips_later_phases() -> None:
    changes = stages_plan()
    changes[0] = add(DATA_ENGINEER, "blacklist", ["not-an-employer"])  # 400
    with running_sandbox(example_config()) as server:
        result, _ = apply(server.url, changes)
        account = server.account().to_json()
        methods = sorted(r.method for r in server.requests)
    assert [item.outcome for item in result.outcomes] == [
        Outcome.FAILED,
        Outcome.DONE,  # the other tightening call of the same phase
        Outcome.SKIPPED,
        Outcome.SKIPPED,
        Outcome.SKIPPED,
    ]
    assert methods == ["DELETE", "POST"]  # no PUT, no loosening
    assert account["lists"][DATA_ENGINEER] == {"blacklist": [], "whitelist": ["1740"]}


def test_the_resumes_with_the_most_phases_start_first() -> None:
    """Their later phases wait for the earlier ones: with one request at a time, the resume of
    three phases goes first although the plan lists it second."""
    changes = [
        add(BACKEND, "blacklist", ["1455"]),  # one phase
        remove(DATA_ENGINEER, "whitelist", ["4181"]),
        update(DATA_ENGINEER, {"title": "Data engineer (Spark, Airflow)"}),
        add(DATA_ENGINEER, "whitelist", ["3776"], widens=True),
    ]
    with running_sandbox(example_config()) as server:
        result, _ = apply(server.url, changes, parallelism=1)
        log = [(r.method, r.path) for r in server.requests]
    assert [item.outcome for item in result.outcomes] == [Outcome.DONE] * len(changes)
    assert log == [
        ("DELETE", f"/resumes/{DATA_ENGINEER}/whitelist/employer"),
        ("POST", f"/resumes/{BACKEND}/blacklist"),
        ("PUT", f"/resumes/{DATA_ENGINEER}"),
        ("POST", f"/resumes/{DATA_ENGINEER}/whitelist"),
    ]


def test_a_failure_stops_that_resume_only() -> None:
    broken = add(BACKEND, "blacklist", ["1455", "not-an-employer"])  # 400, nothing added
    changes = [
        broken,
        update(BACKEND, {"title": "Must not be saved"}),
        remove(BACKEND, "blacklist", ["1455"], widens=True),
        publish(BACKEND),
        remove(DATA_ENGINEER, "whitelist", ["4181"]),
        update(DATA_ENGINEER, {"title": "Data engineer (Spark, Airflow)"}),
    ]
    with running_sandbox(example_config()) as server:
        before = server.account().to_json()
        result, events = apply(server.url, changes)
        after = server.account().to_json()
        backend_calls = [r for r in server.requests if r.path.startswith(f"/resumes/{BACKEND}")]
    assert not result.ok
    assert [item.outcome for item in result.outcomes] == [
        Outcome.FAILED,
        Outcome.SKIPPED,
        Outcome.SKIPPED,
        Outcome.SKIPPED,
        Outcome.DONE,
        Outcome.DONE,
    ]
    failure = result.failed[0]
    assert isinstance(failure.error, ApiError) and failure.error.status == 400
    assert failure.message == (
        f"POST /resumes/{BACKEND}/blacklist: HTTP 400: resume_visibility_list: unknown_employer"
    )
    assert result.skipped[0].message == "skipped: an earlier change of this resume failed"
    assert [(r.method, r.status) for r in backend_calls] == [("POST", 400)]
    assert after["resumes"][BACKEND] == before["resumes"][BACKEND]
    assert after["resumes"][DATA_ENGINEER]["title"] == "Data engineer (Spark, Airflow)"
    assert after["lists"][DATA_ENGINEER]["whitelist"] == ["1740"]
    skipped = [e.index for e in events if e.kind is EventKind.SKIPPED]
    assert skipped == [1, 2, 3]
    assert result.skipped_lines()[0] == (
        "update backend (title): skipped: an earlier change of this resume failed"
    )
    assert [e.index for e in events if e.kind is EventKind.FAILED] == [0]


def test_a_rejected_put_keeps_the_pointers_and_never_loosens() -> None:
    changes = [
        add(BACKEND, "blacklist", ["1455"]),
        update(BACKEND, {"salary": {"amount": 100, "currency": "XXX"}, "title": "T"}),
        remove(BACKEND, "whitelist", ["1740"], widens=True),
        publish(BACKEND),
    ]
    with running_sandbox(example_config()) as server:
        result, _ = apply(server.url, changes)
        account = server.account().to_json()
        methods = [r.method for r in server.requests]
    assert [item.outcome for item in result.outcomes] == [
        Outcome.DONE,
        Outcome.FAILED,
        Outcome.SKIPPED,
        Outcome.SKIPPED,
    ]
    failure = result.failed[0]
    assert isinstance(failure.error, BadJsonDataError)
    by_path = {error.path: error for error in failure.field_errors}
    assert ("salary", "currency") in by_path
    assert by_path[("salary", "currency")].pointer == "/salary/currency"
    assert by_path[("salary", "currency")].value == "salary"
    assert by_path[("salary", "currency")].reason
    raw = {error["pointer"] for error in failure.error.field_errors}
    assert "/salary/currency" in raw
    assert methods == ["POST", "PUT"]  # neither the loosening nor the publish went out
    assert account["lists"][BACKEND]["blacklist"] == ["1455"]


def test_publish_too_early_is_not_yet_and_not_a_failure() -> None:
    with running_sandbox(example_config()) as server:
        first, _ = apply(server.url, [publish(BACKEND)])
        second, events = apply(server.url, [publish(BACKEND)], retries=5)
        publishes = [r.status for r in server.requests if r.path.endswith("/publish")]
    assert [item.outcome for item in first.outcomes] == [Outcome.DONE]
    assert [item.outcome for item in second.outcomes] == [Outcome.NOT_YET]
    assert second.ok and not second.failed
    assert isinstance(second.not_yet[0].error, PublishNotYet)
    assert second.not_yet[0].message.startswith("publish not yet")
    assert [e.kind for e in events] == [EventKind.STARTED, EventKind.NOT_YET]
    assert publishes == [204, 429]  # the 429 was not retried


def test_dropped_connections_and_5xx_still_converge() -> None:
    changes = privacy_plan()[:-3] + privacy_plan()[-3:]
    faults = example_config(drop_rate=0.3, error_rate=0.2, seed=7)
    with running_sandbox(faults) as server:
        result, _ = apply(server.url, changes, retries=30)
        faulted = [r.fault for r in server.requests if r.fault]
        once = server.account().to_json()
        server.set_faults(drop_rate=0.0, error_rate=0.0)
        again, _ = apply(server.url, [c for c in changes if c.action is not Action.PUBLISH])
        twice = server.account().to_json()
    assert "drop" in faulted and "error" in faulted
    assert result.ok, result.failure_lines()
    assert len(result.retries) == len(faulted)  # each fault cost exactly one retry
    assert any("connection error" in line for line in result.retry_lines())
    assert sorted(once["lists"][BACKEND]["blacklist"]) == employers(40_010, 195)
    assert once["lists"][DATA_ENGINEER]["whitelist"] == ["1740", "3776"]
    # every call is idempotent: applying the same writes again changes nothing
    assert again.ok
    assert twice["lists"] == once["lists"]
    assert twice["resumes"] == once["resumes"]


def test_a_publish_whose_answer_was_lost_counts_as_done() -> None:
    """The first attempt publishes and loses its connection; the retry hears "not yet"."""
    with running_sandbox(example_config(drop_rate=1.0)) as server:
        result, _ = apply(server.url, [publish(BACKEND)])
        calls = [(r.status, r.fault) for r in server.requests]
        state = server.account().to_json()["resume_state"][BACKEND]
    assert calls == [(204, "drop"), (429, None)]
    assert [item.outcome for item in result.outcomes] == [Outcome.DONE]
    assert state["status"] == "published" and state["next_publish_at"] > state["created_at"]


def test_a_rate_limit_429_on_publish_is_retried_not_taken_for_not_yet() -> None:
    """Only `touch_limit_exceeded` means "not yet"; the per-IP limit's 429 is retried."""
    with running_sandbox(example_config()) as server:
        server.set_faults(rate_limit_rate=1.0)
        result, _ = apply(server.url, [publish(BACKEND)], retries=2)
        publishes = [r.status for r in server.requests if r.path.endswith("/publish")]
    assert publishes == [429, 429, 429]  # retried twice, never applied
    assert [item.outcome for item in result.outcomes] == [Outcome.FAILED]
    assert not isinstance(result.failed[0].error, PublishNotYet)
