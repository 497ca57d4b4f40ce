"""GET /resumes/mine, GET and PUT /resumes/{id}: pagination and partial replacement."""

from __future__ import annotations

import httpx
import pytest

from resumesync.sandbox import ManualClock, RunningSandbox

from .support import BACKEND, DATA_ENGINEER, SYSADMIN, TEAM_LEAD, error_pointers


def test_mine_is_paginated(client: httpx.Client) -> None:
    first = client.get("/resumes/mine", params={"per_page": 2}).json()
    second = client.get("/resumes/mine", params={"per_page": 2, "page": 1}).json()
    assert (first["found"], first["pages"], first["per_page"], first["page"]) == (4, 2, 2, 0)
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == [BACKEND, DATA_ENGINEER, TEAM_LEAD, SYSADMIN]
    assert client.get("/resumes/mine", params={"page": 5}).json()["items"] == []


@pytest.mark.parametrize("params", [{"per_page": 101}, {"per_page": 0}, {"page": "x"}])
def test_mine_refuses_bad_pagination(client: httpx.Client, params: dict) -> None:
    response = client.get("/resumes/mine", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "bad_argument"


def test_full_resume_has_the_author_fields(client: httpx.Client) -> None:
    resume = client.get(f"/resumes/{BACKEND}").json()
    assert resume["title"] == "Python developer"
    assert resume["status"] == {"id": "published", "name": "published"}
    assert resume["access"]["type"]["id"] == "clients"
    assert resume["can_publish_or_update"] is True  # next_publish_at is in the past
    assert resume["publish_url"].endswith(f"/resumes/{BACKEND}/publish")
    assert resume["progress"]["mandatory"] == []
    assert resume["blocked"] is False
    assert resume["next_publish_at"] == "2025-06-01T14:00:00+0300"
    assert client.get("/resumes/0123456789abcdef").status_code == 404


def test_put_replaces_only_the_given_top_level_keys(
    client: httpx.Client, sandbox: RunningSandbox, clock: ManualClock
) -> None:
    before = client.get(f"/resumes/{BACKEND}").json()
    clock.advance(60)
    response = client.put(
        f"/resumes/{BACKEND}",
        json={"title": "Senior Python developer", "skill_set": ["Python", "asyncio"]},
    )
    assert response.status_code == 204
    assert response.content == b""
    after = client.get(f"/resumes/{BACKEND}").json()
    assert after["title"] == "Senior Python developer"
    assert after["skill_set"] == ["Python", "asyncio"]
    assert after["updated_at"] > before["updated_at"]
    unchanged = set(before) - {"title", "skill_set", "updated_at", "progress"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}
    other = client.get(f"/resumes/{DATA_ENGINEER}").json()
    assert other["title"] == "Data engineer"


@pytest.mark.parametrize(
    ("body", "pointer", "reason"),
    [
        ({"title": "New title", "age": 40}, "/age", "read_only"),
        ({"title": "New title", "status": {"id": "published"}}, "/status", "read_only"),
        ({"title": "New title", "download": {}}, "/download", "read_only"),
        (
            {"title": "New title", "specialization": [{"id": "1.221"}]},
            "/specialization",
            "read_only",
        ),
        ({"title": "New title", "favourite_colour": "green"}, "/favourite_colour", "unknown_field"),
    ],
)
def test_put_of_keys_outside_the_edit_request_changes_nothing(
    client: httpx.Client, sandbox: RunningSandbox, body: dict, pointer: str, reason: str
) -> None:
    before = sandbox.account().resumes[BACKEND].fields
    response = client.put(f"/resumes/{BACKEND}", json=body)
    assert error_pointers(response) == [(pointer, reason)]
    error = response.json()["errors"][0]
    assert error["type"] == "bad_json_data"
    assert error["value"] == pointer[1:]
    assert sandbox.account().resumes[BACKEND].fields == before


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"title"'])
def test_put_of_something_other_than_an_object_is_bad_request(
    client: httpx.Client, body: bytes
) -> None:
    response = client.put(
        f"/resumes/{BACKEND}", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"type": "bad_request"}]


def test_put_to_an_unknown_resume_is_404(client: httpx.Client) -> None:
    response = client.put("/resumes/ffffffffffffffffffffffffffffffffffffff", json={"title": "X"})
    assert response.status_code == 404
    assert response.json()["errors"] == [{"type": "not_found"}]


def test_put_of_access_sets_the_type_and_refuses_everyone(client: httpx.Client) -> None:
    assert (
        client.put(
            f"/resumes/{BACKEND}", json={"access": {"type": {"id": "blacklist"}}}
        ).status_code
        == 204
    )
    resume = client.get(f"/resumes/{BACKEND}").json()
    assert resume["access"] == {
        "type": {"id": "blacklist", "name": "hidden from selected companies"}
    }
    refused = client.put(f"/resumes/{BACKEND}", json={"access": {"type": {"id": "everyone"}}})
    assert error_pointers(refused) == [("/access/type/id", "not_allowed")]


def test_duplicate_title_in_one_account_is_refused(client: httpx.Client) -> None:
    response = client.put(f"/resumes/{BACKEND}", json={"title": "Data engineer"})
    assert error_pointers(response) == [("/title", "duplicate")]


def test_a_chunked_body_is_read_too(client: httpx.Client) -> None:
    chunks = iter([b'{"title": ', b'"Chunked developer"}'])
    response = client.put(
        f"/resumes/{BACKEND}", content=chunks, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 204
    assert response.headers["Server"] == "resumesync-sandbox"
    assert client.get(f"/resumes/{BACKEND}").json()["title"] == "Chunked developer"
