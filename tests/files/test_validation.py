"""Every error class at its exact FILE:LINE, and the documented rules JSON Schema can't express."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from resumesync.files import RepositoryError, load_repository
from resumesync.model import SourceMap
from resumesync.validation import (
    check_resume_document,
    check_visibility,
    employer_id,
    validate_resume_document,
    validate_visibility,
)
from resumesync.yamlfile import parse_yaml

from .helpers import VALID_RESUME, problems, write_repo


def resume_problems(tmp_path: Path, extra: str, base: str = VALID_RESUME) -> list[str]:
    """Problems of resumes/a.yaml = the valid resume plus `extra` (lines 8 onwards)."""
    write_repo(tmp_path, {"resumes/a.yaml": base + textwrap.dedent(extra)})
    return problems(lambda: load_repository(tmp_path, {}))


def check(text: str, file: str = "resumes/a.yaml") -> tuple[list[str], list[str]]:
    """Errors and warnings of one resume document, through the pure functions."""
    doc = parse_yaml(textwrap.dedent(text), file)
    findings = check_resume_document(doc.data, doc.source_map())
    return [str(p) for p in findings.errors], [str(p) for p in findings.warnings]


def test_the_valid_resume_is_valid(tmp_path: Path) -> None:
    write_repo(tmp_path, {"resumes/a.yaml": VALID_RESUME})
    assert load_repository(tmp_path, {}).resumes[0].resume_id == "r1"


# --- top-level keys --------------------------------------------------------------------------


def test_unknown_field_with_a_suggestion(tmp_path: Path) -> None:
    assert resume_problems(tmp_path, "skils: Python\nfoo: 1\n") == [
        "resumes/a.yaml:8: skils: unknown field; did you mean `skills`?",
        "resumes/a.yaml:9: foo: unknown field",
    ]


def test_read_only_fields(tmp_path: Path) -> None:
    found = resume_problems(
        tmp_path,
        """\
        age: 33
        created_at: "2020-01-01T00:00:00+0300"
        status: {id: published}
        total_views: 5
        can_publish_or_update: true
        next_publish_at: x
        """,
    )
    assert found == [
        "resumes/a.yaml:8: age: read-only field: the server sets it",
        "resumes/a.yaml:9: created_at: read-only field: the server sets it",
        "resumes/a.yaml:10: status: read-only field: the server sets it",
        "resumes/a.yaml:11: total_views: read-only field: the server sets it",
        "resumes/a.yaml:12: can_publish_or_update: read-only field: the server sets it",
        "resumes/a.yaml:13: next_publish_at: read-only field: the server sets it",
    ]


def test_read_only_singular_suggests_the_writable_plural(tmp_path: Path) -> None:
    assert resume_problems(tmp_path, "schedule: {id: remote}\n") == [
        "resumes/a.yaml:8: schedule: read-only field: the server sets it; did you mean `schedules`?"
    ]


def test_access_and_specialization_have_their_own_messages(tmp_path: Path) -> None:
    assert resume_problems(tmp_path, "access: {type: {id: no_one}}\nspecialization: []\n") == [
        "resumes/a.yaml:8: access: declare access in visibility.yaml",
        "resumes/a.yaml:9: specialization: not writable in the current API: use professional_roles",
    ]


def test_a_file_without_id_is_a_resume_to_create(tmp_path: Path) -> None:
    write_repo(tmp_path, {"resumes/a.yaml": VALID_RESUME.replace("id: r1\n", "# no id\n")})
    (resume,) = load_repository(tmp_path, {}).resumes
    assert resume.to_create and resume.resume_id == ""


def test_publish_values(tmp_path: Path) -> None:
    assert resume_problems(tmp_path, "publish: yes\n") == [
        'resumes/a.yaml:8: publish: must be one of: false, true, "renew"'
    ]


# --- schema errors ---------------------------------------------------------------------------


def test_schema_errors_point_at_the_nested_line(tmp_path: Path) -> None:
    found = resume_problems(
        tmp_path,
        """\
        salary:
          amount: lots
        gender: male
        birth_date: 1990-13-45
        experience:
          - position: Dev
            start: 2019-03
        """,
    )
    assert found == [
        "resumes/a.yaml:8: salary.currency: required field is missing",
        "resumes/a.yaml:9: salary.amount: expected number or null, got string",
        "resumes/a.yaml:10: gender: expected null or object, got string",
        "resumes/a.yaml:11: birth_date: must be a date YYYY-MM-DD",
        "resumes/a.yaml:13: experience[0].industries: required field is missing",
        "resumes/a.yaml:14: experience[0].start: must be a date YYYY-MM-DD",
    ]


def test_messages_never_repeat_personal_values(tmp_path: Path) -> None:
    found = resume_problems(tmp_path, "birth_date: 1990-02-31\nfirst_name: [Ivan]\n")
    assert found == [
        "resumes/a.yaml:8: birth_date: must be a date YYYY-MM-DD",
        "resumes/a.yaml:9: first_name: expected string or null, got array",
    ]
    assert not any("1990" in line or "Ivan" in line for line in found)


def test_nested_unknown_fields_are_errors_but_dictionary_names_are_fine() -> None:
    """A typo inside a field would be sent with the whole field and dropped by the server."""
    errors, warnings = check(
        VALID_RESUME
        + "area: {id: '1', name: Moscow, url: https://api.hh.ru/areas/1}\n"
        + "salary: {amount: 1, currency: RUR, currnecy: x}\n"
        + "professional_roles: [{id: '96', name: Programmer, developer}]\n"
    )
    assert warnings == []
    assert errors == [
        "resumes/a.yaml:9: salary.currnecy: unknown field: not part of the API's shape;"
        " did you mean `currency`?",
        "resumes/a.yaml:10: professional_roles[0].developer: unknown field: not part of the API's"
        " shape",
    ]


def test_non_finite_numbers() -> None:
    errors, _ = check("id: r1\nsalary: {amount: .inf, currency: RUR}\n")
    assert errors == ["resumes/a.yaml:2: salary.amount: must be a finite number"]


def test_root_must_be_a_mapping() -> None:
    doc = parse_yaml("- a\n- b\n", "resumes/a.yaml")
    assert [str(p) for p in validate_resume_document(doc.data, doc.source_map())] == [
        "resumes/a.yaml:1: expected object, got array"
    ]


# --- documented rules ------------------------------------------------------------------------

CONTACTS = """\
id: r1
contact:
  - type: {id: email}
    value: a@example.com
    comment: write me
  - type: {id: email}
    value: b@example.com
    preferred: true
  - type: {id: cell}
    value: {country: "7", city: "9x9"}
    preferred: true
  - type: {id: cell}
    value: {formatted: "+7 999 123"}
  - type: {id: home}
    value: {}
  - type: {id: work}
    value: "+7 999"
"""


def test_contact_rules_are_warnings_offline_and_shapes_are_errors() -> None:
    """The documented rules judge what the plan sends (preflight.rule_problems): offline they
    are warnings. A value the body cannot carry (a phone that is not a mapping, letters in a
    number) is a shape error."""
    errors, warnings = check(CONTACTS)
    assert errors == [
        "resumes/a.yaml:10: contact[2].value.city: digits only",
        "resumes/a.yaml:17: contact[5].value: a phone's value is a mapping: `formatted`, or"
        " `country`, `city` and `number`",
    ]
    assert warnings == [
        "resumes/a.yaml:5: contact[0].comment: a comment on an email contact is not saved",
        "resumes/a.yaml:6: contact[1].type: a resume has exactly one email contact",
        "resumes/a.yaml:10: contact[2].value: `country`, `city` and `number` go together:"
        " missing `number`",
        "resumes/a.yaml:11: contact[2].preferred: only one contact can be preferred",
        "resumes/a.yaml:12: contact[3].type: only one phone of type `cell` (another at line 9)",
        "resumes/a.yaml:15: contact[4].value: a phone needs `formatted` or all of `country`,"
        " `city` and `number`",
    ]
    assert not any("example.com" in line or "999" in line for line in errors + warnings)


def test_contacts_need_an_email_and_a_phone() -> None:
    errors, warnings = check("id: r1\ncontact: []\n")
    assert errors == []
    assert warnings == [
        "resumes/a.yaml:2: contact: a resume needs an email contact",
        "resumes/a.yaml:2: contact: a resume needs at least one phone contact",
    ]


def test_undeclared_fields_are_not_checked() -> None:
    assert check("id: r1\ntitle: Dev\n") == ([], [])


def test_experience_end_before_start() -> None:
    _, warnings = check(
        """\
        id: r1
        experience:
          - {position: A, industries: [], start: "2020-01-01", end: "2019-12-31"}
          - {position: B, industries: [], start: "2020-01-01", end: "2020-01-01"}
          - {position: C, industries: [], start: "2020-01-01", end: null}
        """
    )
    assert warnings == ["resumes/a.yaml:3: experience[0].end: `end` is before `start`"]


def test_one_native_language_unique_skills_and_metro_needs_area() -> None:
    errors, warnings = check(
        """\
        id: r1
        language:
          - {id: rus, level: {id: l1}}
          - {id: eng, level: {id: b2}}
          - {id: deu, level: {id: l1}}
        skill_set: [Python, SQL, Python]
        metro: {id: "6.41"}
        """
    )
    assert errors == []
    assert warnings == [
        "resumes/a.yaml:5: language[2].level: only one native language (level `l1`)",
        "resumes/a.yaml:6: skill_set[2]: duplicate skill (also at position 0)",
        "resumes/a.yaml:7: metro: declare `area` with `metro`: the server drops a station outside"
        " the given area",
    ]
    assert check("id: r1\narea: {id: '1'}\nmetro: {id: '6.41'}\n") == ([], [])


# --- visibility.yaml -------------------------------------------------------------------------


def visibility(text: str, resumes: dict[str, str] | None = None) -> list[str]:
    doc = parse_yaml(textwrap.dedent(text), "visibility.yaml")
    keys = {"backend": "id-b", "data": "id-d"} if resumes is None else resumes
    return [str(p) for p in validate_visibility(doc.data, doc.source_map(), keys)]


def test_visibility_everyone_and_bad_access() -> None:
    assert visibility("resumes:\n  backend: {access: everyone}\n  data: {access: all}\n") == [
        "visibility.yaml:2: resumes.backend.access: `everyone` cannot be saved since 2021: use"
        " one of no_one, whitelist, blacklist, clients, direct",
        'visibility.yaml:3: resumes.data.access: must be one of: "no_one", "whitelist",'
        ' "blacklist", "clients", "direct"',
    ]


def test_visibility_keys_must_match_a_resume() -> None:
    assert visibility("resumes:\n  bakend: {access: no_one}\n  id-d: {access: no_one}\n") == [
        "visibility.yaml:2: resumes.bakend: no resume file has this key (file name) or id;"
        " did you mean `backend`?"
    ]
    assert visibility("resumes:\n  backend: {}\n  id-b: {access: no_one}\n") == [
        "visibility.yaml:3: resumes.id-b: the same resume as `backend` (line 2)"
    ]


def test_visibility_employer_ids() -> None:
    found = visibility(
        """\
        defaults:
          blacklist: [1455, "0", -3, 1.5, "12a", {id: "7", name: X}, {name: Y}, true]
        """
    )
    bad = 'an employer id is a positive integer: 3529, "3529" or {id: "3529"}'
    assert found == [
        f"visibility.yaml:2: defaults.blacklist[{i}]: {bad}" for i in (1, 2, 3, 4, 6, 7)
    ]


def test_visibility_employer_entries() -> None:
    assert visibility(
        "defaults:\n  whitelist:\n    - {id: 1, nmae: X}\n    - {id: 2, name: 5}\n"
    ) == [
        "visibility.yaml:3: defaults.whitelist[0].nmae: unknown field; did you mean `name`?",
        "visibility.yaml:4: defaults.whitelist[1].name: expected string, got integer",
    ]


def test_visibility_duplicates_and_conflicts() -> None:
    found = visibility(
        """\
        defaults:
          blacklist: [1455]
        resumes:
          backend:
            blacklist:
              - 3529
              - {id: "3529", name: Sberbank}
            whitelist: {include: [1455]}
          data:
            whitelist: [3529]
        """
    )
    assert found == [
        "visibility.yaml:7: resumes.backend.blacklist[1]: employer 3529 is listed twice"
        " (also at line 6)",
        "visibility.yaml:8: resumes.backend.whitelist.include[0]: employer 1455 is in both"
        " blacklist and whitelist",
    ]


def test_visibility_structure_errors() -> None:
    found = visibility(
        """\
        defaults:
          blacklst: [1]
        resumes:
          backend:
            whitelist: {includes: [1]}
            blacklist: null
        other: 1
        """
    )
    assert found == [
        "visibility.yaml:2: defaults.blacklst: unknown field; did you mean `blacklist`?",
        "visibility.yaml:5: resumes.backend.whitelist.includes: unknown field; did you mean"
        " `include`?",
        "visibility.yaml:5: resumes.backend.whitelist.include: required field is missing",
        "visibility.yaml:6: resumes.backend.blacklist: expected array or object, got null",
        "visibility.yaml:7: other: unknown field",
    ]


def test_visibility_findings_have_no_warnings_for_valid_input() -> None:
    doc = parse_yaml("defaults: {blacklist: [1]}\nresumes: {backend: {access: no_one}}\n", "v.yaml")
    findings = check_visibility(doc.data, doc.source_map(), {"backend": "b"})
    assert (findings.errors, findings.warnings) == ([], [])


def test_employer_id_normalisation() -> None:
    cases: list[tuple[Any, str | None]] = [
        (3529, "3529"),
        ("3529", "3529"),
        ({"id": 7, "name": "X"}, "7"),
        ({"id": "7"}, "7"),
        (0, None),
        ("007", None),
        (True, None),
        ({"id": {"id": 1}}, None),
        (None, None),
    ]
    assert [employer_id(value) for value, _ in cases] == [expected for _, expected in cases]


def test_errors_of_every_file_in_one_run(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/a.yaml": VALID_RESUME + "age: 3\n",
            "resumes/b.yaml": "id: r2\ntitle: [\n",
            "resumes/c.yaml": "id: r3\ntitle: ${UNSET}\n",
            "visibility.yaml": "resumes:\n  zzz: {}\n",
            "resumesync.yaml": "api_url: 5\n",
        },
    )
    found = problems(lambda: load_repository(tmp_path, {}))
    assert [line.split(": ")[0] for line in found] == [
        "resumes/a.yaml:8",
        "resumes/b.yaml:3",
        "resumes/c.yaml:2",
        "resumesync.yaml:1",
        "visibility.yaml:2",
    ]


def test_errors_carry_the_warnings(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {"resumes/a.yaml": VALID_RESUME + "salary: {amount: 1, currency: RUR, x: 1}\nage: 1\n"},
    )
    try:
        load_repository(tmp_path, {})
    except RepositoryError as error:
        assert [str(p) for p in error.problems] == [
            "resumes/a.yaml:8: salary.x: unknown field: not part of the API's shape",
            "resumes/a.yaml:9: age: read-only field: the server sets it",
        ]
    else:
        raise AssertionError("expected a RepositoryError")


def test_source_map_default_is_used_for_whole_document_problems() -> None:
    errors = validate_resume_document({"title": "x", "clone": 3}, SourceMap())
    assert [str(p) for p in errors] == [
        'clone: expected string, got integer: 3 is read as a number; quote it to keep it text: "3"'
    ]
