"""The importer's pure parts: file names, field simplification, YAML output that reads back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.importer import (
    FlowMap,
    dump_yaml,
    render_resume_file,
    render_visibility,
    resume_fields,
    slugify,
    target_paths,
    unique_stem,
    visibility_entry,
    writable_fields,
)
from resumesync.model import LiveList, LiveResume, ResumeSummary
from resumesync.normalize import normalize_field
from resumesync.yamlfile import interpolate, parse_yaml

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def read_back(text: str) -> Any:
    """What resumesync reads from `text`: parsed, then interpolated with no variables set."""
    return interpolate(parse_yaml(text, "test.yaml"), {}).data


# --- file names -------------------------------------------------------------------------------


def test_slugify_transliterates_and_simplifies() -> None:
    assert slugify("Программист") == "programmist"
    assert slugify("Senior Python developer") == "senior-python-developer"
    assert slugify("Щука, Ёж и Юла") == "shchuka-ezh-i-iula"
    assert slugify("Розробник Ґо, Їжак") == "rozrobnik-go-izhak"
    assert slugify("Café — Déjà vu") == "cafe-deja-vu"
    assert slugify("C++ / Go (remote)") == "c-go-remote"
    assert slugify("") == slugify("!!!") == slugify("数据工程师") == "resume"


def test_slugify_cuts_long_titles_at_a_word() -> None:
    slug = slugify("Very " * 30 + "long title")
    assert len(slug) <= 60 and slug.endswith("very") and SLUG.fullmatch(slug)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_slugify_always_gives_a_plain_stem(title: str) -> None:
    slug = slugify(title)
    assert SLUG.fullmatch(slug) and len(slug) <= 60


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["Python developer", "python-developer", "Python developer 2", ""]))
)
def test_unique_stems_never_collide(titles: list[str]) -> None:
    taken: set[str] = set()
    for title in titles:
        stem = unique_stem(title, taken)
        assert stem not in taken and stem.startswith(slugify(title))
        taken.add(stem)


def test_unique_stem_numbers_from_two() -> None:
    assert unique_stem("Python developer", {"python-developer"}) == "python-developer-2"
    taken = {"python-developer", "python-developer-2"}
    assert unique_stem("Python developer", taken) == "python-developer-3"


def test_target_paths_reuse_the_file_of_an_id_and_avoid_other_files(tmp_path: Path) -> None:
    resumes = tmp_path / "resumes"
    existing = {resumes / "backend.yml": "aaa", resumes / "python-developer.yaml": "other"}
    summaries = [ResumeSummary("aaa", "Renamed"), ResumeSummary("bbb", "Python developer")]

    paths = target_paths(tmp_path, summaries, existing)

    assert paths == {"aaa": resumes / "backend.yml", "bbb": resumes / "python-developer-2.yaml"}


# --- fields -----------------------------------------------------------------------------------

LIVE_DOCUMENT: dict[str, Any] = {
    "id": "abc",
    "title": "Engineer",
    "status": {"id": "published", "name": "published"},
    "created_at": "2024-01-15T10:00:00+0300",
    "total_experience": {"months": 12},
    "access": {"type": {"id": "everyone", "name": "visible to entire internet"}},
    "specialization": [{"id": "1.221", "name": "Programming"}],
    "area": {"id": "1", "name": "Moscow", "url": "https://api.hh.ru/areas/1"},
    "metro": {"id": "1.5", "name": "Sokolniki", "lat": 55.7, "lng": 37.6, "line": {"id": "1"}},
    "skills": None,
    "certificate": [],
    "contact": [
        {
            "type": {"id": "cell", "name": "Cellphone number"},
            "value": {"country": "7", "city": "999", "number": "1234567", "formatted": "+7 999"},
            "preferred": False,
            "comment": None,
            "verified": True,
            "kind": "phone",
            "contact_value": "+7 (999) 123-45-67",
        },
        {
            "type": {"id": "work", "name": "Work phone"},
            "value": {"formatted": "+7 (495) 123-45-67"},
            "preferred": True,
        },
    ],
    "experience": [
        {
            "company": "Yandex",
            "company_id": "1740",
            "employer": {"id": "1740", "name": "Yandex", "url": "https://api.hh.ru/employers/1740"},
            "industries": [{"id": "7.540", "name": "Software development"}],
            "position": "Engineer",
            "start": "2020-01-01",
            "end": None,
        }
    ],
    "photo": {"id": "7", "small": "https://hh.ru/a?s", "medium": "https://hh.ru/a?m"},
    "language": [{"id": "eng", "name": "English", "level": {"id": "b2", "name": "B2"}}],
}


def test_resume_fields_keep_what_a_person_writes() -> None:
    fields, notes = resume_fields(LIVE_DOCUMENT)

    assert list(fields) == [
        "title",
        "area",
        "metro",
        "photo",
        "contact",
        "language",
        "experience",
    ]
    assert fields["area"] == {"id": "1", "name": "Moscow"}
    assert fields["metro"] == {"id": "1.5", "name": "Sokolniki"}
    assert fields["photo"] == {"id": "7"}
    assert fields["contact"] == [
        {
            "type": {"id": "cell", "name": "Cellphone number"},
            "value": {"country": "7", "city": "999", "number": "1234567"},
        },
        {
            "type": {"id": "work", "name": "Work phone"},
            "value": {"formatted": "+7 (495) 123-45-67"},  # no parts: formatted is the value
            "preferred": True,
        },
    ]
    assert fields["experience"] == [
        {
            "company": "Yandex",
            "company_id": "1740",
            "industries": [{"id": "7.540", "name": "Software development"}],
            "position": "Engineer",
            "start": "2020-01-01",
            "end": None,
        }
    ]
    assert fields["language"] == [
        {"id": "eng", "name": "English", "level": {"id": "b2", "name": "B2"}}
    ]
    assert notes == [
        "photo written as the artifact ids {id: ...}: import downloads no images "
        "(to keep one in the repository, put the file next to the resume and write "
        "`{file: images/NAME}` instead)",
        "specialization is not written: it is not writable in the current API "
        "(professional_roles replaces it)",
    ]


def test_resume_fields_compare_equal_to_the_live_document() -> None:
    fields, _ = resume_fields(LIVE_DOCUMENT)
    for name, value in fields.items():
        assert normalize_field(name, value) == normalize_field(name, LIVE_DOCUMENT[name])


def test_writable_fields_leave_out_ours_access_and_computed_ones() -> None:
    names = writable_fields()
    assert names[:3] == ["title", "professional_roles", "salary"]
    assert names[-2:] == ["education", "experience"]
    for name in ("id", "publish", "extends", "access", "specialization", "total_experience"):
        assert name not in names
    assert "status" not in names and "created_at" not in names


def test_a_type_that_cannot_be_saved_leaves_access_unmanaged() -> None:
    live = LiveResume(
        "abc",
        LIVE_DOCUMENT,
        {
            "blacklist": LiveList("blacklist", {"1455": "HeadHunter"}, 2000, 1999),
            "whitelist": LiveList("whitelist", {}, 2000, 2000),
        },
    )
    entry, notes = visibility_entry(live)
    assert entry == {
        "blacklist": [{"id": "1455", "name": "HeadHunter"}],
        "whitelist": {"include": []},
    }
    assert len(notes) == 1 and "`everyone`" in notes[0]


def test_visibility_file_reads_back() -> None:
    live = LiveResume(
        "abc",
        {"access": {"type": {"id": "whitelist"}}},
        {
            "blacklist": LiveList("blacklist", {"1455": "HeadHunter", "9": ""}, 2000, 1998),
            "whitelist": LiveList("whitelist", {"3529": "Sber, PJSC"}, 2000, 1999),
        },
    )
    text, notes = render_visibility([("backend", live)])
    assert notes == []
    assert '  - {id: "1455", name: HeadHunter}\n' in text
    assert read_back(text) == {
        "resumes": {
            "backend": {
                "access": "whitelist",
                "blacklist": [{"id": "1455", "name": "HeadHunter"}, {"id": "9"}],
                "whitelist": {"include": [{"id": "3529", "name": "Sber, PJSC"}]},
            }
        }
    }


def test_resume_file_reads_back_with_id_and_publish_false() -> None:
    fields, _ = resume_fields(LIVE_DOCUMENT)
    text = render_resume_file("abc", fields)
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/resume.schema.json"
    assert any(line.startswith("publish: false  # ") for line in lines)
    assert read_back(text) == {"id": "abc", "publish": False, **fields}


# --- YAML output ------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**18), max_value=10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["yes", "no", "on", "0123", "0x1F", "1_000", "1:30", "2019-03-01", "~", "<<"])
    | st.sampled_from(["${HOME}", "$${x}", "$${", "a ${B:-c} d", "$", "x\n", " lead", "trail "])
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(), children, max_size=4)
        | st.dictionaries(st.text(min_size=1), children, max_size=3).map(FlowMap)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(), values, max_size=5))
def test_dump_yaml_reads_back_unchanged(data: dict[str, Any]) -> None:
    assert read_back(dump_yaml(data)) == data


def test_dump_yaml_quotes_only_what_would_be_retyped() -> None:
    text = dump_yaml({"a": "2019-03-01", "b": "yes", "c": "0123", "d": "plain text", "e": 7})
    assert text == 'a: "2019-03-01"\nb: "yes"\nc: "0123"\nd: plain text\ne: 7\n'


def test_dump_yaml_writes_multi_line_text_as_a_block() -> None:
    assert dump_yaml({"skills": "one\ntwo"}) == "skills: |-\n  one\n  two\n"


@pytest.mark.parametrize("text", ["\n\x85", "a\r\nb", "x\u2028y", "\u2029"])
def test_dump_yaml_keeps_line_breaks_that_a_block_cannot_hold(text: str) -> None:
    # Found by test_dump_yaml_reads_back_unchanged: "\n\x85" came back as "\n\n".
    data = {text: None, "value": text}
    assert read_back(dump_yaml(data)) == data
