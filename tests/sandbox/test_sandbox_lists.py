"""Visibility lists, access types and employers (resume_visibility.ru.md)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resumesync.sandbox import Account, RunningSandbox, response_errors

from .support import BACKEND, DATA_ENGINEER, TOKEN


def items(*ids: str | int) -> dict[str, list[dict[str, str]]]:
    return {"items": [{"id": str(employer_id)} for employer_id in ids]}


def listed(client: httpx.Client, resume_id: str, list_type: str) -> list[str]:
    page = client.get(f"/resumes/{resume_id}/{list_type}", params={"per_page": 100}).json()
    return [item["id"] for item in page["items"]]


def test_get_a_list_with_names_and_capacity(client: httpx.Client) -> None:
    response = client.get(f"/resumes/{DATA_ENGINEER}/whitelist")
    body = response.json()
    assert response_errors("get-resume-visibility-list", 200, body) == []
    assert (body["found"], body["limit"], body["can_add"], body["per_page"]) == (2, 2000, 1998, 20)
    yandex = body["items"][0]
    assert yandex["id"] == "1740"
    assert yandex["name"] == "Yandex"
    assert yandex["alternate_url"] == "https://hh.ru/employer/1740"
    assert yandex["url"].endswith("/employers/1740")


def test_lists_are_paginated_up_to_100_per_page(start: Any) -> None:
    _, client = start(accounts={TOKEN: Account.synthetic(n_resumes=1, list_size=250, seed=1)})
    resume_id = client.get("/resumes/mine").json()["items"][0]["id"]
    pages = [
        client.get(f"/resumes/{resume_id}/blacklist", params={"per_page": 100, "page": page}).json()
        for page in range(3)
    ]
    assert [len(page["items"]) for page in pages] == [100, 100, 50]
    assert pages[0]["pages"] == 3
    assert len({item["id"] for page in pages for item in page["items"]}) == 250
    too_big = client.get(f"/resumes/{resume_id}/blacklist", params={"per_page": 101})
    assert too_big.status_code == 400
    assert too_big.json()["errors"] == [{"type": "bad_argument", "value": "per_page"}]


def test_add_is_idempotent_and_answers_with_location(client: httpx.Client) -> None:
    response = client.post(f"/resumes/{BACKEND}/blacklist", json=items(1455, 3529))
    assert response.status_code == 204
    assert response.headers["Location"] == f"/resumes/{BACKEND}/blacklist"
    again = client.post(
        f"/resumes/{BACKEND}/blacklist",
        json={"items": [{"id": "3529", "name": "ignored"}, {"id": "78638"}, {"id": "78638"}]},
    )
    assert again.status_code == 204
    assert listed(client, BACKEND, "blacklist") == ["1455", "3529", "78638"]
    assert client.post(f"/resumes/{BACKEND}/blacklist", json=items()).status_code == 204


def test_more_than_100_per_call_is_refused_and_nothing_is_added(client: httpx.Client) -> None:
    response = client.post(f"/resumes/{BACKEND}/blacklist", json=items(*range(1, 102)))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"type": "resume_visibility_list", "value": "too_many_employers"}
    ]
    assert response_errors("add-resume-visibility-list", 400, response.json()) == []
    assert listed(client, BACKEND, "blacklist") == []
    assert (
        client.post(f"/resumes/{BACKEND}/blacklist", json=items(*range(1, 101))).status_code == 204
    )


def test_adding_beyond_the_limit_is_refused_whole(start: Any) -> None:
    sandbox, client = start(
        accounts={TOKEN: Account.synthetic(n_resumes=1, list_size=1990, seed=2)}
    )
    resume_id = next(iter(sandbox.account().resumes))
    response = client.post(f"/resumes/{resume_id}/whitelist", json=items(*range(1, 12)))
    assert response.status_code == 400
    assert response.json()["errors"][0]["value"] == "limit_exceeded"
    assert len(sandbox.account().resumes[resume_id].whitelist) == 1990
    assert (
        client.post(f"/resumes/{resume_id}/whitelist", json=items(*range(1, 11))).status_code == 204
    )
    page = client.get(f"/resumes/{resume_id}/whitelist").json()
    assert (page["found"], page["can_add"]) == (2000, 0)


@pytest.mark.parametrize(
    "body", [{"items": [{"id": "abc"}]}, {"items": [{"id": "0"}]}, {"items": [{"id": "-5"}]}]
)
def test_ids_must_be_employer_ids(client: httpx.Client, body: dict) -> None:
    response = client.post(
        f"/resumes/{BACKEND}/blacklist", json={"items": [{"id": "1455"}] + body["items"]}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["value"] == "unknown_employer"
    assert listed(client, BACKEND, "blacklist") == []


@pytest.mark.parametrize(
    "body", [{"items": "1455"}, {"employers": []}, [{"id": "1455"}], {"items": [1455]}]
)
def test_malformed_add_bodies_are_bad_requests(client: httpx.Client, body: Any) -> None:
    response = client.post(f"/resumes/{BACKEND}/blacklist", json=body)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"type": "bad_request"}]


def test_remove_is_idempotent_and_clear_empties(client: httpx.Client) -> None:
    client.post(f"/resumes/{BACKEND}/blacklist", json=items(1, 2, 3, 4))
    url = f"/resumes/{BACKEND}/blacklist/employer"
    assert client.delete(url, params=[("id", "2"), ("id", "3"), ("id", "999")]).status_code == 204
    assert client.delete(url, params={"id": "2"}).status_code == 204
    assert client.delete(url).status_code == 204
    assert listed(client, BACKEND, "blacklist") == ["1", "4"]
    assert client.delete(f"/resumes/{BACKEND}/blacklist").status_code == 204
    assert listed(client, BACKEND, "blacklist") == []
    assert listed(client, DATA_ENGINEER, "whitelist") == ["1740", "4181"]  # other list intact


def test_unknown_list_types_and_resumes_are_404(client: httpx.Client) -> None:
    for method, path in [
        ("GET", f"/resumes/{BACKEND}/greylist"),
        ("POST", f"/resumes/{BACKEND}/greylist"),
        ("DELETE", f"/resumes/{BACKEND}/greylist"),
        ("DELETE", f"/resumes/{BACKEND}/greylist/employer"),
        ("GET", "/resumes/ffff/blacklist"),
        ("POST", "/resumes/ffff/whitelist"),
    ]:
        response = client.request(method, path, json=items(1) if method == "POST" else None)
        assert response.status_code == 404, (method, path)
        assert response.json()["errors"] == [{"type": "not_found"}]


def test_access_types_mark_the_active_one(client: httpx.Client) -> None:
    client.post(f"/resumes/{DATA_ENGINEER}/blacklist", json=items(1455))
    body = client.get(f"/resumes/{DATA_ENGINEER}/access_types").json()
    assert response_errors("get-resume-access-types", 200, body) == []
    by_id = {item["id"]: item for item in body["items"]}
    assert [item["id"] for item in body["items"] if item.get("active")] == ["whitelist"]
    assert (by_id["whitelist"]["total"], by_id["blacklist"]["total"]) == (2, 1)
    assert by_id["blacklist"]["limit"] == 2000
    assert by_id["blacklist"]["list_url"].endswith(f"/resumes/{DATA_ENGINEER}/blacklist")
    assert "everyone" not in by_id  # cannot be chosen since 2021


def test_employers_known_and_generated(client: httpx.Client, sandbox: RunningSandbox) -> None:
    known = client.get("/employers/3529").json()
    assert response_errors("get-employer-info", 200, known) == []
    assert (known["id"], known["name"]) == ("3529", "Sber")
    assert client.get("/employers/123456").json()["name"] == "Employer 123456"
    assert client.get("/employers/abc").status_code == 404
    client.post(f"/resumes/{BACKEND}/whitelist", json=items(123456))
    assert client.get(f"/resumes/{BACKEND}/whitelist").json()["items"][0]["name"] == (
        "Employer 123456"
    )
