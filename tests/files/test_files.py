"""Repository -> DesiredState: the example, extends, visibility merging, config, robustness."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from resumesync.files import (
    ProfileConfig,
    RepositoryConfig,
    load_config,
    load_repository,
    read_repository,
)
from resumesync.model import DesiredResume, Location, PublishMode
from resumesync.problems import ProblemsError
from resumesync.resources import load_schema

from .helpers import EXAMPLE, VALID_RESUME, problems, write_repo

BACKEND_ID = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ID = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"


def by_key(resumes: list[DesiredResume]) -> dict[str, DesiredResume]:
    return {resume.key: resume for resume in resumes}


# --- examples/basic --------------------------------------------------------------------------


def test_example_repository() -> None:
    state = load_repository(EXAMPLE, {})
    resumes = by_key(state.resumes)
    assert sorted(resumes) == ["backend", "data-analyst", "data-engineer", "team-lead"]
    backend, data = resumes["backend"], resumes["data-engineer"]
    analyst = resumes["data-analyst"]
    assert analyst.to_create and analyst.clone == "data-engineer"
    assert analyst.lists["blacklist"].employers == ("1455",)  # defaults apply to it too
    assert (backend.resume_id, data.resume_id) == (BACKEND_ID, DATA_ID)
    assert (backend.publish, data.publish) == (PublishMode.RENEW, PublishMode.ONCE)
    assert backend.file == "resumes/backend.yaml"
    assert (backend.access, data.access) == ("blacklist", "whitelist")

    # Lists: defaults first, digit strings, names kept; the entry's mode wins.
    black = backend.lists["blacklist"]
    assert black.employers == ("1455", "3529", "78638")
    assert black.exact is True
    assert black.names == {"1455": "HeadHunter", "3529": "Sberbank", "78638": "Tinkoff"}
    assert black.source.locate(("1455",)) == Location("visibility.yaml", 6)
    assert black.source.locate(("78638",)) == Location("visibility.yaml", 12)
    assert "whitelist" not in backend.lists  # unmanaged

    # data-engineer: the blacklist comes from defaults only -> include; its whitelist is include.
    assert data.lists["blacklist"].employers == ("1455",)
    assert data.lists["blacklist"].exact is False
    assert data.lists["whitelist"].employers == ("1740", "3776")
    assert data.lists["whitelist"].exact is False


def test_example_fields_merge_base_and_variant_with_their_lines() -> None:
    resumes = by_key(load_repository(EXAMPLE, {}).resumes)
    backend, data = resumes["backend"], resumes["data-engineer"]
    assert backend.fields["title"] == "Senior Python developer"
    assert backend.fields["last_name"] == "Petrov"  # from the base
    assert backend.fields["schedules"] == [{"id": "fullDay"}, {"id": "remote"}]
    assert data.fields["schedules"] == [{"id": "remote"}]  # the variant's list replaces
    assert backend.fields["experience"][0]["start"] == "2019-03-01"
    assert not {"id", "publish", "extends"} & set(backend.fields)

    assert backend.source.default == Location("resumes/backend.yaml", 2)
    assert backend.source.locate(("title",)) == Location("resumes/backend.yaml", 5)
    assert backend.source.locate(("experience", 0, "start")) == Location("resumes/_base.yaml", 53)
    assert data.source.locate(("schedules", 0)) == Location("resumes/data-engineer.yaml", 8)
    assert backend.source.locate(("schedules", 1, "id")) == Location("resumes/_base.yaml", 73)


def test_example_interpolation_defaults_and_values() -> None:
    loaded = read_repository(EXAMPLE, {})
    contact = by_key(loaded.state.resumes)["backend"].fields["contact"]
    assert contact[0]["value"] == "ivan.petrov@example.com"  # HH_EMAIL unset: the default
    assert ("contact", 0, "value") in loaded.interpolated["backend"]

    env = {"HH_EMAIL": "secret@example.org", "HH_PHONE_NUMBER": "7654321"}
    contact = by_key(load_repository(EXAMPLE, env).resumes)["data-engineer"].fields["contact"]
    assert contact[0]["value"] == "secret@example.org"
    assert contact[1]["value"]["number"] == "7654321"


# --- extends ---------------------------------------------------------------------------------


def test_extends_chain_ids_are_not_inherited_publish_is(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/_root.yaml": "publish: renew\nskills: r\nsalary: {amount: 1, currency: X}\n",
            "resumes/_mid.yaml": "extends: _root.yaml\nsalary: {amount: 2}\n",
            "resumes/a.yaml": VALID_RESUME + "extends: _mid.yaml\n",
            "resumes/b.yaml": "extends: a.yaml\nid: r2\ntitle: B\n",
        },
    )
    resumes = by_key(load_repository(tmp_path, {}).resumes)
    a, b = resumes["a"], resumes["b"]
    assert a.fields["salary"] == {"amount": 2, "currency": "X"}  # mappings merge
    assert a.source.locate(("salary", "amount")) == Location("resumes/_mid.yaml", 2)
    assert a.source.locate(("salary", "currency")) == Location("resumes/_root.yaml", 3)
    assert a.publish == PublishMode.RENEW
    assert (b.resume_id, b.fields["title"], b.fields["skills"]) == ("r2", "B", "r")
    assert b.source.locate(("contact", 1)) == Location("resumes/a.yaml", 6)


def test_extends_relative_to_the_file(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "shared/_common.yaml": "skills: shared\n",
            "resumes/a.yaml": VALID_RESUME + "extends: ../shared/_common.yaml\n",
        },
    )
    resume = load_repository(tmp_path, {}).resumes[0]
    assert resume.fields["skills"] == "shared"
    assert resume.source.locate(("skills",)) == Location("shared/_common.yaml", 1)


def test_extends_cycle_missing_file_and_base_with_id(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/_x.yaml": "extends: _y.yaml\n",
            "resumes/_y.yaml": "title: y\nextends: _x.yaml\n",
            "resumes/a.yaml": VALID_RESUME + "extends: _x.yaml\n",
            "resumes/b.yaml": "id: r2\nextends: _nope.yaml\n",
            "resumes/_withid.yaml": "id: zzz\n",
            "resumes/c.yaml": "id: r3\nextends: _withid.yaml\n",
        },
    )
    assert problems(lambda: load_repository(tmp_path, {})) == [
        "resumes/_withid.yaml:1: id: a base (file name starting with `_`) is not a resume: it has"
        " no id",
        "resumes/_y.yaml:2: extends: extends cycle: resumes/a.yaml -> resumes/_x.yaml ->"
        " resumes/_y.yaml -> resumes/_x.yaml",
        "resumes/b.yaml:2: extends: file not found: resumes/_nope.yaml",
    ]


def test_errors_in_a_base_point_at_the_base_once(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/_base.yaml": "title: x\nage: 3\nskills: ${MISSING}\n",
            "resumes/a.yaml": "id: r1\nextends: _base.yaml\n",
            "resumes/b.yaml": "id: r2\nextends: _base.yaml\n",
        },
    )
    assert problems(lambda: load_repository(tmp_path, {})) == [
        "resumes/_base.yaml:3: skills: environment variable MISSING is not set"
    ]
    (tmp_path / "resumes/_base.yaml").write_text("title: x\nage: 3\n")
    assert problems(lambda: load_repository(tmp_path, {})) == [
        "resumes/_base.yaml:2: age: read-only field: the server sets it"
    ]


# --- identity --------------------------------------------------------------------------------


def test_two_files_with_the_same_id(tmp_path: Path) -> None:
    write_repo(tmp_path, {"resumes/a.yaml": VALID_RESUME, "resumes/b.yaml": "# b\nid: r1\n"})
    assert problems(lambda: load_repository(tmp_path, {})) == [
        "resumes/b.yaml:2: id: the same id as resumes/a.yaml: one file per resume"
    ]


def test_same_stem_twice_and_yml_files(tmp_path: Path) -> None:
    write_repo(tmp_path, {"resumes/a.yaml": VALID_RESUME, "resumes/a.yml": "id: r2\n"})
    assert problems(lambda: load_repository(tmp_path, {})) == [
        "resumes/a.yml:1: two files for the resume key `a` (also resumes/a.yaml)"
    ]
    (tmp_path / "resumes/a.yaml").unlink()
    assert load_repository(tmp_path, {}).resumes[0].file == "resumes/a.yml"


def test_missing_resumes_directory(tmp_path: Path) -> None:
    found = problems(lambda: load_repository(tmp_path / "nowhere", {}))
    assert len(found) == 1 and found[0].startswith("resumes/ not found")


def test_bases_hidden_files_and_other_suffixes_are_not_resumes(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/_base.yaml": "title: x\n",
            "resumes/.hidden.yaml": "not: a resume\n",
            "resumes/notes.txt": "hello",
            "resumes/a.yaml": VALID_RESUME,
        },
    )
    assert [resume.key for resume in load_repository(tmp_path, {}).resumes] == ["a"]


# --- visibility ------------------------------------------------------------------------------


def test_visibility_by_id_modes_and_defaults(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/a.yaml": VALID_RESUME,
            "resumes/b.yaml": VALID_RESUME.replace("id: r1", "id: r2"),
            "visibility.yaml": """\
                defaults:
                  blacklist: [1455]
                  whitelist: {include: [9]}
                resumes:
                  r1:
                    access: no_one
                    blacklist: {include: ["3529", 1455]}
                    whitelist: [{id: 1740, name: Yandex}, 9]
                """,
        },
    )
    resumes = by_key(load_repository(tmp_path, {}).resumes)
    a, b = resumes["a"], resumes["b"]
    assert a.access == "no_one"
    assert (a.lists["blacklist"].employers, a.lists["blacklist"].exact) == (("1455", "3529"), False)
    assert a.lists["blacklist"].source.default == Location("visibility.yaml", 7)
    # The entry's own line wins over defaults for a shared member.
    assert a.lists["blacklist"].source.locate(("1455",)) == Location("visibility.yaml", 7)
    assert (a.lists["whitelist"].employers, a.lists["whitelist"].exact) == (("9", "1740"), True)
    assert a.lists["whitelist"].names == {"1740": "Yandex"}
    assert b.access is None
    assert (b.lists["blacklist"].employers, b.lists["blacklist"].exact) == (("1455",), False)
    assert b.lists["blacklist"].source.default == Location("visibility.yaml", 2)


def test_empty_list_means_must_be_empty(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {"resumes/a.yaml": VALID_RESUME, "visibility.yaml": "resumes:\n  a: {whitelist: []}\n"},
    )
    whitelist = load_repository(tmp_path, {}).resumes[0].lists["whitelist"]
    assert (whitelist.employers, whitelist.exact) == ((), True)


def test_visibility_interpolation(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumes/a.yaml": VALID_RESUME,
            "visibility.yaml": "defaults:\n  blacklist: ['${CURRENT_EMPLOYER}']\n",
        },
    )
    state = load_repository(tmp_path, {"CURRENT_EMPLOYER": "1455"})
    assert state.resumes[0].lists["blacklist"].employers == ("1455",)
    assert problems(lambda: load_repository(tmp_path, {})) == [
        "visibility.yaml:2: defaults.blacklist[0]: environment variable CURRENT_EMPLOYER is not set"
    ]


def test_no_visibility_file_means_unmanaged(tmp_path: Path) -> None:
    write_repo(tmp_path, {"resumes/a.yaml": VALID_RESUME})
    resume = load_repository(tmp_path, {}).resumes[0]
    assert (resume.access, resume.lists) == (None, {})


# --- resumesync.yaml -------------------------------------------------------------------------


def test_load_config(tmp_path: Path) -> None:
    assert load_config(tmp_path) is None
    write_repo(
        tmp_path,
        {
            "resumesync.yaml": """\
                api_url: https://api.hh.ru
                user_agent: resumesync/0.1 (me@example.com)
                profiles:
                  work: {dir: accounts/work, token_env: HH_TOKEN_WORK}
                  kz: {dir: accounts/kz, token_env: HH_TOKEN_KZ, api_url: "http://127.0.0.1:8080"}
                """
        },
    )
    assert load_config(tmp_path) == RepositoryConfig(
        file="resumesync.yaml",
        api_url="https://api.hh.ru",
        user_agent="resumesync/0.1 (me@example.com)",
        profiles={
            "work": ProfileConfig("work", "accounts/work", "HH_TOKEN_WORK"),
            "kz": ProfileConfig(
                "kz", "accounts/kz", "HH_TOKEN_KZ", api_url="http://127.0.0.1:8080"
            ),
        },
    )


def test_invalid_config(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        {
            "resumesync.yaml": (
                "api_url: ftp://x\nprofiles:\n  work: {dir: w, token: X}\n"
                "  bad name: {dir: w, token_env: X}\nuser_agnet: x\n"
            )
        },
    )
    assert problems(lambda: load_config(tmp_path)) == [
        "resumesync.yaml:1: api_url: must match ^https?://[^\\s/]+",
        "resumesync.yaml:3: profiles.work.token: unknown field; did you mean `token_env`?",
        "resumesync.yaml:3: profiles.work.token_env: required field is missing",
        "resumesync.yaml:4: profiles.bad name: invalid name: must match"
        " ^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        "resumesync.yaml:5: user_agnet: unknown field; did you mean `user_agent`?",
    ]


# --- robustness: bad input never escapes as anything but ProblemsError -----------------------

WRITABLE = sorted(
    name
    for name, sub in load_schema("resume.schema.json")["properties"].items()
    if not sub.get("readOnly") and name not in ("id", "extends")
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "value", "type", "x"]), children, max_size=3
        )
    ),
    max_leaves=10,
)


def load_files(files: dict[str, str]) -> Any:
    with tempfile.TemporaryDirectory() as directory:
        root = write_repo(Path(directory), files)
        return load_repository(root, {})


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.fixed_dictionaries({"id": st.just("r1")}, optional=dict.fromkeys(WRITABLE, json_values)))
def test_wrong_typed_fields_raise_only_problems(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=False)
    try:
        load_files({"resumes/a.yaml": text})
    except ProblemsError as error:
        assert error.problems
        assert all(p.location and p.location.file == "resumes/a.yaml" for p in error.problems)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.text(max_size=120), st.text(max_size=120))
def test_garbage_files_raise_only_problems(resume: str, visibility: str) -> None:
    try:
        load_files({"resumes/a.yaml": resume, "visibility.yaml": visibility})
    except ProblemsError as error:
        assert error.problems


@settings(max_examples=60, deadline=None, derandomize=True)
@given(json_values, json_values)
def test_wrong_typed_visibility_raises_only_problems(defaults: Any, entry: Any) -> None:
    text = yaml.safe_dump({"defaults": defaults, "resumes": {"a": entry}}, allow_unicode=False)
    try:
        load_files({"resumes/a.yaml": VALID_RESUME, "visibility.yaml": text})
    except ProblemsError as error:
        assert all(p.location and p.location.file == "visibility.yaml" for p in error.problems)


@pytest.mark.parametrize("field", ["contact", "experience", "language", "skill_set", "metro"])
@pytest.mark.parametrize("value", [None, 1, "x", [1, "x", None], {"a": 1}, [{"type": 1}]])
def test_documented_rules_survive_any_shape(tmp_path: Path, field: str, value: Any) -> None:
    text = yaml.safe_dump({"id": "r1", field: value})
    write_repo(tmp_path, {"resumes/a.yaml": text})
    try:
        load_repository(tmp_path, {})
    except ProblemsError as error:
        assert all(str(p).startswith("resumes/a.yaml:") for p in error.problems)
