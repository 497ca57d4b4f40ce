"""GET /metro/{city_id}: a city's lines and stations, in the spec's shape; 404 elsewhere."""

from __future__ import annotations

import httpx

from resumesync.sandbox import response_errors

from .support import make_client

OPERATION = "get-metro-stations-in-city"


def test_a_city_lists_its_lines_and_their_stations_in_order(client: httpx.Client) -> None:
    answer = client.get("/metro/1")
    assert answer.status_code == 200
    city = answer.json()
    assert response_errors(OPERATION, 200, city) == []
    assert (city["id"], city["name"]) == ("1", "Moscow")
    assert [line["id"] for line in city["lines"]] == ["1", "5", "6"]
    stations = [station for line in city["lines"] for station in line["stations"]]
    assert [station["id"] for station in stations] == ["1.5", "5.97", "6.41"]
    for line in city["lines"]:
        assert all(station["line"]["id"] == line["id"] for station in line["stations"])
        assert "area_id" not in str(line)  # the dictionary's own key is not shown

    petersburg = client.get("/metro/2").json()
    assert [line["id"] for line in petersburg["lines"]] == ["14", "15"]  # numeric order


def test_a_city_without_metro_and_an_unknown_city_are_not_found(client: httpx.Client) -> None:
    for city in ("3", "113", "no-such-city"):
        answer = client.get(f"/metro/{city}")
        assert answer.status_code == 404, city
        assert answer.json()["errors"] == [{"type": "not_found"}]
        assert response_errors(OPERATION, 404, answer.json()) == []


def test_the_directory_is_public(client: httpx.Client) -> None:
    with make_client(str(client.base_url), token=None) as anonymous:
        assert anonymous.get("/metro/2").status_code == 200
    with make_client(str(client.base_url), token="USERnobody") as stranger:
        assert stranger.get("/metro/2").status_code == 200
    with make_client(str(client.base_url), agent=None) as nameless:
        assert nameless.get("/metro/2").status_code == 400  # HH-User-Agent is still required


def test_a_wrong_answer_would_be_caught() -> None:
    assert response_errors(OPERATION, 200, {"id": "1", "name": "Moscow"}) != []  # no lines
