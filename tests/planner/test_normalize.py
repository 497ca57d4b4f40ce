"""Every normalisation rule: what the server fills in or reorders is never a diff."""

from __future__ import annotations

import datetime as dt

import pytest

from resumesync.normalize import (
    DICTIONARY_FIELDS,
    DICTIONARY_LIST_FIELDS,
    canonical_phone,
    fields_equal,
    live_field,
    normalize_field,
    server_ignores,
)


@pytest.mark.parametrize("name", sorted(DICTIONARY_FIELDS))
def test_dictionary_entry_keeps_only_id(name: str) -> None:
    desired = {"id": "1"}
    live = {"id": "1", "name": "Moscow", "url": "https://api.hh.ru/areas/1"}
    assert fields_equal(name, desired, live)
    assert not fields_equal(name, desired, {"id": "2", "name": "Moscow"})


@pytest.mark.parametrize("name", sorted(DICTIONARY_LIST_FIELDS))
def test_dictionary_list_keeps_only_ids_in_order(name: str) -> None:
    desired = [{"id": "a"}, {"id": "b", "name": "mine"}]
    live = [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "url": "u"}]
    assert fields_equal(name, desired, live)
    assert not fields_equal(name, desired, list(reversed(live)))


def test_dictionary_ids_compare_as_strings() -> None:
    assert fields_equal("area", {"id": 1}, {"id": "1", "name": "Moscow"})


def test_language_keeps_id_and_level_id() -> None:
    desired = [{"id": "eng", "level": {"id": "b2"}}]
    live = [{"id": "eng", "name": "English", "level": {"id": "b2", "name": "Upper intermediate"}}]
    assert fields_equal("language", desired, live)
    assert not fields_equal("language", [{"id": "eng", "level": {"id": "c1"}}], live)


def test_relocation_type_area_and_district_are_entries() -> None:
    desired = {"type": {"id": "relocation_possible"}, "area": [{"id": "2"}], "district": []}
    live = {
        "type": {"id": "relocation_possible", "name": "ready"},
        "area": [{"id": "2", "name": "Saint Petersburg", "url": "https://api.hh.ru/areas/2"}],
        "district": [],
    }
    assert fields_equal("relocation", desired, live)
    assert not fields_equal("relocation", {**desired, "area": [{"id": "3"}]}, live)


def test_experience_nested_entries_are_ids_and_employer_is_dropped() -> None:
    desired = [
        {
            "company": "Horns",
            "area": {"id": "1"},
            "industries": [{"id": "7.540"}],
            "industry": {"id": "7"},
            "position": "Dev",
            "start": "2019-03-01",
        }
    ]
    live = [
        {
            "company": "Horns",
            "company_id": None,
            "area": {"id": "1", "name": "Moscow", "url": "u"},
            "industries": [{"id": "7.540", "name": "Software"}],
            "industry": {"id": "7", "name": "IT"},
            "position": "Dev",
            "start": "2019-03-01",
            "end": None,
            "employer": None,
        }
    ]
    assert fields_equal("experience", desired, live)


def test_company_is_replaced_when_company_id_is_given() -> None:
    desired = [{"company": "hh", "company_id": "1455", "position": "Dev", "start": "2019-03-01"}]
    live = [
        {
            "company": "HeadHunter",
            "company_id": "1455",
            "employer": {"id": "1455", "name": "HeadHunter"},
            "position": "Dev",
            "start": "2019-03-01",
        }
    ]
    assert fields_equal("experience", desired, live)
    # Without company_id the company name counts.
    assert not fields_equal(
        "experience",
        [{"company": "hh", "position": "Dev", "start": "2019-03-01"}],
        [{"company": "HeadHunter", "position": "Dev", "start": "2019-03-01"}],
    )


def test_experience_is_stored_newest_first_with_a_stable_sort() -> None:
    old = {"position": "Junior", "start": "2012-07-01"}
    new = {"position": "Senior", "start": "2019-03-01"}
    same_a = {"position": "A", "start": "2015-01-01"}
    same_b = {"position": "B", "start": "2015-01-01"}
    assert fields_equal("experience", [old, same_a, same_b, new], [new, same_a, same_b, old])
    assert not fields_equal("experience", [same_a, same_b], [same_b, same_a])


def test_phone_split_fields_and_formatted_compare_by_digits() -> None:
    split = {"country": "7", "city": "999", "number": "1234567"}
    filled = {**split, "formatted": "+7 (999) 123-45-67"}
    formatted = {"formatted": "+7 (999) 123-45-67"}
    cell = {"type": {"id": "cell"}}
    assert fields_equal("contact", [{**cell, "value": split}], [{**cell, "value": filled}])
    assert fields_equal("contact", [{**cell, "value": formatted}], [{**cell, "value": filled}])
    assert not fields_equal(
        "contact",
        [{**cell, "value": {"formatted": "+7 999 000-00-00"}}],
        [{**cell, "value": filled}],
    )


def test_split_phone_fields_win_over_formatted() -> None:
    both = {"country": "7", "city": "999", "number": "1234567", "formatted": "+1 555 000"}
    assert canonical_phone(both) == "79991234567"
    assert canonical_phone({"formatted": "+7 (999) 123-45-67"}) == "79991234567"


def test_preferred_defaults_to_false_and_verified_is_server_set() -> None:
    desired = [{"type": {"id": "email"}, "value": "a@b.c"}]
    live = [
        {
            "type": {"id": "email", "name": "Email"},
            "value": "a@b.c",
            "preferred": False,
            "verified": True,
            "need_verification": False,
            "contact_value": "a@b.c",
            "kind": "email",
        }
    ]
    assert fields_equal("contact", desired, live)
    assert not fields_equal("contact", desired, [{**live[0], "preferred": True}])


def test_email_comment_is_not_saved_but_phone_comment_is() -> None:
    email = {"type": {"id": "email"}, "value": "a@b.c"}
    assert fields_equal("contact", [{**email, "comment": "any time"}], [email])
    phone = {"type": {"id": "cell"}, "value": {"formatted": "+7 999 1234567"}}
    assert not fields_equal("contact", [{**phone, "comment": "after 10"}], [phone])


def test_contact_and_site_types_are_entries() -> None:
    assert fields_equal(
        "site",
        [{"type": {"id": "personal"}, "url": "https://x"}],
        [{"type": {"id": "personal", "name": "Personal site"}, "url": "https://x"}],
    )


def test_photo_keeps_only_id() -> None:
    assert fields_equal("photo", {"id": "1337"}, {"id": "1337", "small": "s", "medium": "m"})
    assert not fields_equal("photo", {"id": "1"}, {"id": "1337"})


def test_portfolio_keeps_id_and_description() -> None:
    live = [{"id": "5", "small": "s", "medium": "m", "description": "me"}]
    assert fields_equal("portfolio", [{"id": "5", "description": "me"}], live)
    assert not fields_equal("portfolio", [{"id": "5", "description": "other"}], live)


def test_education_level_and_primary_education_level_are_entries() -> None:
    desired = {
        "level": {"id": "higher"},
        "primary": [{"name": "MSU", "year": 2012, "education_level": {"id": "master"}}],
    }
    live = {
        "level": {"id": "higher", "name": "Higher"},
        "primary": [
            {
                "name": "MSU",
                "name_id": None,
                "year": 2012,
                "education_level": {"id": "master", "name": "Master"},
            }
        ],
        "elementary": [],
        "additional": [],
    }
    assert fields_equal("education", desired, live)


@pytest.mark.parametrize(
    ("level", "kept"), [("secondary", "elementary"), ("higher", "primary"), ("bachelor", "primary")]
)
def test_only_the_education_matching_level_is_kept(level: str, kept: str) -> None:
    primary = [{"name": "MSU", "year": 2012}]
    elementary = [{"name": "School 57", "year": 2007}]
    desired = {"level": {"id": level}, "primary": primary, "elementary": elementary}
    live = {"level": {"id": level}, kept: primary if kept == "primary" else elementary}
    assert fields_equal("education", desired, live)


def test_null_and_absent_are_the_same_inside_nested_objects() -> None:
    desired = [{"position": "Dev", "start": "2019-03-01"}]
    live = [{"position": "Dev", "start": "2019-03-01", "end": None, "description": None}]
    assert fields_equal("experience", desired, live)
    assert fields_equal(
        "salary", {"amount": 1, "currency": "RUR"}, {"amount": 1, "currency": "RUR", "gross": None}
    )


def test_empty_nested_lists_equal_absent_and_empty_top_level_equals_null() -> None:
    assert fields_equal(
        "education",
        {"level": {"id": "higher"}},
        {"level": {"id": "higher"}, "additional": [], "attestation": []},
    )
    assert fields_equal("skill_set", [], None)
    assert not fields_equal("skill_set", ["Python"], None)


def test_numbers_one_and_one_point_zero_are_equal() -> None:
    assert fields_equal(
        "salary", {"amount": 350000, "currency": "RUR"}, {"amount": 350000.0, "currency": "RUR"}
    )
    assert not fields_equal(
        "salary", {"amount": 350000.5, "currency": "RUR"}, {"amount": 350000, "currency": "RUR"}
    )
    amount = normalize_field("salary", {"amount": 350000.0, "currency": "RUR"})["amount"]
    assert type(amount) is int  # one canonical form, also for hashing and display
    assert normalize_field("has_vehicle", True) is True  # bools are not numbers


def test_dates_from_yaml_compare_as_iso_strings() -> None:
    assert fields_equal("birth_date", dt.date(1990, 4, 17), "1990-04-17")
    assert fields_equal(
        "experience",
        [{"position": "Dev", "start": dt.date(2019, 3, 1)}],
        [{"position": "Dev", "start": "2019-03-01"}],
    )


def test_access_keeps_only_the_type_id() -> None:
    assert fields_equal(
        "access", {"type": {"id": "blacklist"}}, {"type": {"id": "blacklist", "name": "hidden"}}
    )


def test_live_field_reads_absent_as_none() -> None:
    assert live_field({"title": "Dev"}, "title") == "Dev"
    assert live_field({}, "title") is None


def test_metro_outside_the_area_is_ignored_when_the_directory_knows_it() -> None:
    metro_areas = {"1.54": "1", "14.1": "2"}
    document = {"area": {"id": "1"}, "metro": {"id": "1.54"}}
    outside = {"metro": {"id": "14.1"}}
    assert server_ignores("metro", outside, document, metro_areas)
    assert not server_ignores(
        "metro", {"metro": {"id": "1.54"}}, {"area": {"id": "1"}}, metro_areas
    )
    # The desired area counts over the live one.
    assert not server_ignores("metro", {**outside, "area": {"id": "2"}}, document, metro_areas)
    # Without the directory the planner cannot tell: the field is compared as usual.
    assert not server_ignores("metro", outside, document, None)
    assert not server_ignores("metro", {"metro": {"id": "99.1"}}, document, metro_areas)
    assert not server_ignores("title", outside, document, metro_areas)
