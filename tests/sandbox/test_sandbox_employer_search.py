"""Employer search in the sandbox: the public GET /employers and the visibility-list search,
in the spec's shapes (issue 15 §3)."""

from __future__ import annotations

import httpx

from resumesync.sandbox import response_errors

from .support import BACKEND, make_client

PUBLIC = "search-employer"
VISIBILITY = "get-resume-visibility-employers-list"


def test_public_search_finds_names_containing_the_text(client: httpx.Client) -> None:
    answer = client.get("/employers", params={"text": "headhunter"})
    assert answer.status_code == 200
    body = answer.json()
    assert response_errors(PUBLIC, 200, body) == []
    assert [(item["id"], item["name"]) for item in body["items"]] == [
        ("1455", "HeadHunter"),
        ("87891", "HeadHunter: Kazakhstan"),
    ]
    assert body["found"] == 2
    assert client.get("/employers", params={"text": "bank"}).json()["found"] == 2  # Alfa, T-


def test_public_search_pages_filters_by_area_and_caps_the_depth(client: httpx.Client) -> None:
    everyone = client.get("/employers", params={"per_page": 5}).json()
    assert (everyone["per_page"], len(everyone["items"])) == (5, 5)
    assert everyone["pages"] == -(-everyone["found"] // 5)
    almaty = client.get("/employers", params={"text": "head", "area": "160"}).json()
    assert [item["id"] for item in almaty["items"]] == ["87891"]
    too_deep = client.get("/employers", params={"page": 50, "per_page": 100})
    assert too_deep.status_code == 400
    assert too_deep.json()["errors"][0]["type"] == "bad_argument"


def test_public_search_needs_no_token(client: httpx.Client) -> None:
    with make_client(str(client.base_url), token=None) as anonymous:
        assert anonymous.get("/employers", params={"text": "Yandex"}).json()["found"] == 1


def test_an_employer_shows_its_area(client: httpx.Client) -> None:
    assert client.get("/employers/87891").json()["area"]["name"] == "Almaty"
    assert client.get("/employers/1455").json()["area"]["name"] == "Moscow"


def test_visibility_search_finds_names_starting_with_the_text(client: httpx.Client) -> None:
    client.post(f"/resumes/{BACKEND}/blacklist", json={"items": [{"id": "1455"}]})
    answer = client.get(f"/resumes/{BACKEND}/blacklist/search", params={"text": "Head"})
    assert answer.status_code == 200
    body = answer.json()
    assert response_errors(VISIBILITY, 200, body) == []
    assert [(item["id"], item["selected"]) for item in body["items"]] == [
        ("1455", True),
        ("87891", False),
    ]
    inside = client.get(f"/resumes/{BACKEND}/blacklist/search", params={"text": "Kazakhstan"})
    assert inside.json()["found"] == 0  # the start of the name only, as documented


def test_visibility_search_errors(client: httpx.Client) -> None:
    missing = client.get(f"/resumes/{BACKEND}/blacklist/search")
    assert missing.status_code == 400
    assert response_errors(VISIBILITY, 400, missing.json()) == []
    assert (
        client.get(f"/resumes/{BACKEND}/greylist/search", params={"text": "a"}).status_code == 404
    )
    assert client.get("/resumes/nope/blacklist/search", params={"text": "a"}).status_code == 404
    with make_client(str(client.base_url), token=None) as anonymous:
        answer = anonymous.get(f"/resumes/{BACKEND}/blacklist/search", params={"text": "a"})
        assert answer.status_code == 403
