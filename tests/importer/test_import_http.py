"""`import` against the sandbox: the files load, and the plan right after an import is empty."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from resumesync import files
from resumesync.importer import ImportRefusedError, import_account_sync
from resumesync.problems import ProblemsError
from resumesync.sandbox import Account, SandboxConfig, running_sandbox
from resumesync.settings import Settings

from .support import (
    BACKEND,
    DATA_ENGINEER,
    SYSADMIN,
    TEAM_LEAD,
    TOKEN,
    account_with_titles,
    client,
    import_into,
    plan_for,
    put_resume,
    resume_files,
)

# A PUT that sets nearly every writable field, with values the server rewrites (phone given as
# `formatted`, company_id, a comment on an email, experience oldest first, both kinds of
# education) and strings that YAML would retype or interpolate.
MANY_FIELDS: dict[str, Any] = {
    "title": "yes",
    "skill_set": [
        "0123",
        "2019-03-01",
        "null",
        "1_000",
        "1:30",
        "~",
        "true",
        "on",
        "- dash",
        "#hash",
        "key: value",
        "${HOME}",
        "Программирование",
        "0x1F",
        "@handle",
    ],
    "skills": "Line one\nLine two: with colon\n\n  indented\ntrailing spaces  \n",
    "salary": {"amount": 250000, "currency": "EUR"},
    "metro": {"id": "1.5"},
    "photo": {"id": "1"},
    "portfolio": [{"id": "2", "description": "Architecture"}],
    "certificate": [
        {
            "title": "AWS Solutions Architect",
            "achieved_at": "2021-05-01",
            "type": "custom",
            "url": "https://example.com/cert",
        }
    ],
    "recommendation": [
        {"name": "Anna", "position": "CTO", "organization": "Horns and Hooves", "contact": "+7"}
    ],
    "hidden_fields": [{"id": "phones"}],
    "employment_form": [{"id": "FULL"}, {"id": "PART"}],
    "work_format": [{"id": "REMOTE"}],
    "contact": [
        {"type": {"id": "email"}, "value": "anna.secret@example.org", "comment": "not saved"},
        {"type": {"id": "cell"}, "value": {"formatted": "+7 (912) 345-67-89"}, "preferred": True},
        {
            "type": {"id": "home"},
            "value": {"country": "7", "city": "495", "number": "0123456"},
            "comment": "0123",
        },
    ],
    "experience": [
        {
            "company": "Old",
            "area": {"id": "2"},
            "industries": [{"id": "7.540"}],
            "position": "Intern",
            "start": "2010-01-01",
            "end": "2011-01-01",
        },
        {
            "company": "replaced by the server",
            "company_id": "1740",
            "industries": [{"id": "7.540"}, {"id": "7.541"}],
            "position": "Engineer",
            "start": "2015-01-01",
            "end": None,
            "description": "multi\nline ${X} $${Y}",
        },
    ],
    "education": {
        "level": {"id": "secondary"},
        "elementary": [{"name": "School 57", "year": 2007}],
        "primary": [{"name": "MSU", "year": 2012}],
    },
    "language": [{"id": "rus", "level": {"id": "l1"}}, {"id": "deu", "level": {"id": "a2"}}],
    "site": [
        {"type": {"id": "linkedin"}, "url": "https://linkedin.com/in/x"},
        {"type": {"id": "skype"}, "url": "ivan.skype"},
    ],
    "relocation": {"type": {"id": "relocation_desirable"}, "area": [{"id": "2"}, {"id": "1002"}]},
    "citizenship": [{"id": "113"}, {"id": "16"}],
    "birth_date": "1985-12-31",
    "gender": {"id": "female"},
    "middle_name": None,
    "driver_license_types": [{"id": "B"}, {"id": "C"}],
    "has_vehicle": True,
    "travel_time": {"id": "any"},
    "business_trip_readiness": {"id": "ready"},
    "resume_locale": {"id": "RU"},
    "employments": [{"id": "full"}, {"id": "project"}],
    "schedules": [{"id": "remote"}, {"id": "flexible"}],
    "professional_roles": [{"id": "96"}, {"id": "160"}],
}


def assert_no_drift(url: str, directory: Path) -> None:
    plan = plan_for(url, directory)
    assert plan.changes == []
    assert plan.notices == []


def test_example_account_imports_without_drift(sandbox: Any, tmp_path: Path) -> None:
    result = import_into(sandbox.url, tmp_path)

    assert resume_files(tmp_path) == [
        "data-engineer.yaml",
        "python-developer.yaml",
        "system-administrator.yaml",
        "team-lead.yaml",  # a draft: its empty mandatory fields are no drift
    ]
    assert result.written == [
        tmp_path / "resumes/python-developer.yaml",
        tmp_path / "resumes/data-engineer.yaml",
        tmp_path / "resumes/team-lead.yaml",
        tmp_path / "resumes/system-administrator.yaml",
        tmp_path / "schemas/resume.schema.json",  # what the files' $schema lines name
        tmp_path / "schemas/visibility.schema.json",
        tmp_path / "visibility.yaml",
    ]
    assert [(item.key, item.resume_id) for item in result.resumes] == [
        ("python-developer", BACKEND),
        ("data-engineer", DATA_ENGINEER),
        ("team-lead", TEAM_LEAD),
        ("system-administrator", SYSADMIN),
    ]
    assert result.skipped == [] and result.notes == []
    desired = files.load_repository(tmp_path, {})
    by_id = desired.by_id()
    assert by_id[DATA_ENGINEER].access == "whitelist"
    whitelist = by_id[DATA_ENGINEER].lists["whitelist"]
    assert (whitelist.employers, whitelist.exact) == (("1740", "4181"), False)
    assert whitelist.names == {"1740": "Yandex", "4181": "VTB"}
    blacklist = by_id[BACKEND].lists["blacklist"]
    assert (blacklist.employers, blacklist.exact) == ((), True)
    assert all(
        resume.fields["birth_date"] == "1990-04-17"
        for resume in desired.resumes
        if resume.resume_id != TEAM_LEAD  # the draft has no birth date yet
    )
    assert_no_drift(sandbox.url, tmp_path)


def test_reads_only_the_lists_of_imported_resumes(sandbox: Any, tmp_path: Path) -> None:
    import_into(sandbox.url, tmp_path, resume_ids=[DATA_ENGINEER])
    assert {(r.method, r.path) for r in sandbox.requests} == {
        ("GET", "/resumes/mine"),
        ("GET", f"/resumes/{DATA_ENGINEER}"),
        ("GET", f"/resumes/{DATA_ENGINEER}/blacklist"),
        ("GET", f"/resumes/{DATA_ENGINEER}/whitelist"),
    }


def test_resume_option_imports_only_that_resume(sandbox: Any, tmp_path: Path) -> None:
    result = import_into(sandbox.url, tmp_path, resume_ids=[DATA_ENGINEER, DATA_ENGINEER])

    assert resume_files(tmp_path) == ["data-engineer.yaml"]
    assert [summary.resume_id for summary in result.skipped] == [BACKEND, TEAM_LEAD, SYSADMIN]
    desired = files.load_repository(tmp_path, {})
    assert [resume.resume_id for resume in desired.resumes] == [DATA_ENGINEER]
    plan = plan_for(sandbox.url, tmp_path)
    assert plan.changes == []
    assert {notice.resume_id for notice in plan.notices} == {
        BACKEND,
        TEAM_LEAD,
        SYSADMIN,
    }  # unmanaged


def test_unknown_resume_id_is_refused_before_writing(sandbox: Any, tmp_path: Path) -> None:
    with pytest.raises(ProblemsError, match="resume 0000 is not on this account"):
        import_into(sandbox.url, tmp_path, resume_ids=[BACKEND, "0000"])
    assert list(tmp_path.iterdir()) == []


def test_many_fields_set_by_a_put_import_without_drift(sandbox: Any, tmp_path: Path) -> None:
    put_resume(sandbox.url, BACKEND, MANY_FIELDS)

    result = import_into(sandbox.url, tmp_path)

    # a photo is written as its artifact id, and import says that it downloads nothing
    assert result.notes == [
        "resumes/yes.yaml: photo and portfolio written as the artifact ids {id: ...}: "
        "import downloads no images (to keep one in the repository, put the file next to "
        "the resume and write `{file: images/NAME}` instead)"
    ]
    text = (tmp_path / "resumes/yes.yaml").read_text(encoding="utf-8")
    assert 'title: "yes"' in text and '- "2019-03-01"' in text and '- "0123"' in text
    assert "formatted" not in text and "employer:" not in text and "url: https://api" not in text
    fields = files.load_repository(tmp_path, {}).by_id()[BACKEND].fields
    assert fields["skill_set"] == MANY_FIELDS["skill_set"]  # no value retyped or interpolated
    assert fields["skills"] == MANY_FIELDS["skills"]
    assert fields["experience"][0]["description"] == "multi\nline ${X} $${Y}"
    assert fields["experience"][0]["company_id"] == "1740"
    assert fields["contact"][1]["value"] == {"country": "7", "city": "912", "number": "3456789"}
    assert fields["language"][1] == {
        "id": "deu",
        "name": "German",
        "level": {"id": "a2", "name": "A2 — Elementary"},
    }
    assert fields["photo"] == {"id": "1"}
    assert "total_experience" not in fields and "middle_name" not in fields
    assert_no_drift(sandbox.url, tmp_path)


def test_synthetic_account_with_long_lists_imports_without_drift(tmp_path: Path) -> None:
    account = Account.synthetic(n_resumes=3, list_size=150, seed=7)
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as server:
        import_into(server.url, tmp_path)
        desired = files.load_repository(tmp_path, {})
        assert [resume.key for resume in desired.resumes] == [
            "software-engineer-1",
            "software-engineer-2",
            "software-engineer-3",
        ]
        live = server.account(TOKEN)
        for resume in desired.resumes:
            stored = live.resumes[resume.resume_id]
            assert list(resume.lists["blacklist"].employers) == stored.blacklist
            assert list(resume.lists["whitelist"].employers) == stored.whitelist
            assert len(stored.blacklist) == 150
        assert_no_drift(server.url, tmp_path)


def test_refuses_to_overwrite_without_force(sandbox: Any, tmp_path: Path) -> None:
    (tmp_path / "visibility.yaml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "resumes").mkdir()
    (tmp_path / "resumes/data-engineer.yaml").write_text(f"id: {DATA_ENGINEER}\n")

    with pytest.raises(ImportRefusedError) as refused:
        import_into(sandbox.url, tmp_path)

    assert [str(problem).split(" ")[0] for problem in refused.value.problems] == [
        "resumes/data-engineer.yaml",
        "visibility.yaml",
    ]
    assert "--force" in str(refused.value)
    assert resume_files(tmp_path) == ["data-engineer.yaml"]  # nothing else written
    assert (tmp_path / "visibility.yaml").read_text(encoding="utf-8") == "# mine\n"

    result = import_into(sandbox.url, tmp_path, force=True)

    assert len(result.written) == 7  # four resumes, two schema copies, visibility.yaml
    assert (tmp_path / "visibility.yaml").read_text(encoding="utf-8").startswith("# yaml-")
    assert_no_drift(sandbox.url, tmp_path)


def test_force_refreshes_files_in_place_after_a_title_change(sandbox: Any, tmp_path: Path) -> None:
    import_into(sandbox.url, tmp_path)
    put_resume(sandbox.url, BACKEND, {"title": "Staff engineer"})
    (tmp_path / "resumes/_base.yaml").write_text("title: kept\n", encoding="utf-8")

    import_into(sandbox.url, tmp_path, force=True)

    assert resume_files(tmp_path) == [
        "_base.yaml",
        "data-engineer.yaml",
        "python-developer.yaml",  # still the file of that resume: no duplicate id
        "system-administrator.yaml",
        "team-lead.yaml",
    ]
    fields = files.load_repository(tmp_path, {}).by_id()[BACKEND].fields
    assert fields["title"] == "Staff engineer"
    assert_no_drift(sandbox.url, tmp_path)


def test_stems_are_transliterated_and_unique(tmp_path: Path) -> None:
    account = account_with_titles("Программист", "Python developer", "Python developer!", "!!!")
    with running_sandbox(SandboxConfig(accounts={TOKEN: account})) as server:
        import_into(server.url, tmp_path)
        assert resume_files(tmp_path) == [
            "programmist.yaml",
            "python-developer-2.yaml",
            "python-developer.yaml",
            "resume.yaml",
        ]
        assert_no_drift(server.url, tmp_path)


def test_every_file_starts_with_the_schema_line(sandbox: Any, tmp_path: Path) -> None:
    result = import_into(sandbox.url, tmp_path)
    for path in [path for path in result.written if path.suffix == ".yaml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        # A relative path to the repository's copy (test_import_existing_repo.py checks it).
        if path.name == "visibility.yaml":
            assert first == "# yaml-language-server: $schema=schemas/visibility.schema.json"
        else:
            assert first == "# yaml-language-server: $schema=../schemas/resume.schema.json"
    text = (tmp_path / "resumes/data-engineer.yaml").read_text(encoding="utf-8")
    assert "publish: false  # false: never publish" in text
    assert "${HH_EMAIL}" in text  # the comment that says how to keep contacts out of git


def test_personal_data_is_written_but_never_printed_or_logged(
    sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: Any
) -> None:
    put_resume(sandbox.url, BACKEND, {"contact": MANY_FIELDS["contact"]})
    secrets = [TOKEN, "anna.secret@example.org", "3456789", "0123456", "1990-04-17"]
    settings = Settings(directory=tmp_path, token=TOKEN, api_url=sandbox.url, max_rps=1000.0)
    caplog.set_level(logging.DEBUG)

    result = import_account_sync(settings, tmp_path)
    with pytest.raises(ImportRefusedError) as refused:
        import_account_sync(settings, tmp_path)

    written = "".join(path.read_text(encoding="utf-8") for path in result.written)
    assert all(secret in written for secret in secrets[1:])
    captured = capsys.readouterr()
    shown = "\n".join(
        [captured.out, captured.err, caplog.text, repr(result), str(refused.value), repr(settings)]
    )
    assert [secret for secret in secrets if secret in shown] == []


def test_sync_wrapper_needs_a_token(tmp_path: Path) -> None:
    settings = Settings(directory=tmp_path, token=None, api_url="http://127.0.0.1:9")
    with pytest.raises(ProblemsError, match="no token"):
        import_account_sync(settings, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_client_is_usable_from_async_code(sandbox: Any, tmp_path: Path) -> None:
    """import_account is a coroutine over an open client (as pipeline.plan_async)."""
    from resumesync.importer import import_account

    async def main() -> int:
        async with client(sandbox.url) as api:
            await import_account(api, tmp_path / "nested" / "repo")
            return api.request_count

    assert asyncio.run(main()) == 1 + 4 * 3  # mine, then each resume and its two lists
    assert_no_drift(sandbox.url, tmp_path / "nested" / "repo")
