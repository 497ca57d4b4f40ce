"""`resumesync pull` over real HTTP: edits made through the sandbox API to every kind of field,
then pull, then a byte-level check that only those values changed in the files, then an empty
plan."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from resumesync.cli import cli
from resumesync.sandbox import Account, SandboxConfig, running_sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN = "USERpulltests000000000000000000000000000000000000000000000000000000"
BACKEND = "7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e4f6a8b"
DATA_ENGINEER = "2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b3d5f7a"
FILES = (
    "resumes/_base.yaml",
    "resumes/backend.yaml",
    "resumes/data-engineer.yaml",
    "resumes/data-analyst.yaml",  # created by the first apply, which writes its id line
)


class Repo:
    def __init__(self, root: Path, sandbox: Any) -> None:
        self.root = root
        self.sandbox = sandbox
        self.api = httpx.Client(
            base_url=sandbox.url,
            headers={"Authorization": f"Bearer {TOKEN}", "HH-User-Agent": "t/1 (t@example.com)"},
        )

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        command, rest = args[0], list(args[1:])
        connection = ["--api-url", self.sandbox.url, "--token", TOKEN, "--max-rps", "1000"]
        return CliRunner().invoke(
            cli,
            [command, "--dir", str(self.root), *connection, *rest],
            env={"NO_COLOR": "1", "HH_TOKEN": None, "HH_EMAIL": None, **(env or {})},
            catch_exceptions=False,
        )

    def text(self, file: str) -> str:
        return (self.root / file).read_text(encoding="utf-8")

    def texts(self) -> dict[str, str]:
        return {file: self.text(file) for file in (*FILES, "visibility.yaml")}

    def put(self, resume_id: str, body: dict[str, Any]) -> None:
        response = self.api.put(f"/resumes/{resume_id}", json=body)
        assert response.status_code == 204, response.text

    def live(self, resume_id: str) -> dict[str, Any]:
        return self.api.get(f"/resumes/{resume_id}").json()

    def created_id(self, file: str) -> str:
        line = next(line for line in self.text(file).splitlines() if line.startswith("id: "))
        return line.removeprefix("id: ").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "basic", root)
    with running_sandbox(SandboxConfig(accounts={TOKEN: Account.example()})) as sandbox:
        repo = Repo(root, sandbox)
        applied = repo.run("apply", "--yes")  # the account matches the files: pull's start
        assert applied.exit_code == 0, applied.output
        yield repo


def test_edits_on_hh_ru_come_back_into_the_files_and_nothing_else_changes(repo: Repo) -> None:
    before = repo.texts()
    experience = repo.live(BACKEND)["experience"]
    experience[0]["position"] = "Lead backend developer"
    repo.put(
        BACKEND,
        {
            "title": "Staff Python developer",  # a plain string
            "salary": {"amount": 400000, "currency": "RUR"},  # a number in a flow mapping
            "skill_set": ["Python", "asyncio", "PostgreSQL", "Kafka", "Go"],  # a flow list
            "skills": "Ten years of Python back ends.",  # a folded block scalar
            "area": {"id": "2"},  # a dictionary entry the base shares with data-engineer
            "experience": experience,  # a list of objects in the shared base
            "first_name": "Ivan-Pulled",  # changed on both resumes (below): the base changes
        },
    )
    # Every resume that shares the base's first_name now has the new one: the base changes.
    repo.put(repo.created_id("resumes/data-analyst.yaml"), {"first_name": "Ivan-Pulled"})
    repo.put(
        DATA_ENGINEER,
        {
            "first_name": "Ivan-Pulled",
            "schedules": [{"id": "remote"}, {"id": "flexible"}],  # the variant's own list
            "has_vehicle": True,  # a boolean of the base, changed on this resume only
        },
    )
    assert repo.api.post(f"/resumes/{BACKEND}/blacklist", json={"items": [{"id": "1740"}]})
    removed = repo.api.delete(f"/resumes/{BACKEND}/blacklist/employer", params={"id": ["78638"]})
    assert removed.status_code == 204
    # data-engineer's whitelist is `include`: growth on hh.ru is left alone.
    assert repo.api.post(f"/resumes/{DATA_ENGINEER}/whitelist", json={"items": [{"id": "4181"}]})
    repo.sandbox.clear_requests()

    pulled = repo.run("pull", "--detailed-exitcode")
    assert pulled.exit_code == 2, pulled.output  # files changed
    assert {r.method for r in repo.sandbox.requests} == {"GET"}  # pull writes only files
    assert "updated resumes/backend.yaml: " in pulled.output
    assert "updated resumes/_base.yaml: first_name" in pulled.output
    assert "updated visibility.yaml: backend.blacklist" in pulled.output

    after = repo.texts()
    assert after["resumes/_base.yaml"] == before["resumes/_base.yaml"].replace(
        "first_name: Ivan\n", "first_name: Ivan-Pulled\n"
    )
    experience_block = "".join(
        line + "\n"
        for line in [
            "experience:",
            "  - company: Horns and Hooves",
            '    area: {id: "1", name: Moscow}',
            "    company_url: https://horns-and-hooves.example",
            '    industries: [{id: "7.540", name: Software development}]',
            "    position: Lead backend developer",
            '    start: "2019-03-01"',
            "    end: null",
            '    description: "Payments platform in Python (asyncio, PostgreSQL, Kafka): designed '
            'the ledger service, cut p99 latency from 800 to 120 ms, mentor of four developers."',
            "  - company: Roga Labs",
            '    area: {id: "2", name: Saint Petersburg}',
            '    industries: [{id: "7.541"}]',
            "    position: Python developer",
            '    start: "2014-09-01"',
            '    end: "2019-02-01"',
            "    description: Internal tools and REST APIs in Django; moved the team from cron "
            "jobs to Celery.",
            "  - company: Kopyta Soft",
            '    area: {id: "1", name: Moscow}',
            '    industries: [{id: "7.540"}]',
            "    position: Junior developer",
            '    start: "2012-07-01"',
            '    end: "2014-08-01"',
            "    description: Web shop back office in PHP and MySQL.",
            'area: {id: "2", name: St Petersburg}',
        ]
    )
    expected_backend = (
        before["resumes/backend.yaml"]
        .replace("title: Senior Python developer\n", "title: Staff Python developer\n")
        .replace("{amount: 350000, currency: RUR}", "{amount: 400000, currency: RUR}")
        .replace(
            "[Python, asyncio, PostgreSQL, Kafka, Docker, Kubernetes]",
            "[Python, asyncio, PostgreSQL, Kafka, Go]",
        )
        .replace(
            "  Ten years of Python back ends: payments, ledgers, high-load APIs.\n"
            "  I like boring technology, good tests and small pull requests.\n",
            "  Ten years of Python back ends.\n",
        )
    )
    # The base's area and experience are shared with data-engineer, which still holds the old
    # values: they go into the variant that changed, at its end.
    assert after["resumes/backend.yaml"] == expected_backend + experience_block
    assert (
        after["resumes/data-engineer.yaml"]
        == before["resumes/data-engineer.yaml"].replace(
            "schedules: [{id: remote}]",
            "schedules: [{id: remote}, {id: flexible, name: Flexible schedule}]",
        )
        + "has_vehicle: true\n"
    )
    assert after["visibility.yaml"] == before["visibility.yaml"].replace(
        '      - {id: "78638", name: Tinkoff}\n', '      - {id: "1740", name: Yandex}\n'
    )

    plan = repo.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "No changes." in plan.output
    again = repo.run("pull", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert repo.texts() == after


def test_a_value_from_a_variable_is_reported_never_overwritten(repo: Repo) -> None:
    before = repo.texts()
    contacts = repo.live(BACKEND)["contact"]
    contacts[0]["value"] = "someone.else@example.com"
    repo.put(BACKEND, {"contact": contacts, "title": "Renamed on hh.ru"})
    pulled = repo.run("pull", "--detailed-exitcode")
    assert pulled.exit_code == 2, pulled.output
    assert (
        "not pulled: resumes/_base.yaml:19: contact[0].value: the live value differs, but the "
        "file's value comes from ${VAR}" in pulled.output
    )
    assert "someone.else@example.com" not in pulled.output  # personal data is never printed
    assert "ivan.petrov@example.com" not in pulled.output
    after = repo.texts()
    assert after["resumes/_base.yaml"] == before["resumes/_base.yaml"]
    assert after["resumes/backend.yaml"] == before["resumes/backend.yaml"].replace(
        "title: Senior Python developer", "title: Renamed on hh.ru"
    )


def test_access_type_changed_on_hh_ru_lands_in_visibility_yaml(repo: Repo) -> None:
    before = repo.text("visibility.yaml")
    repo.put(BACKEND, {"access": {"type": {"id": "no_one"}}})  # (protect: forbids clients)
    assert repo.run("pull").exit_code == 0
    assert repo.text("visibility.yaml") == before.replace(
        "    access: blacklist               #", "    access: no_one               #"
    )
    assert repo.run("plan", "--detailed-exitcode").exit_code == 0


def test_dry_run_writes_nothing(repo: Repo) -> None:
    before = repo.texts()
    repo.put(BACKEND, {"title": "Changed"})
    dry = repo.run("pull", "--dry-run", "--detailed-exitcode")
    assert dry.exit_code == 2
    assert "would update resumes/backend.yaml: title" in dry.output
    assert repo.texts() == before


def test_nothing_to_pull_says_so_and_exits_0(repo: Repo) -> None:
    result = repo.run("pull", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "The files already hold the live values." in result.output


def test_a_resume_still_to_be_created_neither_is_pulled_nor_holds_back_its_base(
    repo: Repo,
) -> None:
    analyst = repo.root / "resumes/data-analyst.yaml"
    created = repo.created_id("resumes/data-analyst.yaml")
    lines = analyst.read_text(encoding="utf-8").splitlines(keepends=True)
    analyst.write_text("".join(line for line in lines if not line.startswith("id: ")))
    before = repo.texts()
    for resume_id in (BACKEND, DATA_ENGINEER):
        repo.put(resume_id, {"first_name": "Ivan-Pulled"})
    repo.put(created, {"first_name": "Someone else"})  # now unmanaged: no file has its id
    result = repo.run("pull")
    assert result.exit_code == 0, result.output
    after = repo.texts()
    assert after["resumes/_base.yaml"] == before["resumes/_base.yaml"].replace(
        "first_name: Ivan\n", "first_name: Ivan-Pulled\n"
    )
    assert after["resumes/data-analyst.yaml"] == before["resumes/data-analyst.yaml"]


def test_nested_fields_of_a_base_that_every_resume_shares_are_edited_in_place(repo: Repo) -> None:
    before = repo.texts()
    ids = [BACKEND, DATA_ENGINEER, repo.created_id("resumes/data-analyst.yaml")]
    for resume_id in ids:  # the same edits on every resume that shares the base
        live = repo.live(resume_id)
        language = live["language"]
        language[1]["level"] = {"id": "c1"}  # a dictionary entry inside a list item
        education = live["education"]
        education["primary"][0]["year"] = 2013  # a number deep inside
        site = live["site"]
        site[0]["url"] = "https://gitlab.com/ivan-petrov-example"
        repo.put(
            resume_id,
            {
                "birth_date": "1990-04-18",  # a date (personal data: never printed)
                "relocation": {"type": {"id": "relocation_desirable"}, "area": [{"id": "2"}]},
                "language": language,
                "education": education,
                "site": site,
                "employments": [{"id": "full"}, {"id": "part"}],  # a flow list grows
            },
        )
    pulled = repo.run("pull", "--detailed-exitcode")
    assert pulled.exit_code == 2, pulled.output
    assert "1990-04-1" not in pulled.output
    after = repo.texts()
    expected = before["resumes/_base.yaml"]
    for old, new in [
        ('birth_date: "1990-04-17"', 'birth_date: "1990-04-18"'),
        ("  type: {id: relocation_possible}", "  type: {id: relocation_desirable}"),
        ("level: {id: b2, name: Upper intermediate}", "level: {id: c1, name: C1 — Advanced}"),
        ("      year: 2012", "      year: 2013"),
        ("https://github.com/ivan-petrov-example", "https://gitlab.com/ivan-petrov-example"),
        ("employments: [{id: full}]", "employments: [{id: full}, {id: part, name: Part time}]"),
    ]:
        assert expected.count(old) == 1, old
        expected = expected.replace(old, new)
    assert after["resumes/_base.yaml"] == expected
    assert {file: text for file, text in after.items() if file != "resumes/_base.yaml"} == {
        file: text for file, text in before.items() if file != "resumes/_base.yaml"
    }
    plan = repo.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
