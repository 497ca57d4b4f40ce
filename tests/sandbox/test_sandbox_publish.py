"""POST /resumes/{id}/publish: 204, 429 before next_publish_at, 400 while not publishable.
The clock is moved by hand: no sleeping."""

from __future__ import annotations

from typing import Any

from resumesync.sandbox import Account, ManualClock, response_errors

from .support import BACKEND, DATA_ENGINEER, TOKEN


def test_publish_then_wait_for_the_renewal_interval(start: Any, clock: ManualClock) -> None:
    _, client = start()
    assert client.get(f"/resumes/{DATA_ENGINEER}").json()["status"]["id"] == "not_published"
    assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 204
    resume = client.get(f"/resumes/{DATA_ENGINEER}").json()
    assert resume["status"]["id"] == "published"
    assert resume["can_publish_or_update"] is False
    assert resume["next_publish_at"] == "2026-01-01T07:00:00+0300"  # clock + 4 hours

    too_early = client.post(f"/resumes/{DATA_ENGINEER}/publish")
    assert too_early.status_code == 429
    assert too_early.json()["errors"] == [{"type": "resumes", "value": "touch_limit_exceeded"}]
    assert response_errors("publish-resume", 429, too_early.json()) == []

    clock.advance(4 * 3600 - 1)
    assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 429
    clock.advance(1)
    assert client.get(f"/resumes/{DATA_ENGINEER}").json()["can_publish_or_update"] is True
    assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 204


def test_renewal_interval_is_configurable(start: Any, clock: ManualClock) -> None:
    _, client = start(publish_interval_seconds=60)
    assert client.post(f"/resumes/{BACKEND}/publish").status_code == 204  # renewable seed
    assert client.post(f"/resumes/{BACKEND}/publish").status_code == 429
    clock.advance(60)
    assert client.post(f"/resumes/{BACKEND}/publish").status_code == 204


def incomplete_account(example: Account, blocked: bool = False) -> Account:
    data = example.to_json()
    document = data["resumes"][DATA_ENGINEER]
    if blocked:
        data["resume_state"][DATA_ENGINEER]["blocked"] = True
    else:
        del document["title"], document["citizenship"]
    return Account.from_json(data)


def test_publish_is_refused_while_mandatory_fields_are_missing(
    start: Any, example_account: Account
) -> None:
    _, client = start(accounts={TOKEN: incomplete_account(example_account)})
    resume = client.get(f"/resumes/{DATA_ENGINEER}").json()
    assert [item["id"] for item in resume["progress"]["mandatory"]] == ["title", "citizenship"]
    assert resume["can_publish_or_update"] is False
    assert resume["finished"] is False
    response = client.post(f"/resumes/{DATA_ENGINEER}/publish")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"type": "bad_request"}]
    assert response_errors("publish-resume", 400, response.json()) == []
    client.put(
        f"/resumes/{DATA_ENGINEER}", json={"title": "Data engineer", "citizenship": [{"id": "113"}]}
    )
    assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 204


def test_a_blocked_resume_cannot_be_published(start: Any, example_account: Account) -> None:
    _, client = start(accounts={TOKEN: incomplete_account(example_account, blocked=True)})
    resume = client.get(f"/resumes/{DATA_ENGINEER}").json()
    assert resume["blocked"] is True
    assert resume["status"]["id"] == "blocked"
    assert client.post(f"/resumes/{DATA_ENGINEER}/publish").status_code == 400
    assert client.post("/resumes/ffff/publish").status_code == 404
