"""What the server does to a body on save, seen through GET after a PUT."""

from __future__ import annotations

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.sandbox.phones import format_phone, split_formatted

from .support import BACKEND

EMAIL = {"type": {"id": "email"}, "value": "ivan@example.com", "comment": "no spam, please"}
CELL = {"type": {"id": "cell"}, "value": {"country": "7", "city": "999", "number": "1234567"}}
JOB = {"industries": [{"id": "7.540"}], "position": "Developer", "company": "Acme"}


def saved(client: httpx.Client, body: dict) -> dict:
    response = client.put(f"/resumes/{BACKEND}", json=body)
    assert response.status_code == 204, response.text
    return client.get(f"/resumes/{BACKEND}").json()


def test_dictionary_entries_get_names_and_area_urls(client: httpx.Client) -> None:
    resume = saved(
        client,
        {
            "area": {"id": "2", "name": "Whatever I typed"},
            "gender": {"id": "female"},
            "language": [{"id": "eng", "level": {"id": "c1"}}],
            "driver_license_types": [{"id": "B", "name": "B"}],
        },
    )
    assert resume["area"] == {
        "id": "2",
        "name": "St Petersburg",
        "url": "https://api.hh.ru/areas/2",
    }
    assert resume["gender"] == {"id": "female", "name": "Female"}
    assert resume["language"] == [
        {"id": "eng", "name": "English", "level": {"id": "c1", "name": "C1 — Advanced"}}
    ]
    assert resume["driver_license_types"] == [{"id": "B"}]


def test_company_is_replaced_from_company_id(client: httpx.Client) -> None:
    resume = saved(
        client,
        {
            "experience": [
                {**JOB, "company": "Yandex LLC (typo)", "company_id": "1740", "start": "2020-01-01"}
            ]
        },
    )
    job = resume["experience"][0]
    assert job["company"] == "Yandex"
    assert job["employer"]["id"] == "1740"
    assert job["employer"]["name"] == "Yandex"
    assert job["employer"]["alternate_url"] == "https://hh.ru/employer/1740"


def test_contacts_are_completed_and_email_comments_dropped(client: httpx.Client) -> None:
    resume = saved(
        client,
        {
            "contact": [
                EMAIL,
                CELL,
                {
                    "type": {"id": "home"},
                    "value": {"formatted": "7(499)9078456"},
                    "comment": "before 9 pm",
                },
            ]
        },
    )
    email, cell, home = resume["contact"]
    assert "comment" not in email
    assert email["preferred"] is False
    assert cell["value"]["formatted"] == "+7 (999) 123-45-67"
    assert cell["verified"] is False
    assert cell["comment"] is None
    assert home["value"] == {
        "country": "7",
        "city": "499",
        "number": "9078456",
        "formatted": "+7 (499) 907-84-56",
    }
    assert home["comment"] == "before 9 pm"
    assert [contact["kind"] for contact in resume["contact"]] == ["email", "phone", "phone"]


def test_separate_phone_fields_win_over_formatted(client: httpx.Client) -> None:
    both = {**CELL, "value": {**CELL["value"], "formatted": "+7 (111) 000-00-00"}}
    resume = saved(client, {"contact": [EMAIL, both]})
    assert resume["contact"][1]["value"]["formatted"] == "+7 (999) 123-45-67"


def test_experience_is_kept_newest_first_and_total_recomputed(client: httpx.Client) -> None:
    resume = saved(
        client,
        {
            "experience": [
                {**JOB, "start": "2010-01-01", "end": "2010-12-01"},
                {**JOB, "start": "2015-06-01", "end": "2015-07-01"},
                {**JOB, "start": "2012-03-01", "end": "2012-03-01"},
            ]
        },
    )
    assert [job["start"] for job in resume["experience"]] == [
        "2015-06-01",
        "2012-03-01",
        "2010-01-01",
    ]
    assert resume["total_experience"] == {"months": 12 + 2 + 1}
    assert resume["experience"][0]["company_id"] is None
    assert resume["experience"][0]["employer"] is None


def test_only_the_education_matching_the_level_is_kept(client: httpx.Client) -> None:
    school = [{"name": "School 1923", "year": 2005}]
    university = [{"name": "MSU", "organization": "CMC", "year": 2010}]
    higher = saved(
        client,
        {"education": {"level": {"id": "higher"}, "primary": university, "elementary": school}},
    )["education"]
    assert [item["name"] for item in higher["primary"]] == ["MSU"]
    assert higher["elementary"] == []
    secondary = saved(
        client,
        {"education": {"level": {"id": "secondary"}, "primary": university, "elementary": school}},
    )["education"]
    assert secondary["primary"] == []
    assert secondary["elementary"] == school
    assert secondary["level"] == {"id": "secondary", "name": "Secondary"}


def test_metro_outside_the_area_is_dropped(client: httpx.Client) -> None:
    inside = saved(client, {"area": {"id": "1"}, "metro": {"id": "6.41"}})
    assert inside["metro"]["name"] == "Kaluzhskaya"
    assert inside["metro"]["line"]["id"] == "6"
    moved = saved(client, {"area": {"id": "2"}})  # the stored station is in Moscow
    assert moved["metro"] is None
    outside = saved(client, {"metro": {"id": "6.41"}})
    assert outside["metro"] is None


def test_total_experience_in_a_body_is_recomputed_not_taken(client: httpx.Client) -> None:
    resume = saved(
        client,
        {
            "total_experience": {"months": 1},
            "experience": [{**JOB, "start": "2020-01-01", "end": "2020-06-01"}],
        },
    )
    assert resume["total_experience"] == {"months": 6}


@settings(max_examples=60, deadline=None)
@given(
    country=st.from_regex(r"[1-9][0-9]{0,2}", fullmatch=True),
    city=st.from_regex(r"[0-9]{2,5}", fullmatch=True),
    number=st.from_regex(r"[0-9]{5,8}", fullmatch=True),
)
def test_formatted_phones_split_back_into_their_parts(country: str, city: str, number: str) -> None:
    assert split_formatted(format_phone(country, city, number)) == (country, city, number)


def test_the_documented_splitting_rule() -> None:
    assert split_formatted("+7 (999) 123-45-67") == ("7", "999", "1234567")
    assert split_formatted("7 999 123 45 67") == ("7", "999", "1234567")
    assert split_formatted("89991234567") == ("7", "999", "1234567")
    assert split_formatted("12345") is None
    assert split_formatted("call me maybe") is None
    assert format_phone("375", "29", "1234567") == "+375 (29) 123-45-67"
